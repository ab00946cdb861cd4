/**
 * A filtered listing: the count heading that says what is applied, the results with their
 * pagination, and the filter form (AO3's `form#work-filters.filters`). The form is a plain GET
 * form, so it works without JavaScript and every filtered page has its own address. It is
 * rendered once, inside a `<details>` "Sort and Filter" disclosure placed before the results:
 * on a phone that is a closed disclosure at the top; on a wide screen the stylesheet opens it
 * into a sidebar beside the results (site.css, "Listings: sort and filter").
 */
import type { ComponentChildren } from "preact";
import type { Tag } from "../../core/db/schema.ts";
import { limits } from "../../core/limits.ts";
import { useRender } from "../../core/views/context.ts";
import { formatDate, formatNumber } from "../../core/views/format.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import { BuiltHtmlIn } from "../../core/views/trusted-html.tsx";
import { TAG_TYPE_NOUN } from "../../tags/fixed.ts";
import { languageName } from "../../works/languages.ts";
import type { WorkView } from "../../works/present.ts";
import { WorkList } from "../../works/views/blurb.tsx";
import { countHeading } from "../../works/views/listing.tsx";
import type { FacetType } from "../index/browse-types.ts";
import type { FoundWorks } from "./find-works.ts";
import { facetGroup, facetRows, languageOptions } from "./facets-html.ts";
import {
  descendingByDefault,
  workSearchQueryString,
  type Range,
  type Sort,
  type WorkSearch,
} from "./work-search-params.ts";

export interface Snippet {
  parts: { text: string; hit: boolean }[];
  where?: string;
}

export interface ListingProps {
  title: string;
  /** Words after "N Works" in the heading that name the listing (" in Fluff", " by alice"). */
  suffix: string;
  /** The listing's address without query. */
  path: string;
  search: WorkSearch;
  found: FoundWorks;
  works: WorkView[];
  snippets?: Map<number, Snippet>;
  /** The reader turned their saved exclusions off for this search. */
  exclusionsOff: boolean;
  /** What the list says when nothing matches. */
  empty: string;
  /** /works/search: the query box comes first, and the results repeat the query. */
  searchPage?: boolean;
  children?: ComponentChildren;
}

const SORT_LABELS: Record<Sort, string> = {
  best: "Best match",
  revised: "Date updated",
  published: "Date posted",
  title: "Title",
  creator: "Creator",
  words: "Word count",
  kudos: "Kudos",
  hits: "Hits",
  comments: "Comments",
  bookmarks: "Bookmarks",
};

/** The facets in AO3's order (ratings, warnings, categories, fandoms, characters, …). */
const FACET_ORDER: readonly FacetType[] = [
  "rating",
  "warning",
  "category",
  "fandom",
  "character",
  "relationship",
  "freeform",
];

const plural = (type: FacetType) =>
  type === "category"
    ? "Categories"
    : `${TAG_TYPE_NOUN[type].replace(/^./, (c) => c.toUpperCase())}s`;

