/**
 * Reused SQLite statements. Kysely's SqliteDialect calls `database.prepare(sql)` for every
 * query, and compiling SQL was 13 % of a work page's CPU; this stands in for the database
 * and answers `prepare` from a bounded LRU of statements keyed by their SQL text.
 *
 * better-sqlite3's rules it keeps: a statement being iterated (Kysely streams with
 * `.iterate()`) cannot run again until the iteration ends, so a busy statement is not handed
 * out: the caller gets a fresh, uncached one. `all`/`run` reset the statement when they
 * finish or throw. Statements belong to this one connection, and closing it finalizes them.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

export interface StatementCacheOptions {
  /** Statements kept (least recently used go first). */
  max?: number;
  /** Longer SQL (bulk inserts with many rows, each text unique) is not kept. */
  maxSqlLength?: number;
}

export interface StatementCacheStats {
  /** Statements compiled by SQLite (misses, busy statements, uncached texts). */
  prepared: number;
  /** Statements handed out again from the cache. */
  reused: number;
  /** Statements in the cache now. */
  size: number;
}

export interface CachingDatabase extends SqliteDatabase {
  stats: () => StatementCacheStats;
}

type Statement = BetterSqlite3.Statement<unknown[]>;

export function cachingDatabase(
  sqlite: BetterSqlite3.Database,
  { max = 500, maxSqlLength = 8192 }: StatementCacheOptions = {},
): CachingDatabase {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  const cache = new Map<string, Statement>();
  let prepared = 0;
  let reused = 0;

  const compile = (sql: string): Statement => {
    prepared++;
    return sqlite.prepare(sql);
  };

  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        if (cached.busy) return compile(sql);
        cache.delete(sql);
        cache.set(sql, cached);
        reused++;
        return cached;
      }
      const statement = compile(sql);
      if (sql.length <= maxSqlLength) {
        cache.set(sql, statement);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
    stats: () => ({ prepared, reused, size: cache.size }),
  };
}
