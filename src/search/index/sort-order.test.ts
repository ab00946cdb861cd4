import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import roaring from "roaring";
import {
  FloatKeys,
  IntKeys,
  selectPage,
  SortOrder,
  StringKeys,
  type SortKeys,
} from "./sort-order.ts";

const { RoaringBitmap32 } = roaring;

const ascendingIds = (n: number) => Int32Array.from({ length: n }, (_, i) => i + 1);

/** The order sortAll must produce: the comparator's. */
function check(keys: SortKeys, n: number) {
  const got = ascendingIds(n);
  keys.sortAll(got);
  const want = Array.from(ascendingIds(n)).sort(keys.cmp);
  assert.deepEqual(Array.from(got), want);
}

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("sort keys", () => {
  it("radix-sorts strings like the comparator (prefixes, duplicates, any alphabet)", () => {
    const rnd = mulberry32(3);
    const alphabets = [
      ["a", "b"],
      ["a", "b", "c", " ", "é", "\u{1F600}", "\uffee"],
      Array.from({ length: 300 }, (_, i) => String.fromCharCode(32 + i * 97)),
    ];
    for (const alphabet of alphabets) {
      const n = 20_000;
      const prefixes = ["", "the same long prefix, longer than one round ", "x"];
      const values = [""];
      for (let id = 1; id <= n; id++) {
        let s = prefixes[Math.floor(rnd() * prefixes.length)]!;
        const len = Math.floor(rnd() * 40);
        for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)]!;
        values.push(id > 1 && rnd() < 0.1 ? values[1 + Math.floor(rnd() * (id - 1))]! : s);
      }
      check(new StringKeys(() => values), n);
    }
  });

  it("radix-sorts numbers like the comparator", () => {
    const rnd = mulberry32(5);
    const n = 10_000;
    const floats = new Float64Array(n + 1);
    const ints = new Int32Array(n + 1);
    for (let id = 1; id <= n; id++) {
      const r = rnd();
      floats[id] = r < 0.1 ? -0 : r < 0.2 ? 0 : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 15);
      ints[id] = Math.floor(rnd() * 100) * (rnd() < 0.3 ? 1 : 65_536);
    }
    check(new FloatKeys(() => floats), n);
    check(new IntKeys(() => ints), n);
  });
});

describe("SortOrder", () => {
  it("stays in key order through changes, removals and merges", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 80 }), fc.option(fc.integer({ min: 0, max: 5 }))),
          { maxLength: 80 },
        ),
        fc.integer({ min: 1, max: 8 }),
        (initial, changes, cap) => {
          const keys = new Int32Array(100);
          const present = new Uint8Array(100);
          const all = new RoaringBitmap32();
          initial.forEach((k, i) => {
            keys[i + 1] = k;
            present[i + 1] = 1;
            all.add(i + 1);
          });
          const order = new SortOrder(
            new IntKeys(() => keys),
            () => present,
            () => cap,
          );
          order.grow(100);
          order.rebuild(all);
          for (const [id, key] of changes) {
            if (key === null) {
              if (present[id]) order.removed(id);
              present[id] = 0;
              all.remove(id);
            } else {
              keys[id] = key;
              present[id] = 1;
              all.add(id);
              order.changed(id);
            }
          }
          const want = all.toArray().sort((a, b) => keys[a]! - keys[b]! || a - b);
          for (const descending of [false, true]) {
            const expect = descending ? [...want].reverse() : want;
            assert.deepEqual(order.walk(all, descending, 0, 1_000, Infinity), expect);
            assert.deepEqual(order.walk(all, descending, 2, 3, Infinity), expect.slice(2, 5));
          }
          order.merge();
          assert.deepEqual(order.walk(all, false, 0, 1_000, Infinity), want);
        },
      ),
    );
  });

  it("gives up a walk over its budget", () => {
    const keys = new Int32Array(10).fill(1);
    const present = new Uint8Array(10).fill(1);
    const all = new RoaringBitmap32([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const order = new SortOrder(
      new IntKeys(() => keys),
      () => present,
      () => 10,
    );
    order.grow(10);
    order.rebuild(all);
    const last = new RoaringBitmap32([9]);
    assert.equal(order.walk(last, false, 0, 1, 3), null);
    assert.deepEqual(order.walk(last, false, 0, 1, 9), [9]);
  });
});

describe("selectPage", () => {
  it("returns the page of the sorted members", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 250 }),
        fc.integer({ min: 1, max: 30 }),
        (members, skip, take) => {
          const key = (id: number) => id % 7;
          const cmp = (a: number, b: number) => key(a) - key(b) || a - b;
          const sorted = [...members].sort(cmp);
          const u = Uint32Array.from([...members].sort((a, b) => a - b));
          const want = sorted.slice(skip, skip + take);
          if (want.length === 0) return;
          assert.deepEqual(selectPage(u, cmp, skip, Math.min(take, want.length)), want);
        },
      ),
    );
  });
});
