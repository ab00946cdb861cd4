/**
 * Works for a feed, found by the same search the site's listings use (search/listings), as one
 * reader sees them: a guest (Atom, the public catalog) or the reader a personal token stands
 * for. Catalogs add one rule of their own: adult works (the ratings that ask first on a work's
 * page, works/visibility.ts `needsAdultGate`) appear only for a reader who opted in to them in
 * preferences, since an e-reader cannot answer the adult-content question before a download.
 * Atom listing feeds carry blurbs, not text, and list what a guest's listing shows.
 */
import type { Work } from "../core/db/schema.ts";
import type { Queryable } from "../core/db/index.ts";
import type { Viewer } from "../core/viewer.ts";
import { findWorks, type Finder, type ListingScope } from "../search/listings/find-works.ts";
import type { WorkSearch } from "../search/listings/work-search-params.ts";
import { GATED_RATINGS } from "../tags/fixed.ts";
import { presentWorks, type WorkView } from "../works/present.ts";
import { ratingIdsNamed } from "./queries.ts";

export interface FeedReader {
  viewer: Viewer;
  /** Rating tag ids left out of every list (the adult ones, unless the reader opted in). */
  hideRatingIds: number[];
}

export async function feedReader(db: Queryable, viewer: Viewer): Promise<FeedReader> {
  const adult = viewer.user?.viewAdult === true;
  return { viewer, hideRatingIds: adult ? [] : await ratingIdsNamed(db, [...GATED_RATINGS]) };
}

export interface FeedWork {
  view: WorkView;
  row: Work;
}

export async function present(db: Queryable, viewer: Viewer, rows: Work[]): Promise<FeedWork[]> {
  const views = await presentWorks(db, viewer, rows);
  return views.map((view, i) => ({ view, row: rows[i]! }));
}

/** One page of a listing for the reader: the site's search, less what the reader may not get. */
export async function listingFor(
  finder: Finder,
  reader: FeedReader,
  scope: ListingScope,
  search: WorkSearch,
  pageSize: number,
) {
  const found = await findWorks(
    finder,
    reader.viewer,
    scope,
    { ...search, exclude: [...search.exclude, ...reader.hideRatingIds] },
    { facets: false, pageSize },
  );
  return { found, works: await present(finder.db, reader.viewer, found.works) };
}
