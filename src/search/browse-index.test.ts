import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BrowseIndex,
  FACET_TYPES,
  SORT_KEYS,
  type BrowseIndexTuning,
  type BrowseQuery,
  type BrowseResult,
  type IndexTagType,
  type SortKey,
  type WorkDoc,
} from "./browse-index.ts";

// --- the reference: the same semantics, written plainly -----------------------------------

function sortValue(d: WorkDoc, key: SortKey): number | string {
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

const inRange = (v: number, lo?: number, hi?: number) =>
  (lo === undefined || v >= lo) && (hi === undefined || v <= hi);

function reference(
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

function doc(id: number, over: Partial<WorkDoc> = {}): WorkDoc {
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

function query(over: Partial<BrowseQuery> = {}): BrowseQuery {
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
class Pair {
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

const TYPES: IndexTagType[] = [...FACET_TYPES, "media"];

// --- the property ---------------------------------------------------------------------------

// 120 tags: 5 ratings, 4 warnings, 3 categories, 8 fandoms, 25 relationships, 30 characters,
// 40 freeforms, 5 media (types occasionally shuffled or missing), popularity skewed, so that
// top-ten lists fill up and the bounded facet search has to stop early.
const TAG_IDS = Array.from({ length: 120 }, (_, i) => 3 + i * 7);
const BANDS: [IndexTagType, number][] = [
  ["rating", 5],
  ["warning", 4],
  ["category", 3],
  ["fandom", 8],
  ["relationship", 25],
  ["character", 30],
  ["freeform", 40],
  ["media", 5],
];
const band = (type: IndexTagType) => {
  let from = 0;
  for (const [t, n] of BANDS) {
    if (t === type) return TAG_IDS.slice(from, from + n);
    from += n;
  }
  return [];
};
const UNKNOWN_TAG = 9_999;
/** A tag of the list, the first ones much more often. */
const skewed = (tags: number[]) =>
  fc.integer({ min: 0, max: 9_999 }).map((x) => tags[Math.floor(tags.length * (x / 10_000) ** 2)]!);
const tagArb = skewed(TAG_IDS);
/** Present one time in `1 / (1 + odds)`. */
const rarely = <T>(a: fc.Arbitrary<T>, odds = 4) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: odds }, { arbitrary: a, weight: 1 });
const small = fc.integer({ min: 0, max: 4 });
const countRange = rarely(
  fc.record({ min: rarely(small, 1), max: rarely(small, 1) }, { requiredKeys: [] }),
);
const stringKey = fc
  .tuple(
    fc.constantFrom("", "aaaaaaaa", "aaaaaaab", "b"),
    fc.string({ unit: fc.constantFrom("a", "b", "é", "\u{1F600}", "\uffee"), maxLength: 3 }),
  )
  .map(([a, b]) => a + b);

const docArb = (ids: fc.Arbitrary<number>) =>
  fc.record({
    id: ids,
    tagIds: fc
      .tuple(
        skewed(band("rating")),
        fc.array(skewed(band("warning")), { maxLength: 2 }),
        fc.array(skewed(band("fandom")), { minLength: 1, maxLength: 2 }),
        fc.array(skewed(TAG_IDS.slice(12)), { maxLength: 14, size: "max" }),
        rarely(fc.constant(UNKNOWN_TAG)),
      )
      .map(([r, w, f, rest, u]) => [r, ...w, ...f, ...rest, ...(u ? [u] : [])]),
    fandomCount: fc.integer({ min: 0, max: 3 }),
    restricted: fc.boolean(),
    complete: fc.boolean(),
    chapters: fc.integer({ min: 1, max: 3 }),
    words: small.map((x) => x * 100),
    language: fc.constantFrom("en", "fr", "de"),
    revisedAt: small.map((x) => 1.7e12 + x * 86_400_000),
    publishedAt: fc.integer({ min: -3, max: 3 }).map((x) => x * 1_000.5),
    titleKey: stringKey,
    creatorKey: stringKey,
    kudos: small,
    hits: small,
    comments: small,
    bookmarks: small,
  });

const queryArb: fc.Arbitrary<BrowseQuery> = fc.record({
  include: fc.array(fc.oneof({ arbitrary: tagArb, weight: 30 }, fc.constant(UNKNOWN_TAG)), {
    maxLength: 3,
  }),
  exclude: fc.array(fc.oneof({ arbitrary: tagArb, weight: 30 }, fc.constant(UNKNOWN_TAG)), {
    maxLength: 3,
  }),
  complete: rarely(fc.boolean()),
  singleChapter: rarely(fc.boolean()),
  crossover: rarely(fc.constantFrom("only" as const, "exclude" as const)),
  language: rarely(fc.constantFrom("en", "fr", "xx")),
  words: rarely(
    fc.record(
      {
        min: rarely(
          small.map((x) => x * 100),
          1,
        ),
      },
      { requiredKeys: [] },
    ),
  ),
  revised: rarely(
    fc.record(
      {
        from: rarely(
          small.map((x) => 1.7e12 + x * 86_400_000),
          1,
        ),
        to: rarely(
          small.map((x) => 1.7e12 + x * 86_400_000),
          1,
        ),
      },
      { requiredKeys: [] },
    ),
  ),
  published: rarely(fc.record({ to: rarely(fc.constant(0), 1) }, { requiredKeys: [] })),
  kudos: countRange,
  hits: countRange,
  comments: countRange,
  bookmarks: countRange,
  restrict: fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 500, size: "max" }),
  ),
  sort: fc.constantFrom(...SORT_KEYS),
  descending: fc.boolean(),
  page: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 9 }, fc.constant(100)),
  pageSize: fc.integer({ min: 1, max: 30 }),
  facets: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
});

