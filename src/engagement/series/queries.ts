/**
 * Series as readers' engagement sees them (issue 15), beside what works/series/ answers (a
 * series' page, its totals): which series exist for a viewer in a bookmark listing, which
 * series a work is in, and the fandoms a series blurb names. Which works of a series a viewer
 * sees is works/visibility.ts `inSeriesTo`.
 */
import type { ExpressionBuilder } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import type { Database, Tag } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { inSeriesTo } from "../../works/visibility.ts";

/** Of the series in the query (`series.id`), those the viewer created. */
const createdBy = (eb: ExpressionBuilder<Database, "series">, userId: number) =>
  eb.exists(
    eb
      .selectFrom("series_creatorships")
      .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
      .select("series_creatorships.series_id")
      .whereRef("series_creatorships.series_id", "=", "series.id")
      .where("pseuds.user_id", "=", userId),
  );

/**
 * The condition on `series.id` for a series that exists for `viewer`: one they created, or one
 * with a work they see in it (works/series/load.ts `loadSeries`' rule, for listings).
 */
export function seriesShownTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "series">) => {
    const withWork = eb.exists(
      eb
        .selectFrom("series_works")
        .innerJoin("works", "works.id", "series_works.work_id")
        .select("series_works.work_id")
        .whereRef("series_works.series_id", "=", "series.id")
        .where(inSeriesTo(viewer)),
    );
    return viewer.user ? eb.or([withWork, createdBy(eb, viewer.user.id)]) : withWork;
  };
}

/** The series a work is in (or just `onlyId`, when it is one of them), oldest series first. */
export function seriesOfWork(db: Queryable, workId: number, onlyId?: number) {
  return db
    .selectFrom("series_works")
    .innerJoin("series", "series.id", "series_works.series_id")
    .select(["series.id", "series.title"])
    .where("series_works.work_id", "=", workId)
    .$if(onlyId !== undefined, (q) => q.where("series.id", "=", onlyId!))
    .orderBy("series.id")
    .execute();
}

/** The stored rows of these series (presented by works/series/present.ts). */
export function seriesRows(db: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("series").selectAll().where("id", "in", ids).execute();
}

/**
 * The fandoms of the works `viewer` sees in each series, by name, by series id: what a series
 * blurb names under its title.
 */
export async function fandomsOfSeries(
  db: Queryable,
  viewer: Viewer,
  ids: readonly number[],
): Promise<Map<number, Pick<Tag, "id" | "name">[]>> {
  const out = new Map<number, Pick<Tag, "id" | "name">[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .innerJoin("work_tags", "work_tags.work_id", "works.id")
    .innerJoin("tags", "tags.id", "work_tags.tag_id")
    .select(["series_works.series_id", "tags.id", "tags.name"])
    .distinct()
    .where("series_works.series_id", "in", ids)
    .where("tags.type", "=", "fandom")
    .where(inSeriesTo(viewer))
    .orderBy("series_works.series_id")
    .orderBy("tags.name")
    .execute();
  for (const r of rows) {
    const list = out.get(r.series_id) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.series_id, list);
  }
  return out;
}
