import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { tsAny, tsBody, tsMeta, tsTier } from "./postgres-tsvector.ts";
import {
  formatTextQuery,
  MAX_QUERY_LENGTH,
  parseTextQuery,
  positiveWords,
  type TextQuery,
} from "./query.ts";
import { ftsAny, ftsBody, ftsMeta } from "./sqlite-fts5.ts";

const parsed = (text: string): TextQuery => {
  const r = parseTextQuery(text);
  if (!r.ok) throw new Error(r.message);
  return r.query;
};

test("words, phrases, left-out words and fields", () => {
  assert.deepEqual(parsed('Éowyn "Sea was GREY" -tea -"green tea" title:Keeper author:"Hollow"'), {
    include: [
      { words: ["eowyn"], field: null },
      { words: ["sea", "was", "grey"], field: null },
      { words: ["keeper"], field: "title" },
      { words: ["hollow"], field: "author" },
    ],
    exclude: [
      { words: ["tea"], field: null },
      { words: ["green", "tea"], field: null },
    ],
  });
});

test("field names and their aliases, in any case", () => {
  const fields = parsed(
    "TITLE:a by:b creator:c summary:d notes:e tag:f tags:g text:h body:i",
  ).include;
  assert.deepEqual(
    fields.map((c) => c.field),
    ["title", "author", "author", "summary", "summary", "tag", "tag", "text", "text"],
  );
  // Not a field: the colon is punctuation, the word a phrase.
  assert.deepEqual(parsed("colour:red").include, [{ words: ["colour", "red"], field: null }]);
  // Names every object inherits are not fields either.
  for (const name of ["constructor", "toString", "valueOf", "hasOwnProperty"])
    assert.deepEqual(parsed(`${name}:red`).include, [
      { words: [name.toLowerCase(), "red"], field: null },
    ]);
  assert.deepEqual(parsed("y -title:x").exclude, [{ words: ["x"], field: "title" }]);
  assert.deepEqual(parsed("title: lighthouse").include, [
    { words: ["title"], field: null },
    { words: ["lighthouse"], field: null },
  ]);
});

test("a word that folds to several words is a phrase", () => {
  assert.deepEqual(parsed("don't").include, [{ words: ["don", "t"], field: null }]);
  assert.deepEqual(parsed("東京").include, [{ words: ["東", "京"], field: null }]);
});

test("junk is punctuation, never syntax", () => {
  assert.deepEqual(parsed('lighthouse "unbalanced phrase').include, [
    { words: ["lighthouse"], field: null },
    { words: ["unbalanced", "phrase"], field: null },
  ]);
  assert.deepEqual(
    parsed("*a* ^b (c) NEAR(d) e:").include.map((c) => c.words.join(" ")),
    ["a", "b", "c", "near d", "e"],
  );
  assert.deepEqual(
    parsed("a - -- +b").include.map((c) => c.words.join(" ")),
    ["a", "b"],
  );
  assert.deepEqual(parsed("a a A").include.length, 1, "repeats are dropped");
  assert.deepEqual(parsed("“curly quotes” here").include[0], {
    words: ["curly", "quotes"],
    field: null,
  });
});

test("refusals have messages", () => {
  const refused = (text: string) => {
    const r = parseTextQuery(text);
    assert.equal(r.ok, false, text);
    return r.ok ? "" : r.message;
  };
  assert.match(refused(""), /Type a word/);
  assert.match(refused(' *** " - '), /Type a word/);
  assert.match(refused("-tea -coffee"), /Add a word to search for/);
  assert.match(refused("a".repeat(MAX_QUERY_LENGTH + 1)), /1,000 characters/);
  assert.match(refused(Array.from({ length: 21 }, (_, i) => `w${i}`).join(" ")), /at most 20/);
  assert.match(refused(`"${"x ".repeat(33)}"`), /at most 32 words/);
  assert.equal(parseTextQuery("a".repeat(MAX_QUERY_LENGTH)).ok, true);
});

test("formatting gives back an equivalent query", () => {
  const q = parsed('Éowyn "sea grey" -tea title:"a b" -author:c');
  assert.equal(formatTextQuery(q), 'eowyn "sea grey" title:"a b" -tea -author:c');
  assert.deepEqual(parsed(formatTextQuery(q)), q);
  assert.deepEqual(positiveWords(q), ["eowyn", "sea grey", "a b"]);
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (text) => {
      const r = parseTextQuery(text);
      if (r.ok) assert.deepEqual(parsed(formatTextQuery(r.query)), r.query);
    }),
  );
});

test("engine expressions quote every word", () => {
  const [word, phrase, title, author, text] = parsed('a "b c" title:d author:e text:f').include;
  assert.equal(ftsBody(phrase!), '"b c"');
  assert.equal(ftsMeta(word!), '"a"');
  assert.equal(ftsMeta(title!), '{title} : "d"');
  assert.equal(ftsMeta(author!), '{creators} : "e"');
  assert.equal(ftsAny([ftsBody(word!), ftsBody(text!)]), '("a") OR ("f")');
  assert.equal(tsBody(phrase!), "'b' <-> 'c'");
  assert.equal(tsMeta(title!), "'d':A");
  assert.equal(tsMeta(author!), "'e':C");
  assert.equal(tsAny([tsMeta(word!), tsMeta(phrase!)]), "('a') | ('b' <-> 'c')");
  assert.equal(tsTier(phrase!), "'b':ABD <-> 'c':ABD");
  assert.equal(tsTier(title!), "'d':A");
  assert.equal(tsTier(author!), null);
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
      const r = parseTextQuery(text);
      if (!r.ok) return;
      for (const c of [...r.query.include, ...r.query.exclude]) {
        // Inside the quotes only letters, digits, marks and the separating spaces.
        for (const quoted of [ftsBody(c), tsBody(c)].join(" ").match(/["'][^"']*["']/g) ?? []) {
          assert.match(quoted.slice(1, -1), /^[\p{L}\p{N}\p{M} ]*$/u);
        }
      }
    }),
  );
});
