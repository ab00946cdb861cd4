import assert from "node:assert/strict";
import { test } from "node:test";
import { NewWorkInput, WorkMetaInput } from "./schemas.ts";

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

test("summary and notes limits", () => {
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: "s".repeat(1_250) }).success, true);
  assert.equal(WorkMetaInput.safeParse({ ...base, summary: "s".repeat(1_251) }).success, false);
  assert.equal(WorkMetaInput.safeParse({ ...base, notes: "n".repeat(5_001) }).success, false);
  assert.equal(WorkMetaInput.safeParse({ ...base, end_notes: "n".repeat(5_000) }).success, true);
});
