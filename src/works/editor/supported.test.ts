import assert from "node:assert/strict";
import { test } from "node:test";
import { describeLost, lostInEditor } from "./supported.ts";

test("the editor keeps its own elements and the attributes it writes", () => {
  for (const tag of [
    "p",
    "STRONG",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h2",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "br",
  ])
    assert.deepEqual(lostInEditor(tag, []), [], tag);
  assert.deepEqual(lostInEditor("a", ["href", "rel"]), []);
  assert.deepEqual(lostInEditor("ol", ["start"]), []);
});

test("anything else would be lost: elements by name, attributes one by one", () => {
  assert.deepEqual(lostInEditor("table", ["class"]), ["table"]);
  assert.deepEqual(lostInEditor("p", ["class", "align"]), ["class attribute", "align attribute"]);
  assert.deepEqual(lostInEditor("a", ["href", "title"]), ["title attribute"]);
  assert.deepEqual(lostInEditor("img", ["src"]), ["img"]);
});

test("what would be lost, in a sentence", () => {
  assert.equal(describeLost([]), "");
  assert.equal(describeLost(["table"]), "a table");
  assert.equal(describeLost(["img", "img", "class attribute"]), "an img and a class attribute");
  assert.equal(
    describeLost(["table", "span", "align attribute"]),
    "a table, a span and an align attribute",
  );
});
