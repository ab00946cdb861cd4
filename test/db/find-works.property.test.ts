/**
 * Property: for random filter combinations, viewers and saved exclusions on a random small
 * corpus, a listing (findWorks: catalog + visibility + SQL around it) equals a naive filter
 * written from the rules, over rows read by a different query path. Ids, order, total,
 * hidden count and every facet must agree.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Db } from "../../src/core/db/index.ts";
import { NO_EXCLUSIONS, type Viewer } from "../../src/core/viewer.ts";
import { loadDemoCorpus } from "../../src/demo/seed.ts";
import { FACET_TYPES, SORT_KEYS, type SortKey } from "../../src/search/index/browse-types.ts";
import { WorkCatalog } from "../../src/search/index/catalog.ts";
import { findWorks } from "../../src/search/listings/find-works.ts";
import { loadWorkRows, tagTypes, type WorkRow } from "../../src/search/index/index-queries.ts";
import { sortKey } from "../../src/search/index/sort-key.ts";
import type { WorkSearch } from "../../src/search/listings/work-search-params.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

const CHEAP = { memoryCost: 256, timeCost: 1 };
const PAGE = 5;

interface Model {
  works: (WorkRow & { userIds: number[] })[];
  types: Map<number, string>;
  tagPool: number[];
  userIds: number[];
}

async function model(db: Db): Promise<Model> {
  const rows = await loadWorkRows(db, { afterId: 0, limit: 1_000_000 });
  const creators = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select(["creatorships.work_id", "pseuds.user_id"])
    .execute();
  const types = new Map([...(await tagTypes(db))].map(([id, t]) => [id, t as string]));
  const works = rows.map((r) => ({
    ...r,
    userIds: creators.filter((c) => c.work_id === r.id).map((c) => c.user_id),
  }));
  const tagPool = [...new Set(works.flatMap((w) => w.tagIds))].sort((a, b) => a - b);
  const userIds = [...new Set(works.flatMap((w) => w.userIds))].sort((a, b) => a - b);
  return { works, types, tagPool, userIds };
}

const keyOf = (w: WorkRow, sort: SortKey): number | string => {
  switch (sort) {
    case "revised":
      return w.revisedAt;
    case "published":
      return w.publishedAt;
    case "title":
      return sortKey(w.title);
    case "creator":
      return sortKey(w.creator);
    case "words":
      return w.words;
    case "kudos":
    case "hits":
    case "comments":
    case "bookmarks":
      return 0; // none counted yet
  }
};

function naive(m: Model, viewer: Viewer, s: WorkSearch, applyExclusions: boolean) {
  const hiddenTags = applyExclusions ? (viewer.user?.exclusions.tagIds ?? []) : [];
  const muted = applyExclusions ? (viewer.user?.exclusions.userIds ?? []) : [];
  const base = m.works.filter(
    (w) =>
      (viewer.user || !w.restricted) &&
      s.include.every((t) => w.tagIds.includes(t)) &&
      !s.exclude.some((t) => w.tagIds.includes(t)) &&
      (s.complete === undefined || w.complete === s.complete) &&
      (s.crossover === undefined || (s.crossover === "only") === w.fandomCount > 1) &&
      (!s.singleChapter || w.chapters === 1) &&
      (s.words.min === undefined || w.words >= s.words.min) &&
      (s.words.max === undefined || w.words <= s.words.max),
  );
  const matched = base.filter(
    (w) =>
      !hiddenTags.some((t) => w.tagIds.includes(t)) && !w.userIds.some((u) => muted.includes(u)),
  );
  const sort = s.sort as SortKey;
  const sorted = [...matched].sort((a, b) => {
    const ka = keyOf(a, sort);
    const kb = keyOf(b, sort);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return s.descending ? -c : c;
  });
  const facets = Object.fromEntries(
    FACET_TYPES.map((type) => {
      const counts = new Map<number, number>();
      for (const w of matched)
        for (const t of w.tagIds)
          if (m.types.get(t) === type) counts.set(t, (counts.get(t) ?? 0) + 1);
      const top = [...counts]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, 10)
        .map(([tagId, count]) => ({ tagId, count }));
      return [type, top];
    }),
  );
  const anyRule = hiddenTags.length > 0 || muted.length > 0;
  return {
    ids: sorted.slice((s.page - 1) * PAGE, s.page * PAGE).map((w) => w.id),
    total: matched.length,
    hidden: anyRule ? base.length - matched.length : 0,
    facets,
  };
}

describeEachEngine("listings equal a naive filter (property)", (engine) => {
  test("random filters, sorts, pages, viewers and exclusions", async () => {
    const h = await openTestDb(engine);
    try {
      await loadDemoCorpus(h.db, engine, {
        works: 80,
        users: 6,
        bodies: "none",
        passwordHashCost: CHEAP,
        now: Date.UTC(2026, 5, 1),
        mode: "bulk",
      });
      await buildWork(h.db, { action: "draft", fandoms: "Draft Only Fandom" });
      const catalog = await WorkCatalog.open(h.db, engine);
      const m = await model(h.db);
      const words = m.works.map((w) => w.words).sort((a, b) => a - b);
      const tag = fc.constantFrom(...m.tagPool);
      const user = fc.constantFrom(...m.userIds);
      const arb = fc.record({
        include: fc.uniqueArray(tag, { maxLength: 2 }),
        exclude: fc.uniqueArray(tag, { maxLength: 2 }),
        complete: fc.option(fc.boolean(), { nil: undefined }),
        crossover: fc.option(fc.constantFrom("only" as const, "exclude" as const), {
          nil: undefined,
        }),
        single: fc.boolean(),
        wordsMin: fc.option(fc.constantFrom(...words), { nil: undefined }),
        wordsMax: fc.option(fc.constantFrom(...words), { nil: undefined }),
        sort: fc.constantFrom(...SORT_KEYS),
        descending: fc.boolean(),
        page: fc.integer({ min: 1, max: 3 }),
        loggedIn: fc.boolean(),
        hiddenTags: fc.uniqueArray(tag, { maxLength: 2 }),
        muted: fc.uniqueArray(user, { maxLength: 1 }),
        applyExclusions: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(arb, async (a) => {
          const viewer: Viewer = a.loggedIn
            ? {
                user: {
                  id: 999_999,
                  login: "reader",
                  roles: new Set(),
                  viewAdult: true,
                  exclusions: { tagIds: a.hiddenTags, userIds: a.muted },
                  unreadNotifications: 0,
                  suspendedUntil: null,
                },
                adultConsent: false,
              }
            : { user: null, adultConsent: false };
          const search: WorkSearch = {
            query: "",
            include: a.include,
            exclude: a.exclude,
            includeNames: [],
            excludeNames: [],
            words: {
              ...(a.wordsMin !== undefined ? { min: a.wordsMin } : {}),
              ...(a.wordsMax !== undefined ? { max: a.wordsMax } : {}),
            },
            revised: {},
            kudos: {},
            hits: {},
            comments: {},
            bookmarks: {},
            sort: a.sort,
            descending: a.descending,
            page: a.page,
            ...(a.complete !== undefined ? { complete: a.complete } : {}),
            ...(a.crossover ? { crossover: a.crossover } : {}),
            ...(a.single ? { singleChapter: true } : {}),
          };
          const got = await findWorks({ db: h.db, catalog }, viewer, { kind: "all" }, search, {
            exclusions: a.applyExclusions,
            pageSize: PAGE,
          });
          const want = naive(m, viewer, search, a.applyExclusions);
          assert.deepEqual(got.ids, want.ids);
          assert.equal(got.total, want.total);
          assert.equal(got.hidden, want.hidden);
          for (const type of FACET_TYPES) {
            assert.deepEqual(
              got.facets[type].map((f) => ({ tagId: f.tag.id, count: f.count })),
              want.facets[type],
              type,
            );
          }
        }),
        { numRuns: 60, seed: 20261123 },
      );
      // Sanity: the corpus exercises what the property claims to.
      assert.ok(
        m.works.some((w) => w.restricted),
        "some restricted works",
      );
      assert.ok(
        m.works.some((w) => w.fandomCount > 1),
        "some crossovers",
      );
      assert.equal(NO_EXCLUSIONS.tagIds.length, 0);
    } finally {
      await h.close();
    }
  });
});
