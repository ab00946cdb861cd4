// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * A change log that in-process indexes (tag autocomplete now, search later) follow: each
 * process reads the entries after the last one it saw, so several processes stay current.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("changes")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("entity", "varchar(20)", (c) => c.notNull())
    .addColumn("entity_id", "integer", (c) => c.notNull())
    .addColumn("created_at", pg ? "bigint" : "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("changes_entity").on("changes").columns(["entity", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("changes").execute();
}
