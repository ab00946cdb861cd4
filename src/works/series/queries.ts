/**
 * Series (issue 15): the only SQL about `series`, `series_creatorships` and `series_works`
 * in works/. What a reader sees of a series goes through `inSeriesTo()` (works/visibility.ts).
 */
import type { Insertable, Selectable, Updateable } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import { preparedForIds } from "../../core/db/prepared.ts";
import type { SeriesTable, Work } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { inSeriesTo } from "../visibility.ts";

export type Series = Selectable<SeriesTable>;

export async function insertSeries(db: Queryable, row: Insertable<SeriesTable>): Promise<number> {
  const inserted = await db
    .insertInto("series")
    .values(row)
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export function findSeries(db: Queryable, id: number): Promise<Series | undefined> {
  return db.selectFrom("series").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateSeries(db: Queryable, id: number, changes: Updateable<SeriesTable>) {
  await db.updateTable("series").set(changes).where("id", "=", id).execute();
}

/** Deletes the series; its creatorships and places go with it (ON DELETE CASCADE), its works stay. */
export async function deleteSeries(db: Queryable, id: number) {
  await db.deleteFrom("series").where("id", "=", id).execute();
}

export async function addSeriesCreator(db: Queryable, seriesId: number, pseudId: number) {
  await db
    .insertInto("series_creatorships")
    .values({ series_id: seriesId, pseud_id: pseudId })
    .execute();
}

export interface SeriesCreator {
  seriesId: number;
  pseudId: number;
  pseudName: string;
  userId: number;
  login: string;
}

/** Creators of many series at once, in byline order. */
export async function creatorsOfSeries(
  db: Queryable,
  seriesIds: readonly number[],
): Promise<Map<number, SeriesCreator[]>> {
  const bySeries = new Map<number, SeriesCreator[]>();
  if (seriesIds.length === 0) return bySeries;
  const rows = await db
    .selectFrom("series_creatorships")
    .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select([
      "series_creatorships.series_id as seriesId",
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
      "users.id as userId",
      "users.login as login",
    ])
    .where("series_creatorships.series_id", "in", seriesIds)
    .orderBy("series_creatorships.series_id")
    .orderBy("series_creatorships.position")
    .orderBy("pseuds.id")
    .execute();
  for (const row of rows) {
    const list = bySeries.get(row.seriesId) ?? [];
    list.push(row);
    bySeries.set(row.seriesId, list);
  }
  return bySeries;
}

/** The series any of the user's pseuds created, by title: the work form's choice. */
export function seriesCreatedBy(
  db: Queryable,
  userId: number,
): Promise<{ id: number; title: string }[]> {
  return db
    .selectFrom("series")
    .select(["series.id", "series.title"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("series_creatorships")
          .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
          .select("series_creatorships.series_id")
          .whereRef("series_creatorships.series_id", "=", "series.id")
          .where("pseuds.user_id", "=", userId),
      ),
    )
    .orderBy("series.title")
    .orderBy("series.id")
    .execute();
}

/** Whether any of the user's pseuds is credited on the series. */
export async function isSeriesCreator(
  db: Queryable,
  userId: number,
  seriesId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("series_creatorships")
    .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
    .select("series_creatorships.series_id")
    .where("series_creatorships.series_id", "=", seriesId)
    .where("pseuds.user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The user's pseud credited on the work (the first, if several): a new series' creator. */
export async function pseudOnWork(
  db: Queryable,
  userId: number,
  workId: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("creatorships.pseud_id")
    .where("creatorships.work_id", "=", workId)
    .where("pseuds.user_id", "=", userId)
    .orderBy("creatorships.position")
    .orderBy("creatorships.pseud_id")
    .executeTakeFirst();
  return row?.pseud_id;
}

/** Every work of the series in order, whoever may see it: what the commands renumber. */
export async function seriesWorkIds(db: Queryable, seriesId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("series_works")
    .select("work_id")
    .where("series_id", "=", seriesId)
    .orderBy("position")
    .orderBy("work_id")
    .execute();
  return rows.map((r) => r.work_id);
}

/** Numbers the series' works 1..n in the order given (only rows whose place changed). */
export async function setSeriesPositions(
  db: Queryable,
  seriesId: number,
  workIds: readonly number[],
): Promise<void> {
  const rows = await db
    .selectFrom("series_works")
    .select(["work_id", "position"])
    .where("series_id", "=", seriesId)
    .execute();
  const current = new Map(rows.map((r) => [r.work_id, r.position]));
  for (const [i, workId] of workIds.entries()) {
    if (current.get(workId) === i + 1) continue;
    await db
      .updateTable("series_works")
      .set({ position: i + 1 })
      .where("series_id", "=", seriesId)
      .where("work_id", "=", workId)
      .execute();
  }
}

export async function addSeriesWork(
  db: Queryable,
  seriesId: number,
  workId: number,
  position: number,
): Promise<void> {
  await db
    .insertInto("series_works")
    .values({ series_id: seriesId, work_id: workId, position })
    .execute();
}

export async function removeSeriesWork(db: Queryable, seriesId: number, workId: number) {
  await db
    .deleteFrom("series_works")
    .where("series_id", "=", seriesId)
    .where("work_id", "=", workId)
    .execute();
}

/** The series a work is in (whoever may see them). */
export async function seriesIdsOfWork(db: Queryable, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("series_works")
    .select("series_id")
    .where("work_id", "=", workId)
    .orderBy("series_id")
    .execute();
  return rows.map((r) => r.series_id);
}

export interface SeriesPlace {
  seriesId: number;
  title: string;
  /** The work's "Part N". */
  position: number;
}

/** Built once per list length (core/db/prepared.ts): listings ask for every page's works. */
const seriesOfWorksQuery = preparedForIds((db, workIds) =>
  db
    .selectFrom("series_works")
    .innerJoin("series", "series.id", "series_works.series_id")
    .select([
      "series_works.work_id as workId",
      "series.id as seriesId",
      "series.title as title",
      "series_works.position as position",
    ])
    .where("series_works.work_id", "in", workIds)
    .orderBy("series_works.work_id")
    .orderBy("series.id"),
);

/** The series of a work, with its current title and part, for a blurb or the edit form. */
export async function seriesOfWorks(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, SeriesPlace[]>> {
  const byWork = new Map<number, SeriesPlace[]>();
  if (workIds.length === 0) return byWork;
  const rows = await seriesOfWorksQuery(db, workIds);
  for (const { workId, ...place } of rows) {
    const list = byWork.get(workId) ?? [];
    list.push(place);
    byWork.set(workId, list);
  }
  return byWork;
}

export interface SeriesNeighbours extends SeriesPlace {
  /** The nearest work before this one that the viewer sees in the series, if any. */
  previousId: number | null;
  nextId: number | null;
}

/** A work's series with its neighbours the viewer may see: the work page's "← Previous Work". */
export async function seriesNeighboursOf(
  db: Queryable,
  viewer: Viewer,
  workId: number,
): Promise<SeriesNeighbours[]> {
  const rows = await db
    .selectFrom("series_works as mine")
    .innerJoin("series", "series.id", "mine.series_id")
    .select((eb) => [
      "series.id as seriesId",
      "series.title as title",
      "mine.position as position",
      eb
        .selectFrom("series_works")
        .innerJoin("works", "works.id", "series_works.work_id")
        .select("series_works.work_id")
        .whereRef("series_works.series_id", "=", "mine.series_id")
        .whereRef("series_works.position", "<", "mine.position")
        .where(inSeriesTo(viewer))
        .orderBy("series_works.position", "desc")
        .limit(1)
        .as("previousId"),
      eb
        .selectFrom("series_works")
        .innerJoin("works", "works.id", "series_works.work_id")
        .select("series_works.work_id")
        .whereRef("series_works.series_id", "=", "mine.series_id")
        .whereRef("series_works.position", ">", "mine.position")
        .where(inSeriesTo(viewer))
        .orderBy("series_works.position", "asc")
        .limit(1)
        .as("nextId"),
    ])
    .where("mine.work_id", "=", workId)
    .orderBy("series.id")
    .execute();
  return rows.map((r) => ({
    seriesId: r.seriesId,
    title: r.title,
    position: r.position,
    previousId: r.previousId ?? null,
    nextId: r.nextId ?? null,
  }));
}

/** One page of the works `viewer` sees in a series, in order, with their parts and the total. */
export async function seriesWorksFor(
  db: Queryable,
  viewer: Viewer,
  seriesId: number,
  page: { number: number; size: number },
): Promise<{ works: Work[]; total: number }> {
  const q = db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .where("series_works.series_id", "=", seriesId)
    .where(inSeriesTo(viewer));
  const [works, count] = await Promise.all([
    q
      .selectAll("works")
      .orderBy("series_works.position")
      .orderBy("works.id")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { works, total: Number(count.n) };
}

/** Every work of the series `viewer` sees, with its part: the edit page's order. */
export function seriesPartsFor(
  db: Queryable,
  viewer: Viewer,
  seriesId: number,
): Promise<{ id: number; title: string; position: number }[]> {
  return db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .select(["works.id", "works.title", "series_works.position"])
    .where("series_works.series_id", "=", seriesId)
    .where(inSeriesTo(viewer))
    .orderBy("series_works.position")
    .orderBy("works.id")
    .execute();
}

/** What a series adds up to for one viewer: over the works they see in it. */
export interface SeriesTotals {
  works: number;
  words: number;
  /** Every work the viewer sees is complete (and there is one). */
  complete: boolean;
  /** The first publication among them, null when there is none. */
  begunAt: number | null;
  /** The last revision among them. */
  updatedAt: number | null;
}

export const NO_TOTALS: SeriesTotals = {
  works: 0,
  words: 0,
  complete: false,
  begunAt: null,
  updatedAt: null,
};

/** Totals of many series for one viewer, in one query. */
export async function seriesTotals(
  db: Queryable,
  viewer: Viewer,
  seriesIds: readonly number[],
): Promise<Map<number, SeriesTotals>> {
  const totals = new Map<number, SeriesTotals>();
  if (seriesIds.length === 0) return totals;
  const rows = await db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .select((eb) => [
      "series_works.series_id as seriesId",
      eb.fn.countAll<number | string>().as("works"),
      eb.fn.sum<number | string | null>("works.word_count").as("words"),
      eb.fn.min<number | string | null>("works.complete").as("complete"),
      eb.fn.min<number | string | null>("works.published_at").as("begunAt"),
      eb.fn.max<number | string | null>("works.revised_at").as("updatedAt"),
    ])
    .where("series_works.series_id", "in", seriesIds)
    .where(inSeriesTo(viewer))
    .groupBy("series_works.series_id")
    .execute();
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  for (const r of rows) {
    totals.set(r.seriesId, {
      works: Number(r.works),
      words: num(r.words) ?? 0,
      complete: Number(r.works) > 0 && num(r.complete) === 1,
      begunAt: num(r.begunAt),
      updatedAt: num(r.updatedAt),
    });
  }
  return totals;
}

/**
 * One page of the series a user (or one pseud) created that `viewer` may open: those with a
 * work they see, or all of them for a creator. Most recently updated (as the viewer sees it)
 * first, so an anonymous work's arrival does not move its series up for others.
 */
export async function listSeriesBy(
  db: Queryable,
  viewer: Viewer,
  by: { userId: number } | { pseudId: number },
  page: { number: number; size: number },
): Promise<{ series: Series[]; total: number }> {
  const viewerId = viewer.user?.id ?? null;
  const q = db.selectFrom("series").where((eb) => {
    const credited = eb
      .selectFrom("series_creatorships")
      .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
      .select("series_creatorships.series_id")
      .whereRef("series_creatorships.series_id", "=", "series.id");
    const shown = eb.exists(
      eb
        .selectFrom("series_works")
        .innerJoin("works", "works.id", "series_works.work_id")
        .select("series_works.work_id")
        .whereRef("series_works.series_id", "=", "series.id")
        .where(inSeriesTo(viewer)),
    );
    return eb.and([
      eb.exists(
        "userId" in by
          ? credited.where("pseuds.user_id", "=", by.userId)
          : credited.where("series_creatorships.pseud_id", "=", by.pseudId),
      ),
      viewerId === null
        ? shown
        : eb.or([shown, eb.exists(credited.where("pseuds.user_id", "=", viewerId))]),
    ]);
  });
  const [series, count] = await Promise.all([
    q
      .selectAll("series")
      .orderBy(
        (eb) =>
          eb.fn.coalesce(
            eb
              .selectFrom("series_works")
              .innerJoin("works", "works.id", "series_works.work_id")
              .select((inner) => inner.fn.max("works.revised_at").as("latest"))
              .whereRef("series_works.series_id", "=", "series.id")
              .where(inSeriesTo(viewer)),
            "series.updated_at",
          ),
        "desc",
      )
      .orderBy("series.id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { series, total: Number(count.n) };
}
