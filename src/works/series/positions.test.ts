import assert from "node:assert/strict";
import { test } from "node:test";
import { clampPart, partNumber, placed, reordered, without } from "./positions.ts";

test("a new work goes last without a part number, else at its part (clamped)", () => {
  assert.deepEqual(placed([1, 2, 3], 9, null), [1, 2, 3, 9]);
  assert.deepEqual(placed([1, 2, 3], 9, 1), [9, 1, 2, 3]);
  assert.deepEqual(placed([1, 2, 3], 9, 2), [1, 9, 2, 3]);
  assert.deepEqual(placed([1, 2, 3], 9, 4), [1, 2, 3, 9]);
  assert.deepEqual(placed([1, 2, 3], 9, 99), [1, 2, 3, 9], "past the end is last");
  assert.deepEqual(placed([1, 2, 3], 9, 0), [9, 1, 2, 3], "0 is first");
  assert.deepEqual(placed([], 9, 5), [9], "the first work of an empty series is part 1");
});

test("a work already in the series moves to its new part, or stays without one", () => {
  assert.deepEqual(placed([1, 2, 3], 3, 1), [3, 1, 2]);
  assert.deepEqual(placed([1, 2, 3], 1, 3), [2, 3, 1]);
  assert.deepEqual(placed([1, 2, 3], 1, 99), [2, 3, 1]);
  assert.deepEqual(placed([1, 2, 3], 2, null), [1, 2, 3]);
});

test("taking a work out moves the later ones up a part", () => {
  assert.deepEqual(without([1, 2, 3], 2), [1, 3]);
  assert.deepEqual(without([1, 2, 3], 7), [1, 2, 3]);
});

test("reordering: the moved work takes the part asked for, ties as chapters break them", () => {
  assert.deepEqual(reordered([1, 2, 3], new Map()), [1, 2, 3]);
  // Part 3 → 1 goes before the old part 1; part 1 → 3 after the old part 3.
  assert.deepEqual(reordered([1, 2, 3], new Map([[3, 1]])), [3, 1, 2]);
  assert.deepEqual(reordered([1, 2, 3], new Map([[1, 3]])), [2, 3, 1]);
  // A full new order typed in.
  assert.deepEqual(
    reordered(
      [1, 2, 3],
      new Map([
        [1, 3],
        [2, 1],
        [3, 2],
      ]),
    ),
    [2, 3, 1],
  );
  // Numbers past the end keep their relative order.
  assert.deepEqual(
    reordered(
      [1, 2, 3],
      new Map([
        [1, 9],
        [2, 8],
        [3, 7],
      ]),
    ),
    [3, 2, 1],
  );
  // Works not named (ones the editor cannot see) keep the part they have.
  assert.deepEqual(reordered([1, 2, 3, 4], new Map([[4, 1]])), [4, 1, 2, 3]);
});

test("part numbers: blank is none, digits a part, anything else refused", () => {
  assert.equal(partNumber(undefined), null);
  assert.equal(partNumber("  "), null);
  assert.equal(partNumber("3"), 3);
  assert.equal(partNumber(" 12 "), 12);
  assert.equal(partNumber("0"), 0);
  assert.equal(partNumber("two"), undefined);
  assert.equal(partNumber("-1"), undefined);
  assert.equal(partNumber("2.5"), undefined);
  assert.equal(clampPart(0, 3), 1);
  assert.equal(clampPart(7, 3), 3);
  assert.equal(clampPart(1, 0), 1);
});
