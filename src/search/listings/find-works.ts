/**
 * One listing of works for one viewer: what the filters ask (WorkSearch), within a scope
 * (all works, a tag, a creator), minus what the viewer may not or will not see (the rules
 * come from works/visibility.ts), answered by the catalog and, for text, the text index.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { Tag, Work } from "../../core/db/schema.ts";
import { limits } from "../../core/limits.ts";
import type { Viewer } from "../../core/viewer.ts";
import { tagKey } from "../../tags/names.ts";
import { tagsShownTo, type Audience } from "../../tags/count-queries.ts";
import { findTagsByKeys, tagsByIds } from "../../tags/queries.ts";
import { workIdsBy, worksByIds } from "../../works/queries.ts";
import { audienceOf, listingRules, rulesExclude } from "../../works/visibility.ts";
import { FACET_TYPES, type BrowseQuery, type FacetType } from "../index/browse-types.ts";
import type { WorkCatalog } from "../index/catalog.ts";
import type { WorkSearch } from "./work-search-params.ts";
import { seriesWorkIds } from "./series-queries.ts";
import { collectionWorkIds } from "./collection-queries.ts";
import { blurbSourceOf } from "./blurbs.ts";
import type { TagLabel } from "./tag-labels.ts";

export type ListingScope =
  | { kind: "all" }
  | { kind: "tag"; tagId: number }
  | { kind: "user"; userId: number }
  | { kind: "pseud"; pseudId: number }
  /** A collection's works (issue 15): its approved items, a parent's with its children's. */
  | { kind: "collection"; collectionId: number };

/** Text hits: matching work ids with a relevance score (higher is better). */
export type TextSearcher = (
  query: string,
) => Promise<
  { ok: true; ids: ArrayLike<number>; scores: ArrayLike<number> } | { ok: false; message: string }
>;

export interface Finder {
  db: Queryable;
  catalog: WorkCatalog;
  text?: TextSearcher;
}

export interface FacetEntry {
  tag: TagLabel;
  count: number;
}

export interface FoundWorks {
  ids: number[];
  /** The page's works, in order. */
  works: Work[];
  total: number;
  /** Works the reader's saved exclusions left out of this listing (0 when not applied). */
  hidden: number;
  pages: number;
  /** The total reaches past the last page we serve. */
  capped: boolean;
  facets: Record<FacetType, FacetEntry[]>;
  /** Tags named in the filters (ids and typed names), for labels and checked boxes. */
  included: Tag[];
  excluded: Tag[];
  /** Problems with the request worth telling the reader (unknown tag names, bad query). */
  notices: string[];
}

/** A synonym stands for its canonical tag in filters (filter sets hold canonical forms). */
const folded = (t: Tag) => t.merger_id ?? t.id;

/**
 * The tags a filter names, by id and by name; `read` holds the rows of every id the request
 * names (included and excluded are read in one query).
 */
async function resolveTags(
  db: Queryable,
  audience: Audience,
  ids: number[],
  names: string[],
  notices: string[],
  read: Promise<Map<number, Tag>>,
) {
  if (ids.length === 0 && names.length === 0) return { canon: [] as Tag[], missing: 0 };
  // A tag only works hidden from this reader carry is as unknown as one that never existed.
  const [byId, byName] = await Promise.all([
    read
      // In id order, as the database answers `id in (…)`.
      .then((rows) => [...new Set(ids)].sort((a, b) => a - b).flatMap((id) => rows.get(id) ?? []))
      .then((tags) => tagsShownTo(db, audience, tags)),
    findTagsByKeys(db, names.map(tagKey)).then((tags) => tagsShownTo(db, audience, tags)),
  ]);
  const known = new Set(byName.map((t) => t.name_key));
  for (const n of names) if (!known.has(tagKey(n))) notices.push(`There is no tag named "${n}".`);
  const tags = [...byId, ...byName];
  const missing = ids.filter((id) => !byId.some((t) => t.id === id));
  if (missing.length > 0) notices.push(`Some tags in this address no longer exist.`);
  const synonyms = tags.filter((t) => t.merger_id !== null);
  const canon = synonyms.length
    ? [
        ...tags.filter((t) => t.merger_id === null),
        ...(await tagsByIds(db, [...new Set(synonyms.map(folded))])),
      ]
    : tags;
  const unique = [...new Map(canon.map((t) => [t.id, t])).values()];
  return { canon: unique, missing: missing.length + names.length - byName.length };
}

