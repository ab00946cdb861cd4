/** Turns series rows into what their pages show, with the counts one viewer sees (issue 15). */
import type { Queryable } from "../../core/db/index.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { formatDate, formatNumber } from "../../core/views/format.ts";
import type { Viewer } from "../../core/viewer.ts";
import { creatorLink, type CreatorLink } from "../present.ts";
import { seriesPath } from "./markup.tsx";
import { seriesPolicy } from "./policy.ts";
import {
  creatorsOfSeries,
  NO_TOTALS,
  seriesTotals,
  type Series,
  type SeriesCreator,
  type SeriesTotals,
} from "./queries.ts";

export interface SeriesView {
  id: number;
  url: string;
  title: string;
  creators: CreatorLink[];
  creatorUserIds: number[];
  summaryHtml: SanitizedHtml;
  notesHtml: SanitizedHtml;
  /** "Series Begun": the first of its works the viewer sees was published then. */
  begun: string;
  /** "Series Updated": the last revision among them. */
  updated: string;
  words: string;
  works: string;
  complete: boolean;
  canEdit: boolean;
}

export function presentSeries(
  series: Series,
  creators: readonly SeriesCreator[],
  totals: SeriesTotals,
  viewer: Viewer,
): SeriesView {
  const creatorUserIds = creators.map((c) => c.userId);
  return {
    id: series.id,
    url: seriesPath(series.id),
    title: series.title,
    // A series names its creators: its anonymous works are left out of it instead.
    creators: creators.map((c) => creatorLink({ ...c, workId: 0 })),
    creatorUserIds,
    summaryHtml: series.summary_html,
    notesHtml: series.notes_html,
    begun: formatDate(totals.begunAt ?? series.created_at),
    updated: formatDate(totals.updatedAt ?? series.updated_at),
    words: formatNumber(totals.words),
    works: formatNumber(totals.works),
    complete: totals.complete,
    canEdit: seriesPolicy.can(viewer.user, "edit", { creatorUserIds }),
  };
}

/** Presents many series with two queries (creators, totals), whatever their number. */
export async function presentSeriesList(
  db: Queryable,
  viewer: Viewer,
  series: readonly Series[],
): Promise<SeriesView[]> {
  const ids = series.map((s) => s.id);
  const [creators, totals] = await Promise.all([
    creatorsOfSeries(db, ids),
    seriesTotals(db, viewer, ids),
  ]);
  return series.map((s) =>
    presentSeries(s, creators.get(s.id) ?? [], totals.get(s.id) ?? NO_TOTALS, viewer),
  );
}
