import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseIds, sortedMembership, union } from "./id-sets.ts";

const ids = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 50 });

test("parsing comma-separated ids, in any order", () => {
  assert.deepEqual([...parseIds("3,1,20")], [1, 3, 20]);
  assert.deepEqual([...parseIds("")], []);
  assert.deepEqual([...parseIds(null)], []);
  fc.assert(
    fc.property(ids, (list) => {
      assert.deepEqual(
        [...parseIds(list.join(","))],
        [...list].sort((a, b) => a - b),
      );
    }),
  );
});

test("union and membership of sorted sets", () => {
  fc.assert(
    fc.property(ids, ids, fc.array(fc.nat(100)), (a, b, probes) => {
      const sa = parseIds(a.join(","));
      const sb = parseIds(b.join(","));
      const expected = [...new Set([...a, ...b])].sort((x, y) => x - y);
      assert.deepEqual([...union(sa, sb)], expected);
      const has = sortedMembership(sa);
      for (const id of [...new Set([...probes, ...a])].sort((x, y) => x - y)) {
        assert.equal(has(id), a.includes(id), String(id));
      }
    }),
  );
});
