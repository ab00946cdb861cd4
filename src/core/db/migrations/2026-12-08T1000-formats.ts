// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Formats in and out (issue 14): the text format a writer last chose (works/text-formats),
 * personal read-only feed tokens for OPDS and Atom (feeds/), and uploads kept between an
 * import's preview and its confirmation (import/).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  // "rich" | "html" | "markdown" | "plain"
  await db.schema
    .alterTable("users")
    .addColumn("text_format", "text", (c) => c.notNull().defaultTo("rich"))
    .execute();
  await db.schema
    .createTable("feed_tokens")
    .addColumn("user_id", "integer", (c) =>
      c.primaryKey().references("users.id").onDelete("cascade"),
    )
    // sha256 (hex) of the token in the feed's address; the token itself is never stored.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("import_uploads")
    // Random, unguessable; the file is DATA_DIR/imports/<id>.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("import_uploads_by_user")
    .on("import_uploads")
    .columns(["user_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_uploads").execute();
  await db.schema.dropTable("feed_tokens").execute();
  await db.schema.alterTable("users").dropColumn("text_format").execute();
}
