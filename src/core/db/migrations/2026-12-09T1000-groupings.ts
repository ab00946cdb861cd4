// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * How fandom groups its works (issue 15): series, co-creator invitations, collections with
 * their items and participants, gifts and related works.
 *
 * `works.in_anon_collection` and `works.in_unrevealed_collection` are AO3's two switches,
 * kept on the work (derived from its collection items by collections/) so that the visibility
 * rules and the browse index read them without knowing collections.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serial = pg ? "serial" : "integer";

  await db.schema
    .alterTable("works")
    .addColumn("in_anon_collection", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("works")
    .addColumn("in_unrevealed_collection", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // Preferences: whether others may invite this user as a co-creator, or give them gifts.
  await db.schema
    .alterTable("users")
    .addColumn("allow_cocreator", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("allow_gifts", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  // ---- Series -------------------------------------------------------------------------------
  await db.schema
    .createTable("series")
    .addColumn("id", serial, id)
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    // No "complete" column: a series is complete when every work in it is (computed per viewer).
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("series_creatorships")
    .addColumn("series_id", "integer", (c) =>
      c.notNull().references("series.id").onDelete("cascade"),
    )
    .addColumn("pseud_id", "integer", (c) =>
      c.notNull().references("pseuds.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("series_creatorships_pk", ["series_id", "pseud_id"])
    .execute();
  await db.schema
    .createIndex("series_creatorships_by_pseud")
    .on("series_creatorships")
    .column("pseud_id")
    .execute();
  await db.schema
    .createTable("series_works")
    .addColumn("series_id", "integer", (c) =>
      c.notNull().references("series.id").onDelete("cascade"),
    )
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("series_works_pk", ["series_id", "work_id"])
    .execute();
  await db.schema
    .createIndex("series_works_by_work")
    .on("series_works")
    .column("work_id")
    .execute();

  // ---- Co-creators ----------------------------------------------------------------------------
  await db.schema
    .createTable("chapter_creatorships")
    .addColumn("chapter_id", "integer", (c) =>
      c.notNull().references("chapters.id").onDelete("cascade"),
    )
    .addColumn("pseud_id", "integer", (c) =>
      c.notNull().references("pseuds.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("chapter_creatorships_pk", ["chapter_id", "pseud_id"])
    .execute();
  await db.schema
    .createTable("creator_invitations")
    .addColumn("id", serial, id)
    // "work" | "chapter" | "series"
    .addColumn("target_type", "varchar(10)", (c) => c.notNull())
    .addColumn("target_id", "integer", (c) => c.notNull())
    .addColumn("pseud_id", "integer", (c) =>
      c.notNull().references("pseuds.id").onDelete("cascade"),
    )
    .addColumn("invited_by_user_id", "integer", (c) =>
      c.references("users.id").onDelete("set null"),
    )
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("creator_invitations_unique")
    .on("creator_invitations")
    .columns(["target_type", "target_id", "pseud_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("creator_invitations_by_pseud")
    .on("creator_invitations")
    .column("pseud_id")
    .execute();

  // ---- Collections ----------------------------------------------------------------------------
  await db.schema
    .createTable("collections")
    .addColumn("id", serial, id)
    // The address, /collections/NAME: letters, digits and underscores.
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("rules_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    // A collection of collections: one level only (a parent has no parent).
    .addColumn("parent_id", "integer", (c) => c.references("collections.id").onDelete("set null"))
    // Submissions wait for a moderator's approval.
    .addColumn("moderated", "integer", (c) => c.notNull().defaultTo(0))
    // No new submissions.
    .addColumn("closed", "integer", (c) => c.notNull().defaultTo(0))
    // Creators shown as "Anonymous" until the collection says otherwise.
    .addColumn("anonymous", "integer", (c) => c.notNull().defaultTo(0))
    // Works hidden until the reveal.
    .addColumn("unrevealed", "integer", (c) => c.notNull().defaultTo(0))
    // When set, a job reveals the works (unrevealed → 0) at this time.
    .addColumn("reveal_works_at", time)
    // When set, a job reveals the creators (anonymous → 0) at this time.
    .addColumn("reveal_creators_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("collections_by_parent")
    .on("collections")
    .column("parent_id")
    .execute();
  await db.schema
    .createTable("collection_participants")
    .addColumn("collection_id", "integer", (c) =>
      c.notNull().references("collections.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // "owner" | "moderator" | "member"
    .addColumn("role", "varchar(10)", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("collection_participants_pk", ["collection_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("collection_participants_by_user")
    .on("collection_participants")
    .column("user_id")
    .execute();
  await db.schema
    .createTable("collection_items")
    .addColumn("collection_id", "integer", (c) =>
      c.notNull().references("collections.id").onDelete("cascade"),
    )
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    // "approved" | "pending" | "rejected": the collection's side (moderated collections wait).
    .addColumn("collection_approval", "varchar(10)", (c) => c.notNull())
    // "approved" | "pending" | "rejected": the creator's side (a moderator invited the work).
    .addColumn("creator_approval", "varchar(10)", (c) => c.notNull())
    .addColumn("added_by_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("collection_items_pk", ["collection_id", "work_id"])
    .execute();
  await db.schema
    .createIndex("collection_items_by_work")
    .on("collection_items")
    .column("work_id")
    .execute();

  // ---- Gifts ----------------------------------------------------------------------------------
  await db.schema
    .createTable("gifts")
    .addColumn("id", serial, id)
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    // A user's pseud, or null for a gift to a name (someone not on the archive).
    .addColumn("pseud_id", "integer", (c) => c.references("pseuds.id").onDelete("cascade"))
    .addColumn("recipient_name", "text", (c) => c.notNull())
    .addColumn("recipient_key", "text", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("gifts_unique")
    .on("gifts")
    .columns(["work_id", "recipient_key"])
    .unique()
    .execute();
  await db.schema.createIndex("gifts_by_pseud").on("gifts").column("pseud_id").execute();
  await db.schema.createIndex("gifts_by_name").on("gifts").column("recipient_key").execute();

  // ---- Related works --------------------------------------------------------------------------
  await db.schema
    .createTable("related_works")
    .addColumn("id", serial, id)
    // The new work: the inspired one, the translation, the remix.
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    // "inspired" | "translation" | "remix"
    .addColumn("relation", "varchar(12)", (c) => c.notNull())
    // The parent on this archive, or null with a URL elsewhere.
    .addColumn("parent_work_id", "integer", (c) => c.references("works.id").onDelete("cascade"))
    .addColumn("parent_url", "text")
    .addColumn("parent_title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("parent_author", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("parent_language", "text", (c) => c.notNull().defaultTo(""))
    // Shown on the parent once its creator approved; always shown on the child.
    .addColumn("approved", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("related_works_by_work")
    .on("related_works")
    .column("work_id")
    .execute();
  await db.schema
    .createIndex("related_works_by_parent")
    .on("related_works")
    .column("parent_work_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "related_works",
    "gifts",
    "collection_items",
    "collection_participants",
    "collections",
    "creator_invitations",
    "chapter_creatorships",
    "series_works",
    "series_creatorships",
    "series",
  ])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable("users").dropColumn("allow_gifts").execute();
  await db.schema.alterTable("users").dropColumn("allow_cocreator").execute();
  await db.schema.alterTable("works").dropColumn("in_unrevealed_collection").execute();
  await db.schema.alterTable("works").dropColumn("in_anon_collection").execute();
}
