/**
 * A series as its blurb shows it in bookmark listings (issue 15): works/series/present.ts's
 * view of it for the reader, with the fandoms of the works they see and its bookmark count.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { Viewer } from "../../core/viewer.ts";
import { tagWorksPath } from "../../tags/names.ts";
import type { TagLink } from "../../works/present.ts";
import {
  presentSeriesList,
  type SeriesView as SeriesPageView,
} from "../../works/series/present.ts";
import { fandomsOfSeries, seriesRows } from "../series/queries.ts";
import { seriesBookmarkCounts } from "./series-queries.ts";

export interface SeriesView extends SeriesPageView {
  fandoms: TagLink[];
  bookmarks: number;
}

/** The blurbs of these series for `viewer`, by id (series deleted meanwhile are missing). */
export async function seriesViews(
  db: Queryable,
  viewer: Viewer,
  ids: readonly number[],
): Promise<Map<number, SeriesView>> {
  const [rows, fandoms, counts] = await Promise.all([
    seriesRows(db, ids),
    fandomsOfSeries(db, viewer, ids),
    seriesBookmarkCounts(db, ids),
  ]);
  const views = await presentSeriesList(db, viewer, rows);
  return new Map(
    views.map((v) => [
      v.id,
      {
        ...v,
        fandoms: (fandoms.get(v.id) ?? []).map((t) => ({
          name: t.name,
          url: tagWorksPath(t.name),
        })),
        bookmarks: counts.get(v.id) ?? 0,
      },
    ]),
  );
}

/** One series' blurb for `viewer` (callers have checked that it exists for them). */
export async function seriesView(
  db: Queryable,
  viewer: Viewer,
  seriesId: number,
): Promise<SeriesView | null> {
  return (await seriesViews(db, viewer, [seriesId])).get(seriesId) ?? null;
}
