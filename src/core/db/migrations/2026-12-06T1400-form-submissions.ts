// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * One-time form submission keys (issue 10): a form that creates something carries a random
 * nonce, and a repeat of the same submission gets the first one's answer instead of a second
 * row. `key` is a keyed hash of who sent it, where, the nonce and the fields; a row is
 * 'pending' while the first request runs, then 'done' with the answer it gave.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("form_submissions")
    .addColumn("key", "varchar(64)", (c) => c.primaryKey())
    .addColumn("state", "varchar(8)", (c) => c.notNull())
    .addColumn("status", "integer")
    .addColumn("location", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  // Keys are kept for a day; the pruning job deletes by age.
  await db.schema
    .createIndex("form_submissions_created")
    .on("form_submissions")
    .column("created_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("form_submissions").execute();
}
