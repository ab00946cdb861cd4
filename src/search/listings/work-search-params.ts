/**
 * What a reader asks a work listing for, read from the address. Two spellings are accepted:
 * AO3's (`work_search[sort_column]=kudos_count`, `include_work_search[freeform_ids][]=7`, …),
 * so existing links and tools work, and our short one (`sort=kudos`, `include=7,9`, …),
 * which is what Fanfold writes. Both become one `WorkSearch`.
 */
import { z } from "zod";
import { SORT_KEYS, type FacetType } from "../index/browse-types.ts";

/** The index's sort keys, plus relevance when there is a text query. */
export const SORTS = [...SORT_KEYS, "best"] as const;
export type Sort = (typeof SORTS)[number];

/** A sort's own direction: ascending for titles and creators (A–Z), else descending. */
export const descendingByDefault = (sort: Sort) => sort !== "title" && sort !== "creator";

/** The tag types readers filter and facet on: the index's facet types. */
export type FilterType = FacetType;

export interface Range {
  min?: number;
  max?: number;
}

export interface WorkSearch {
  query: string;
  /** Tag ids that must all be present (folded), and tag ids that must not. */
  include: number[];
  exclude: number[];
  /** Tag names typed into "other tags to include/exclude" (resolved to ids by the caller). */
  includeNames: string[];
  excludeNames: string[];
  complete?: boolean;
  crossover?: "only" | "exclude";
  singleChapter?: boolean;
  /** Only works in a series ("any"), or in a series whose works are all complete (issue 15). */
  series?: "any" | "complete";
  language?: string;
  words: Range;
  revised: { from?: number; to?: number };
  kudos: Range;
  hits: Range;
  comments: Range;
  bookmarks: Range;
  sort: Sort;
  descending: boolean;
  page: number;
}

// Maps, not object literals: a request's value must never find `constructor` or `__proto__`.
const AO3_SORT = new Map<string, Sort>([
  ["revised_at", "revised"],
  ["created_at", "published"],
  ["title_to_sort_on", "title"],
  ["authors_to_sort_on", "creator"],
  ["word_count", "words"],
  ["kudos_count", "kudos"],
  ["hits", "hits"],
  ["comments_count", "comments"],
  ["bookmarks_count", "bookmarks"],
  ["_score", "best"],
]);
const AO3_TYPE = new Map<string, FilterType>([
  ["rating_ids", "rating"],
  ["archive_warning_ids", "warning"],
  ["warning_ids", "warning"],
  ["category_ids", "category"],
  ["fandom_ids", "fandom"],
  ["relationship_ids", "relationship"],
  ["character_ids", "character"],
  ["freeform_ids", "freeform"],
]);

/**
 * Our short parameters and AO3's name for each inside `work_search[…]` (null: none).
 * parseWorkSearch reads through this table, and tests send every entry hostile values.
 */
export const SEARCH_PARAMS = {
  q: "query",
  include: null,
  exclude: null,
  include_tags: "other_tag_names",
  exclude_tags: "excluded_tag_names",
  sort: "sort_column",
  dir: "sort_direction",
  complete: "complete",
  crossover: "crossover",
  single_chapter: "single_chapter",
  in_series: "in_series",
  complete_series: "complete_series",
  language: "language_id",
  words_from: "words_from",
  words_to: "words_to",
  date_from: "date_from",
  date_to: "date_to",
  kudos_from: "kudos_count_from",
  kudos_to: "kudos_count_to",
  hits_from: "hits_from",
  hits_to: "hits_to",
  comments_from: "comments_count_from",
  comments_to: "comments_count_to",
  bookmarks_from: "bookmarks_count_from",
  bookmarks_to: "bookmarks_count_to",
  page: null,
  /** `exclusions=off`, read by the listing routes. */
  exclusions: null,
} as const;
type Short = keyof typeof SEARCH_PARAMS;

/** Every address form a listing reads, short and AO3, e.g. `sort`, `work_search[sort_column]`. */
export function searchParameterNames(): string[] {
  const names: string[] = [];
  for (const [short, ao3] of Object.entries(SEARCH_PARAMS)) {
    names.push(short);
    if (ao3) names.push(`work_search[${ao3}]`);
  }
  for (const type of AO3_TYPE.keys())
    names.push(`include_work_search[${type}][]`, `exclude_work_search[${type}][]`);
  return names;
}

