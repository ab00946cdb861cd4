import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CountList, IntMap, offer, type FacetCount } from "./facet-lists.ts";

describe("IntMap", () => {
  it("behaves like a Map through sets and deletes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            // Few distinct keys, and keys that collide, so probe runs form and get shifted.
            fc.oneof(
              fc.integer({ min: 0, max: 40 }),
              fc.integer({ min: 0, max: 5 }).map((x) => x * 1024),
            ),
            fc.integer({ min: 0, max: 1_000 }),
          ),
          { maxLength: 400, size: "max" },
        ),
        (ops) => {
          const m = new IntMap();
          const ref = new Map<number, number>();
          for (const [set, key, value] of ops) {
            if (set) {
              m.set(key, value);
              ref.set(key, value);
            } else {
              m.delete(key);
              ref.delete(key);
            }
            assert.equal(m.size, ref.size);
          }
          for (let key = 0; key <= 5 * 1024; key++) assert.equal(m.get(key), ref.get(key) ?? -1);
        },
      ),
    );
  });
});

describe("CountList", () => {
  it("keeps slots sorted by count, with exact counts, as they move by one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 })), {
          maxLength: 300,
          size: "max",
        }),
        (ops) => {
          const list = new CountList(new IntMap());
          const ref = new Map<number, number>();
          for (const [up, slot] of ops) {
            if (up) {
              list.inc(slot);
              ref.set(slot, (ref.get(slot) ?? 0) + 1);
            } else if (ref.has(slot)) {
              list.dec(slot);
              const c = ref.get(slot)! - 1;
              if (c === 0) ref.delete(slot);
              else ref.set(slot, c);
            }
          }
          const got = new Map<number, number>();
          for (let i = 0; i < list.len; i++) {
            if (i > 0) assert.ok(list.counts[i - 1]! >= list.counts[i]!, "sorted by count");
            got.set(list.slots[i]!, list.counts[i]!);
          }
          assert.deepEqual(got, ref);
          // insert and delete keep the order too
          list.insert(99, 3);
          for (let i = 1; i < list.len; i++) assert.ok(list.counts[i - 1]! >= list.counts[i]!);
          assert.equal(list.delete(99), 3);
          assert.equal(list.len, ref.size);
        },
      ),
    );
  });
});

describe("offer", () => {
  it("keeps the best ten by count, then tag id", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 40, maxLength: 40 }),
        (tagIds, counts) => {
          const top: FacetCount[] = [];
          const all = tagIds.map((tagId, i) => ({ tagId, count: counts[i]! }));
          for (const e of all) offer(top, e.tagId, e.count);
          const want = all.sort((a, b) => b.count - a.count || a.tagId - b.tagId).slice(0, 10);
          assert.deepEqual(top, want);
        },
      ),
    );
  });
});
