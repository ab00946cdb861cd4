/**
 * The text index's SQL on both engines (issue 5): keeping entries current from the change log
 * (indexWorkText and friends; works code never calls these), searching, and snippets. Tables
 * and documents: see the work-text migration and documents.ts.
 */
import { createHash } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import type { Engine, Queryable } from "../../core/db/index.ts";
import { htmlToPlainText } from "../../core/text/sanitize.ts";
import { USER_TAG_TYPES } from "../../tags/fixed.ts";
import {
  ftsBodyDocument,
  ftsMetaDocument,
  TEXT_INDEX_FORMAT,
  tsBodyDocuments,
  tsMetaDocument,
  type WorkTextSource,
} from "./documents.ts";
import {
  ftsAny,
  ftsBody,
  ftsMeta,
  inBody,
  inMeta,
  tsAny,
  tsBody,
  tsMeta,
  tsTier,
  type TextClause,
  type TextQuery,
} from "./query.ts";
import { parseIds, sortedMembership, union } from "./id-sets.ts";
import { SnippetFinder, type Snippet, type SnippetField } from "./snippet.ts";

// ---------------------------------------------------------------------------------------------
// Keeping the index
// ---------------------------------------------------------------------------------------------

/** Works looked at per round of queries. */
const ID_BATCH = 500;
/** Chapter words loaded and indexed at once (about 7 characters of HTML each). */
const WORDS_PER_LOAD = 1_500_000;
/** Characters of documents per INSERT statement. */
const CHARS_PER_INSERT = 8_000_000;
/** PostgreSQL: indexers in several processes take turns (an entry is deleted, then written). */
const PG_LOCK = 0x77_74_78_74; // "wtxt"

const withTx = <T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

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

/**
 * (Re)builds the entries of these works from the database: posted works get one, others
 * (drafts, deleted works) lose theirs. Idempotent; the body is rebuilt only when the posted
 * chapters changed since it was built. Handles thousands of ids per call, in batches.
 */
export async function indexWorkText(
  db: Queryable,
  engine: Engine,
  workIds: readonly number[],
): Promise<void> {
  const ids = [...new Set(workIds)].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const batch = ids.slice(i, i + ID_BATCH);
    // One transaction per batch: a work deleted between reading it and writing its entry
    // would otherwise fail the foreign key (SQLite) or deadlock (PostgreSQL).
    await withTx(db, async (tx) => {
      // Read and write under the lock, so a slower indexer never writes older text last.
      if (engine === "postgres") await sql`select pg_advisory_xact_lock(${PG_LOCK})`.execute(tx);
      await indexBatch(tx, engine, batch);
    });
  }
}

