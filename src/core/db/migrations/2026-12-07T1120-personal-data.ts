// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Data exports and closing accounts (personal-data/): one row per archive a person asked for
 * (the file itself lives under the data directory, `exports/`), and a mark on the comments of
 * an account that was deleted, so they stay readable as "(deleted account)" and are never
 * taken for a guest's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("data_exports")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("size", time)
    .addColumn("error", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("finished_at", time)
    .addColumn("expires_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("data_exports_by_user")
    .on("data_exports")
    .columns(["user_id", "id"])
    .execute();
  await db.schema
    .createIndex("data_exports_expiry")
    .on("data_exports")
    .column("expires_at")
    .execute();
  await db.schema.alterTable("comments").addColumn("author_deleted_at", time).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("comments").dropColumn("author_deleted_at").execute();
  await db.schema.dropTable("data_exports").execute();
}
