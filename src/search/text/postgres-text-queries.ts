/**
 * The text index on PostgreSQL: `work_text_meta` (one tsvector per work, weighted A title,
 * B tags, C creators, D summary and notes) and `work_text` (the body in parts, one row each),
 * both with GIN indexes; documents and tsquery text from postgres-tsvector.ts. Ranks are
 * ts_rank.
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
import {
  tsAny,
  tsBody,
  tsBodyDocuments,
  tsMeta,
  tsMetaDocument,
  tsTier,
} from "./postgres-tsvector.ts";
import { inBody, inMeta, type TextClause } from "./query.ts";

/** Indexers in several processes take turns (an entry is deleted, then written). */
const INDEXING_LOCK = 0x77_74_78_74; // "wtxt"

export const postgresText: TextDialect = {
  // ts_rank reads every matching document, and body documents are large and compressed.
  rankLimits: { meta: 5_000, body: 300 },

  async lockIndexing(tx) {
    // Read and write under the lock, so a slower indexer never writes older text last.
    await sql`select pg_advisory_xact_lock(${INDEXING_LOCK})`.execute(tx);
  },
  locksWorkRows: true,

  async writeEntries(tx, entries) {
    const ids = entries.map((e) => e.id);
    const withBody = entries.filter((e) => e.withBody);
    const metas = entries.map((e) => ({ id: e.id, doc: tsMetaDocument(e.source) }));
    const parts = withBody.flatMap((e) =>
      tsBodyDocuments(e.source).map((doc, part) => ({ id: e.id, part, doc })),
    );
    await sql`delete from work_text_meta where work_id = any(${ids})`.execute(tx);
    if (withBody.length)
      await sql`delete from work_text where work_id = any(${withBody.map((e) => e.id)})`.execute(
        tx,
      );
    for (const rows of chunks(metas, (m) => m.doc.length)) {
      await sql`insert into work_text_meta (work_id, doc) values ${sql.join(
        rows.map((m) => sql`(${m.id}, cast(${m.doc} as tsvector))`),
      )}`.execute(tx);
    }
    for (const rows of chunks(parts, (p) => p.doc.length)) {
      await sql`insert into work_text (work_id, part, doc) values ${sql.join(
        rows.map((p) => sql`(${p.id}, ${p.part}, cast(${p.doc} as tsvector))`),
      )}`.execute(tx);
    }
  },

  async deleteEntries(tx, workIds) {
    await sql`delete from work_text_meta where work_id = any(${workIds})`.execute(tx);
    await sql`delete from work_text where work_id = any(${workIds})`.execute(tx);
  },

  /** Refreshes the planner's statistics for the new rows. */
  async optimize(db) {
    // Moves the GIN indexes' pending entries into the index proper (searches read them all).
    await sql`select gin_clean_pending_list('work_text_meta_doc'::regclass)`.execute(db);
    await sql`select gin_clean_pending_list('work_text_doc'::regclass)`.execute(db);
    await sql`analyze work_text_meta`.execute(db);
    await sql`analyze work_text`.execute(db);
  },

  searching: withGinScans,

  /** Ranks: ts_rank with weights {D summary, C creators, B tags, A title}. */
  async metaSide(db, clauses, rankLimit): Promise<Side> {
    const q = sql`cast(${tsAny(clauses.map(tsMeta))} as tsquery)`;
    const ids = await idList(
      db,
      sql`select string_agg(work_id::text, ',') as ids from work_text_meta where doc @@ ${q}`,
    );
    if (ids.length <= rankLimit) {
      const ranked = await sql<IdRank>`select work_id as id, ts_rank('{0.3,0,0.6,1}', doc, ${q})
        as r from work_text_meta where doc @@ ${q}`.execute(db);
      return { ids, ranks: ranksOf(ranked.rows) };
    }
    // Too many to rank: which matched in the title, tags or summary (weights A, B, D).
    const tiers = clauses.map(tsTier).filter((t) => t !== null);
    const tier = tiers.length
      ? await idList(
          db,
          sql`select string_agg(work_id::text, ',') as ids from work_text_meta
            where doc @@ cast(${tsAny(tiers)} as tsquery)`,
        )
      : new Int32Array(0);
    return { ids, ranks: null, tier };
  },

  async bodySide(db, clauses, rankLimit): Promise<Side> {
    const q = sql`cast(${tsAny(clauses.map(tsBody))} as tsquery)`;
    // Which works match needs only the GIN index; ranking reads the documents.
    const ids = await idList(
      db,
      sql`select string_agg(work_id::text, ',') as ids
        from (select distinct work_id from work_text where doc @@ ${q}) as matched`,
    );
    if (ids.length > rankLimit || ids.length === 0) return { ids, ranks: null };
    const ranked = await sql<IdRank>`select work_id as id, max(ts_rank(doc, ${q})) as r
      from work_text where work_id = any(${[...ids]}) and doc @@ ${q} group by work_id`.execute(db);
    return { ids, ranks: ranksOf(ranked.rows) };
  },

  clauseSet(c: TextClause) {
    const parts = [];
    if (inMeta(c))
      parts.push(
        sql`select work_id as id from work_text_meta where doc @@ cast(${tsMeta(c)} as tsquery)`,
      );
    if (inBody(c))
      parts.push(
        sql`select work_id as id from work_text where doc @@ cast(${tsBody(c)} as tsquery)`,
      );
    return sql.join(parts, sql` union `);
  },

  idsOf: (statement) => sql`select string_agg(id::text, ',') as ids from (${statement}) as matched`,

  async worksMatchingBody(db, clauses, workIds) {
    // Reads these works' documents (a few), not the GIN index (all works with the words).
    const { rows } = await sql<{ id: number }>`select distinct work_id as id from work_text
      where work_id = any(${workIds}) and doc @@ cast(${tsAny(clauses.map(tsBody))} as tsquery)`.execute(
      db,
    );
    return rows.map((r) => r.id);
  },
};

/**
 * PostgreSQL's planner does not count the TOAST reads of `doc @@ q`: for a common word it
 * picks a sequential scan that decompresses every document (35 ms instead of 3 ms for 2,000
 * works, seen). A bitmap scan of the GIN index needs no document unless a phrase or a field
 * must be checked, so the search runs with the other scans off, in a transaction of its own
 * (or the caller's, with the settings restored).
 */
async function withGinScans<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const set = (tx: Queryable, seq: string, idx: string) =>
    sql`select set_config('enable_seqscan', ${seq}, true), set_config('enable_indexscan', ${idx}, true)`.execute(
      tx,
    );
  if (!db.isTransaction) {
    return db.transaction().execute(async (tx) => {
      await set(tx, "off", "off");
      return fn(tx);
    });
  }
  const { rows } = await sql<{ seq: string; idx: string }>`select
    current_setting('enable_seqscan') as seq, current_setting('enable_indexscan') as idx`.execute(
    db,
  );
  await set(db, "off", "off");
  try {
    return await fn(db);
  } finally {
    await set(db, rows[0]?.seq ?? "on", rows[0]?.idx ?? "on");
  }
}
