/**
 * Where the two engines' text indexes differ, as one interface: sqlite-text-queries.ts (FTS5
 * virtual tables, rowid = work id) and postgres-text-queries.ts (tsvector rows with GIN
 * indexes) each implement TextDialect, and entry-, search- and snippet-queries.ts do the rest
 * once for both (dialects.ts picks one per engine). Tables: see the work-text migration.
 * Also the small pieces both implementations use.
 */
import type { RawBuilder } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import type { WorkTextSource } from "./documents.ts";
import { parseIds } from "./id-sets.ts";
import type { TextClause } from "./query.ts";

/** One work's entry to write: its metadata always, its body when its chapters changed. */
export interface EntryToWrite {
  id: number;
  source: WorkTextSource;
  withBody: boolean;
}

/** What one kind of document says: the works that match any clause, and maybe their ranks. */
export interface Side {
  ids: Int32Array;
  /** Rank per work (higher is better); null when there were too many to rank. */
  ranks: Map<number, number> | null;
  /** Too many to rank: the works that matched in the title, tags or summary. */
  tier?: Int32Array;
}

/** One row holding every matching id (see id-sets.ts). */
export type IdList = { ids: string | null };

export interface TextDialect {
  /**
   * Above these many matches, ranking costs more than matching and matches tie instead:
   * ranking reads every matching row (or document). A word in most works ranks nothing anyway.
   */
  rankLimits: { meta: number; body: number };

  // Keeping entries (entry-queries.ts runs these inside its transactions).
  /** Taken first in every indexing transaction: indexers in several processes take turns. */
  lockIndexing(tx: Queryable): Promise<void>;
  /** Whether the works being indexed are read FOR KEY SHARE (see indexBatch). */
  locksWorkRows: boolean;
  /** Replaces these works' entries: the metadata, and the body where `withBody`. */
  writeEntries(tx: Queryable, entries: readonly EntryToWrite[]): Promise<void>;
  deleteEntries(tx: Queryable, workIds: readonly number[]): Promise<void>;
  /**
   * After a full build: whatever makes the freshly written index fast to search, in steps
   * with `betweenSteps` awaited between them where a step would hold the event loop long.
   */
  optimize(db: Queryable, betweenSteps?: () => Promise<void>): Promise<void>;

  // Searching (search-queries.ts).
  /** Runs a search's statements, in the settings the engine needs for them. */
  searching<T>(db: Queryable, fn: (db: Queryable) => Promise<T>): Promise<T>;
  /** Matches in the metadata documents; ranked by field weights when few enough. */
  metaSide(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side>;
  /** Matches in the chapter documents; ranked when few enough. */
  bodySide(db: Queryable, clauses: TextClause[], rankLimit: number): Promise<Side>;
  /** A statement selecting the `id` of every work one clause matches, in either document. */
  clauseSet(c: TextClause): RawBuilder<unknown>;
  /** Every `id` a statement selects, in one row. */
  idsOf(statement: RawBuilder<unknown>): RawBuilder<IdList>;

  // Snippets (snippet-queries.ts).
  /** Which of these works match one of the clauses in their chapters. */
  worksMatchingBody(db: Queryable, clauses: TextClause[], workIds: number[]): Promise<number[]>;
}

export const idList = async (db: Queryable, statement: RawBuilder<IdList>) =>
  parseIds((await statement.execute(db)).rows[0]?.ids);

export type IdRank = { id: number; r: number };
export const ranksOf = (rows: IdRank[], sign = 1) =>
  new Map(rows.map((r) => [Number(r.id), sign * Number(r.r)]));

/** Characters of documents per INSERT statement. */
const CHARS_PER_INSERT = 8_000_000;

/** Splits rows into INSERTs of bounded size. */
export function chunks<T>(rows: readonly T[], size: (row: T) => number, maxRows = 500): T[][] {
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
