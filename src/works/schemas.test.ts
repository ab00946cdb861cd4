import assert from "node:assert/strict";
import { test } from "node:test";
import { chapterPosition, NewWorkInput, WorkMetaInput } from "./schemas.ts";

const base = {
  title: "T",
  rating: "Explicit",
  warnings: "No Archive Warnings Apply",
  fandoms: "A",
  language: "en",
  text: "Ten chars or more.",
};

test("a single checkbox value becomes a list; the rating must be one of the five", () => {
  const parsed = NewWorkInput.parse(base);
  assert.deepEqual(parsed.warnings, ["No Archive Warnings Apply"]);
  assert.deepEqual(parsed.categories, []);
  assert.equal(parsed.action, "post");
  assert.equal(NewWorkInput.safeParse({ ...base, rating: "R" }).success, false);
  assert.equal(NewWorkInput.safeParse({ ...base, warnings: ["Made Up"] }).success, false);
});

test("expected chapters: blank or ? is unknown; otherwise 1–1000", () => {
  const exp = (v: string) => WorkMetaInput.safeParse({ ...base, expected_chapters: v });
  assert.equal(exp("").data?.expected_chapters, null);
  assert.equal(exp("?").data?.expected_chapters, null);
  assert.equal(exp("12").data?.expected_chapters, 12);
  assert.equal(exp("0").success, false);
  assert.equal(exp("abc").success, false);
  assert.equal(exp("1001").success, false);
});

test("tag fields split on commas and count toward 75 user tags in all", () => {
  const parsed = WorkMetaInput.parse({ ...base, characters: "X, Y", freeforms: "P, Q, R" });
  assert.deepEqual(parsed.characters, ["X", "Y"]);
  const tooMany = WorkMetaInput.safeParse({
    ...base,
    fandoms: Array.from({ length: 40 }, (_, i) => `F${i}`).join(","),
    freeforms: Array.from({ length: 36 }, (_, i) => `T${i}`).join(","),
  });
  assert.equal(tooMany.success, false);
  assert.equal(tooMany.error?.issues[0]?.path[0], "freeforms");
});

test("chapter text is 10 to 510,000 characters; white space alone does not count", () => {
  assert.equal(NewWorkInput.safeParse({ ...base, text: "         x" }).success, false);
  assert.equal(NewWorkInput.safeParse({ ...base, text: "x".repeat(510_000) }).success, true);
  assert.equal(NewWorkInput.safeParse({ ...base, text: "x".repeat(510_001) }).success, false);
});

test("limits count characters as a reader does: an emoji or a CJK extension-B character is one", () => {
  const emoji = "\u{1F600}";
  const extB = "\u{20000}";
  assert.equal(NewWorkInput.safeParse({ ...base, text: emoji.repeat(510_000) }).success, true);
  const over = NewWorkInput.safeParse({ ...base, text: extB.repeat(510_001) });
  assert.equal(over.success, false);
  assert.equal(
    over.error?.issues[0]?.message,
    "Chapter text must be at most 510,000 characters long; this has 510,001.",
  );
  assert.equal(WorkMetaInput.safeParse({ ...base, title: emoji.repeat(255) }).success, true);
  assert.equal(WorkMetaInput.safeParse({ ...base, title: emoji.repeat(256) }).success, false);
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: extB.repeat(1_250) }).success, true);
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: extB.repeat(1_251) }).success, false);
});

test("a chapter number is read as AO3 reads it: leading digits, else 0; blank is none", () => {
  const cases: [unknown, number | null][] = [
    [undefined, null],
    ["", null],
    ["  ", null],
    [["2", "3"], null],
    ["3", 3],
    [" 12 ", 12],
    ["2nd", 2],
    ["2000", 2000],
    ["-4", -4],
    ["+2", 2],
    ["two", 0],
    ["1e3", 1],
  ];
  for (const [input, expected] of cases)
    assert.equal(chapterPosition(input), expected, JSON.stringify(input));
});

test("summary and notes limits", () => {
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: "s".repeat(1_250) }).success, true);
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: "s".repeat(1_251) }).success, false);
  assert.equal(WorkMetaInput.safeParse({ ...base, notes: "n".repeat(5_001) }).success, false);
  assert.equal(WorkMetaInput.safeParse({ ...base, end_notes: "n".repeat(5_000) }).success, true);
});
