import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatNumber } from "./format.ts";

describe("formatNumber", () => {
  it("writes whole numbers as toLocaleString('en-US') does", () => {
    for (const n of [0, -0, 7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -987_654_321]) {
      assert.equal(formatNumber(n), n.toLocaleString("en-US"), String(n));
    }
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        assert.equal(formatNumber(n), n.toLocaleString("en-US"));
      }),
    );
  });

  it("leaves fractions and the rest to toLocaleString", () => {
    for (const n of [1.5, 1234.5678, Number.MAX_SAFE_INTEGER + 2, Infinity, NaN]) {
      assert.equal(formatNumber(n), n.toLocaleString("en-US"), String(n));
    }
  });
});
