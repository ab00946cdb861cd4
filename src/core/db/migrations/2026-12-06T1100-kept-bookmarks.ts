// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Bookmarks outlive deleted works. `work_id` becomes nullable (ON DELETE SET NULL, no longer
 * CASCADE); `work_ref` keeps which work it was, and the `work_*` columns what was known of it
 * when it was deleted (written from the `work.deleted` event). SQLite cannot change a foreign
 * key in place, so there the table is rebuilt, keeping its ids, rows, tags and indexes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPg(db)) {
    await sql`alter table bookmarks drop constraint bookmarks_work_id_fkey`.execute(db);
    await sql`alter table bookmarks alter column work_id drop not null`.execute(db);
    await sql`alter table bookmarks add constraint bookmarks_work_id_fkey
      foreign key (work_id) references works (id) on delete set null`.execute(db);
    await sql`alter table bookmarks add column work_ref integer`.execute(db);
    await sql`update bookmarks set work_ref = work_id`.execute(db);
    await sql`alter table bookmarks alter column work_ref set not null`.execute(db);
    for (const [name, type] of SNAPSHOT)
      await db.schema.alterTable("bookmarks").addColumn(name, type).execute();
    await createIndexes(db, true);
  } else {
    await rebuildSqlite(db, true);
  }
}

/** Back to one bookmark per existing work: bookmarks of deleted works go. */
export async function down(db: Kysely<any>): Promise<void> {
  if (isPg(db)) {
    await db.schema.dropIndex("bookmarks_deleted_work").execute();
    await db.deleteFrom("bookmarks").where("work_id", "is", null).execute();
    await sql`alter table bookmarks drop constraint bookmarks_work_id_fkey`.execute(db);
    await sql`alter table bookmarks alter column work_id set not null`.execute(db);
    await sql`alter table bookmarks add constraint bookmarks_work_id_fkey
      foreign key (work_id) references works (id) on delete cascade`.execute(db);
    for (const name of ["work_ref", ...SNAPSHOT.map(([n]) => n)])
      await db.schema.alterTable("bookmarks").dropColumn(name).execute();
  } else {
    await rebuildSqlite(db, false);
  }
}

const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** What is known of a deleted work; null while it exists. */
const SNAPSHOT = [
  ["work_title", "text"],
  /** JSON arrays of names. */
  ["work_creators", "text"],
  ["work_fandoms", "text"],
  ["work_words", "integer"],
  ["work_restricted", "integer"],
] as const;

const KEPT = [
  "id",
  "user_id",
  "pseud_id",
  "work_id",
  "notes_html",
  "sanitizer_version",
  "private",
  "rec",
  "created_at",
  "updated_at",
];

/**
 * SQLite's way of changing a column's constraints: a new table, the rows copied, the old one
 * dropped and the new one renamed. Foreign keys are off meanwhile (with them on, dropping the
 * old table would delete every bookmark's tags by cascade) and checked before committing.
 * `kept`: the new shape (up) or the original one (down).
 */
async function rebuildSqlite(db: Kysely<any>, kept: boolean) {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      let table = tx.schema
        .createTable("bookmarks_new")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("user_id", "integer", (c) =>
          c.notNull().references("users.id").onDelete("cascade"),
        )
        .addColumn("pseud_id", "integer", (c) => c.notNull().references("pseuds.id"))
        .addColumn("work_id", "integer", (c: ColumnDefinitionBuilder) =>
          kept
            ? c.references("works.id").onDelete("set null")
            : c.notNull().references("works.id").onDelete("cascade"),
        )
        .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("sanitizer_version", "integer", (c) => c.notNull())
        .addColumn("private", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("rec", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull());
      if (kept) {
        table = table.addColumn("work_ref", "integer", (c) => c.notNull());
        for (const [name, type] of SNAPSHOT) table = table.addColumn(name, type);
      }
      await table.execute();
      const columns = sql.join(KEPT.map((c) => sql.ref(c)));
      if (kept) {
        await sql`insert into bookmarks_new (${columns}, work_ref)
          select ${columns}, work_id from bookmarks`.execute(tx);
      } else {
        await sql`insert into bookmarks_new (${columns})
          select ${columns} from bookmarks where work_id is not null`.execute(tx);
        await sql`delete from bookmark_tags
          where bookmark_id not in (select id from bookmarks_new)`.execute(tx);
      }
      // Ids of deleted bookmarks are never handed out again (AUTOINCREMENT's promise).
      await sql`delete from sqlite_sequence where name = 'bookmarks_new'`.execute(tx);
      await sql`insert into sqlite_sequence (name, seq)
        select 'bookmarks_new', seq from sqlite_sequence where name = 'bookmarks'`.execute(tx);
      await tx.schema.dropTable("bookmarks").execute();
      await tx.schema.alterTable("bookmarks_new").renameTo("bookmarks").execute();
      await createIndexes(tx, kept);
      const broken = await sql`pragma foreign_key_check`.execute(tx);
      if (broken.rows.length > 0)
        throw new Error(`Foreign keys broken by the rebuild: ${JSON.stringify(broken.rows)}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** The original two indexes (SQLite drops them with the table) and, up, deleted works'. */
async function createIndexes(db: Kysely<any>, kept: boolean) {
  if (!isPg(db)) {
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
  }
  // Only bookmarks of deleted works: the `work.deleted` job finds them by it.
  if (kept)
    await db.schema
      .createIndex("bookmarks_deleted_work")
      .on("bookmarks")
      .column("work_ref")
      .where(sql.ref("work_id"), "is", null)
      .execute();
}