type Raw = Record<string, unknown>;
/** Own properties only: no parameter name may reach what objects inherit. */
const own = (o: Raw, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const obj = (v: unknown): Raw =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Raw) : {};
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;
const list = (v: unknown): string[] =>
  (Array.isArray(v)
    ? v
    : typeof v === "string"
      ? [v]
      : typeof v === "object" && v !== null
        ? Object.values(v)
        : []
  )
    .filter((x): x is string => typeof x === "string")
    .flatMap((x) => x.split(","))
    .map((x) => x.trim())
    .filter(Boolean);

export class SearchParamError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Parameter "${field}": ${message}`);
  }
}

function ids(field: string, values: string[]): number[] {
  return values.map((v) => {
    if (!/^\d{1,10}$/.test(v))
      throw new SearchParamError(field, `"${v.slice(0, 40)}" is not a tag number`);
    return Number(v);
  });
}

/** A parameter's value and the name it was sent under (the short one or AO3's), for messages. */
interface Param {
  value: string | undefined;
  name: string;
}

function num({ value, name }: Param, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const cleaned = value.replace(/[,_\s]/g, "");
  if (!/^\d{1,15}$/.test(cleaned) || Number(cleaned) > max)
    throw new SearchParamError(name, "must be a whole number");
  return Number(cleaned);
}

function date({ value, name }: Param, endOfDay: boolean): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim()))
    throw new SearchParamError(name, "must be a date like 2024-01-31");
  const ms = Date.parse(`${value.trim()}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new SearchParamError(name, "is not a real date");
  return endOfDay ? ms + 86_400_000 - 1 : ms;
}

function bool({ value, name }: Param): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (["T", "true", "1", "yes"].includes(value)) return true;
  if (["F", "false", "0", "no"].includes(value)) return false;
  throw new SearchParamError(name, "must be true or false");
}

/**
 * `page`: a whole number from 1 (1 when absent). A page past the deepest one listings serve
 * (limits.maxPage) is still a page number, not an error: the listing answers it with a page
 * that says the results go deeper than it pages through and asks for narrower filters.
 * Numbers past the safe integers read as the largest one.
 */
function pageNumber({ value, name }: Param): number {
  if (value === undefined || value.trim() === "") return 1;
  const cleaned = value.replace(/[,_\s]/g, "");
  if (!/^\d+$/.test(cleaned)) throw new SearchParamError(name, "must be a page number (1, 2, 3…)");
  const n = Math.min(Number(cleaned), Number.MAX_SAFE_INTEGER);
  if (n < 1) throw new SearchParamError(name, "must be 1 or more");
  return n;
}

const range = (min: Param, max: Param): Range => {
  const out: Range = {};
  const lo = num(min);
  const hi = num(max);
  if (lo !== undefined) out.min = lo;
  if (hi !== undefined) out.max = hi;
  return out;
};

const Query = z.string().max(1_000, "must be at most 1,000 characters");

