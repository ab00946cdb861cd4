/**
 * Searching the text index (issue 5), on both engines: each engine's dialect matches and
 * ranks the two kinds of documents (dialect-queries.ts); the matches are combined, scored and
 * sorted here. Visibility is not applied: callers intersect with the works the reader may see.
 */
import { sql } from "kysely";
import type { Engine, Queryable } from "../../core/db/index.ts";
import { idList, type Side, type TextDialect } from "./dialect-queries.ts";
import { textDialect } from "./dialects.ts";
import { sortedMembership, union } from "./id-sets.ts";
import { inBody, inMeta, type TextClause, type TextQuery } from "./query.ts";

export interface TextHits {
  /** Matching works, best first (ties: newest first). */
  ids: number[];
  /**
   * Relevance, higher is better: from 1 up when the title, a tag or the summary matched (title
   * weighs most), plus under 1 from the chapters. Ranks come from FTS5's bm25 or PostgreSQL's
   * ts_rank, only where few enough works match (the dialect's rankLimits); beyond, matches tie.
   */
  scores: number[];
}

const NO_SIDE: Side = { ids: new Int32Array(0), ranks: null };

export interface SearchOptions {
  /** Only the best this many. */
  limit?: number;
  /** Instead of the dialect's rankLimits (tests, benchmarks). */
  rankLimits?: { meta: number; body: number };
}

/** Every indexed work that matches, with a relevance score, sorted best first. */
export async function searchWorkText(
  db: Queryable,
  engine: Engine,
  query: TextQuery,
  opts: SearchOptions = {},
): Promise<TextHits> {
  const dialect = textDialect(engine);
  return dialect.searching(db, (tx) => search(tx, dialect, query, opts));
}

async function search(
  db: Queryable,
  dialect: TextDialect,
  query: TextQuery,
  opts: SearchOptions,
): Promise<TextHits> {
  const metaClauses = query.include.filter(inMeta);
  const bodyClauses = query.include.filter(inBody);
  const limits = opts.rankLimits ?? dialect.rankLimits;
  const meta = metaClauses.length ? await dialect.metaSide(db, metaClauses, limits.meta) : NO_SIDE;
  const body = bodyClauses.length ? await dialect.bodySide(db, bodyClauses, limits.body) : NO_SIDE;
  // One clause and nothing left out: the matches are those of the two sides.
  const ids =
    query.include.length === 1 && query.exclude.length === 0
      ? union(meta.ids, body.ids)
      : await matching(db, dialect, query);
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

/**
 * Works where every included clause matches (in the metadata or in the chapters) and no
 * excluded one does: one set per clause, intersected, minus the excluded sets.
 */
async function matching(
  db: Queryable,
  dialect: TextDialect,
  query: TextQuery,
): Promise<Int32Array> {
  const sets = (clauses: TextClause[]) =>
    clauses.map((c, i) => sql`select id from (${dialect.clauseSet(c)}) as s${sql.raw(String(i))}`);
  const include = sql.join(sets(query.include), sql` intersect `);
  const exclude = sets(query.exclude);
  const compound = exclude.length
    ? sql`${include} except ${sql.join(exclude, sql` except `)}`
    : include;
  return idList(db, dialect.idsOf(compound));
}
