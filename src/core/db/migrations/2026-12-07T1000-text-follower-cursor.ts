// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * The full-text index follows the change log on its own (issue 12) and saves how far it got:
 * one row holding the id of the last change it has applied.
 *
 * Until now it followed the browse index, which handed it changes from memory, so nobody knows
 * how far an existing archive's text index got. It starts at 0: the first catch-up re-reads
 * what the log still holds (a day at most: older entries are pruned), which is idempotent and
 * also covers changes that migrations of this same upgrade recorded (T1600's tag rename). A
 * work it lacks altogether is still filled in at start-up, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("work_text_cursor")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("change_id", pg ? "bigint" : "integer", (c) => c.notNull())
    .execute();
  await db.insertInto("work_text_cursor").values({ id: 1, change_id: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("work_text_cursor").execute();
}