type Op =
  | { op: "upsert"; doc: WorkDoc }
  | { op: "remove"; id: number }
  | { op: "type"; tagId: number; type: IndexTagType }
  | { op: "search"; q: BrowseQuery; loggedIn: boolean }
  | { op: "prepare" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: docArb(fc.integer({ min: 1, max: 650 })).map((doc) => ({
      op: "upsert" as const,
      doc,
    })),
    weight: 4,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 650 }).map((id) => ({ op: "remove" as const, id })),
    weight: 2,
  },
  {
    arbitrary: fc.record({ tagId: tagArb, type: fc.constantFrom(...TYPES) }).map((r) => ({
      op: "type" as const,
      ...r,
    })),
    weight: 1,
  },
  {
    arbitrary: fc.record({ q: queryArb, loggedIn: fc.boolean() }).map((r) => ({
      op: "search" as const,
      ...r,
    })),
    weight: 6,
  },
  { arbitrary: fc.constant({ op: "prepare" as const }), weight: 1 },
);

const typesArb = fc
  .array(rarely(fc.oneof(fc.constantFrom(...TYPES), fc.constant(null)), 12), {
    minLength: TAG_IDS.length,
    maxLength: TAG_IDS.length,
  })
  .map((shuffled) => {
    const m = new Map<number, IndexTagType>();
    for (const [type] of BANDS) for (const t of band(type)) m.set(t, type);
    shuffled.forEach((t, i) => {
      if (t === null) m.delete(TAG_IDS[i]!);
      else if (t !== undefined) m.set(TAG_IDS[i]!, t);
    });
    return m;
  });

const TUNINGS: [string, Partial<BrowseIndexTuning>][] = [
  ["default tuning", {}],
  [
    "walk pages, bounded facets, tiny deltas",
    {
      pageStrategy: "walk",
      facetStrategy: "bounded",
      deltaCap: 3,
      incrementalMax: 2,
      anchorMin: 1,
    },
  ],
  ["select pages, walked facets", { pageStrategy: "select", facetStrategy: "walk" }],
  [
    "auto with tiny thresholds",
    { facetWalkMax: 4, facetWalkFallbackMax: 40, anchorMin: 10, deltaCap: 5, incrementalMax: 8 },
  ],
  [
    "walk pages, merge on every write",
    {
      pageStrategy: "walk",
      facetStrategy: "bounded",
      deltaCap: 1,
      incrementalMax: 400,
      anchorMin: 25,
    },
  ],
];

