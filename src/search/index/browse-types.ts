/**
 * What the browse index (browse-index.ts) takes and answers — a work, a query, a result — and
 * its tuning. Listings build queries from these without depending on the index itself, and the
 * index's parts (columns, tag slots, facets) share them without importing one another.
 */
import type { FacetCount } from "./facet-lists.ts";

export const SORT_KEYS = [
  "revised",
  "published",
  "title",
  "creator",
  "words",
  "kudos",
  "hits",
  "comments",
  "bookmarks",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const FACET_TYPES = [
  "rating",
  "warning",
  "category",
  "fandom",
  "relationship",
  "character",
  "freeform",
] as const;
export type FacetType = (typeof FACET_TYPES)[number];
export type IndexTagType = FacetType | "media";

/** One work as the index sees it. */
export interface WorkDoc {
  /** Work id: a positive integer below 2^31. */
  id: number;
  /** Folded tag ids (work_filter_tags): canonical tags and their metatags. */
  tagIds: readonly number[];
  /** Fandom tags the author typed (a crossover has more than one). */
  fandomCount: number;
  /** Visible to logged-in viewers only. */
  restricted: boolean;
  complete: boolean;
  chapters: number;
  words: number;
  language: string;
  /** Epoch milliseconds. */
  revisedAt: number;
  publishedAt: number;
  /** Folded sort keys, compared by UTF-16 code unit. */
  titleKey: string;
  creatorKey: string;
  kudos: number;
  hits: number;
  comments: number;
  bookmarks: number;
}

/** Inclusive bounds; a missing bound is open. */
export interface CountRange {
  min?: number;
  max?: number;
}
export interface TimeRange {
  from?: number;
  to?: number;
}

export interface BrowseQuery {
  /** Tags that must all be present (folded). */
  include: readonly number[];
  /** Tags none of which may be present; exclusion beats inclusion. */
  exclude: readonly number[];
  /** true: complete works only; false: works in progress only. */
  complete?: boolean;
  /** true: one-chapter works only; false: works of more than one chapter only. */
  singleChapter?: boolean;
  /** "only": more than one fandom typed; "exclude": at most one. */
  crossover?: "only" | "exclude";
  language?: string;
  words?: CountRange;
  revised?: TimeRange;
  published?: TimeRange;
  kudos?: CountRange;
  hits?: CountRange;
  comments?: CountRange;
  bookmarks?: CountRange;
  /** Optional candidate set (works by one creator, full-text hits, …); null means all. */
  restrict?: readonly number[] | null;
  /** Works never to show (by muted creators, …). */
  excludeWorks?: readonly number[];
  sort: SortKey;
  /** When given, the page is ordered by it instead (higher first, ties by id ascending):
   * relevance of a text search. `sort` and `descending` are then ignored. */
  score?: (workId: number) => number;
  /** Descending walks the order from the end: key descending, ties by id descending. */
  descending: boolean;
  /** 1-based. */
  page: number;
  pageSize: number;
  facets: boolean;
}

export type { FacetCount };
export type Facets = Record<FacetType, FacetCount[]>;

export interface BrowseResult {
  /** The page's work ids, in order. */
  ids: number[];
  /** Works matching (visible to the viewer). */
  total: number;
  /** Top ten tags per type among the matching works: count descending, then tag id ascending. */
  facets: Facets;
}

export interface PrepareTimings {
  flush: number;
  orders: Partial<Record<SortKey, number>>;
  facetLists: number;
}

/** Strategy thresholds; the defaults suit 10^4–10^6 works. Tests force each path. */
export interface BrowseIndexTuning {
  /** "auto" picks by estimated cost; the others force one path (for tests and benchmarks). */
  pageStrategy: "auto" | "walk" | "select";
  facetStrategy: "auto" | "walk" | "bounded";
  /** Results up to this size count facets by walking their works' tag lists. */
  facetWalkMax: number;
  /** Results up to this size are walked too when smaller than `facetWalkRatio` of the
   * smallest included anchor (or of the index): their bounds are too loose to test fast.
   * They also fall back to walking when bounded testing runs over budget. */
  facetWalkFallbackMax: number;
  facetWalkRatio: number;
  /** Tags on at least this many works keep co-occurrence counts (dropped below half), which
   * bound facet counts when the tag is included. Only speed depends on it. */
  anchorMin: number;
  /** Works added or re-keyed since a sort order was built, kept aside before merging. */
  deltaCap: number;
  /** Batches of new works up to this size update sort orders and facet lists in place;
   * larger batches (bulk loads) mark them for a rebuild on first use. */
  incrementalMax: number;
}

export const DEFAULT_TUNING: BrowseIndexTuning = {
  pageStrategy: "auto",
  facetStrategy: "auto",
  facetWalkMax: 7_500,
  facetWalkFallbackMax: 30_000,
  facetWalkRatio: 0.3,
  anchorMin: 10_000,
  deltaCap: 4_096,
  incrementalMax: 2_048,
};
