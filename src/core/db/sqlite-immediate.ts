/**
 * SQLite transactions that take the write lock as they begin (BEGIN IMMEDIATE). In one process
 * Kysely's single connection runs one transaction at a time, so it made no difference; with
 * several processes on one file (src/serve/: workers), a deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY when another process holds or took the write lock
 * in between: busy_timeout cannot help, since waiting would not make its snapshot current.
 * IMMEDIATE waits for the lock (busy_timeout) before reading instead. Every Kysely transaction
 * in Fanfold writes, so none loses anything by it.
 */
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDialectConfig,
} from "kysely";

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/**
 * Parameters as `+?`, a no-op for values. SQLite marks a statement for re-preparing when a bare
 * `?` may steer its plan (an equality its planner weighs for small integers, `limit ?`, `like
 * ?`), and better-sqlite3 clears the bindings after every run, which expires such a statement:
 * it was compiled again on every call, whatever the statement cache kept (a work page's join of
 * the work with its creators: 96 µs instead of 9). The planner does not look through `+`.
 */
class PlanStableSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return "+?";
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createQueryCompiler(): QueryCompiler {
    return new PlanStableSqliteQueryCompiler();
  }
}