describe("BrowseIndex matches a plain reference", () => {
  for (const [name, tuning] of TUNINGS) {
    it(`random corpora, writes and queries (${name})`, () => {
      fc.assert(
        fc.property(
          typesArb,
          fc.uniqueArray(docArb(fc.integer({ min: 1, max: 650 })), {
            selector: (d) => d.id,
            maxLength: 300,
            size: "max",
          }),
          fc.boolean(),
          fc.array(opArb, { maxLength: 40, size: "max" }),
          (types, corpus, prepareFirst, ops) => {
            const pair = new Pair(types, tuning);
            for (const d of corpus) pair.upsert(d);
            if (prepareFirst) pair.index.prepare();
            for (const o of ops) {
              if (o.op === "upsert") pair.upsert(o.doc);
              else if (o.op === "remove") pair.remove(o.id);
              else if (o.op === "type") pair.setTagType(o.tagId, o.type);
              else if (o.op === "prepare") pair.index.prepare();
              else pair.check(o.q, o.loggedIn);
            }
            pair.check(query({ sort: "title", descending: false, pageSize: 1000 }), true);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});

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
});

// --- a larger corpus at the default tuning ----------------------------------------------------

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("BrowseIndex at 20,000 works", () => {
  const tunings: [string, Partial<BrowseIndexTuning>][] = [
    ["default tuning", {}],
    [
      "the default tuning scaled to 20,000 works",
      {
        facetWalkMax: 150,
        facetWalkFallbackMax: 600,
        anchorMin: 200,
        deltaCap: 64,
        incrementalMax: 16,
      },
    ],
  ];
  for (const [name, tuning] of tunings)
    it(`matches the reference through queries and writes (${name})`, () => {
      const rnd = mulberry32(7);
      const pick = (n: number) => Math.floor(n * Math.pow(rnd(), 2.5)); // skewed to small
      const types = new Map<number, IndexTagType>();
      // 0-4 ratings, 5-8 warnings, 9-11 categories, 12-21 fandoms, then the rest.
      const typeOf = (t: number): IndexTagType =>
        t < 5
          ? "rating"
          : t < 9
            ? "warning"
            : t < 12
              ? "category"
              : t < 22
                ? "fandom"
                : (["relationship", "character", "freeform", "media"] as const)[t % 4]!;
      for (let t = 0; t < 600; t++) types.set(t + 1, typeOf(t));
      const makeDoc = (id: number): WorkDoc => {
        const tags = new Set<number>([
          1 + pick(5),
          6 + pick(4),
          13 + pick(10),
          ...Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => 23 + pick(578)),
        ]);
        return doc(id, {
          tagIds: [...tags],
          restricted: rnd() < 0.15,
          complete: rnd() < 0.6,
          chapters: 1 + pick(5),
          words: Math.floor(rnd() * 50) * 100,
          language: rnd() < 0.9 ? "en" : "fr",
          revisedAt: 1.6e12 + Math.floor(rnd() * 2_000) * 3_600_000,
          publishedAt: 1.6e12 + Math.floor(rnd() * 2_000) * 3_600_000,
          titleKey: `t${Math.floor(rnd() * 5_000).toString(36)}`,
          creatorKey: `c${Math.floor(rnd() * 500)}`,
          kudos: pick(20),
        });
      };
      const pair = new Pair(types, tuning);
      for (let id = 1; id <= 20_000; id++) pair.upsert(makeDoc(id));
      pair.index.prepare();
      const popular = () => 1 + (rnd() < 0.5 ? pick(22) : pick(600));
      for (let round = 0; round < 120; round++) {
        if (round % 3 === 0) {
          for (let k = 0; k < 50; k++) {
            const id = 1 + Math.floor(rnd() * 21_000);
            if (rnd() < 0.2) pair.remove(id);
            else pair.upsert(makeDoc(id));
          }
        }
        const q = query({
          include: Array.from({ length: Math.floor(rnd() * 3) }, popular),
          exclude: Array.from({ length: Math.floor(rnd() * 3) }, popular),
          sort: SORT_KEYS[Math.floor(rnd() * SORT_KEYS.length)]!,
          descending: rnd() < 0.7,
          page: 1 + Math.floor(rnd() * 5),
          ...(rnd() < 0.2 ? { words: { min: 1_000 } } : {}),
          ...(rnd() < 0.2 ? { complete: true } : {}),
        });
        pair.check(q, rnd() < 0.5);
      }
    });
});
