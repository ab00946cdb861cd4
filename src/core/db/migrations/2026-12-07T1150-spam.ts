// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Spam scores and held content (moderation/spam): one row per guest comment or new account's
 * first work that scored at or above the threshold (held), and per moderator "spam" mark,
 * with the moderator's decision once taken.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("spam_events")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    // "comment" | "work"; no foreign key: the row stays as a record if the content goes.
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("guest_key", "text")
    .addColumn("score", "integer", (c) => c.notNull())
    // JSON array of sentences.
    .addColumn("reasons", "text", (c) => c.notNull())
    // "held" | "released" | "spam"
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("decided_by_user_id", "integer")
    .addColumn("decided_at", time)
    .execute();
  await db.schema
    .createIndex("spam_events_by_status")
    .on("spam_events")
    .columns(["status", "id"])
    .execute();
  await db.schema
    .createIndex("spam_events_by_subject")
    .on("spam_events")
    .columns(["subject_type", "subject_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("spam_events").execute();
}
