/** The series an address names, for engagement's routes (issue 15): works/series/ loads it. */
import { HttpError } from "../../core/http/errors.ts";
import type { AppDeps } from "../../core/http/route.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { loadSeries, type LoadedSeries } from "../../works/series/load.ts";

/** `/series/:seriesId/…`, as the series pages read it. */
export { SeriesParams } from "../../works/series/schemas.ts";

/**
 * The series, or a 404 when it does not exist for `viewer` (none of its works shown to them,
 * and not theirs): the series page's own rule.
 */
export const seriesOr404 = (deps: Pick<AppDeps, "db">, viewer: Viewer, id: number) =>
  loadSeries(deps, viewer, id);

/** The series, or null where its page would answer 404. */
export async function seriesIfShown(
  deps: Pick<AppDeps, "db">,
  viewer: Viewer,
  id: number,
): Promise<LoadedSeries | null> {
  try {
    return await loadSeries(deps, viewer, id);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}