export function href(
  path: string,
  search: WorkSearch,
  over: Partial<WorkSearch> = {},
  off = false,
) {
  const qs = workSearchQueryString(search, over);
  const extra = off ? `${qs ? "&" : ""}exclusions=off` : "";
  return qs || extra ? `${path}?${qs}${extra}` : path;
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function rangeWords(r: Range, unit: string): string | null {
  const { min, max } = r;
  if (min !== undefined && max !== undefined)
    return `${formatNumber(min)}–${formatNumber(max)} ${unit}`;
  if (min !== undefined) return `at least ${formatNumber(min)} ${unit}`;
  if (max !== undefined) return `at most ${formatNumber(max)} ${unit}`;
  return null;
}

/** Tag names in the order a blurb shows them: by type as AO3 orders facets, then by name. */
const names = (tags: readonly Tag[]) =>
  [...tags]
    .sort(
      (a, b) =>
        FACET_ORDER.indexOf(a.type as FacetType) - FACET_ORDER.indexOf(b.type as FacetType) ||
        a.name.localeCompare(b.name),
    )
    .map((t) => t.name);

/**
 * What a listing's filters ask, in words, to follow "N Works in Fluff": " and Hurt/Comfort,
 * excluding Angst and Explicit, complete only, 1,000–5,000 words". `inScope`: the listing's own
 * words already say "in …" (a tag's works), so included tags join it with "and". The text
 * query is left out when the page repeats it on its own (the search page).
 */
export function appliedFilters(
  search: WorkSearch,
  found: Pick<FoundWorks, "included" | "excluded">,
  opts: { inScope: boolean; withQuery: boolean },
): string {
  let out = "";
  const included = names(found.included);
  if (included.length) out += `${opts.inScope ? " and" : " in"} ${listWords(included)}`;
  if (opts.withQuery && search.query) out += ` matching “${search.query}”`;
  const more: string[] = [];
  if (found.excluded.length) more.push(`excluding ${listWords(names(found.excluded))}`);
  if (search.complete === true) more.push("complete only");
  if (search.complete === false) more.push("works in progress only");
  if (search.crossover === "only") more.push("crossovers only");
  if (search.crossover === "exclude") more.push("no crossovers");
  if (search.singleChapter) more.push("single-chapter only");
  if (search.series === "any") more.push("in a series only");
  if (search.series === "complete") more.push("in complete series only");
  if (search.language) more.push(`in ${languageName(search.language)}`);
  for (const [r, unit] of [
    [search.words, "words"],
    [search.kudos, "kudos"],
    [search.hits, "hits"],
    [search.comments, "comments"],
    [search.bookmarks, "bookmarks"],
  ] as const) {
    const words = rangeWords(r, unit);
    if (words) more.push(words);
  }
  const { from, to } = search.revised;
  if (from !== undefined && to !== undefined)
    more.push(`updated ${formatDate(from)} to ${formatDate(to)}`);
  else if (from !== undefined) more.push(`updated since ${formatDate(from)}`);
  else if (to !== undefined) more.push(`updated up to ${formatDate(to)}`);
  return more.length ? `${out}, ${more.join(", ")}` : out;
}

export function FilteredListing(props: ListingProps) {
  const { found, search, path } = props;
  const listing = {
    works: props.works,
    total: found.total,
    page: search.page,
    pages: found.pages,
    size: limits.pageSize,
  };
  const pageHref = (n: number) => href(path, search, { page: n }, props.exclusionsOff);
  const filters = appliedFilters(search, found, {
    inScope: props.suffix.startsWith(" in "),
    withQuery: !props.searchPage,
  });
  const pastEnd = search.page > 1 && search.page > found.pages;
  return (
    <section class="listing filtered">
      <h1 class="heading">{props.title}</h1>
      {props.children}
      {props.searchPage ? <SearchBox query={search.query} /> : null}
      <div class="listing-body">
        <div class="results-head">
          {props.searchPage && search.query ? (
            <p class="searched-for">
              You searched for: <strong class="query">{search.query}</strong>
            </p>
          ) : null}
          <h2 class="heading" id="results-heading">
            {countHeading(listing, props.suffix + filters)}
          </h2>
          <ResultNotes {...props} />
        </div>
        <FilterPanel {...props} />
        <div class="results">
          {pastEnd ? (
            <PastTheEnd {...props} pageHref={pageHref} />
          ) : (
            <>
              <Pagination page={search.page} pages={found.pages} href={pageHref} />
              <WorkList
                works={props.works}
                empty={props.empty}
                {...(props.snippets ? { extra: snippetOf(props.snippets) } : {})}
              />
              <Pagination
                page={search.page}
                pages={found.pages}
                href={pageHref}
                label="Pagination, end of list"
              />
              {found.capped && search.page === found.pages ? (
                <p class="notice">
                  This is the last page Fanfold shows: listings go {formatNumber(found.pages)} pages
                  deep. Narrow the filters to reach the rest.
                </p>
              ) : null}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/**
 * A page past the listing's last one: past what this search has, or past the deepest page any
 * listing serves (limits.maxPage; walking a sort order that deep costs the browse index more
 * with every page, src/search/index/browse-index.ts), in which case narrower filters are the way on.
 */
export function PastTheEnd(props: ListingProps & { pageHref: (n: number) => string }) {
  const { found, search } = props;
  if (found.total === 0)
    return (
      <p class="notice deep-page">
        Page {formatNumber(search.page)} is past the end: nothing matches these filters.
      </p>
    );
  const last = found.pages;
  if (found.capped && search.page > last)
    return (
      <div class="notice deep-page">
        <p>
          <strong>These results go deeper than Fanfold pages through.</strong> Listings show{" "}
          {formatNumber(last)} pages of {limits.pageSize} works (
          {formatNumber(last * limits.pageSize)} works), and {formatNumber(found.total)} works
          match, so page {formatNumber(search.page)} cannot be shown.
        </p>
        <p>
          Narrow the filters — include or exclude a tag, or set a word count or date range — or
          change the sort order to reach the works further in.
        </p>
        <p>
          <a href={props.pageHref(last)}>Go to the last page shown ({formatNumber(last)})</a> ·{" "}
          <a href={props.pageHref(1)}>the first page</a>
        </p>
      </div>
    );
  return (
    <div class="notice deep-page">
      <p>
        Page {formatNumber(search.page)} is past the end of this listing: it has{" "}
        {last === 1 ? "one page" : `${formatNumber(last)} pages`}.
      </p>
      <p>
        <a href={props.pageHref(last)}>Go to the last page ({formatNumber(last)})</a>
      </p>
    </div>
  );
}

/**
 * The search page's query box, first on the page. It belongs to the filter form (the `form`
 * attribute), so a new query keeps the filters chosen below, and there is one `q` field.
 */
function SearchBox({ query }: { query: string }) {
  return (
    <div class="search-box" role="search">
      <label for="search-q">Search for</label>
      <div class="search-row">
        <input
          id="search-q"
          type="search"
          name="q"
          form="work-filters"
          value={query}
          maxLength={1000}
          aria-describedby="search-q-hint"
        />
        <button type="submit" form="work-filters">
          Search
        </button>
      </div>
      <p class="hint" id="search-q-hint">
        Every word must match. “Exact phrase”, -left out, and title:, author:, tag:, summary:, text:
        to look in one place.
      </p>
    </div>
  );
}

const snippetOf = (snippets: Map<number, Snippet>) => (w: WorkView) => {
  const s = snippets.get(w.id);
  return s ? <SnippetView snippet={s} /> : null;
};

function SnippetView({ snippet }: { snippet: Snippet }) {
  return (
    <blockquote class="snippet">
      {snippet.where ? <span class="where">{snippet.where}: </span> : null}…
      {snippet.parts.map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}…
    </blockquote>
  );
}

function ResultNotes(props: ListingProps) {
  const { viewer, path: current } = useRender();
  const { found, search, path } = props;
  const saved = new Set(viewer.user?.exclusions.tagIds ?? []);
  const unsaved = found.excluded.filter((t) => !saved.has(t.id));
  return (
    <>
      {found.notices.map((n) => (
        <p class="notice" role="status">
          {n}
        </p>
      ))}
      {found.hidden > 0 ? (
        <p class="hidden-note">
          {formatNumber(found.hidden)} {found.hidden === 1 ? "work" : "works"} hidden by your
          filters — <a href={href(path, search, { page: 1 }, true)}>show</a> ·{" "}
          <a href="/preferences/exclusions">edit your filters</a>
        </p>
      ) : null}
      {props.exclusionsOff ? (
        <p class="hidden-note">
          Your saved exclusions are off for this search —{" "}
          <a href={href(path, search, { page: 1 })}>apply them again</a>
        </p>
      ) : null}
      {viewer.user && unsaved.length > 0 ? (
        <ul class="save-exclusions" aria-label="Hide excluded tags everywhere">
          {unsaved.map((t) => (
            <li>
              <PostForm action="/preferences/exclusions/tags">
                <input type="hidden" name="tag" value={t.name} />
                <input type="hidden" name="return_to" value={current} />
                <button type="submit" class="secondary small">
                  Always hide “{t.name}”
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      ) : null}
      {viewer.user ? (
        <details class="save-search">
          <summary>Save this search</summary>
          <PostForm action="/saved-searches" once>
            <input type="hidden" name="path" value={path} />
            <input type="hidden" name="query" value={workSearchQueryString(search, { page: 1 })} />
            <label for="saved-search-name">Name</label>
            <input id="saved-search-name" name="name" maxLength={100} required />
            <button type="submit">Save</button>
          </PostForm>
        </details>
      ) : null}
    </>
  );
}

/**
 * One category of facets, collapsible (open when one of its tags is chosen): one row per tag,
 * with an include and an exclude checkbox. A screen reader hears "Include Fluff (1,234)" and
 * "Exclude Fluff"; the eye sees the name once, with the two boxes under their column heads.
 * Built as a string (facets-html.ts): a listing's facets are most of its form's elements.
 */
function FacetGroup(props: { type: FacetType; found: FoundWorks }) {
  const { type, found } = props;
  const { rows, chosen } = facetRows(type, found);
  if (rows.length === 0) return null;
  const { html, utf8 } = facetGroup(type, plural(type), chosen, rows, found);
  return <BuiltHtmlIn as="details" class="facet" open={chosen > 0} html={html} utf8={utf8} />;
}

function RangeInputs(props: { name: string; label: string; from?: number; to?: number }) {
  return (
    <fieldset class="range">
      <legend>{props.label}</legend>
      <label for={`${props.name}_from`}>From</label>
      <input
        id={`${props.name}_from`}
        name={`${props.name}_from`}
        inputMode="numeric"
        size={8}
        value={props.from === undefined ? "" : String(props.from)}
      />
      <label for={`${props.name}_to`}>To</label>
      <input
        id={`${props.name}_to`}
        name={`${props.name}_to`}
        inputMode="numeric"
        size={8}
        value={props.to === undefined ? "" : String(props.to)}
      />
    </fieldset>
  );
}

const day = (ms: number | undefined) => (ms === undefined ? "" : formatDate(ms));

/** Anything under "Other work filters" set, so the section opens showing it. */
const otherFiltersSet = (s: WorkSearch) =>
  s.complete !== undefined ||
  s.crossover !== undefined ||
  s.singleChapter === true ||
  s.series !== undefined ||
  s.language !== undefined ||
  s.words.min !== undefined ||
  s.words.max !== undefined ||
  s.revised.from !== undefined ||
  s.revised.to !== undefined;

/** The disclosure and the one filter form inside it. */
function FilterPanel(props: ListingProps) {
  const { search, found, path } = props;
  const sorts = (Object.keys(SORT_LABELS) as Sort[]).filter((s) => s !== "best" || search.query);
  const hasFacets =
    found.included.length + found.excluded.length > 0 ||
    FACET_ORDER.some((type) => found.facets[type].length > 0);
  // Left at the usual order, a new sort takes its own (titles A–Z, kudos most first).
  const usualDirection = search.descending === descendingByDefault(search.sort);
  const languages = languageOptions(search.language ?? "");
  const buttons = () => (
    <p class="submit actions">
      <button type="submit">Sort and Filter</button>
      <a href={path} class="clear">
        Clear Filters
      </a>
    </p>
  );
  // Ranges the form has no fields for (accepted by address) ride along, so sorting or
  // ticking a facet keeps them.
  const carried = (["kudos", "hits", "comments", "bookmarks"] as const).flatMap((name) => {
    const r = search[name];
    return [
      ...(r.min !== undefined ? [[`${name}_from`, r.min] as const] : []),
      ...(r.max !== undefined ? [[`${name}_to`, r.max] as const] : []),
    ];
  });
  return (
    <details class="filters-panel">
      <summary>Sort and Filter</summary>
      <form
        class="filters"
        id="work-filters"
        method="get"
        action={path}
        aria-labelledby="filters-heading"
      >
        <h2 id="filters-heading" class="heading">
          Sort and Filter
        </h2>
        {props.exclusionsOff ? <input type="hidden" name="exclusions" value="off" /> : null}
        {carried.map(([name, value]) => (
          <input type="hidden" name={name} value={String(value)} />
        ))}
        {buttons()}
        <p class="sort">
          <label for="filter-sort">Sort by</label>
          <select id="filter-sort" name="sort">
            {sorts.map((s) => (
              <option value={s} selected={s === search.sort}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
          <label for="filter-dir" class="landmark">
            Sort direction
          </label>
          <select id="filter-dir" name="dir">
            <option value="" selected={usualDirection}>
              Default order
            </option>
            <option value="desc" selected={!usualDirection && search.descending}>
              Descending
            </option>
            <option value="asc" selected={!usualDirection && !search.descending}>
              Ascending
            </option>
          </select>
        </p>
        {hasFacets ? <h3 class="heading">Works with these tags</h3> : null}
        {FACET_ORDER.map((type) => (
          <FacetGroup type={type} found={found} />
        ))}
        <p class="other-tags">
          <label for="filter-include-tags">Other tags to include</label>
          <input
            id="filter-include-tags"
            name="include_tags"
            value={search.includeNames.join(", ")}
            data-autocomplete="freeform"
          />
        </p>
        <p class="other-tags">
          <label for="filter-exclude-tags">Other tags to exclude</label>
          <input
            id="filter-exclude-tags"
            name="exclude_tags"
            value={search.excludeNames.join(", ")}
            data-autocomplete="freeform"
          />
        </p>
        {props.searchPage ? null : (
          <p class="search-within">
            <label for="filter-q">Search within results</label>
            <input id="filter-q" type="search" name="q" value={search.query} maxLength={1000} />
          </p>
        )}
        <details class="more" open={otherFiltersSet(search)}>
          <summary>Other work filters</summary>
          <p>
            <label for="filter-complete">Completion status</label>
            <select id="filter-complete" name="complete">
              <option value="" selected={search.complete === undefined}>
                All works
              </option>
              <option value="true" selected={search.complete === true}>
                Complete works only
              </option>
              <option value="false" selected={search.complete === false}>
                Works in progress only
              </option>
            </select>
          </p>
          <p>
            <label for="filter-crossover">Crossovers</label>
            <select id="filter-crossover" name="crossover">
              <option value="" selected={search.crossover === undefined}>
                Include crossovers
              </option>
              <option value="false" selected={search.crossover === "exclude"}>
                Exclude crossovers
              </option>
              <option value="true" selected={search.crossover === "only"}>
                Only crossovers
              </option>
            </select>
          </p>
          <p class="checkbox">
            <input
              type="checkbox"
              id="filter-single"
              name="single_chapter"
              value="true"
              checked={search.singleChapter === true}
            />
            <label for="filter-single">Single-chapter works only</label>
          </p>
          <p class="checkbox">
            <input
              type="checkbox"
              id="filter-in-series"
              name="in_series"
              value="true"
              checked={search.series !== undefined}
            />
            <label for="filter-in-series">Works in a series only</label>
          </p>
          <p class="checkbox">
            <input
              type="checkbox"
              id="filter-complete-series"
              name="complete_series"
              value="true"
              checked={search.series === "complete"}
            />
            <label for="filter-complete-series">Complete series only</label>
          </p>
          <RangeInputs
            name="words"
            label="Word count"
            from={search.words.min}
            to={search.words.max}
          />
          <fieldset class="range">
            <legend>Date updated</legend>
            <label for="date_from">From</label>
            <input id="date_from" name="date_from" type="date" value={day(search.revised.from)} />
            <label for="date_to">To</label>
            <input id="date_to" name="date_to" type="date" value={day(search.revised.to)} />
          </fieldset>
          <p>
            <label for="filter-language">Language</label>
            <BuiltHtmlIn
              as="select"
              id="filter-language"
              name="language"
              html={languages.html}
              utf8={languages.utf8}
            />
          </p>
        </details>
        {buttons()}
      </form>
    </details>
  );
}
