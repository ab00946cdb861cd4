/** Who has been counted as a hit, and the counters a batch of new visits adds to. */
import { sql } from "kysely";
import { recordChanges } from "../../core/db/changes.ts";
import type { Db, Queryable } from "../../core/db/index.ts";

/** A visitor's view of a work (chapterId 0) or of one of its chapters on a UTC day. */
export interface Visit {
  workId: number;
  chapterId: number;
  day: number;
  visitor: string;
}

/** Rows per statement: far below either engine's limit on bound parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Writes a batch of visits in one transaction, with the meaning a page view always had: a
 * visit counts only the first time that visitor is seen that day (the primary key of
 * `hit_visitors` decides, across processes too); a new work visit adds one hit to the work's
 * total and to its daily row, a new chapter visit one to the chapter's daily row; the works
 * whose totals grew are recorded in the change log ("counts") for the search index. Visits of
 * works deleted since they were recorded are left out.
 */
export async function writeHits(db: Db, visits: readonly Visit[], now: number): Promise<void> {
  if (visits.length === 0) return;
  await db.transaction().execute(async (tx) => {
    const existing = await existingWorks(tx, [...new Set(visits.map((v) => v.workId))]);
    const claimed: Visit[] = [];
    for (const part of chunks(visits.filter((v) => existing.has(v.workId))))
      claimed.push(...(await claimVisits(tx, part)));
    if (claimed.length === 0) return;

    const workHits = new Map<number, number>();
    const daily = new Map<string, { workId: number; chapterId: number; day: number; n: number }>();
    for (const v of claimed) {
      if (v.chapterId === 0) workHits.set(v.workId, (workHits.get(v.workId) ?? 0) + 1);
      const key = `${v.workId}:${v.chapterId}:${v.day}`;
      const row = daily.get(key);
      if (row) row.n++;
      else daily.set(key, { workId: v.workId, chapterId: v.chapterId, day: v.day, n: 1 });
    }
    for (const part of chunks([...workHits])) await addWorkHits(tx, part, now);
    for (const part of chunks([...daily.values()])) await addDailyHits(tx, part);
    if (workHits.size > 0) await recordChanges(tx, "counts", [...workHits.keys()], now);
  });
}

async function existingWorks(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom("works").select("id").where("id", "in", part).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Inserts the visits not yet seen that day and answers those (the others are no-ops). */
async function claimVisits(db: Queryable, visits: readonly Visit[]): Promise<Visit[]> {
  const rows = await db
    .insertInto("hit_visitors")
    .values(
      visits.map((v) => ({
        work_id: v.workId,
        chapter_id: v.chapterId,
        day: v.day,
        visitor: v.visitor,
      })),
    )
    .onConflict((oc) => oc.columns(["day", "work_id", "chapter_id", "visitor"]).doNothing())
    .returning(["work_id", "chapter_id", "day", "visitor"])
    .execute();
  return rows.map((r) => ({
    workId: r.work_id,
    chapterId: r.chapter_id,
    day: r.day,
    visitor: r.visitor,
  }));
}

/** Adds hits to works' totals (one row per work: an upsert may not touch a row twice). */
async function addWorkHits(
  db: Queryable,
  hits: readonly (readonly [number, number])[],
  now: number,
) {
  await db
    .insertInto("work_stats")
    .values(hits.map(([workId, n]) => ({ work_id: workId, hits: n, updated_at: now })))
    .onConflict((oc) =>
      oc.column("work_id").doUpdateSet((eb) => ({
        hits: sql<number>`${eb.ref("work_stats.hits")} + ${eb.ref("excluded.hits")}`,
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Adds hits to daily rows (chapter 0: the work's row), one row per work, chapter and day. */
async function addDailyHits(
  db: Queryable,
  rows: readonly { workId: number; chapterId: number; day: number; n: number }[],
) {
  await db
    .insertInto("work_daily_stats")
    .values(
      rows.map((r) => ({ work_id: r.workId, chapter_id: r.chapterId, day: r.day, hits: r.n })),
    )
    .onConflict((oc) =>
      oc.columns(["work_id", "chapter_id", "day"]).doUpdateSet((eb) => ({
        hits: sql<number>`${eb.ref("work_daily_stats.hits")} + ${eb.ref("excluded.hits")}`,
      })),
    )
    .execute();
}

/** Forgets visitors of days before `keepFromDay` (they can no longer be counted twice). */
export async function pruneVisitors(db: Queryable, keepFromDay: number): Promise<number> {
  const result = await db
    .deleteFrom("hit_visitors")
    .where("day", "<", keepFromDay)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
