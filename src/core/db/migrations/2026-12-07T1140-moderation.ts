// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Reports and moderator actions (moderation/): what readers and guests report, with a snapshot
 * of the content as it was when reported, and how a moderator resolved it. The actions
 * themselves use columns of 2026-12-07T1100-community (hidden_reason, suspended_until,
 * banned_at) and the audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("reports")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer", (c) => c.notNull())
    .addColumn("subject_user_id", "integer")
    .addColumn("reporter_user_id", "integer")
    .addColumn("reporter_email", "text")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("resolved_by_user_id", "integer")
    .addColumn("resolution", "text")
    .addColumn("resolved_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("reports_by_status")
    .on("reports")
    .columns(["status", "id"])
    .execute();
  await db.schema
    .createIndex("reports_by_subject")
    .on("reports")
    .columns(["subject_type", "subject_id"])
    .execute();
  await db.schema
    .createIndex("reports_by_subject_user")
    .on("reports")
    .columns(["subject_user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reports").execute();
}
