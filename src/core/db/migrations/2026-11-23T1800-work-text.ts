// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * The full-text index of works (issue 5), kept by the search domain from the change log. The
 * application folds and splits text itself (src/search/text/fold.ts), so neither engine
 * analyses words: both get the same folded words.
 *
 * Per work, two documents: `work_text_meta` (title, creators, tags, summary and notes; small,
 * rebuilt when a tag is renamed) and `work_text` (the posted chapters).
 * - SQLite: contentless FTS5 tables, rowid = work id; the text itself stays in `chapters`.
 *   The tokenizer only splits the stored folded words (marks and private-use characters count
 *   as letters, see fold.ts and documents.ts).
 * - PostgreSQL: tsvector rows with GIN indexes. The metadata row weighs title A, tags B,
 *   creators C, summary and notes D; the body is split into parts (tsvector holds at most
 *   16,383 positions and 1 MB of lexemes), one row each.
 *
 * `work_text_state` records which works are indexed, in which format, and a key of their
 * posted chapters (so a change that did not touch them does not rebuild the body).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("work_text_state")
    .addColumn("work_id", "integer", (c) =>
      c.primaryKey().references("works.id").onDelete("cascade"),
    )
    .addColumn("format", "integer", (c) => c.notNull())
    .addColumn("body_key", "varchar(64)", (c) => c.notNull())
    .addColumn("indexed_at", pg ? "bigint" : "integer", (c) => c.notNull())
    .execute();

  if (!pg) {
    const options = sql.raw(
      `content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2 categories 'L* N* M* Co'"`,
    );
    await sql`create virtual table work_text_meta using fts5(title, creators, tags, summary_notes, ${options})`.execute(
      db,
    );
    await sql`create virtual table work_text using fts5(body, ${options})`.execute(db);
    return;
  }

  await db.schema
    .createTable("work_text_meta")
    .addColumn("work_id", "integer", (c) =>
      c.primaryKey().references("works.id").onDelete("cascade"),
    )
    .addColumn("doc", sql`tsvector`, (c) => c.notNull())
    .execute();
  // GIN's pending list (fast inserts) is read in full by every search: keep it small.
  await sql`create index work_text_meta_doc on work_text_meta using gin (doc) with (gin_pending_list_limit = 512)`.execute(
    db,
  );
  await db.schema
    .createTable("work_text")
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("part", "integer", (c) => c.notNull())
    .addColumn("doc", sql`tsvector`, (c) => c.notNull())
    .addPrimaryKeyConstraint("work_text_pk", ["work_id", "part"])
    .execute();
  await sql`create index work_text_doc on work_text using gin (doc) with (gin_pending_list_limit = 512)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("work_text").execute();
  await db.schema.dropTable("work_text_meta").execute();
  await db.schema.dropTable("work_text_state").execute();
}
