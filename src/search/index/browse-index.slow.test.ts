// The browse index's slow tiers: random corpora, writes and queries against the plain
// reference under several tunings (fast-check), and a 20,000-work corpus. `npm test` runs them;
// `npm test -- --fast` leaves them out while working.
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  FACET_TYPES,
  SORT_KEYS,
  type BrowseIndexTuning,
  type BrowseQuery,
  type IndexTagType,
  type WorkDoc,
} from "./browse-types.ts";
import { doc, Pair, query } from "./browse-index.reference.ts";

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
