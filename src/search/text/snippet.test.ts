import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readHtml } from "../../core/text/html-stream.ts";
import { formatUserText } from "../../core/text/sanitize.ts";
import { parseTextQuery, type TextQuery } from "./query.ts";
import { SNIPPET_WORDS, SnippetFinder, windowText, type SnippetPart } from "./snippet.ts";

const q = (text: string): TextQuery => {
  const r = parseTextQuery(text);
  if (!r.ok) throw new Error(r.message);
  return r.query;
};
const hits = (parts: SnippetPart[] | null) => parts?.filter((p) => p.hit).map((p) => p.text);
const joined = (parts: SnippetPart[] | null) => parts?.map((p) => p.text).join("");

const filler = (n: number, word = "filler") => Array.from({ length: n }, () => word).join(" ");

test("the passage is about 30 words around the match, with ellipses", () => {
  const html = formatUserText(`${filler(100)} the Dragon woke. ${filler(100)}`);
  const parts = new SnippetFinder(q("dragon")).find(html, "text");
  assert.deepEqual(hits(parts), ["Dragon"]);
  const text = joined(parts)!;
  assert.match(text, /^… filler .* the Dragon woke\. filler .* …$/);
  assert.equal(text.split(" ").filter((w) => w !== "…").length, SNIPPET_WORDS);
});

test("accents, case and markup in the text do not hide a match", () => {
  const html = formatUserText("<p>Then <i>ÉOWYN</i> met Dvořák at the <b>ca</b>fé.</p>");
  assert.deepEqual(hits(new SnippetFinder(q("eowyn dvorak")).find(html, "text")), [
    "ÉOWYN",
    "Dvořák",
  ]);
  // Decomposed accents: found, and shown composed (the same to the eye).
  assert.deepEqual(hits(new SnippetFinder(q("cafe")).find("<p>Cafe\u0301 time</p>", "text")), [
    "Café",
  ]);
});

test("a phrase is highlighted whole; its words alone are not a phrase match", () => {
  const html = formatUserText("The red door. Then the <em>red</em>   castle fell.");
  assert.deepEqual(hits(new SnippetFinder(q('"red castle"')).find(html, "text")), ["red castle"]);
  assert.equal(new SnippetFinder(q('"castle red"')).find(html, "text"), null);
  assert.equal(new SnippetFinder(q('"red castle"')).find("<p>redcastle</p>", "text"), null);
  assert.equal(new SnippetFinder(q("red")).find("<p>bored reddish</p>", "text"), null);
});

test("the passage with the most different words wins", () => {
  const html = formatUserText(
    `tea here. ${filler(200)} tea and cake together. ${filler(200)} cake there.`,
  );
  const parts = new SnippetFinder(q("tea cake")).find(html, "text");
  assert.match(joined(parts)!, /tea and cake together/);
});

test("window text: breaking tags part words, inline tags do not, entities are decoded", () => {
  assert.equal(
    windowText(
      '<p class="x">Salt &amp; <b>pep</b>per</p><p>Tea&#39;s &#x2014; &lt;ok&gt;<br />end',
    ),
    " Salt & pepper  Tea's — <ok> end",
  );
  assert.equal(windowText("&bogus; &#x110000; plain"), "&bogus; &#x110000; plain");
  assert.equal(windowText("&constructor; &toString;"), "&constructor; &toString;");
});

test("words inside tags, attributes and entities are not matches", () => {
  const html = '<p class="dragon"><a href="https://dragon.example/">a link</a> &amp; more</p>';
  assert.equal(new SnippetFinder(q("dragon")).find(html, "text"), null);
  assert.equal(new SnippetFinder(q("amp")).find(html, "text"), null);
  assert.equal(new SnippetFinder(q("p")).find(html, "text"), null);
});

test("fields: title words are not looked for in chapter text, summary words are", () => {
  const html = "<p>The keeper slept.</p>";
  assert.equal(new SnippetFinder(q("title:keeper")).find(html, "text"), null);
  assert.equal(new SnippetFinder(q("summary:keeper")).find(html, "text"), null);
  assert.deepEqual(hits(new SnippetFinder(q("summary:keeper")).find(html, "summary")), ["keeper"]);
  assert.deepEqual(hits(new SnippetFinder(q("text:keeper")).find(html, "text")), ["keeper"]);
});

test("CJK words match inside runs", () => {
  const parts = new SnippetFinder(q("東京")).find("<p>ここは東京タワーです。</p>", "text");
  assert.deepEqual(hits(parts), ["東京"]);
});

test("highlighting a short text keeps all of it", () => {
  const f = new SnippetFinder(q("lighthouse title:keeper"));
  assert.deepEqual(f.highlight("The Lighthouse Keeper's Daughter", "title"), [
    { text: "The ", hit: false },
    { text: "Lighthouse Keeper", hit: true },
    { text: "'s Daughter", hit: false },
  ]);
  assert.deepEqual(hits(f.highlight("The Lighthouse Keeper", "summary")), ["Lighthouse"]);
});

test("snippet text is the text's own: markup never comes through", () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(..."abc <>&\"'/=xé"), maxLength: 200 }),
      (a, b) => {
        const html = formatUserText(`${a} needle ${b}`);
        const parts = new SnippetFinder(q("needle")).find(html, "text");
        for (const p of parts ?? []) {
          assert.ok(!/<[a-z/]/i.test(p.text) || `${a}${b}`.includes("<"), p.text);
          if (p.hit) assert.equal(p.text.toLowerCase(), "needle");
        }
      },
    ),
  );
});

test("window text is the text a parser reads: attribute values never leak into it", () => {
  // windowText reads tags with a regular expression; that holds because the sanitizer escapes
  // every `<` and `>` in attribute values and text. Snippets are plain text the view escapes.
  const piece = fc.constantFrom(
    ...[`<p title=" id=">`, `<b class='x>y'>`, "</b>", '<a href="/x?a>b" title=">">', "</a>"],
    ...['"', "'", ">", "=", " ", "&gt;", "&quot;", "&amp;lt;", "&#62;", "<br>", "word", "\n\n"],
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
      const html = formatUserText(pieces.join(""));
      let text = "";
      readHtml(html, { ontext: (t) => (text += t) });
      assert.equal(windowText(html).replace(/\s+/g, ""), text.replace(/\s+/g, ""));
    }),
  );
});
