import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  sql,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  type LogEvent,
  type MigrationProvider,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";
import { migrations } from "./migrations/index.ts";
import { ImmediateSqliteDialect } from "./sqlite-immediate.ts";
import { cachingDatabase, type StatementCacheStats } from "./statement-cache.ts";
import { namingPool, type NamedStatementStats } from "./pg-named.ts";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything queries can run on: the database or a transaction. */
export type Queryable = Kysely<Database>;
export type Engine = "sqlite" | "postgres";

export interface DbHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
  /** SQLite with the statement cache: how often statements were compiled and reused. */
  statementStats?: () => StatementCacheStats;
  /** PostgreSQL with named statements: how many SQL texts and calls were named. */
  namedStatementStats?: () => NamedStatementStats;
}

export type DbTarget =
  | {
      kind: "sqlite";
      file: string;
      /** A database file's bytes to open in memory instead of `file` (the tests' templates). */
      image?: Buffer;
    }
  | { kind: "postgres"; url: string; schema?: string };

export interface DbOptions {
  /** Called after every query (tests count queries per page with it). */
  onQuery?: (sql: string, durationMs: number) => void;
  /** SQLite: reuse prepared statements (default true; benchmarks compare without). */
  statementCache?: boolean;
  /** PostgreSQL: run SELECTs as named prepared statements (default true, see pg-named.ts). */
  namedStatements?: boolean;
  /** PostgreSQL connections this process keeps at most (default 10; workers share a budget). */
  poolSize?: number;
}

export function openDb(target: DbTarget, opts: DbOptions = {}): DbHandle {
  const log = opts.onQuery
    ? (event: LogEvent) => {
        if (event.level === "query") opts.onQuery?.(event.query.sql, event.queryDurationMillis);
      }
    : undefined;
  if (target.kind === "sqlite") {
    if (target.file !== ":memory:" && !target.image)
      mkdirSync(dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.image ?? target.file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const cached = opts.statementCache === false ? undefined : cachingDatabase(sqlite);
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: cached ?? sqlite }),
      ...(log ? { log } : {}),
    });
    return {
      db,
      engine: "sqlite",
      close: () => db.destroy(),
      ...(cached ? { statementStats: cached.stats } : {}),
    };
  }
  // int8 (bigint) columns hold epoch-ms timestamps, well inside Number's exact range.
  const builtin = pg.types.getTypeParser.bind(pg.types) as (oid: number) => (v: string) => unknown;
  const types = {
    getTypeParser: ((oid: number) =>
      oid === 20 ? Number : builtin(oid)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: target.url,
    max: opts.poolSize ?? 10,
    types,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const named = opts.namedStatements === false ? undefined : namingPool(pool);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: named ?? pool }),
    ...(log ? { log } : {}),
  });
  return {
    db,
    engine: "postgres",
    close: () => db.destroy(),
    ...(named ? { namedStatementStats: named.stats } : {}),
  };
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; name the
  // current schema so databases sharing a PostgreSQL server never see each other's.
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const schema = isPg
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `Migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** True when the database answers. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/**
 * A write refused by a unique index (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505):
 * two requests raced for the same name, and the check before the write could not see it.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null || !("code" in err)) return false;
  const code = err.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
