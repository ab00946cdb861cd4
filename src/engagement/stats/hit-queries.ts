/** Who has been counted as a hit today, and the chapter-only part of a hit. */
import { sql } from "kysely";
import type { Queryable } from "../../core/db/index.ts";

/**
 * Records that `visitor` saw the work (chapterId 0) or a chapter on `day`; true only for the
 * first time that day. The primary key makes concurrent first views insert one row.
 */
export async function claimVisit(
  db: Queryable,
  visit: { workId: number; chapterId: number; day: number; visitor: string },
): Promise<boolean> {
  const result = await db
    .insertInto("hit_visitors")
    .values({
      work_id: visit.workId,
      chapter_id: visit.chapterId,
      day: visit.day,
      visitor: visit.visitor,
    })
    .onConflict((oc) => oc.columns(["day", "work_id", "chapter_id", "visitor"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * A chapter hit from a visitor the work already counted today: only the chapter's daily row
 * grows (`bumpCounts` would count the work a second time).
 */
export async function bumpChapterHit(
  db: Queryable,
  hit: { workId: number; chapterId: number; day: number },
): Promise<void> {
  await db
    .insertInto("work_daily_stats")
    .values({ work_id: hit.workId, chapter_id: hit.chapterId, day: hit.day, hits: 1 })
    .onConflict((oc) =>
      oc
        .columns(["work_id", "chapter_id", "day"])
        .doUpdateSet({ hits: sql<number>`work_daily_stats.hits + 1` }),
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