/** Reads both spellings; the short one wins where both are given. Throws SearchParamError. */
export function parseWorkSearch(raw: Raw): WorkSearch {
  const ws = obj(own(raw, "work_search"));
  const inc = obj(own(raw, "include_work_search"));
  const exc = obj(own(raw, "exclude_work_search"));
  const pick = (short: Short): Param => {
    const value = str(own(raw, short));
    const ao3 = SEARCH_PARAMS[short];
    if (value !== undefined || !ao3) return { value, name: short };
    return { value: str(own(ws, ao3)), name: `work_search[${ao3}]` };
  };
  const pickList = (short: Short): string[] => {
    const ao3 = SEARCH_PARAMS[short];
    return list(own(raw, short) ?? (ao3 ? own(ws, ao3) : undefined));
  };

  const include = ids("include", pickList("include"));
  const exclude = ids("exclude", pickList("exclude"));
  for (const [key, value] of Object.entries(inc))
    if (AO3_TYPE.has(key)) include.push(...ids(`include_work_search[${key}]`, list(value)));
  for (const [key, value] of Object.entries(exc))
    if (AO3_TYPE.has(key)) exclude.push(...ids(`exclude_work_search[${key}]`, list(value)));

  const sortParam = pick("sort");
  const sortRaw = sortParam.value;
  const sort =
    sortRaw === undefined || sortRaw === ""
      ? undefined
      : (SORTS as readonly string[]).includes(sortRaw)
        ? (sortRaw as Sort)
        : AO3_SORT.get(sortRaw);
  if (sortRaw && !sort)
    throw new SearchParamError(
      sortParam.name,
      `"${sortRaw.slice(0, 40)}" is not a sort; use one of ${SORTS.join(", ")}`,
    );
  const dir = pick("dir");
  if (dir.value && dir.value !== "asc" && dir.value !== "desc")
    throw new SearchParamError(dir.name, "must be asc or desc");

  const q = pick("q");
  const query = Query.safeParse(q.value ?? "");
  if (!query.success)
    throw new SearchParamError(q.name, query.error.issues[0]?.message ?? "is not valid");

  const crossover = bool(pick("crossover"));
  const page = pageNumber(pick("page"));
  const language = pick("language");
  if (language.value && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language.value))
    throw new SearchParamError(language.name, "must be a language code such as en or pt-BR");

  const result: WorkSearch = {
    query: query.data.trim(),
    include: [...new Set(include)],
    exclude: [...new Set(exclude)],
    includeNames: pickList("include_tags"),
    excludeNames: pickList("exclude_tags"),
    words: range(pick("words_from"), pick("words_to")),
    revised: {},
    kudos: range(pick("kudos_from"), pick("kudos_to")),
    hits: range(pick("hits_from"), pick("hits_to")),
    comments: range(pick("comments_from"), pick("comments_to")),
    bookmarks: range(pick("bookmarks_from"), pick("bookmarks_to")),
    sort: sort ?? (query.data.trim() ? "best" : "revised"),
    descending: dir.value ? dir.value === "desc" : descendingByDefault(sort ?? "revised"),
    page,
  };
  const from = date(pick("date_from"), false);
  const to = date(pick("date_to"), true);
  if (from !== undefined) result.revised.from = from;
  if (to !== undefined) result.revised.to = to;
  const complete = bool(pick("complete"));
  if (complete !== undefined) result.complete = complete;
  if (crossover !== undefined) result.crossover = crossover ? "only" : "exclude";
  const single = bool(pick("single_chapter"));
  if (single) result.singleChapter = true;
  // "Complete series only" implies "in a series".
  const inSeries = bool(pick("in_series"));
  const completeSeries = bool(pick("complete_series"));
  if (completeSeries) result.series = "complete";
  else if (inSeries) result.series = "any";
  if (language.value) result.language = language.value;
  return result;
}

/** The short address of a search (what Fanfold links to); defaults are left out. */
export function workSearchQueryString(s: WorkSearch, overrides: Partial<WorkSearch> = {}): string {
  const v = { ...s, ...overrides };
  const p = new URLSearchParams();
  if (v.query) p.set("q", v.query);
  if (v.include.length) p.set("include", v.include.join(","));
  if (v.exclude.length) p.set("exclude", v.exclude.join(","));
  if (v.includeNames.length) p.set("include_tags", v.includeNames.join(","));
  if (v.excludeNames.length) p.set("exclude_tags", v.excludeNames.join(","));
  if (v.complete !== undefined) p.set("complete", String(v.complete));
  if (v.crossover) p.set("crossover", String(v.crossover === "only"));
  if (v.singleChapter) p.set("single_chapter", "true");
  if (v.series === "any") p.set("in_series", "true");
  if (v.series === "complete") p.set("complete_series", "true");
  if (v.language) p.set("language", v.language);
  const put = (name: string, r: Range) => {
    if (r.min !== undefined) p.set(`${name}_from`, String(r.min));
    if (r.max !== undefined) p.set(`${name}_to`, String(r.max));
  };
  put("words", v.words);
  put("kudos", v.kudos);
  put("hits", v.hits);
  put("comments", v.comments);
  put("bookmarks", v.bookmarks);
  if (v.revised.from !== undefined)
    p.set("date_from", new Date(v.revised.from).toISOString().slice(0, 10));
  if (v.revised.to !== undefined)
    p.set("date_to", new Date(v.revised.to).toISOString().slice(0, 10));
  const defaultSort = v.query ? "best" : "revised";
  if (v.sort !== defaultSort) p.set("sort", v.sort);
  if (v.descending !== descendingByDefault(v.sort)) p.set("dir", v.descending ? "desc" : "asc");
  if (v.page > 1) p.set("page", String(v.page));
  return p.toString();
}
