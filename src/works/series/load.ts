/** Loads one series for a page, and applies its visibility rule (issue 15). */
import { notFound } from "../../core/http/errors.ts";
import type { AppDeps } from "../../core/http/route.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { seriesPolicy } from "./policy.ts";
import { presentSeries, type SeriesView } from "./present.ts";
import {
  creatorsOfSeries,
  findSeries,
  NO_TOTALS,
  seriesTotals,
  type Series,
  type SeriesCreator,
} from "./queries.ts";

export interface LoadedSeries {
  series: Series;
  creators: SeriesCreator[];
  isCreator: boolean;
  view: SeriesView;
}

/**
 * The series, or a 404 when it does not exist, or when the viewer sees none of its works
 * (drafts, restricted for guests, hidden, anonymous, unrevealed, or none at all) and is not
 * one of its creators: a series shows only what its works show.
 */
export async function loadSeries(
  deps: Pick<AppDeps, "db">,
  viewer: Viewer,
  seriesId: number,
): Promise<LoadedSeries> {
  const series = await findSeries(deps.db, seriesId);
  if (!series) throw notFound("series");
  const [creatorMap, totalMap] = await Promise.all([
    creatorsOfSeries(deps.db, [seriesId]),
    seriesTotals(deps.db, viewer, [seriesId]),
  ]);
  const creators = creatorMap.get(seriesId) ?? [];
  const totals = totalMap.get(seriesId) ?? NO_TOTALS;
  const isCreator = creators.some((c) => c.userId === viewer.user?.id);
  if (!isCreator && totals.works === 0) throw notFound("series");
  return { series, creators, isCreator, view: presentSeries(series, creators, totals, viewer) };
}

/** A series the user may change: 404 as for reading it, then 403 unless they are its creator. */
export async function loadOwnSeries(
  deps: Pick<AppDeps, "db">,
  user: ViewerUser,
  viewer: Viewer,
  seriesId: number,
  action: "edit" | "delete" = "edit",
): Promise<LoadedSeries> {
  const loaded = await loadSeries(deps, viewer, seriesId);
  seriesPolicy.authorize(user, action, { creatorUserIds: loaded.creators.map((c) => c.userId) });
  return loaded;
}
