// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/**
 * Bookmarks of a series (issue 15). AO3 keeps one bookmarks table for every bookmarkable
 * thing; so does Fanfold: a series bookmark is a `bookmarks` row with `series_id` set and no
 * work (`work_id` null, `work_ref` 0: work ids start at 1, and a deleted work's bookmark
 * always has `series_id` null). Its ids, tags, privacy, recs, moderation and personal-data
 * export are the work bookmarks' own. A deleted series takes its bookmarks with it (their tags
 * follow by the existing cascade). Adding a nullable column with a foreign key needs no table
 * rebuild on SQLite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("bookmarks")
    .addColumn("series_id", "integer", (c) => c.references("series.id").onDelete("cascade"))
    .execute();
  // One bookmark per user per series (null series ids, the work bookmarks, never collide).
  await db.schema
    .createIndex("bookmarks_user_series")
    .on("bookmarks")
    .columns(["user_id", "series_id"])
    .unique()
    .execute();
  // A series' bookmarks, newest first, and its count.
  await db.schema
    .createIndex("bookmarks_series")
    .on("bookmarks")
    .columns(["series_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("bookmarks").where("series_id", "is not", null).execute();
  await db.schema.dropIndex("bookmarks_series").execute();
  await db.schema.dropIndex("bookmarks_user_series").execute();
  await db.schema.alterTable("bookmarks").dropColumn("series_id").execute();
}
