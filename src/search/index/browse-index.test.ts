// Hand-written cases for the browse index, each checked against the plain reference. The
// property and 20,000-work tiers are in browse-index.slow.test.ts (skipped by `--fast`).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BrowseIndex } from "./browse-index.ts";
import type { IndexTagType } from "./browse-types.ts";
import { doc, Pair, query } from "./browse-index.reference.ts";

// --- hand-written cases -----------------------------------------------------------------------

const FANDOM = 1;
const OTHER_FANDOM = 2;
const FLUFF = 10;
const ANGST = 11;
const GEN = 20;
const EXPLICIT = 21;
const baseTypes = new Map<number, IndexTagType>([
  [FANDOM, "fandom"],
  [OTHER_FANDOM, "fandom"],
  [FLUFF, "freeform"],
  [ANGST, "freeform"],
  [GEN, "rating"],
  [EXPLICIT, "rating"],
]);

describe("BrowseIndex", () => {
  it("exclusion beats inclusion", () => {
    const pair = new Pair(baseTypes);
    pair.upsert(doc(1, { tagIds: [FANDOM, FLUFF] }));
    pair.upsert(doc(2, { tagIds: [FANDOM] }));
    const r = pair.index.search(query({ include: [FLUFF], exclude: [FLUFF] }), true);
    assert.deepEqual(r.ids, []);
    assert.equal(r.total, 0);
    assert.deepEqual(r.facets.fandom, []);
    const r2 = pair.index.search(query({ include: [FANDOM], exclude: [FLUFF] }), true);
    assert.deepEqual(r2.ids, [2]);
  });

  it("hides restricted works from guests in ids, total and facets", () => {
    const pair = new Pair(baseTypes);
    pair.upsert(doc(1, { tagIds: [FANDOM, FLUFF], restricted: true }));
    pair.upsert(doc(2, { tagIds: [FANDOM, ANGST] }));
    for (const facetStrategy of ["walk", "bounded"] as const) {
      const index = new BrowseIndex(baseTypes, { facetStrategy });
      for (const d of pair.docs.values()) index.upsert(d);
      const guest = index.search(query({ include: [FANDOM] }), false);
      assert.deepEqual(guest.ids, [2]);
      assert.equal(guest.total, 1);
      assert.deepEqual(guest.facets.freeform, [{ tagId: ANGST, count: 1 }]);
      assert.deepEqual(guest.facets.fandom, [{ tagId: FANDOM, count: 1 }]);
      const member = index.search(query({ include: [FANDOM], sort: "title" }), true);
      assert.deepEqual(member.ids, [2, 1]);
      assert.equal(member.total, 2);
      assert.deepEqual(member.facets.freeform, [
        { tagId: FLUFF, count: 1 },
        { tagId: ANGST, count: 1 },
      ]);
      assert.equal(index.search(query({ restrict: [1] }), false).total, 0);
    }
  });

  it("breaks ties by id: ascending, and descending when descending", () => {
    for (const pageStrategy of ["walk", "select"] as const) {
      const index = new BrowseIndex(baseTypes, { pageStrategy });
      for (const id of [5, 3, 9, 1]) index.upsert(doc(id, { words: 500 }));
      index.upsert(doc(7, { words: 100 }));
      const asc = index.search(query({ sort: "words", descending: false }), true);
      assert.deepEqual(asc.ids, [7, 1, 3, 5, 9]);
      const desc = index.search(query({ sort: "words", descending: true }), true);
      assert.deepEqual(desc.ids, [9, 5, 3, 1, 7]);
      const page2 = index.search(
        query({ sort: "words", descending: true, pageSize: 2, page: 2 }),
        true,
      );
      assert.deepEqual(page2.ids, [3, 1]);
    }
  });

  it("upsert replaces a work's tags, attributes and sort keys", () => {
    const pair = new Pair(baseTypes);
    pair.upsert(doc(1, { tagIds: [FANDOM, FLUFF], words: 10 }));
    pair.upsert(doc(2, { tagIds: [FANDOM, FLUFF], words: 20 }));
    pair.index.prepare();
    pair.upsert(doc(1, { tagIds: [FANDOM, ANGST], words: 30, restricted: true }));
    const fluff = pair.index.search(query({ include: [FLUFF] }), true);
    assert.deepEqual(fluff.ids, [2]);
    const all = pair.index.search(query({ sort: "words" }), true);
    assert.deepEqual(all.ids, [1, 2]);
    assert.deepEqual(all.facets.freeform, [
      { tagId: FLUFF, count: 1 },
      { tagId: ANGST, count: 1 },
    ]);
    assert.deepEqual(pair.index.search(query({ include: [ANGST] }), false).ids, []);
    pair.check(query({ include: [FANDOM] }), true);
  });

  it("forgets removed works, and takes them back", () => {
    const pair = new Pair(baseTypes);
    for (let id = 1; id <= 5; id++) pair.upsert(doc(id, { tagIds: [FANDOM], revisedAt: id }));
    pair.index.prepare();
    pair.remove(3);
    pair.remove(42); // unknown: a no-op
    assert.equal(pair.index.size, 4);
    const r = pair.index.search(query({ include: [FANDOM] }), true);
    assert.deepEqual(r.ids, [5, 4, 2, 1]);
    assert.deepEqual(r.facets.fandom, [{ tagId: FANDOM, count: 4 }]);
    pair.upsert(doc(3, { tagIds: [FANDOM], revisedAt: 10 }));
    assert.deepEqual(pair.index.search(query(), true).ids, [3, 5, 4, 2, 1]);
  });

  it("keeps re-added works in place when a merge runs mid-batch", () => {
    // Work 7's old entry sits in the middle of the "words" order; re-added with a new key in
    // the same batch as works 1 and 2, whose insertion triggers a merge before 7's own, it
    // must not steer the merge's binary search (it is marked removed, so it is dropped).
    const pair = new Pair(baseTypes, { pageStrategy: "walk", deltaCap: 1, incrementalMax: 100 });
    for (let id = 1; id <= 11; id++) pair.upsert(doc(id, { words: 10 * id }));
    pair.index.prepare();
    for (const id of [1, 2, 7]) pair.remove(id);
    pair.upsert(doc(1, { words: 35 }));
    pair.upsert(doc(2, { words: 36 }));
    pair.upsert(doc(7, { words: 0 }));
    for (const descending of [false, true]) {
      pair.check(query({ sort: "words", descending, pageSize: 20 }), true);
    }
  });

  it("returns an empty page beyond the end, with the total", () => {
    const index = new BrowseIndex(baseTypes);
    for (let id = 1; id <= 45; id++) index.upsert(doc(id, { tagIds: [FANDOM] }));
    const last = index.search(query({ page: 3 }), true);
    assert.equal(last.ids.length, 5);
    const beyond = index.search(query({ page: 4 }), true);
    assert.deepEqual(beyond.ids, []);
    assert.equal(beyond.total, 45);
    assert.deepEqual(index.search(query({ page: 1_000_000 }), true).ids, []);
  });

  it("moves a tag between facet types", () => {
    const pair = new Pair(baseTypes, { facetStrategy: "bounded", anchorMin: 1 });
    pair.upsert(doc(1, { tagIds: [FANDOM, OTHER_FANDOM, FLUFF] }));
    pair.upsert(doc(2, { tagIds: [FANDOM, FLUFF, 99] }));
    pair.check(query({ include: [FANDOM] }), true);
    pair.setTagType(99, "character");
    pair.setTagType(FLUFF, "fandom");
    pair.check(query({ include: [FANDOM] }), true);
    pair.check(query({ include: [FLUFF] }), true);
    pair.setTagType(FLUFF, "media");
    pair.check(query({ include: [FANDOM] }), true);
  });

  it("stores tag lists whose slots lie far apart", () => {
    // Slots are dense tag numbers; gaps of 65,535 or more are escaped in the tag pool.
    const types = new Map<number, IndexTagType>();
    for (let t = 1; t <= 140_000; t++) types.set(t, t % 2 ? "freeform" : "character");
    for (const facetStrategy of ["walk", "bounded"] as const) {
      const pair = new Pair(types, { facetStrategy, anchorMin: 2 });
      pair.upsert(doc(1, { tagIds: [1, 65_536, 65_537, 139_999, 140_000] }));
      pair.upsert(doc(2, { tagIds: [2, 65_537, 131_073] }));
      pair.upsert(doc(3, { tagIds: [65_537, 70_000] }));
      pair.check(query(), true);
      pair.check(query({ include: [65_537] }), true);
      pair.upsert(doc(1, { tagIds: [3, 140_000] }));
      pair.remove(2);
      pair.check(query(), true);
      pair.check(query({ include: [140_000] }), true);
    }
  });

  it("reads single-chapter and crossover as their flags", () => {
    const pair = new Pair(baseTypes);
    pair.upsert(doc(1, { chapters: 1, fandomCount: 2 }));
    pair.upsert(doc(2, { chapters: 3, fandomCount: 1 }));
    assert.deepEqual(pair.index.search(query({ singleChapter: true }), true).ids, [1]);
    assert.deepEqual(pair.index.search(query({ singleChapter: false }), true).ids, [2]);
    assert.deepEqual(pair.index.search(query({ crossover: "only" }), true).ids, [1]);
    assert.deepEqual(pair.index.search(query({ crossover: "exclude" }), true).ids, [2]);
  });

  it("rejects bad pages and bad documents", () => {
    const index = new BrowseIndex(baseTypes);
    assert.throws(() => index.search(query({ page: 0 }), true), RangeError);
    assert.throws(() => index.search(query({ pageSize: 0 }), true), RangeError);
    assert.throws(() => index.upsert(doc(0)), RangeError);
    assert.throws(() => index.upsert(doc(2 ** 31)), RangeError);
    assert.throws(() => index.upsert(doc(1, { words: -1 })), RangeError);
    assert.throws(() => index.upsert(doc(1, { revisedAt: NaN })), RangeError);
  });

  it("keeps a query's facets across pages and count changes, not across other writes", () => {
    const pair = new Pair(baseTypes);
    pair.upsert(doc(1, { tagIds: [FANDOM, FLUFF] }));
    pair.upsert(doc(2, { tagIds: [FANDOM, ANGST] }));
    const q = query({ include: [FANDOM], pageSize: 1 });
    pair.check(q, true);
    const first = pair.index.search(q, true).facets;
    // Another page and sort of the same filters: the same counts, not counted again.
    assert.equal(pair.index.search({ ...q, page: 2, sort: "title" }, true).facets, first);
    const counts = { kudos: 5, hits: 9, comments: 0, bookmarks: 0 };
    pair.index.setCounts(1, counts);
    pair.docs.set(1, { ...pair.docs.get(1)!, ...counts });
    assert.equal(pair.index.search(q, true).facets, first);
    // Each write that can change which works match is seen at once (checked by the reference).
    pair.upsert(doc(3, { tagIds: [FANDOM, FLUFF] }));
    pair.check(q, true);
    assert.notEqual(pair.index.search(q, true).facets, first);
    pair.upsert(doc(1, { tagIds: [FANDOM, ANGST] }));
    pair.check(q, true);
    pair.remove(2);
    pair.check(q, true);
    pair.setTagType(ANGST, "character");
    pair.check(q, true);
    pair.check(query({ include: [FANDOM], kudos: { min: 1 } }), true);
  });
});