async function indexBatch(db: Queryable, engine: Engine, ids: number[]) {
  // PostgreSQL: lock the works first. Otherwise deleting a work while it is being indexed
  // deadlocks (the delete cascades into rows this transaction wrote, whose foreign-key
  // checks wait for the delete), and PostgreSQL aborts one of them: maybe the author's.
  const works = await db
    .selectFrom("works")
    .select(["id", "title", "summary_html", "notes_html", "end_notes_html", "word_count"])
    .where("id", "in", ids)
    .where("posted", "=", 1)
    .$if(engine === "postgres", (q) => q.forKeyShare())
    .execute();
  const postedIds = new Set(works.map((w) => w.id));
  const gone = ids.filter((id) => !postedIds.has(id));
  if (gone.length) await removeWorkText(db, engine, gone);
  if (works.length === 0) return;
  const live = [...postedIds];

  const [states, chapterKeys, creators, tags] = await Promise.all([
    db
      .selectFrom("work_text_state")
      .select(["work_id", "format", "body_key"])
      .where("work_id", "in", live)
      .execute(),
    db
      .selectFrom("chapters")
      .select((eb) => [
        "work_id",
        "id",
        "position",
        "edited_at",
        "sanitizer_version",
        "word_count",
        // The size of the stored text, without reading it (both engines know it).
        eb.fn<number | string>("octet_length", ["text_html"]).as("bytes"),
      ])
      .where("work_id", "in", live)
      .where("posted", "=", 1)
      .orderBy("work_id")
      .orderBy("position")
      .execute(),
    db
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select(["creatorships.work_id", "pseuds.name", "users.login"])
      .where("creatorships.work_id", "in", live)
      .orderBy("creatorships.work_id")
      .orderBy("creatorships.position")
      .execute(),
    db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .leftJoin("tags as canonical", "canonical.id", "tags.merger_id")
      .select(["work_tags.work_id", "tags.name", "canonical.name as canonical"])
      .where("work_tags.work_id", "in", live)
      // Ratings, warnings and categories are filters, not words ("No Archive Warnings Apply").
      .where("tags.type", "in", [...USER_TAG_TYPES])
      .orderBy("work_tags.work_id")
      .orderBy("work_tags.position")
      .execute(),
  ]);

  const keyParts = new Map<number, string[]>();
  for (const c of chapterKeys) {
    const parts = keyParts.get(c.work_id) ?? [];
    parts.push(
      `${c.id}:${c.position}:${c.edited_at}:${c.sanitizer_version}:${c.word_count}:${c.bytes}`,
    );
    keyParts.set(c.work_id, parts);
  }
  const bodyKey = (id: number) =>
    createHash("sha1")
      .update((keyParts.get(id) ?? []).join(","))
      .digest("hex");
  const stateOf = new Map(states.map((s) => [s.work_id, s]));
  const metaOf = new Map<number, { creators: string[]; tags: string[] }>();
  const metaFor = (id: number) => {
    let m = metaOf.get(id);
    if (!m) metaOf.set(id, (m = { creators: [], tags: [] }));
    return m;
  };
  for (const c of creators) {
    const names = metaFor(c.work_id).creators;
    for (const n of [c.name, c.login]) {
      if (!names.some((x) => x.toLowerCase() === n.toLowerCase())) names.push(n);
    }
  }
  for (const t of tags) {
    const names = metaFor(t.work_id).tags;
    for (const n of [t.name, t.canonical]) if (n && !names.includes(n)) names.push(n);
  }

  const sources: Built[] = works.map((w) => {
    const key = bodyKey(w.id);
    const state = stateOf.get(w.id);
    return {
      id: w.id,
      words: w.word_count,
      key,
      needsBody: !state || state.format !== TEXT_INDEX_FORMAT || state.body_key !== key,
      source: {
        title: w.title,
        creators: metaOf.get(w.id)?.creators ?? [],
        tags: metaOf.get(w.id)?.tags ?? [],
        notes: [w.summary_html, w.notes_html, w.end_notes_html].map(htmlToPlainText),
        chapters: [],
      },
    };
  });

  // Works whose chapters did not change: only their metadata is rewritten.
  const metaOnly = sources.filter((s) => !s.needsBody);
  if (metaOnly.length) await writeEntries(db, engine, metaOnly);
  // The others in loads of bounded size: one huge work is a load of its own.
  let load: Built[] = [];
  let loadWords = 0;
  for (const s of sources.filter((x) => x.needsBody)) {
    if (load.length && loadWords + s.words > WORDS_PER_LOAD) {
      await loadAndWrite(db, engine, load);
      load = [];
      loadWords = 0;
    }
    load.push(s);
    loadWords += s.words;
  }
  if (load.length) await loadAndWrite(db, engine, load);
}

interface Built {
  id: number;
  words: number;
  key: string;
  needsBody: boolean;
  source: WorkTextSource;
}

async function loadAndWrite(db: Queryable, engine: Engine, load: Built[]) {
  const chapters = await db
    .selectFrom("chapters")
    .select(["work_id", "title", "summary_html", "notes_html", "text_html", "end_notes_html"])
    .where(
      "work_id",
      "in",
      load.map((b) => b.id),
    )
    .where("posted", "=", 1)
    .orderBy("work_id")
    .orderBy("position")
    .execute();
  const byId = new Map(load.map((b) => [b.id, b]));
  for (const c of chapters) {
    byId
      .get(c.work_id)
      ?.source.chapters.push([
        c.title,
        htmlToPlainText(c.summary_html),
        htmlToPlainText(c.notes_html),
        htmlToPlainText(c.text_html),
        htmlToPlainText(c.end_notes_html),
      ]);
  }
  await writeEntries(db, engine, load);
}

