/**
 * What a reader asks a work listing for, read from the address. Two spellings are accepted:
 * AO3's (`work_search[sort_column]=kudos_count`, `include_work_search[freeform_ids][]=7`, …),
 * so existing links and tools work, and our short one (`sort=kudos`, `include=7,9`, …),
 * which is what Fanfold writes. Both become one `WorkSearch`.
 */
import { z } from "zod";
import { limits } from "../core/limits.ts";
import { SORT_KEYS, type FacetType } from "./browse-index.ts";

/** The index's sort keys, plus relevance when there is a text query. */
export const SORTS = [...SORT_KEYS, "best"] as const;
export type Sort = (typeof SORTS)[number];

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

const AO3_SORT: Record<string, Sort> = {
  revised_at: "revised",
  created_at: "published",
  title_to_sort_on: "title",
  authors_to_sort_on: "creator",
  word_count: "words",
  kudos_count: "kudos",
  hits: "hits",
  comments_count: "comments",
  bookmarks_count: "bookmarks",
  _score: "best",
};
const AO3_TYPE: Record<string, FilterType> = {
  rating_ids: "rating",
  archive_warning_ids: "warning",
  warning_ids: "warning",
  category_ids: "category",
  fandom_ids: "fandom",
  relationship_ids: "relationship",
  character_ids: "character",
  freeform_ids: "freeform",
};

type Raw = Record<string, unknown>;
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

function num(
  field: string,
  v: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const cleaned = v.replace(/[,_\s]/g, "");
  if (!/^\d{1,15}$/.test(cleaned) || Number(cleaned) > max)
    throw new SearchParamError(field, "must be a whole number");
  return Number(cleaned);
}

function date(field: string, v: string | undefined, endOfDay: boolean): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.trim()))
    throw new SearchParamError(field, "must be a date like 2024-01-31");
  const ms = Date.parse(`${v.trim()}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new SearchParamError(field, "is not a real date");
  return endOfDay ? ms + 86_400_000 - 1 : ms;
}

function bool(field: string, v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  if (["T", "true", "1", "yes"].includes(v)) return true;
  if (["F", "false", "0", "no"].includes(v)) return false;
  throw new SearchParamError(field, "must be true or false");
}

const range = (prefix: string, min: string | undefined, max: string | undefined): Range => {
  const out: Range = {};
  const lo = num(`${prefix}_from`, min);
  const hi = num(`${prefix}_to`, max);
  if (lo !== undefined) out.min = lo;
  if (hi !== undefined) out.max = hi;
  return out;
};

const Query = z.string().max(1_000, "must be at most 1,000 characters");

/** Reads both spellings; the short one wins where both are given. Throws SearchParamError. */
export function parseWorkSearch(raw: Raw): WorkSearch {
  const ws = obj(raw.work_search);
  const inc = obj(raw.include_work_search);
  const exc = obj(raw.exclude_work_search);
  const pick = (short: string, ao3: string) => str(raw[short]) ?? str(ws[ao3]);

  const include = ids("include", list(raw.include));
  const exclude = ids("exclude", list(raw.exclude));
  for (const [key, value] of Object.entries(inc))
    if (AO3_TYPE[key]) include.push(...ids(`include_work_search[${key}]`, list(value)));
  for (const [key, value] of Object.entries(exc))
    if (AO3_TYPE[key]) exclude.push(...ids(`exclude_work_search[${key}]`, list(value)));

  const sortRaw = pick("sort", "sort_column");
  const sort =
    sortRaw === undefined || sortRaw === ""
      ? undefined
      : (SORTS as readonly string[]).includes(sortRaw)
        ? (sortRaw as Sort)
        : AO3_SORT[sortRaw];
  if (sortRaw && !sort)
    throw new SearchParamError(
      "sort",
      `"${sortRaw.slice(0, 40)}" is not a sort; use one of ${SORTS.join(", ")}`,
    );
  const dirRaw = pick("dir", "sort_direction");
  if (dirRaw && dirRaw !== "asc" && dirRaw !== "desc")
    throw new SearchParamError("dir", "must be asc or desc");

  const query = Query.safeParse(pick("q", "query") ?? "");
  if (!query.success)
    throw new SearchParamError("q", query.error.issues[0]?.message ?? "is not valid");

  const crossoverRaw = bool("crossover", pick("crossover", "crossover"));
  const page = num("page", str(raw.page), limits.maxPage) ?? 1;
  if (page < 1) throw new SearchParamError("page", "must be 1 or more");
  const language = pick("language", "language_id");
  if (
    language !== undefined &&
    language !== "" &&
    !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language)
  ) {
    throw new SearchParamError("language", "must be a language code such as en or pt-BR");
  }

  const result: WorkSearch = {
    query: query.data.trim(),
    include: [...new Set(include)],
    exclude: [...new Set(exclude)],
    includeNames: list(raw.include_tags ?? ws.other_tag_names),
    excludeNames: list(raw.exclude_tags ?? ws.excluded_tag_names),
    words: range("words", pick("words_from", "words_from"), pick("words_to", "words_to")),
    revised: {},
    kudos: range(
      "kudos",
      pick("kudos_from", "kudos_count_from"),
      pick("kudos_to", "kudos_count_to"),
    ),
    hits: range("hits", pick("hits_from", "hits_from"), pick("hits_to", "hits_to")),
    comments: range(
      "comments",
      pick("comments_from", "comments_count_from"),
      pick("comments_to", "comments_count_to"),
    ),
    bookmarks: range(
      "bookmarks",
      pick("bookmarks_from", "bookmarks_count_from"),
      pick("bookmarks_to", "bookmarks_count_to"),
    ),
    sort: sort ?? (query.data.trim() ? "best" : "revised"),
    descending: dirRaw ? dirRaw === "desc" : !["title", "creator"].includes(sort ?? ""),
    page,
  };
  const from = date("date_from", pick("date_from", "date_from"), false);
  const to = date("date_to", pick("date_to", "date_to"), true);
  if (from !== undefined) result.revised.from = from;
  if (to !== undefined) result.revised.to = to;
  const complete = bool("complete", pick("complete", "complete"));
  if (complete !== undefined) result.complete = complete;
  if (crossoverRaw !== undefined) result.crossover = crossoverRaw ? "only" : "exclude";
  const single = bool("single_chapter", pick("single_chapter", "single_chapter"));
  if (single) result.singleChapter = true;
  if (language) result.language = language;
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
  const defaultDescending = !["title", "creator"].includes(v.sort);
  if (v.descending !== defaultDescending) p.set("dir", v.descending ? "desc" : "asc");
  if (v.page > 1) p.set("page", String(v.page));
  return p.toString();
}
