import assert from "node:assert/strict";
import { test } from "node:test";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { RenderedTexts, renderedTextsOf } from "./rendered-cache.ts";

const html = (s: string) => s as SanitizedHtml;
const stamp = { version: 3, position: 1, editedAt: 1000 };

test("a text is found only with the stamp it was kept under", () => {
  const cache = new RenderedTexts();
  cache.set(7, stamp, html("<p>one</p>"));
  assert.equal(cache.get(7, stamp)?.html, "<p>one</p>");
  assert.equal(cache.get(7, stamp)?.utf8.toString("utf8"), "<p>one</p>", "the same as UTF-8");
  assert.equal(cache.get(7, { ...stamp, version: 4 }), undefined, "the work changed");
  assert.equal(cache.get(7, { ...stamp, position: 2 }), undefined, "the chapter moved");
  assert.equal(cache.get(7, { ...stamp, editedAt: 1001 }), undefined, "the chapter was edited");
  assert.equal(cache.get(8, stamp), undefined, "another chapter");
  cache.set(7, { ...stamp, version: 4 }, html("<p>two</p>"));
  assert.equal(cache.get(7, stamp), undefined, "the older text is gone");
  assert.equal(cache.get(7, { ...stamp, version: 4 })?.html, "<p>two</p>");
  assert.equal(cache.size, 1);
});

test("bounded in bytes: the least recently used go first; too large is never kept", () => {
  const cache = new RenderedTexts(150); // 50 ASCII characters: 2 bytes each as a string, 1 as UTF-8
  cache.set(1, stamp, html("a".repeat(20)));
  cache.set(2, stamp, html("b".repeat(20)));
  assert.ok(cache.get(1, stamp), "1 is now the most recently used");
  cache.set(3, stamp, html("c".repeat(20)));
  assert.equal(cache.get(2, stamp), undefined);
  assert.ok(cache.get(1, stamp));
  assert.ok(cache.get(3, stamp));
  assert.equal(cache.bytes, 120);
  cache.set(4, stamp, html("d".repeat(51)));
  assert.equal(cache.get(4, stamp), undefined);
  assert.equal(cache.bytes, 120);
});

test("one cache per database handle", () => {
  const a = {};
  const b = {};
  assert.equal(renderedTextsOf(a), renderedTextsOf(a));
  assert.notEqual(renderedTextsOf(a), renderedTextsOf(b));
});
