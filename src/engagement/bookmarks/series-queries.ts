/**
 * Bookmarks of series (issue 15): rows of the same `bookmarks` table with `series_id` set (no
 * work: `work_id` null, `work_ref` 0). Listings, edits and deletion are the work bookmarks'
 * own (queries.ts); these are the few statements that differ.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { BookmarkFields } from "./queries.ts";

/** A new series bookmark, or undefined when the user has one of the series already. */
export async function insertSeriesBookmark(
  db: Queryable,
  b: BookmarkFields & { userId: number; seriesId: number },
  now: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto("bookmarks")
    .values({
      user_id: b.userId,
      series_id: b.seriesId,
      work_id: null,
      work_ref: 0,
      pseud_id: b.pseudId,
      notes_html: b.notesHtml,
      sanitizer_version: b.sanitizerVersion,
      private: b.private ? 1 : 0,
      rec: b.rec ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["user_id", "series_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** The user's bookmark of the series, if any. */
export function seriesBookmarkIdFor(db: Queryable, userId: number, seriesId: number) {
  return db
    .selectFrom("bookmarks")
    .select("id")
    .where("user_id", "=", userId)
    .where("series_id", "=", seriesId)
    .executeTakeFirst()
    .then((row) => row?.id);
}

/**
 * A series' bookmark count, as a work's is kept: public bookmarks a moderator has not hidden.
 * Counted when asked (one index range, `bookmarks_series`): series pages are few beside works.
 */
export async function seriesBookmarkCounts(
  db: Queryable,
  seriesIds: readonly number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (seriesIds.length === 0) return out;
  const rows = await db
    .selectFrom("bookmarks")
    .select((eb) => ["series_id", eb.fn.countAll<number | string>().as("n")])
    .where("series_id", "in", seriesIds)
    .where("private", "=", 0)
    .where("hidden_reason", "is", null)
    .groupBy("series_id")
    .execute();
  for (const r of rows) if (r.series_id !== null) out.set(r.series_id, Number(r.n));
  return out;
}

/** One series' bookmark count (see `seriesBookmarkCounts`). */
export async function seriesBookmarkCount(db: Queryable, seriesId: number): Promise<number> {
  return (await seriesBookmarkCounts(db, [seriesId])).get(seriesId) ?? 0;
}
