// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type CreateTableBuilder, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // Timestamps are epoch milliseconds on both engines; flags are 0/1 integers.
  const time = pg ? "bigint" : "integer";
  const id = (name: string): CreateTableBuilder<string, "id"> => {
    const t = db.schema.createTable(name);
    return pg
      ? t.addColumn("id", "serial", (c) => c.primaryKey())
      : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
  };

  await id("users")
    .addColumn("login", "varchar(40)", (c) => c.notNull())
    .addColumn("login_key", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
    .addColumn("roles", "varchar(255)", (c) => c.notNull().defaultTo(""))
    .addColumn("view_adult", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();

  await id("pseuds")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "varchar(40)", (c) => c.notNull())
    .addColumn("name_key", "varchar(40)", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", time, (c) => c.notNull())
    .addUniqueConstraint("pseuds_user_name_key", ["user_id", "name_key"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey()) // sha256 of the cookie token
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("last_seen_at", time, (c) => c.notNull())
    .addColumn("expires_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await id("tags")
    .addColumn("name", "varchar(150)", (c) => c.notNull())
    .addColumn("name_key", "varchar(600)", (c) => c.notNull().unique())
    .addColumn("type", "varchar(20)", (c) => c.notNull())
    .addColumn("canonical", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tags_type_name").on("tags").columns(["type", "name_key"]).execute();

  await id("works")
    .addColumn("title", "varchar(255)", (c) => c.notNull())
    .addColumn("summary_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("end_notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    .addColumn("language", "varchar(20)", (c) => c.notNull())
    .addColumn("expected_chapters", "integer")
    .addColumn("chapter_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("word_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("complete", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("restricted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("posted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rating_id", "integer", (c) => c.notNull().references("tags.id"))
    .addColumn("published_at", time)
    .addColumn("revised_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("edited_at", time, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex("works_listing")
    .on("works")
    .columns(["posted", "revised_at", "id"])
    .execute();

  await db.schema
    .createTable("creatorships")
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("pseud_id", "integer", (c) => c.notNull().references("pseuds.id"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("creatorships_pk", ["work_id", "pseud_id"])
    .execute();
  await db.schema
    .createIndex("creatorships_pseud")
    .on("creatorships")
    .columns(["pseud_id", "work_id"])
    .execute();

  await db.schema
    .createTable("work_tags")
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("tags.id"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("work_tags_pk", ["work_id", "tag_id"])
    .execute();
  await db.schema
    .createIndex("work_tags_tag")
    .on("work_tags")
    .columns(["tag_id", "work_id"])
    .execute();

  await id("chapters")
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(255)", (c) => c.notNull().defaultTo(""))
    .addColumn("summary_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("end_notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("text_html", "text", (c) => c.notNull())
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    .addColumn("word_count", "integer", (c) => c.notNull())
    .addColumn("posted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("published_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("edited_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("chapters_work_position")
    .on("chapters")
    .columns(["work_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "chapters",
    "work_tags",
    "creatorships",
    "works",
    "tags",
    "sessions",
    "pseuds",
    "users",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
