/**
 * Facet counts of recent queries (issue 16: counting them was a twentieth of a listing's CPU,
 * and readers page and re-sort the same filters). Facets depend on which works match, never
 * on the sort or the page, so the key is the filters alone; the index drops everything on any
 * write that can change a match (a work added, edited or removed, a tag retyped). Counts
 * change with every kudos and hit, so queries that filter on them are not kept, and only a
 * change of counts leaves the cache as it is.
 */
import type { BrowseQuery, CountRange, Facets } from "./browse-types.ts";
import { setBounded } from "../../core/bounded-map.ts";

const MAX_ENTRIES = 256;
/** Longer lists (a candidate set, many muted works) make keys costlier than counting. */
const MAX_LISTED = 64;

/** Listings pass every range, most of them open (`{}`): only a bound filters. */
const bounded = (r: CountRange | undefined) =>
  r !== undefined && (r.min !== undefined || r.max !== undefined);

export class FacetCache {
  private readonly entries = new Map<string, Facets>();

  /** The key of a query's facets, or null when they are not kept. */
  keyOf(q: BrowseQuery, includeSlots: readonly number[], loggedIn: boolean): string | null {
    if (q.restrict || bounded(q.kudos) || bounded(q.hits) || bounded(q.comments)) return null;
    if (bounded(q.bookmarks)) return null;
    const hidden = q.excludeWorks ?? [];
    if (q.exclude.length > MAX_LISTED || hidden.length > MAX_LISTED) return null;
    const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b).join(",");
    return JSON.stringify([
      loggedIn,
      sorted(includeSlots),
      sorted(q.exclude),
      sorted(hidden),
      q.complete,
      q.singleChapter,
      q.crossover,
      q.language,
      q.words,
      q.revised,
      q.published,
    ]);
  }

  get(key: string): Facets | undefined {
    return this.entries.get(key);
  }

  set(key: string, facets: Facets): void {
    setBounded(this.entries, key, facets, MAX_ENTRIES);
  }

  clear(): void {
    if (this.entries.size > 0) this.entries.clear();
  }
}