/** Replaces the entries of these works: always the metadata, the body when `needsBody`. */
async function writeEntries(db: Queryable, engine: Engine, built: Built[]) {
  const ids = built.map((b) => b.id);
  const withBody = built.filter((b) => b.needsBody);
  const bodyIds = withBody.map((b) => b.id);
  const now = Date.now();
  if (engine === "sqlite") {
    const metas = built.map((b) => ({ id: b.id, ...ftsMetaDocument(b.source) }));
    const bodies = withBody.map((b) => ({ id: b.id, body: ftsBodyDocument(b.source) }));
    await withTx(db, async (tx) => {
      await sql`delete from work_text_meta where rowid in (${rowids(ids)})`.execute(tx);
      if (bodyIds.length)
        await sql`delete from work_text where rowid in (${rowids(bodyIds)})`.execute(tx);
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
      await saveState(tx, built, now);
    });
    return;
  }
  const metas = built.map((b) => ({ id: b.id, doc: tsMetaDocument(b.source) }));
  const parts = withBody.flatMap((b) =>
    tsBodyDocuments(b.source).map((doc, part) => ({ id: b.id, part, doc })),
  );
  await withTx(db, async (tx) => {
    await sql`delete from work_text_meta where work_id = any(${ids})`.execute(tx);
    if (bodyIds.length)
      await sql`delete from work_text where work_id = any(${bodyIds})`.execute(tx);
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
    await saveState(tx, built, now);
  });
}

async function saveState(tx: Queryable, built: Built[], now: number) {
  for (const rows of chunks(built, () => 1, 1_000)) {
    await tx
      .insertInto("work_text_state")
      .values(
        rows.map((b) => ({
          work_id: b.id,
          format: TEXT_INDEX_FORMAT,
          body_key: b.key,
          indexed_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column("work_id").doUpdateSet((eb) => ({
          format: eb.ref("excluded.format"),
          body_key: eb.ref("excluded.body_key"),
          indexed_at: eb.ref("excluded.indexed_at"),
        })),
      )
      .execute();
  }
}

/** Splits rows into INSERTs of bounded size. */
function chunks<T>(rows: T[], size: (row: T) => number, maxRows = 500): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const row of rows) {
    const s = size(row);
    if (current.length && (current.length >= maxRows || total + s > CHARS_PER_INSERT)) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(row);
    total += s;
  }
  if (current.length) out.push(current);
  return out;
}

/** Drops the entries of these works (indexWorkText does this for drafts and deleted works). */
export async function removeWorkText(
  db: Queryable,
  engine: Engine,
  workIds: readonly number[],
): Promise<void> {
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return;
  await withTx(db, async (tx) => {
    if (engine === "sqlite") {
      await sql`delete from work_text_meta where rowid in (${rowids(ids)})`.execute(tx);
      await sql`delete from work_text where rowid in (${rowids(ids)})`.execute(tx);
    } else {
      await sql`delete from work_text_meta where work_id = any(${ids})`.execute(tx);
      await sql`delete from work_text where work_id = any(${ids})`.execute(tx);
    }
    await tx.deleteFrom("work_text_state").where("work_id", "in", ids).execute();
  });
}

/**
 * After a full build: merges FTS5's segments (faster queries), or refreshes PostgreSQL's
 * planner statistics for the new rows. Takes seconds to minutes; not for every change.
 */
export async function optimizeWorkText(db: Queryable, engine: Engine): Promise<void> {
  if (engine === "sqlite") {
    await sql`insert into work_text_meta (work_text_meta) values ('optimize')`.execute(db);
    await sql`insert into work_text (work_text) values ('optimize')`.execute(db);
  } else {
    // Moves the GIN indexes' pending entries into the index proper (searches read them all).
    await sql`select gin_clean_pending_list('work_text_meta_doc'::regclass)`.execute(db);
    await sql`select gin_clean_pending_list('work_text_doc'::regclass)`.execute(db);
    await sql`analyze work_text_meta`.execute(db);
    await sql`analyze work_text`.execute(db);
  }
}

/**
 * Posted works without a current entry (never indexed, or built in an older format), after
 * `afterId` in id order: for catching up after a bulk load, a restore or a format change.
 */
export async function unindexedWorks(
  db: Queryable,
  _engine: Engine,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom("works")
    .select("id")
    .where("posted", "=", 1)
    .where("id", ">", afterId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("work_text_state")
            .select("work_id")
            .whereRef("work_text_state.work_id", "=", "works.id")
            .where("work_text_state.format", "=", TEXT_INDEX_FORMAT),
        ),
      ),
    )
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Works whose entry names these tags: tagged with them, or with one of their synonyms (whose
 * entries hold the canonical name). What a "tag" change in the log means for the text index.
 */
