// Test support for the browse index: the same semantics written plainly (the reference), and
// a pair that runs every write and query on both and compares. Used by browse-index.test.ts
// (hand-written cases) and browse-index.slow.test.ts (the property and 20,000-work tiers).
import assert from "node:assert/strict";
import { BrowseIndex } from "./browse-index.ts";
import {
  FACET_TYPES,
  type BrowseIndexTuning,
  type BrowseQuery,
  type BrowseResult,
  type IndexTagType,
  type SortKey,
  type WorkDoc,
} from "./browse-types.ts";

// --- the reference: the same semantics, written plainly -----------------------------------

export function sortValue(d: WorkDoc, key: SortKey): number | string {
  switch (key) {
    case "revised":
      return d.revisedAt;
    case "published":
      return d.publishedAt;
    case "title":
      return d.titleKey;
    case "creator":
      return d.creatorKey;
    case "words":
      return d.words;
    case "kudos":
      return d.kudos;
    case "hits":
      return d.hits;
    case "comments":
      return d.comments;
    case "bookmarks":
      return d.bookmarks;
  }
}

export const inRange = (v: number, lo?: number, hi?: number) =>
  (lo === undefined || v >= lo) && (hi === undefined || v <= hi);

export function reference(
  docs: Map<number, WorkDoc>,
  types: Map<number, IndexTagType>,
  q: BrowseQuery,
  loggedIn: boolean,
): BrowseResult {
  const matches = [...docs.values()].filter(
    (d) =>
      (loggedIn || !d.restricted) &&
      q.include.every((t) => d.tagIds.includes(t)) &&
      !q.exclude.some((t) => d.tagIds.includes(t)) &&
      (q.complete === undefined || d.complete === q.complete) &&
      (q.singleChapter === undefined || (d.chapters === 1) === q.singleChapter) &&
      (q.crossover === undefined || d.fandomCount > 1 === (q.crossover === "only")) &&
      (q.language === undefined || d.language === q.language) &&
      inRange(d.words, q.words?.min, q.words?.max) &&
      inRange(d.revisedAt, q.revised?.from, q.revised?.to) &&
      inRange(d.publishedAt, q.published?.from, q.published?.to) &&
      inRange(d.kudos, q.kudos?.min, q.kudos?.max) &&
      inRange(d.hits, q.hits?.min, q.hits?.max) &&
      inRange(d.comments, q.comments?.min, q.comments?.max) &&
      inRange(d.bookmarks, q.bookmarks?.min, q.bookmarks?.max) &&
      (q.restrict == null || q.restrict.includes(d.id)),
  );
  matches.sort((a, b) => {
    const x = sortValue(a, q.sort);
    const y = sortValue(b, q.sort);
    const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return q.descending ? -c : c;
  });
  const skip = (q.page - 1) * q.pageSize;
  const ids = matches.slice(skip, skip + q.pageSize).map((d) => d.id);
  const facets = Object.fromEntries(
    FACET_TYPES.map((t) => [t, [] as { tagId: number; count: number }[]]),
  ) as BrowseResult["facets"];
  if (q.facets) {
    const counts = new Map<number, number>();
    for (const d of matches) {
      for (const t of new Set(d.tagIds)) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const type of FACET_TYPES) {
      facets[type] = [...counts]
        .filter(([t]) => types.get(t) === type)
        .map(([tagId, count]) => ({ tagId, count }))
        .sort((a, b) => b.count - a.count || a.tagId - b.tagId)
        .slice(0, 10);
    }
  }
  return { ids, total: matches.length, facets };
}

// --- helpers --------------------------------------------------------------------------------

export function doc(id: number, over: Partial<WorkDoc> = {}): WorkDoc {
  return {
    id,
    tagIds: [],
    fandomCount: 1,
    restricted: false,
    complete: true,
    chapters: 1,
    words: 1000,
    language: "en",
    revisedAt: 1_700_000_000_000,
    publishedAt: 1_700_000_000_000,
    titleKey: `title ${id}`,
    creatorKey: "someone",
    kudos: 0,
    hits: 0,
    comments: 0,
    bookmarks: 0,
    ...over,
  };
}

export function query(over: Partial<BrowseQuery> = {}): BrowseQuery {
  return {
    include: [],
    exclude: [],
    sort: "revised",
    descending: true,
    page: 1,
    pageSize: 20,
    facets: true,
    ...over,
  };
}

/** An index and its plain model, kept in step. */
export class Pair {
  readonly index: BrowseIndex;
  readonly docs = new Map<number, WorkDoc>();
  readonly types: Map<number, IndexTagType>;

  constructor(types: Map<number, IndexTagType>, tuning: Partial<BrowseIndexTuning> = {}) {
    this.types = new Map(types);
    this.index = new BrowseIndex(types, tuning);
  }
  upsert(d: WorkDoc) {
    this.docs.set(d.id, d);
    this.index.upsert(d);
  }
  remove(id: number) {
    this.docs.delete(id);
    this.index.remove(id);
  }
  setTagType(tagId: number, type: IndexTagType) {
    this.types.set(tagId, type);
    this.index.setTagType(tagId, type);
  }
  check(q: BrowseQuery, loggedIn: boolean) {
    const got = this.index.search(q, loggedIn);
    const want = reference(this.docs, this.types, q, loggedIn);
    assert.deepEqual(got, want, JSON.stringify({ q, loggedIn }));
    assert.equal(this.index.size, this.docs.size);
  }
}
