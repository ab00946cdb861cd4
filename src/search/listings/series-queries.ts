/**
 * The series filters of every work listing (issue 15): the works in a series, or in a complete
 * series, as a candidate set the catalog intersects (as a creator's listing does with
 * `workIdsBy`). A series is what `viewer` sees of it (works/visibility.ts `inSeriesTo`): a
 * work in an anonymous collection is in no series for readers, and a series is complete when
 * every work of it they see is complete (computed, never stored).
 */
import type { Queryable } from "../../core/db/index.ts";
import type { Viewer } from "../../core/viewer.ts";
import { inSeriesTo } from "../../works/visibility.ts";

/** Ids of the works in any series (`"any"`) or in a complete one, as `viewer` sees series. */
export async function seriesWorkIds(
  db: Queryable,
  viewer: Viewer,
  which: "any" | "complete",
): Promise<number[]> {
  const rows = await db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .select("series_works.work_id")
    .distinct()
    .where(inSeriesTo(viewer))
    .$if(which === "complete", (q) =>
      q.where("series_works.series_id", "in", (eb) =>
        // The inner `series_works` and `works` are the series' own rows (they shadow the outer).
        eb
          .selectFrom("series_works")
          .innerJoin("works", "works.id", "series_works.work_id")
          .select("series_works.series_id")
          .where(inSeriesTo(viewer))
          .groupBy("series_works.series_id")
          .having((h) => h.fn.min("works.complete"), "=", 1),
      ),
    )
    .execute();
  return rows.map((r) => r.work_id);
}
