// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/**
 * The daily kudos digest: `notifications.digest_day` says which UTC day (days since 1970) a
 * digest covers, and a unique index makes a second run for the same day insert nothing (NULLs
 * are distinct on both engines, so other notifications are unaffected). The index leads with
 * the day so the digest finds the last day it covered cheaply; `kudos_created` lets it read
 * one day's kudos without scanning them all.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").addColumn("digest_day", "integer").execute();
  await db.schema
    .createIndex("notifications_digest")
    .on("notifications")
    .columns(["digest_day", "user_id", "work_id"])
    .unique()
    .execute();
  await db.schema.createIndex("kudos_created").on("kudos").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("kudos_created").execute();
  await db.schema.dropIndex("notifications_digest").execute();
  await db.schema.alterTable("notifications").dropColumn("digest_day").execute();
}
