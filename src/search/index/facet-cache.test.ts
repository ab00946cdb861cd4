import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BrowseQuery } from "./browse-types.ts";
import { FacetCache } from "./facet-cache.ts";

/** A query as listings build it: every range passed, open unless the reader set it. */
const listing = (over: Partial<BrowseQuery> = {}): BrowseQuery => ({
  include: [35],
  exclude: [823, 841],
  excludeWorks: [],
  restrict: null,
  sort: "kudos",
  descending: true,
  page: 1,
  pageSize: 20,
  facets: true,
  words: {},
  revised: {},
  kudos: {},
  hits: {},
  comments: {},
  bookmarks: {},
  ...over,
});

describe("FacetCache.keyOf", () => {
  const cache = new FacetCache();

  it("keeps a listing's facets when its count ranges are open", () => {
    assert.notEqual(cache.keyOf(listing(), [3], false), null);
  });

  it("keys on the filters, not the sort or the page", () => {
    const a = cache.keyOf(listing(), [3], false);
    assert.equal(cache.keyOf(listing({ sort: "title", page: 4 }), [3], false), a);
    assert.notEqual(cache.keyOf(listing({ exclude: [823] }), [3], false), a);
    assert.notEqual(cache.keyOf(listing(), [3], true), a);
    assert.notEqual(cache.keyOf(listing({ words: { min: 1000 } }), [3], false), a);
  });

  it("keeps nothing when counts filter (they change without clearing the cache)", () => {
    for (const range of ["kudos", "hits", "comments", "bookmarks"] as const) {
      assert.equal(cache.keyOf(listing({ [range]: { min: 1 } }), [3], false), null, range);
      assert.equal(cache.keyOf(listing({ [range]: { max: 9 } }), [3], false), null, range);
    }
  });

  it("keeps nothing for a candidate set", () => {
    assert.equal(cache.keyOf(listing({ restrict: [1, 2, 3] }), [3], false), null);
  });
});
