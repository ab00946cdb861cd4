import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { Migrator, PostgresAdapter, sql } from "kysely";
import pg from "pg";
import {
  migrateToLatest,
  openDb,
  type Db,
  type DbHandle,
  type DbOptions,
  type Engine,
} from "../../src/core/db/index.ts";
import { migrations } from "../../src/core/db/migrations/index.ts";
import { ensureFixedTags } from "../../src/tags/queries.ts";
import { skipUnless } from "./skip.ts";

const pgUrl = process.env.FANFOLD_TEST_PG_URL;

export interface ScratchOptions extends DbOptions {
  /** SQLite file (default: in memory). */
  sqliteFile?: string;
  /** PostgreSQL server whose database gets a schema of its own. */
  pgUrl?: string;
  /** Migrate only up to this migration, without fixed tags (tests of the next migration). */
  migrateTo?: string;
}

/** A migrated, empty database on one engine; on PostgreSQL a throw-away schema. */
export async function openScratchDb(engine: Engine, opts: ScratchOptions = {}): Promise<DbHandle> {
  const { sqliteFile, pgUrl: url, migrateTo, ...dbOptions } = opts;
  const migrate = (db: Db) => (migrateTo ? migrateOnlyTo(db, migrateTo) : migrateToLatest(db));
  if (engine === "sqlite") {
    const handle = openDb({ kind: "sqlite", file: sqliteFile ?? ":memory:" }, dbOptions);
    await migrate(handle.db);
    if (!migrateTo) await ensureFixedTags(handle.db, Date.now());
    return handle;
  }
  if (!url) throw new Error("No PostgreSQL URL given");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const handle = openDb({ kind: "postgres", url, schema }, dbOptions);
  await withSchemaLock(url, "shared", async (c) => {
    await c.query(`create schema ${schema}`);
    await migrate(handle.db);
  });
  if (!migrateTo) await ensureFixedTags(handle.db, Date.now());
  return {
    ...handle,
    async close() {
      await handle.close();
      await withSchemaLock(url, "exclusive", (c) => c.query(`drop schema ${schema} cascade`));
    },
  };
}

/** Runs the migrations up to and including `name`, as `migrateToLatest` would. */
async function migrateOnlyTo(db: Db, name: string) {
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

/**
 * Kysely's migrator lists tables with `has_schema_privilege(nspname, …)` over every schema
 * on the server, which throws if another test process drops its scratch schema mid-scan.
 * Migrations hold this advisory lock shared, drops hold it exclusively.
 */
async function withSchemaLock<T>(
  url: string,
  mode: "shared" | "exclusive",
  body: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const suffix = mode === "shared" ? "_shared" : "";
  try {
    await c.query(`select pg_advisory_lock${suffix}($1)`, [SCHEMA_LOCK]);
    return await body(c);
  } finally {
    await c.query(`select pg_advisory_unlock${suffix}($1)`, [SCHEMA_LOCK]).catch(() => undefined);
    await c.end();
  }
}
const SCHEMA_LOCK = 0x5ca7c4;

/** Runs a catalog scan (introspection, migrating again) safe from concurrent schema drops. */
export function scanningCatalog<T>(engine: Engine, body: () => Promise<T>): Promise<T> {
  return engine === "postgres" && pgUrl ? withSchemaLock(pgUrl, "shared", body) : body();
}

/** A test database: PostgreSQL from FANFOLD_TEST_PG_URL. */
export function openTestDb(
  engine: Engine,
  opts: DbOptions & Pick<ScratchOptions, "migrateTo"> = {},
): Promise<DbHandle> {
  if (engine === "postgres" && !pgUrl) throw new Error("FANFOLD_TEST_PG_URL is not set");
  return openScratchDb(engine, { ...opts, ...(pgUrl ? { pgUrl } : {}) });
}

/**
 * Declares the same suite on SQLite and on PostgreSQL. Without FANFOLD_TEST_PG_URL the
 * PostgreSQL run is skipped with a visible reason (a failure under FANFOLD_REQUIRE_ALL=1).
 */
export function describeEachEngine(title: string, suite: (engine: Engine) => void) {
  describe(`${title} [sqlite]`, () => suite("sqlite"));
  if (pgUrl) {
    describe(`${title} [postgres]`, () => suite("postgres"));
  } else {
    describe(`${title} [postgres]`, () => {
      test("runs on PostgreSQL", (t) => {
        skipUnless(
          t,
          false,
          "PostgreSQL tests need FANFOLD_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test)",
        );
      });
    });
  }
}