export async function worksWithTags(db: Queryable, tagIds: readonly number[]): Promise<number[]> {
  if (tagIds.length === 0) return [];
  const rows = await db
    .selectFrom("work_tags")
    .select("work_id")
    .distinct()
    .where((eb) =>
      eb.or([
        eb("tag_id", "in", tagIds),
        eb("tag_id", "in", eb.selectFrom("tags").select("id").where("merger_id", "in", tagIds)),
      ]),
    )
    .execute();
  return rows.map((r) => r.work_id);
}

// ---------------------------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------------------------

export interface TextHits {
  /** Matching works, best first (ties: newest first). */
  ids: number[];
  /**
   * Relevance, higher is better: from 1 up when the title, a tag or the summary matched (title
   * weighs most), plus under 1 from the chapters. Ranks come from FTS5's bm25 or PostgreSQL's
   * ts_rank, only where few enough works match (RANK_LIMITS); beyond, matches tie.
   */
  scores: number[];
}

/**
 * Above these many matches, ranking costs more than matching and matches tie instead:
 * bm25 reads every matching row's sizes, ts_rank every matching document (PostgreSQL's body
 * documents are large and compressed). A word in most works ranks nothing anyway.
 */
export const RANK_LIMITS = {
  sqlite: { meta: 5_000, body: 5_000 },
  postgres: { meta: 5_000, body: 300 },
} as const;

/** What one kind of document says: the works that match any clause, and maybe their ranks. */
interface Side {
  ids: Int32Array;
  /** Rank per work (higher is better); null when there were too many to rank. */
  ranks: Map<number, number> | null;
  /** Too many to rank: the works that matched in the title, tags or summary. */
  tier?: Int32Array;
}
const NO_SIDE: Side = { ids: new Int32Array(0), ranks: null };

/**
 * Every indexed work that matches, with a relevance score, sorted best first. Visibility is
 * not applied here: callers intersect with the works the reader may see.
 */
export interface SearchOptions {
  /** Only the best this many. */
  limit?: number;
  /** Instead of RANK_LIMITS[engine] (tests, benchmarks). */
  rankLimits?: { meta: number; body: number };
}

export async function searchWorkText(
  db: Queryable,
  engine: Engine,
  query: TextQuery,
  opts: SearchOptions = {},
): Promise<TextHits> {
  return engine === "postgres"
    ? withGinScans(db, (tx) => search(tx, engine, query, opts))
    : search(db, engine, query, opts);
}

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

async function search(
  db: Queryable,
  engine: Engine,
  query: TextQuery,
  opts: SearchOptions,
): Promise<TextHits> {
  const metaClauses = query.include.filter(inMeta);
  const bodyClauses = query.include.filter(inBody);
  const sides = engine === "sqlite" ? sqliteSides : pgSides;
  const limits = opts.rankLimits ?? RANK_LIMITS[engine];
  const meta = metaClauses.length ? await sides.meta(db, metaClauses, limits.meta) : NO_SIDE;
  const body = bodyClauses.length ? await sides.body(db, bodyClauses, limits.body) : NO_SIDE;
  // One clause and nothing left out: the matches are those of the two sides.
  const ids =
    query.include.length === 1 && query.exclude.length === 0
      ? union(meta.ids, body.ids)
      : await matching(db, engine, query);
  // Sorted as packed numbers (score to 1e-6, then id): a typed-array sort, no comparator.
  const keys = new Float64Array(ids.length);
  const inTier = sortedMembership(meta.tier ?? new Int32Array(0));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const t = meta.ranks ? (meta.ranks.get(id) ?? 0) : inTier(id) ? 1 : 0;
    const b = body.ranks?.get(id) ?? 0;
    const score = (t > 0 ? 1 + t / (1 + t) : 0) + b / (1 + b);
    keys[i] = Math.round(score * 1e6) * 2 ** 31 + id;
  }
  keys.sort();
  const n = Math.min(ids.length, opts.limit ?? Infinity);
  const out: TextHits = { ids: new Array<number>(n), scores: new Array<number>(n) };
  for (let i = 0; i < n; i++) {
    const key = keys[keys.length - 1 - i]!;
    const q = Math.floor(key / 2 ** 31);
    out.ids[i] = key - q * 2 ** 31;
    out.scores[i] = q / 1e6;
  }
  return out;
}

