// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * What a reader asked never to see (tags, and users they muted), and the searches they
 * saved. Applied server-side to every listing, so counts and pages stay right.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("excluded_tags")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("excluded_tags_pk", ["user_id", "tag_id"])
    .execute();
  await db.schema
    .createTable("muted_users")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("muted_user_id", "integer", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("muted_users_pk", ["user_id", "muted_user_id"])
    .execute();
  await db.schema
    .createTable("saved_searches")
    .addColumn("id", pg ? "serial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "varchar(100)", (c) => c.notNull())
    .addColumn("path", "varchar(200)", (c) => c.notNull())
    .addColumn("query", "varchar(4000)", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("saved_searches_user")
    .on("saved_searches")
    .columns(["user_id", "name"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("saved_searches").execute();
  await db.schema.dropTable("muted_users").execute();
  await db.schema.dropTable("excluded_tags").execute();
}