export async function findWorks(
  finder: Finder,
  viewer: Viewer,
  scope: ListingScope,
  search: WorkSearch,
  opts: { exclusions?: boolean; facets?: boolean; pageSize?: number } = {},
): Promise<FoundWorks> {
  const { db, catalog } = finder;
  const notices: string[] = [];
  const pageSize = opts.pageSize ?? limits.pageSize;
  const rules = listingRules(viewer, { exclusions: opts.exclusions ?? true });
  const named = [...new Set([...search.include, ...search.exclude])];
  const read = named.length
    ? tagsByIds(db, named).then((rows) => new Map(rows.map((t) => [t.id, t])))
    : Promise.resolve(new Map<number, Tag>());
  const [inc, exc, scoped, mutedWorks] = await Promise.all([
    resolveTags(db, audienceOf(viewer), search.include, search.includeNames, notices, read),
    resolveTags(db, audienceOf(viewer), search.exclude, search.excludeNames, notices, read),
    scope.kind === "user"
      ? workIdsBy(db, { userIds: [scope.userId] }, viewer)
      : scope.kind === "pseud"
        ? workIdsBy(db, { pseudId: scope.pseudId }, viewer)
        : scope.kind === "collection"
          ? collectionWorkIds(db, scope.collectionId)
          : null,
    // Anonymous works are left out: muting must not reveal who wrote one by hiding it.
    workIdsBy(db, { userIds: rules.mutedUserIds }),
  ]);
  let restrict = scoped;
  if (search.series) {
    // Works in a series, or in a complete one, as the viewer sees the series (issue 15).
    const inSeries = new Set(await seriesWorkIds(db, viewer, search.series));
    restrict = restrict ? restrict.filter((id) => inSeries.has(id)) : [...inSeries];
  }
  let score: ((id: number) => number) | undefined;
  if (search.query) {
    if (!finder.text) notices.push("Text search is not available on this listing.");
    else {
      const hits = await finder.text(search.query);
      if (!hits.ok) {
        notices.push(hits.message);
      } else {
        const scores = new Map<number, number>();
        for (let i = 0; i < hits.ids.length; i++) scores.set(hits.ids[i]!, hits.scores[i]!);
        restrict = restrict ? restrict.filter((id) => scores.has(id)) : [...scores.keys()];
        if (search.sort === "best") score = (id) => scores.get(id) ?? 0;
      }
    }
  }
  const include = inc.canon.map((t) => t.id);
  if (scope.kind === "tag") include.push(scope.tagId);
  const query: BrowseQuery = {
    include: inc.missing > 0 ? [-1] : include, // a tag that does not exist matches nothing
    exclude: [...exc.canon.map((t) => t.id), ...rules.hiddenTagIds],
    excludeWorks: mutedWorks,
    restrict,
    sort: search.sort === "best" ? "revised" : search.sort,
    descending: search.descending,
    page: search.page,
    pageSize,
    facets: opts.facets ?? true,
    words: search.words,
    revised: search.revised,
    kudos: search.kudos,
    hits: search.hits,
    comments: search.comments,
    bookmarks: search.bookmarks,
    ...(score ? { score } : {}),
    ...(search.complete !== undefined ? { complete: search.complete } : {}),
    ...(search.singleChapter ? { singleChapter: true } : {}),
    ...(search.crossover ? { crossover: search.crossover } : {}),
    ...(search.language ? { language: search.language } : {}),
  };
  const result = await catalog.search(query, rules.showRestricted);
  let hidden = 0;
  if (rulesExclude(rules)) {
    const unfiltered = await catalog.search(
      {
        ...query,
        exclude: exc.canon.map((t) => t.id),
        excludeWorks: [],
        page: 1,
        pageSize: 1,
        facets: false,
      },
      rules.showRestricted,
    );
    hidden = unfiltered.total - result.total;
  }
  const facetIds = FACET_TYPES.flatMap((t) => result.facets[t].map((f) => f.tagId));
  // Facet labels from memory (kept current by the catch-up the search just ran).
  const [facetTags, works] = await Promise.all([
    blurbSourceOf(db, catalog).labels.get(facetIds),
    worksByIds(db, result.ids),
  ]);
  const facets = Object.fromEntries(
    FACET_TYPES.map((type) => [
      type,
      result.facets[type].flatMap((f) => {
        const tag = facetTags.get(f.tagId);
        return tag ? [{ tag, count: f.count }] : [];
      }),
    ]),
  ) as Record<FacetType, FacetEntry[]>;
  const allPages = Math.ceil(result.total / pageSize);
  return {
    ids: result.ids,
    works,
    total: result.total,
    hidden,
    pages: Math.min(allPages, limits.maxPage),
    capped: allPages > limits.maxPage,
    facets,
    included: inc.canon,
    excluded: exc.canon,
    notices,
  };
}
