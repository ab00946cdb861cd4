import assert from "node:assert/strict";
import { test } from "node:test";
import { excerpt, htmlExcerpt } from "./excerpt.ts";

test("short text is kept whole, its whitespace collapsed", () => {
  assert.equal(excerpt("  A   quiet\n\nmorning. ", 160), "A quiet morning.");
});

test("long text is cut at a word break and ends with an ellipsis, within the limit", () => {
  const text = "The lighthouse keeper counted ships, every one of them, until the fog came in.";
  const out = excerpt(text, 40);
  assert.ok(out.length <= 40, out);
  assert.equal(out, "The lighthouse keeper counted ships…");
});

test("one very long word is cut mid-word; emoji are never split", () => {
  assert.equal(excerpt("x".repeat(50), 10), `${"x".repeat(9)}…`);
  const out = excerpt("🦊".repeat(20), 5);
  assert.equal(out, `${"🦊".repeat(4)}…`);
});

test("HTML is shortened as text: no markup survives, entities are decoded", () => {
  const html = `<p>She said <em>&quot;stay&quot;</em> &amp; he stayed.</p><p>${"Then more. ".repeat(30)}</p>`;
  const out = htmlExcerpt(html, 60);
  assert.doesNotMatch(out, /[<>]/);
  assert.match(out, /^She said "stay" & he stayed\. Then more\./);
  assert.ok(out.endsWith("…") && out.length <= 60, out);
});

test("paragraphs: kept as one blank line each, and the cut still lands on a break", () => {
  const html =
    "<p>First   line.</p>\n\n<p>Second<br>line.</p><p>Third paragraph is long enough.</p>";
  assert.equal(
    htmlExcerpt(html, 1000, { paragraphs: true }),
    "First line.\n\nSecond line.\n\nThird paragraph is long enough.",
  );
  assert.equal(htmlExcerpt(html, 30, { paragraphs: true }), "First line.\n\nSecond line…");
});
