import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  normalizeTagName,
  splitTagList,
  tagKey,
  tagNameFromUrl,
  tagNameProblem,
  tagUrlName,
} from "./names.ts";

test("tag names are trimmed with inner white space collapsed; keys fold case", () => {
  assert.equal(normalizeTagName("  Derek   Shepard \t"), "Derek Shepard");
  assert.equal(tagKey("GREY'S  Anatomy"), tagKey("grey's anatomy"));
  assert.equal(tagKey("ÉOWYN"), "éowyn");
});

test("commas separate tags; duplicates (any case) are dropped; empties ignored", () => {
  assert.deepEqual(splitTagList("Fluff, Angst,, fluff , Hurt/Comfort,"), [
    "Fluff",
    "Angst",
    "Hurt/Comfort",
  ]);
  assert.deepEqual(splitTagList("東京、大阪"), ["東京", "大阪"]);
  assert.deepEqual(splitTagList("   "), []);
});

test("forbidden characters and over-long names are refused with a message naming them", () => {
  for (const c of ["*", "<", ">", "^", "{", "}", "=", "`", "\\", "%"]) {
    assert.match(tagNameProblem(`bad${c}tag`) ?? "", new RegExp(`contains .*\\${c}`), c);
  }
  assert.match(tagNameProblem("x".repeat(151)) ?? "", /too long/);
  assert.equal(tagNameProblem("x".repeat(150)), null);
  assert.equal(tagNameProblem("Mark Sloan/Lexie Grey"), null);
});

test("AO3 address escapes round-trip for any valid tag name", () => {
  assert.equal(tagUrlName("Mark Sloan/Lexie Grey"), "Mark%20Sloan*s*Lexie%20Grey");
  assert.equal(tagNameFromUrl("Mark Sloan*s*Lexie Grey"), "Mark Sloan/Lexie Grey");
  // Names built from the escaped characters and the escapes' letters, where escapes touch.
  const nearEscapes = fc
    .array(fc.constantFrom("/", "&", ".", "?", "#", "s", "a", "d", "q", "h", " ", "x"), {
      maxLength: 12,
    })
    .map((cs) => cs.join(""));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 60 }), nearEscapes), (raw) => {
      const name = normalizeTagName(raw.replace(/[*,<>^{}=`\\%]/g, ""));
      const segment = decodeURIComponent(tagUrlName(name));
      assert.equal(tagNameFromUrl(segment), name);
      assert.ok(!segment.includes("/"));
    }),
    { examples: [["#q#"], ["?s?"], ["a.d.a"], ["/h/"]], numRuns: 500 },
  );
});
