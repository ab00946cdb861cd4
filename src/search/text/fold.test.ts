import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldText, MAX_WORD_LENGTH, variantsOf, words, wordsAt } from "./fold.ts";

test("case and accents fold away", () => {
  assert.deepEqual(words("Éowyn went to the CAFÉ"), ["eowyn", "went", "to", "the", "cafe"]);
  assert.deepEqual(words("Ångström naïve façade Dvořák Nguyễn"), [
    "angstrom",
    "naive",
    "facade",
    "dvorak",
    "nguyen",
  ]);
  assert.deepEqual(words("ΟΔΥΣΣΕΥΣ Οδυσσεύς"), ["οδυσσευσ", "οδυσσευσ"], "tonos, final sigma");
  assert.deepEqual(words("Йога ёлка"), ["иога", "елка"]);
  assert.deepEqual(words("İstanbul"), ["istanbul"]);
  // Decomposed input (e + combining acute) folds like the composed one.
  assert.deepEqual(words("Cafe\u0301"), ["cafe"]);
});

test("compatibility forms fold to their plain letters", () => {
  assert.deepEqual(words("ﬁne Ｆｕｌｌ"), ["fine", "full"]);
  assert.deepEqual(words("½"), ["1", "2"]);
});

test("marks that are part of a letter stay (Indic vowels, kana voicing)", () => {
  assert.deepEqual(words("हिन्दी"), ["हिन्दी"]);
  assert.deepEqual(words("がぎ"), ["が", "ぎ"]);
});

test("CJK characters are words of their own; Korean words are not split", () => {
  assert.deepEqual(words("東京タワー"), ["東", "京", "タ", "ワ", "ー"]);
  assert.deepEqual(words("서울 타워"), ["서울", "타워"]);
});

test("punctuation, apostrophes, emoji and private-use characters separate words", () => {
  assert.deepEqual(words("don't re-read e-mail@x.org 🏳️‍🌈 a\ue000b"), [
    "don",
    "t",
    "re",
    "read",
    "e",
    "mail",
    "x",
    "org",
    "a",
    "b",
  ]);
});

test("long words are cut", () => {
  const [w] = words("a".repeat(80));
  assert.equal(w!.length, MAX_WORD_LENGTH);
});

test("words() agrees with wordsAt(), and offsets point at the raw words", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.string({ unit: fc.constantFrom(..."aZé É’'-_ 東京ﬁ½İς\u0301\ue000."), maxLength: 60 }),
      ),
      (text) => {
        const at = wordsAt(text);
        assert.deepEqual(
          words(text),
          at.map((w) => w.word),
        );
        for (const w of at) {
          assert.ok(words(text.slice(w.start, w.end)).includes(w.word));
        }
      },
    ),
  );
});

test("folding is idempotent and words are only letters, digits and marks", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
      for (const w of words(text)) {
        assert.match(w, /^[\p{L}\p{N}\p{M}]+$/u);
        assert.deepEqual(words(w), [w]);
      }
      assert.equal(foldText(foldText(text)), foldText(text));
    }),
  );
});

test("variants of a folded letter include its accented and cased forms", () => {
  const e = variantsOf("e");
  for (const ch of ["e", "E", "é", "É", "ê", "ë", "ē"]) assert.ok(e.includes(ch), ch);
  assert.ok(variantsOf("σ").includes("ς"));
  assert.deepEqual(variantsOf("東"), ["東"]);
});