type IdRank = { id: number; r: number };
const ranksOf = (rows: IdRank[], sign = 1) =>
  new Map(rows.map((r) => [Number(r.id), sign * Number(r.r)]));
/** One row holding every matching id (see id-sets.ts). */
type IdList = { ids: string | null };
const idList = async (db: Queryable, statement: RawBuilder<IdList>) =>
  parseIds((await statement.execute(db)).rows[0]?.ids);

/** Meta ranks: title 10, creators 0 (they match but do not rank), tags 6, summary and notes 2. */
const sqliteSides = {
  async meta(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side> {
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
  async body(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side> {
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
};

/** Meta ranks: ts_rank with weights {D summary, C creators, B tags, A title}. */
const pgSides = {
  async meta(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side> {
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
  async body(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side> {
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
};

/**
 * Works where every included clause matches (in the metadata or in the chapters) and no
 * excluded one does: one set per clause, intersected, minus the excluded sets.
 */
async function matching(db: Queryable, engine: Engine, query: TextQuery): Promise<Int32Array> {
  const sets = (clauses: TextClause[]) =>
    clauses.map((c, i) => sql`select id from (${clauseSet(engine, c)}) as s${sql.raw(String(i))}`);
  const include = sql.join(sets(query.include), sql` intersect `);
  const exclude = sets(query.exclude);
  const compound = exclude.length
    ? sql`${include} except ${sql.join(exclude, sql` except `)}`
    : include;
  return idList(
    db,
    engine === "sqlite"
      ? sql`select group_concat(id) as ids from (${compound})`
      : sql`select string_agg(id::text, ',') as ids from (${compound}) as matched`,
  );
}

function clauseSet(engine: Engine, c: TextClause): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (engine === "sqlite") {
    if (inMeta(c))
      parts.push(
        sql`select rowid as id from work_text_meta where work_text_meta match ${ftsMeta(c)}`,
      );
    if (inBody(c))
      parts.push(sql`select rowid as id from work_text where work_text match ${ftsBody(c)}`);
  } else {
    if (inMeta(c))
      parts.push(
        sql`select work_id as id from work_text_meta where doc @@ cast(${tsMeta(c)} as tsquery)`,
      );
    if (inBody(c))
      parts.push(
        sql`select work_id as id from work_text where doc @@ cast(${tsBody(c)} as tsquery)`,
      );
  }
  return sql.join(parts, sql` union `);
}

// ---------------------------------------------------------------------------------------------
// Snippets
// ---------------------------------------------------------------------------------------------

/**
 * Chapter HTML loaded per work per round after the first (which loads one chapter: most
 * matches are in it), and scanned at most per work and per call.
 */
const ROUND_CHARS = 200_000;
const WORK_CHARS = 1_000_000;
const CALL_CHARS = 4_000_000;
/** Estimated HTML characters per counted word, to plan loads without reading the text. */
const CHARS_PER_WORD = 7;

/**
 * A passage around the best match for each work (one page of results), preferring chapter
 * text, then the summary and notes. Works where nothing matches in the first WORK_CHARS of
 * their chapters, nor in their summary or notes (a match only in the title, tags or creators),
 * get no entry.
 */
export async function workSnippets(
  db: Queryable,
  engine: Engine,
  query: TextQuery,
  workIds: readonly number[],
): Promise<Map<number, Snippet>> {
  const out = new Map<number, Snippet>();
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return out;
  const finder = new SnippetFinder(query);
  // Chapters are read only for works whose chapters match (the index knows): a work found by
  // its title or tags would otherwise have all its chapters scanned in vain.
  const inChapters = await worksMatchingBody(db, engine, query.include.filter(inBody), ids);
  const [works, chapters] = await Promise.all([
    db
      .selectFrom("works")
      .select(["id", "summary_html", "notes_html", "end_notes_html"])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("chapters")
      .select(["id", "work_id", "title", "word_count"])
      .where("work_id", "in", inChapters.length ? inChapters : [0])
      .where("posted", "=", 1)
      .orderBy("work_id")
      .orderBy("position")
      .execute(),
  ]);
  const queue = new Map<number, { id: number; words: number; where?: string }[]>();
  for (const c of chapters) {
    const list = queue.get(c.work_id) ?? [];
    // Numbered among posted chapters, as the reader sees them; one-shots need no label.
    list.push({
      id: c.id,
      words: c.word_count,
      where: `Chapter ${list.length + 1}${c.title ? `: ${c.title}` : ""}`,
    });
    queue.set(c.work_id, list);
  }
  for (const list of queue.values()) if (list.length === 1) delete list[0]!.where;
  const notes = new Map<number, { html: string; where: string }[]>();
  const scanned = new Map<number, number>();
  let callChars = 0;
  // Rounds: each unresolved work's next chapters, until a match or the budgets run out.
  for (let round = 0; ; round++) {
    const wanted: { workId: number; id: number; where?: string }[] = [];
    for (const [workId, list] of queue) {
      let planned = 0;
      const budget = round === 0 ? 1 : ROUND_CHARS;
      while (list.length && planned < budget && (scanned.get(workId) ?? 0) < WORK_CHARS) {
        const c = list.shift()!;
        const chars = c.words * CHARS_PER_WORD;
        planned += chars;
        scanned.set(workId, (scanned.get(workId) ?? 0) + chars);
        wanted.push({ workId, id: c.id, ...(c.where ? { where: c.where } : {}) });
      }
      if (planned === 0) queue.delete(workId);
    }
    if (wanted.length === 0 || callChars > CALL_CHARS) break;
    const rows = await db
      .selectFrom("chapters")
      .select(["id", "text_html", "summary_html", "notes_html", "end_notes_html"])
      .where(
        "id",
        "in",
        wanted.map((w) => w.id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const w of wanted) {
      const row = byId.get(w.id);
      if (!row || out.has(w.workId)) continue;
      callChars += row.text_html.length;
      const parts = finder.find(row.text_html, "text");
      if (parts) {
        out.set(w.workId, { parts, ...(w.where ? { where: w.where } : {}) });
        queue.delete(w.workId);
        continue;
      }
      const label = w.where ?? "Chapter";
      const list = notes.get(w.workId) ?? [];
      for (const [html, what] of [
        [row.summary_html, "summary"],
        [row.notes_html, "notes"],
        [row.end_notes_html, "end notes"],
      ] as const) {
        if (html) list.push({ html, where: `${label} ${what}` });
      }
      notes.set(w.workId, list);
    }
  }
  // No match in the chapters read: the summary and notes, then the chapters' notes.
  for (const w of works) {
    if (out.has(w.id)) continue;
    const texts: { html: string; where: string; field: SnippetField }[] = [
      { html: w.summary_html, where: "Summary", field: "summary" },
      { html: w.notes_html, where: "Notes", field: "summary" },
      { html: w.end_notes_html, where: "End Notes", field: "summary" },
      ...(notes.get(w.id) ?? []).map((n) => ({ ...n, field: "text" as const })),
    ];
    for (const t of texts) {
      const parts = t.html ? finder.find(t.html, t.field) : null;
      if (parts) {
        out.set(w.id, { parts, where: t.where });
        break;
      }
    }
  }
  return out;
}

/** Which of these works match one of the clauses in their chapters. */
async function worksMatchingBody(
  db: Queryable,
  engine: Engine,
  clauses: TextClause[],
  ids: number[],
): Promise<number[]> {
  if (clauses.length === 0) return [];
  if (engine === "sqlite") {
    const { rows } = await sql<{ id: number }>`select rowid as id from work_text
      where work_text match ${ftsAny(clauses.map(ftsBody))} and rowid in (${rowids(ids)})`.execute(
      db,
    );
    return rows.map((r) => Number(r.id));
  }
  // Reads these works' documents (a few), not the GIN index (all works with the words).
  const { rows } = await sql<{ id: number }>`select distinct work_id as id from work_text
    where work_id = any(${ids}) and doc @@ cast(${tsAny(clauses.map(tsBody))} as tsquery)`.execute(
    db,
  );
  return rows.map((r) => r.id);
}
