// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { sql, type Kysely } from "kysely";

/**
 * Job queue priorities: `jobs.priority`, lower runs first (in-site work such as inbox entries
 * before email). Existing jobs get 0. `jobs_claim` serves the claim query — due, unfailed jobs
 * in (priority, run_at, id) order, read in order with no sort — partial on `failed_at is null`
 * so kept failures cost the scan nothing. It replaces `jobs_due` (failed_at, run_at), which
 * SQLite would otherwise prefer, sorting every due job on each claim.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("jobs")
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("jobs_claim")
    .on("jobs")
    .columns(["priority", "run_at", "id"])
    .where(sql.ref("failed_at"), "is", null)
    .execute();
  await db.schema.dropIndex("jobs_due").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("jobs_due").on("jobs").columns(["failed_at", "run_at"]).execute();
  await db.schema.dropIndex("jobs_claim").execute();
  await db.schema.alterTable("jobs").dropColumn("priority").execute();
}
