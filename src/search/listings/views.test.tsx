import assert from "node:assert/strict";
import { test } from "node:test";
import { renderToString } from "preact-render-to-string";
import type { Tag } from "../../core/db/schema.ts";
import { limits } from "../../core/limits.ts";
import type { FoundWorks } from "./find-works.ts";
import { appliedFilters, listWords, PastTheEnd, type ListingProps } from "./views.tsx";
import { parseWorkSearch } from "./work-search-params.ts";

const tag = (id: number, name: string, type: Tag["type"] = "freeform") =>
  ({ id, name, type, merger_id: null }) as Tag;

function found(over: Partial<FoundWorks> = {}): FoundWorks {
  const facets = {
    rating: [],
    warning: [],
    category: [],
    fandom: [],
    relationship: [],
    character: [],
    freeform: [],
  };
  return {
    ids: [],
    works: [],
    total: 0,
    hidden: 0,
    pages: 0,
    capped: false,
    facets,
    included: [],
    excluded: [],
    notices: [],
    ...over,
  };
}

test("lists read as words: A, B and C", () => {
  assert.equal(listWords([]), "");
  assert.equal(listWords(["Angst"]), "Angst");
  assert.equal(listWords(["Angst", "Explicit"]), "Angst and Explicit");
  assert.equal(listWords(["A", "B", "C"]), "A, B and C");
});

test("the heading's words say every filter applied, with numbers formatted", () => {
  const fluff = tag(1, "Fluff");
  const angst = tag(2, "Angst");
  const explicit = tag(3, "Explicit", "rating");
  const search = parseWorkSearch({
    q: "dragon",
    complete: "true",
    crossover: "false",
    single_chapter: "true",
    language: "fr",
    words_from: "1000",
    words_to: "25000",
    kudos_from: "10",
    hits_to: "5000",
    date_from: "2026-01-02",
    date_to: "2026-01-31",
  });
  const f = { included: [fluff], excluded: [angst, explicit] };
  assert.equal(
    appliedFilters(search, f, { inScope: false, withQuery: true }),
    " in Fluff matching “dragon”, excluding Explicit and Angst, complete only, no crossovers," +
      " single-chapter only, in Français, 1,000–25,000 words, at least 10 kudos," +
      " at most 5,000 hits, updated 2026-01-02 to 2026-01-31",
  );
  // On a tag's page ("in Lighthouse Keepers"), included tags join it; the search page repeats
  // its query on its own line.
  assert.equal(
    appliedFilters(
      search,
      { included: [fluff], excluded: [] },
      { inScope: true, withQuery: false },
    ).split(",")[0],
    " and Fluff",
  );
  assert.equal(
    appliedFilters(
      parseWorkSearch({}),
      { included: [], excluded: [] },
      {
        inScope: false,
        withQuery: true,
      },
    ),
    "",
  );
  assert.equal(
    appliedFilters(parseWorkSearch({ complete: "false", date_to: "2026-03-01" }), f, {
      inScope: false,
      withQuery: true,
    }),
    " in Fluff, excluding Explicit and Angst, works in progress only, updated up to 2026-03-01",
  );
});

function pastTheEnd(page: number, f: FoundWorks) {
  const props = {
    title: "Works",
    suffix: "",
    path: "/works",
    search: parseWorkSearch({ page: String(page), sort: "title" }),
    found: f,
    works: [],
    exclusionsOff: false,
    empty: "No works match.",
  } satisfies ListingProps;
  return renderToString(
    <PastTheEnd {...props} pageHref={(n) => `/works?sort=title&page=${n}`} />,
  ).replace(/<[^>]+>/g, "");
}

test("a page past the deepest served asks for narrower filters and links the last page", () => {
  const text = pastTheEnd(
    limits.maxPage + 1,
    found({ total: 1_234_567, pages: limits.maxPage, capped: true }),
  );
  assert.match(text, /These results go deeper than Fanfold pages through\./);
  assert.match(text, /5,000 pages of 20 works \(100,000\s+works\), and 1,234,567 works match/);
  assert.match(text, /page 5,001\s+cannot be shown/);
  assert.match(text, /Narrow the filters/);
  assert.match(text, /Go to the last page shown \(5,000\)/);
});

test("a page past a short listing's end says how many pages there are", () => {
  assert.match(
    pastTheEnd(9, found({ total: 23, pages: 2 })),
    /Page 9 is past the end of this listing: it has 2 pages\.Go to the last page \(2\)/,
  );
  assert.match(pastTheEnd(3, found({ total: 5, pages: 1 })), /it has one page/);
  assert.match(pastTheEnd(5_001, found()), /Page 5,001 is past the end: nothing matches/);
});
