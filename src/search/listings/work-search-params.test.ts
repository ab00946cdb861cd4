import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import qs from "qs";
import {
  parseWorkSearch,
  SearchParamError,
  searchParameterNames,
  SORTS,
  workSearchQueryString,
  type WorkSearch,
} from "./work-search-params.ts";

const parse = (query: string) => parseWorkSearch(qs.parse(query, { depth: 3, arrayLimit: 100 }));

test("an AO3 work search address reads as the same search", () => {
  const s = parse(
    "work_search%5Bsort_column%5D=kudos_count&work_search%5Bsort_direction%5D=asc&work_search%5Bcomplete%5D=T" +
      "&work_search%5Bwords_from%5D=1%2C000&work_search%5Bwords_to%5D=50000&work_search%5Blanguage_id%5D=en" +
      "&work_search%5Bcrossover%5D=F&work_search%5Bdate_from%5D=2024-01-01&work_search%5Bquery%5D=slow+burn" +
      "&include_work_search%5Brating_ids%5D%5B%5D=13&include_work_search%5Bfreeform_ids%5D%5B%5D=7&include_work_search%5Bfreeform_ids%5D%5B%5D=9" +
      "&exclude_work_search%5Barchive_warning_ids%5D%5B%5D=20&work_search%5Bother_tag_names%5D=Fluff%2CAngst&page=3",
  );
  assert.equal(s.sort, "kudos");
  assert.equal(s.descending, false);
  assert.equal(s.complete, true);
  assert.deepEqual(s.words, { min: 1000, max: 50000 });
  assert.equal(s.language, "en");
  assert.equal(s.crossover, "exclude");
  assert.equal(s.revised.from, Date.UTC(2024, 0, 1));
  assert.equal(s.query, "slow burn");
  assert.deepEqual(s.include.sort(), [13, 7, 9].sort());
  assert.deepEqual(s.exclude, [20]);
  assert.deepEqual(s.includeNames, ["Fluff", "Angst"]);
  assert.equal(s.page, 3);
});

test("short parameters, defaults, and the short form winning over AO3's", () => {
  const s = parse(
    "include=1,2&exclude=3&sort=words&complete=false&single_chapter=true&work_search[sort_column]=hits",
  );
  assert.deepEqual(s.include, [1, 2]);
  assert.deepEqual(s.exclude, [3]);
  assert.equal(s.sort, "words");
  assert.equal(s.descending, true);
  assert.equal(s.complete, false);
  assert.equal(s.singleChapter, true);
  const d = parse("");
  assert.equal(d.sort, "revised");
  assert.equal(d.descending, true);
  assert.equal(d.page, 1);
  assert.equal(parse("q=tea").sort, "best");
  assert.equal(parse("sort=title").descending, false);
});

test("bad values name the parameter", () => {
  const bad = (query: string, field: RegExp) =>
    assert.throws(
      () => parse(query),
      (e: unknown) => e instanceof SearchParamError && field.test(e.message),
    );
  bad("include=abc", /Parameter "include"/);
  bad("include_work_search[fandom_ids][]=x", /include_work_search\[fandom_ids\]/);
  bad("sort=popularity", /Parameter "sort"/);
  bad("dir=up", /Parameter "dir"/);
  bad("words_from=lots", /Parameter "words_from"/);
  bad("date_to=yesterday", /Parameter "date_to"/);
  bad("complete=maybe", /Parameter "complete"/);
  bad("page=0", /Parameter "page"/);
  bad("page=abc", /Parameter "page"/);
  bad("page=-2", /Parameter "page"/);
  bad("page=1.5", /Parameter "page"/);
  bad("language=<script>", /Parameter "language"/);
  bad(`q=${"x".repeat(1001)}`, /Parameter "q"/);
});

test("a page past the deepest served is a page number, not an error (issue 11)", () => {
  // The listing answers it with a page that asks for narrower filters.
  assert.equal(parse("page=5001").page, 5001);
  assert.equal(parse("page=99,999").page, 99_999);
  assert.equal(parse(`page=${"9".repeat(40)}`).page, Number.MAX_SAFE_INTEGER);
});

test("an AO3 parameter's error names it as it was sent", () => {
  assert.throws(() => parse("work_search[sort_column]=popular"), /"work_search\[sort_column\]"/);
  assert.throws(() => parse("work_search[sort_direction]=up"), /"work_search\[sort_direction\]"/);
  assert.throws(
    () => parse("work_search[kudos_count_from]=x"),
    /"work_search\[kudos_count_from\]"/,
  );
});

test("prototype names as values or keys of any parameter: a SearchParamError or a search", () => {
  const names = [...Object.getOwnPropertyNames(Object.prototype), "__proto__", "prototype"];
  for (const param of searchParameterNames()) {
    for (const name of names) {
      const key = param.endsWith("[]") ? `${param.slice(0, -2)}[${name}][]` : `${param}[${name}]`;
      for (const query of [`${param}=${name}`, `${key}=1`]) {
        try {
          const s = parse(query);
          assert.ok(SORTS.includes(s.sort), query);
        } catch (e) {
          assert.ok(e instanceof SearchParamError, `${query}: ${String(e)}`);
        }
      }
    }
  }
  // Built by hand, past qs (which drops such keys): own properties only.
  const raw = JSON.parse(
    '{"__proto__": {"sort": "kudos"}, "work_search": {"__proto__": "x"}}',
  ) as Record<string, unknown>;
  assert.equal(parseWorkSearch(raw).sort, "revised");
  const inherited = Object.create({ sort: "kudos" }) as Record<string, unknown>;
  assert.equal(parseWorkSearch(inherited).sort, "revised");
});

test("property: the short address Fanfold writes reads back as the same search", () => {
  const range = fc
    .record({
      min: fc.option(fc.nat(100_000), { nil: undefined }),
      max: fc.option(fc.nat(100_000), { nil: undefined }),
    })
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
  const search = fc.record({
    query: fc.constantFrom("", "tea", "slow burn"),
    include: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 4 }),
    exclude: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 4 }),
    includeNames: fc.constant([] as string[]),
    excludeNames: fc.constant([] as string[]),
    words: range,
    revised: fc.constant({}),
    kudos: range,
    hits: range,
    comments: range,
    bookmarks: range,
    sort: fc.constantFrom(...SORTS),
    descending: fc.boolean(),
    page: fc.integer({ min: 1, max: 5_000 }),
  });
  fc.assert(
    fc.property(search, fc.option(fc.boolean(), { nil: undefined }), (s, complete) => {
      const original = { ...s, ...(complete === undefined ? {} : { complete }) } as WorkSearch;
      assert.deepEqual(parse(workSearchQueryString(original)), original);
    }),
  );
});
