// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Engagement (issue 6): kudos, comments, bookmarks, subscriptions and notifications, reading
 * history and position, hits and statistics, blocks; plus the database-backed job queue that
 * delivers mail and digests. Counters live in `work_stats` (one row per work, kept by the
 * commands in the same transaction as the row they count) and `work_daily_stats` (the same,
 * per day and per chapter, for the author's charts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  const serial = pg ? "serial" : "integer";
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const userRef = (c: ColumnDefinitionBuilder) => c.references("users.id").onDelete("cascade");
  const workRef = (c: ColumnDefinitionBuilder) =>
    c.notNull().references("works.id").onDelete("cascade");

  // Who may comment, chosen by the author on the work form.
  await db.schema
    .alterTable("works")
    .addColumn("comment_policy", "varchar(12)", (c) => c.notNull().defaultTo("registered"))
    .execute();
  await db.schema
    .alterTable("works")
    .addColumn("moderated_comments", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("work_stats")
    .addColumn("work_id", "integer", (c) =>
      c.primaryKey().references("works.id").onDelete("cascade"),
    )
    .addColumn("kudos", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("comments", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bookmarks", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("hits", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("subscriptions", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("work_stats_updated").on("work_stats").column("updated_at").execute();

  // chapter_id 0: the work as a whole. day: days since 1970-01-01 (UTC).
  await db.schema
    .createTable("work_daily_stats")
    .addColumn("work_id", "integer", workRef)
    .addColumn("chapter_id", "integer", (c) => c.notNull())
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("kudos", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("comments", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bookmarks", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("subscriptions", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("work_daily_stats_pk", ["work_id", "chapter_id", "day"])
    .execute();

  // Who has already counted as a hit today (a keyed hash, never the address itself).
  await db.schema
    .createTable("hit_visitors")
    .addColumn("work_id", "integer", workRef)
    .addColumn("chapter_id", "integer", (c) => c.notNull())
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("visitor", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("hit_visitors_pk", ["day", "work_id", "chapter_id", "visitor"])
    .execute();

  await db.schema
    .createTable("kudos")
    .addColumn("id", serial, id)
    .addColumn("work_id", "integer", workRef)
    .addColumn("user_id", "integer", userRef)
    /** Guests: a keyed hash of the address (one kudos per address per work). */
    .addColumn("guest_key", "varchar(32)")
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  // NULLs are distinct in unique indexes on both engines: each index only binds its own kind.
  await db.schema
    .createIndex("kudos_work_user")
    .on("kudos")
    .columns(["work_id", "user_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("kudos_work_guest")
    .on("kudos")
    .columns(["work_id", "guest_key"])
    .unique()
    .execute();
  await db.schema.createIndex("kudos_user").on("kudos").column("user_id").execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", serial, id)
    .addColumn("work_id", "integer", workRef)
    .addColumn("chapter_id", "integer", (c) => c.references("chapters.id").onDelete("cascade"))
    .addColumn("parent_id", "integer", (c) => c.references("comments.id").onDelete("cascade"))
    /** The thread's first comment (its own id for a first comment). */
    .addColumn("thread_id", "integer", (c) => c.notNull())
    .addColumn("depth", "integer", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("pseud_id", "integer", (c) => c.references("pseuds.id").onDelete("set null"))
    .addColumn("guest_name", "varchar(100)")
    .addColumn("guest_email", "varchar(254)")
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    /** published | pending (awaiting the author) | hidden (by the author) */
    .addColumn("status", "varchar(10)", (c) => c.notNull())
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("frozen", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("edited_at", time)
    .execute();
  await db.schema.createIndex("comments_work").on("comments").columns(["work_id", "id"]).execute();
  await db.schema.createIndex("comments_thread").on("comments").column("thread_id").execute();
  await db.schema.createIndex("comments_parent").on("comments").column("parent_id").execute();
  await db.schema.createIndex("comments_user").on("comments").column("user_id").execute();

  await db.schema
    .createTable("bookmarks")
    .addColumn("id", serial, id)
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    .addColumn("pseud_id", "integer", (c) => c.notNull().references("pseuds.id"))
    .addColumn("work_id", "integer", workRef)
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sanitizer_version", "integer", (c) => c.notNull())
    .addColumn("private", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rec", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("bookmarks_user_work")
    .on("bookmarks")
    .columns(["user_id", "work_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("bookmarks_work")
    .on("bookmarks")
    .columns(["work_id", "id"])
    .execute();
  await db.schema
    .createTable("bookmark_tags")
    .addColumn("bookmark_id", "integer", (c) =>
      c.notNull().references("bookmarks.id").onDelete("cascade"),
    )
    .addColumn("name", "varchar(150)", (c) => c.notNull())
    .addColumn("name_key", "varchar(150)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("bookmark_tags_pk", ["bookmark_id", "name_key"])
    .execute();
  await db.schema.createIndex("bookmark_tags_key").on("bookmark_tags").column("name_key").execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", serial, id)
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    /** work | user | series */
    .addColumn("target_type", "varchar(10)", (c) => c.notNull())
    .addColumn("target_id", "integer", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("subscriptions_unique")
    .on("subscriptions")
    .columns(["user_id", "target_type", "target_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("subscriptions_target")
    .on("subscriptions")
    .columns(["target_type", "target_id"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", serial, id)
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    /** new_chapter | new_work | comment | reply | kudos */
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("work_id", "integer", (c) => c.references("works.id").onDelete("cascade"))
    .addColumn("chapter_id", "integer", (c) => c.references("chapters.id").onDelete("cascade"))
    .addColumn("comment_id", "integer", (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    /** What the notification says, written when it is made (names can change later). */
    .addColumn("text", "varchar(1000)", (c) => c.notNull())
    .addColumn("url", "varchar(500)", (c) => c.notNull())
    /** Batched kudos: how many the digest covers. */
    .addColumn("count", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("read_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("notifications_user")
    .on("notifications")
    .columns(["user_id", "id"])
    .execute();
  await db.schema
    .createIndex("notifications_unread")
    .on("notifications")
    .columns(["user_id", "read_at"])
    .execute();

  // Rows exist only where a reader changed the default (email on for every kind).
  await db.schema
    .createTable("notification_preferences")
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("email", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_preferences_pk", ["user_id", "kind"])
    .execute();

  await db.schema
    .createTable("blocked_users")
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    .addColumn("blocked_user_id", "integer", (c) => userRef(c).notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("blocked_users_pk", ["user_id", "blocked_user_id"])
    .execute();

  await db.schema
    .createTable("readings")
    .addColumn("user_id", "integer", (c) => userRef(c).notNull())
    .addColumn("work_id", "integer", workRef)
    .addColumn("first_read_at", time, (c) => c.notNull())
    .addColumn("last_read_at", time, (c) => c.notNull())
    .addColumn("visits", "integer", (c) => c.notNull().defaultTo(1))
    /** Posted chapters when last opened: more now means "update available". */
    .addColumn("chapters_seen", "integer", (c) => c.notNull())
    .addColumn("in_history", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("marked_for_later", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("position_chapter_id", "integer")
    .addColumn("position_chapter_position", "integer")
    .addColumn("position_paragraph", "integer")
    /** Start of the paragraph's text: finds it again after the chapter is edited. */
    .addColumn("position_anchor", "varchar(200)")
    .addColumn("position_at", time)
    .addPrimaryKeyConstraint("readings_pk", ["user_id", "work_id"])
    .execute();
  await db.schema
    .createIndex("readings_user_last")
    .on("readings")
    .columns(["user_id", "last_read_at"])
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", pg ? "bigserial" : "integer", id)
    .addColumn("kind", "varchar(60)", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("run_at", time, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    /** Set while a worker holds the job; a crashed worker's lease runs out and another retries. */
    .addColumn("locked_until", time)
    .addColumn("locked_by", "varchar(100)")
    .addColumn("last_error", "text")
    /** Set when attempts ran out; kept for the administrator. */
    .addColumn("failed_at", time)
    /** At most one queued job per key (daily digests, scheduled sweeps). */
    .addColumn("unique_key", "varchar(200)", (c) => c.unique())
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["failed_at", "run_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "jobs",
    "readings",
    "blocked_users",
    "notification_preferences",
    "notifications",
    "subscriptions",
    "bookmark_tags",
    "bookmarks",
    "comments",
    "kudos",
    "hit_visitors",
    "work_daily_stats",
    "work_stats",
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable("works").dropColumn("moderated_comments").execute();
  await db.schema.alterTable("works").dropColumn("comment_policy").execute();
}
