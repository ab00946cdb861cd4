/**
 * The text index on SQLite: two contentless FTS5 tables, `work_text_meta` (title, creators,
 * tags, summary_notes) and `work_text` (body), rowid = work id; documents and MATCH
 * expressions from sqlite-fts5.ts. Ranks are FTS5's bm25.
 */
import { sql } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import {
  chunks,
  idList,
  ranksOf,
  type IdRank,
  type Side,
  type TextDialect,
} from "./dialect-queries.ts";
import { inBody, inMeta, type TextClause } from "./query.ts";
import { ftsAny, ftsBody, ftsBodyDocument, ftsMeta, ftsMetaDocument } from "./sqlite-fts5.ts";

/**
 * FTS5 rowids as integer literals. better-sqlite3 binds every JS number as a REAL, and FTS5
 * only narrows a search by an INTEGER rowid: next to MATCH, `rowid = ?` then returns every
 * match (seen), and a delete scans the whole table to find its row.
 */
const rowid = (id: number) => {
  if (!Number.isSafeInteger(id)) throw new Error(`Not a work id: ${id}`);
  return sql.lit(id);
};
const rowids = (ids: readonly number[]) => sql.join(ids.map(rowid));

/** Leaf pages one FTS5 merge step writes at most (a few milliseconds of work). */
const MERGE_PAGES = 64;

const totalChanges = async (db: Queryable) =>
  Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]?.n ?? 0);

export const sqliteText: TextDialect = {
  // bm25 reads every matching row's sizes.
  rankLimits: { meta: 5_000, body: 5_000 },

  // One writer at a time already: SQLite serializes write transactions.
  lockIndexing: () => Promise.resolve(),
  locksWorkRows: false,

  async writeEntries(tx, entries) {
    const withBody = entries.filter((e) => e.withBody);
    const metas = entries.map((e) => ({ id: e.id, ...ftsMetaDocument(e.source) }));
    const bodies = withBody.map((e) => ({ id: e.id, body: ftsBodyDocument(e.source) }));
    await sql`delete from work_text_meta where rowid in (${rowids(entries.map((e) => e.id))})`.execute(
      tx,
    );
    if (withBody.length)
      await sql`delete from work_text where rowid in (${rowids(withBody.map((e) => e.id))})`.execute(
        tx,
      );
    for (const rows of chunks(metas, (m) => m.summary_notes.length + m.tags.length)) {
      await sql`insert into work_text_meta (rowid, title, creators, tags, summary_notes) values ${sql.join(
        rows.map((m) => sql`(${m.id}, ${m.title}, ${m.creators}, ${m.tags}, ${m.summary_notes})`),
      )}`.execute(tx);
    }
    for (const rows of chunks(bodies, (b) => b.body.length)) {
      await sql`insert into work_text (rowid, body) values ${sql.join(
        rows.map((b) => sql`(${rowid(b.id)}, ${b.body})`),
      )}`.execute(tx);
    }
  },

  async deleteEntries(tx, workIds) {
    await sql`delete from work_text_meta where rowid in (${rowids(workIds)})`.execute(tx);
    await sql`delete from work_text where rowid in (${rowids(workIds)})`.execute(tx);
  },

  /**
   * Merges FTS5's segments: faster queries. Not with 'optimize', one statement that holds
   * the event loop for seconds on a large index, but in 'merge' steps of a bounded number
   * of pages (negative: merge as 'optimize' would), until a step finds nothing to merge.
   */
  async optimize(db, betweenSteps) {
    for (const table of ["work_text_meta", "work_text"]) {
      for (;;) {
        const before = await totalChanges(db);
        await sql`insert into ${sql.table(table)} (${sql.ref(table)}, rank)
          values ('merge', ${sql.lit(-MERGE_PAGES)})`.execute(db);
        // The merge itself counts as one change; more means it found work to do.
        if ((await totalChanges(db)) - before < 2) break;
        await betweenSteps?.();
      }
    }
  },

  searching: (db, fn) => fn(db),

  /** Ranks: title 10, creators 0 (they match but do not rank), tags 6, summary and notes 2. */
  async metaSide(db, clauses, rankLimit): Promise<Side> {
    const q = ftsAny(clauses.map(ftsMeta));
    const ids = await idList(
      db,
      sql`select group_concat(rowid) as ids from work_text_meta where work_text_meta match ${q}`,
    );
    if (ids.length <= rankLimit) {
      const ranked = await sql<IdRank>`select rowid as id, bm25(work_text_meta, 10.0, 0.0, 6.0, 2.0)
        as r from work_text_meta where work_text_meta match ${q}`.execute(db);
      return { ids, ranks: ranksOf(ranked.rows, -1) };
    }
    // Too many to rank: which matched in the title, tags or summary (creators do not count).
    const tier = await idList(
      db,
      sql`select group_concat(rowid) as ids from work_text_meta
        where work_text_meta match ${`{title tags summary_notes} : (${q})`}`,
    );
    return { ids, ranks: null, tier };
  },

  async bodySide(db, clauses, rankLimit): Promise<Side> {
    const q = ftsAny(clauses.map(ftsBody));
    const ids = await idList(
      db,
      sql`select group_concat(rowid) as ids from work_text where work_text match ${q}`,
    );
    if (ids.length > rankLimit || ids.length === 0) return { ids, ranks: null };
    const ranked = await sql<IdRank>`select rowid as id, bm25(work_text) as r from work_text
      where work_text match ${q}`.execute(db);
    return { ids, ranks: ranksOf(ranked.rows, -1) };
  },

  clauseSet(c: TextClause) {
    const parts = [];
    if (inMeta(c))
      parts.push(
        sql`select rowid as id from work_text_meta where work_text_meta match ${ftsMeta(c)}`,
      );
    if (inBody(c))
      parts.push(sql`select rowid as id from work_text where work_text match ${ftsBody(c)}`);
    return sql.join(parts, sql` union `);
  },

  idsOf: (statement) => sql`select group_concat(id) as ids from (${statement})`,

  async worksMatchingBody(db: Queryable, clauses, workIds) {
    const { rows } = await sql<{ id: number }>`select rowid as id from work_text
      where work_text match ${ftsAny(clauses.map(ftsBody))} and rowid in (${rowids(workIds)})`.execute(
      db,
    );
    return rows.map((r) => Number(r.id));
  },
};
