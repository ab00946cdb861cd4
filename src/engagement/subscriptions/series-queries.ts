/** Subscriptions to series (issue 15): who follows one, and whether a reader does. */
import { PostgresAdapter } from "kysely";
import type { Queryable } from "../../core/db/index.ts";

/** Everyone subscribed to the series, each once, by id. */
export async function subscribersOfSeries(db: Queryable, seriesId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .select("user_id")
    .where("target_type", "=", "series")
    .where("target_id", "=", seriesId)
    .orderBy("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whether `userId` follows the series. */
export async function followsSeries(
  db: Queryable,
  userId: number,
  seriesId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("subscriptions")
    .select("id")
    .where("user_id", "=", userId)
    .where("target_type", "=", "series")
    .where("target_id", "=", seriesId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Holds the work's row until the transaction ends (PostgreSQL), so that two announcements of
 * one work (its posting, its joining two series at once) run one after the other: each sees
 * the other's notices, and nobody hears twice. SQLite runs one write transaction at a time.
 */
export async function lockForAnnouncing(db: Queryable, workId: number): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.selectFrom("works").select("id").where("id", "=", workId).forUpdate().execute();
}
