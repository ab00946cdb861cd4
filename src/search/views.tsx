/**
 * A filtered listing: the results with their count heading and pagination, and beside them
 * the filter form (facets to include or exclude, sort, ranges). The form is a plain GET
 * form, so it works without JavaScript and every filtered page has its own address.
 */
import type { ComponentChildren } from "preact";
import type { Tag } from "../core/db/schema.ts";
import { useRender } from "../core/views/context.ts";
import { formatNumber } from "../core/views/format.ts";
import { PostForm } from "../core/views/forms.tsx";
import { Pagination } from "../core/views/pagination.tsx";
import { TAG_TYPE_NOUN } from "../tags/fixed.ts";
import type { WorkView } from "../works/present.ts";
import { WorkList } from "../works/views/blurb.tsx";
import { countHeading } from "../works/views/listing.tsx";
import { FACET_TYPES, type FacetType } from "./browse-index.ts";
import type { FoundWorks } from "./find-works.ts";
import { workSearchQueryString, type Sort, type WorkSearch } from "./work-search-params.ts";

export interface Snippet {
  parts: { text: string; hit: boolean }[];
  where?: string;
}

export interface ListingProps {
  title: string;
  /** Words after "N Works" in the heading (" in Fluff"). */
  suffix: string;
  /** The listing's address without query. */
  path: string;
  search: WorkSearch;
  found: FoundWorks;
  works: WorkView[];
  snippets?: Map<number, Snippet>;
  /** The reader turned their saved exclusions off for this search. */
  exclusionsOff: boolean;
  /** Show the text query box (the search page always does). */
  empty: string;
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

export function FilteredListing(props: ListingProps) {
  const { found, search, path } = props;
  const listing = {
    works: props.works,
    total: found.total,
    page: search.page,
    pages: found.pages,
    size: 20,
  };
  const pageHref = (n: number) => href(path, search, { page: n }, props.exclusionsOff);
  return (
    <section class="listing filtered">
      <h1 class="heading">{props.title}</h1>
      {props.children}
      <div class="listing-body">
        <div class="results">
          <h2 class="heading" id="results-heading">
            {countHeading(listing, props.suffix)}
          </h2>
          <ResultNotes {...props} />
          <Pagination page={search.page} pages={found.pages} href={pageHref} />
          <WorkList
            works={props.works}
            empty={props.empty}
            extra={(w) => {
              const s = props.snippets?.get(w.id);
              return s ? <SnippetView snippet={s} /> : null;
            }}
          />
          <Pagination
            page={search.page}
            pages={found.pages}
            href={pageHref}
            label="Pagination, end of list"
          />
          {found.capped ? (
            <p class="notice">
              Only the first {formatNumber(found.pages)} pages are shown; narrow the filters to see
              the rest.
            </p>
          ) : null}
        </div>
        <FilterForm {...props} />
      </div>
    </section>
  );
}

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
                <button type="submit">Always hide “{t.name}”</button>
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

function FacetGroup(props: { type: FacetType; mode: "include" | "exclude"; found: FoundWorks }) {
  const { type, mode, found } = props;
  const chosen = (mode === "include" ? found.included : found.excluded).filter(
    (t) => t.type === type,
  );
  const chosenIds = new Set(chosen.map((t) => t.id));
  const counts = found.facets[type];
  const rows: { tag: Tag; count: number | null }[] = [
    ...chosen.map((tag) => ({
      tag,
      count: counts.find((c) => c.tag.id === tag.id)?.count ?? null,
    })),
    ...counts.filter((c) => !chosenIds.has(c.tag.id)),
  ];
  if (rows.length === 0) return null;
  return (
    <fieldset class="facet">
      <legend>{plural(type)}</legend>
      <ul>
        {rows.map(({ tag, count }) => {
          const id = `${mode}-${tag.id}`;
          return (
            <li>
              <input
                type="checkbox"
                id={id}
                name={mode}
                value={String(tag.id)}
                checked={chosenIds.has(tag.id)}
              />
              <label for={id}>
                {tag.name}
                {count !== null ? ` (${formatNumber(count)})` : ""}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/** The facets of every type as checkboxes, and a field for more tag names, for one mode. */
function TagChoices(props: { mode: "include" | "exclude"; names: string[]; found: FoundWorks }) {
  const { mode } = props;
  return (
    <>
      <h3>{mode === "include" ? "Include" : "Exclude"}</h3>
      {FACET_TYPES.map((type) => (
        <FacetGroup type={type} mode={mode} found={props.found} />
      ))}
      <p>
        <label for={`filter-${mode}-tags`}>Other tags to {mode}</label>
        <input
          id={`filter-${mode}-tags`}
          name={`${mode}_tags`}
          value={props.names.join(", ")}
          data-autocomplete="freeform"
        />
      </p>
    </>
  );
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

const day = (ms: number | undefined) =>
  ms === undefined ? "" : new Date(ms).toISOString().slice(0, 10);

function FilterForm(props: ListingProps) {
  const { search, found, path } = props;
  const sorts = (Object.keys(SORT_LABELS) as Sort[]).filter((s) => s !== "best" || search.query);
  return (
    <form class="filters" method="get" action={path} aria-labelledby="filters-heading">
      <h2 id="filters-heading" class="heading">
        Sort and filter
      </h2>
      <p>
        <button type="submit">Sort and filter</button> <a href={path}>Clear filters</a>
      </p>
      {props.exclusionsOff ? <input type="hidden" name="exclusions" value="off" /> : null}
      <p>
        <label for="filter-sort">Sort by</label>
        <select id="filter-sort" name="sort">
          {sorts.map((s) => (
            <option value={s} selected={s === search.sort}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
        <label for="filter-dir">Direction</label>
        <select id="filter-dir" name="dir">
          <option value="desc" selected={search.descending}>
            Descending
          </option>
          <option value="asc" selected={!search.descending}>
            Ascending
          </option>
        </select>
      </p>
      <p>
        <label for="filter-q">Search within results</label>
        <input id="filter-q" type="search" name="q" value={search.query} maxLength={1000} />
      </p>
      <TagChoices mode="include" names={search.includeNames} found={found} />
      <TagChoices mode="exclude" names={search.excludeNames} found={found} />
      <h3>More options</h3>
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
      <p>
        <input
          type="checkbox"
          id="filter-single"
          name="single_chapter"
          value="true"
          checked={search.singleChapter === true}
        />
        <label for="filter-single">Single-chapter works only</label>
      </p>
      <p>
        <label for="filter-language">Language code</label>
        <input
          id="filter-language"
          name="language"
          size={6}
          value={search.language ?? ""}
          placeholder="en"
        />
      </p>
      <RangeInputs name="words" label="Word count" from={search.words.min} to={search.words.max} />
      <fieldset class="range">
        <legend>Date updated</legend>
        <label for="date_from">From</label>
        <input id="date_from" name="date_from" type="date" value={day(search.revised.from)} />
        <label for="date_to">To</label>
        <input id="date_to" name="date_to" type="date" value={day(search.revised.to)} />
      </fieldset>
      <p>
        <button type="submit">Sort and filter</button>
      </p>
    </form>
  );
}
