/**
 * Readiness (`/readyz`): whether this process should be sent readers now — its database
 * answers, the schema has every migration this code knows, and whatever the domains
 * registered (the browse index's first build) is done. Health (`/healthz`) is only that the
 * process answers; a load balancer restarts on one and routes on the other.
 */
import { pingDb, type Db } from "../db/index.ts";
import { migrations } from "../db/migrations/index.ts";
import { appliedMigrations } from "./readiness-queries.ts";

/** What a check found: null when ready, else what is not (shown in the JSON body). */
export type CheckResult = string | null;
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

/** A check slower than this counts as failed (a stalled database must not hang probes). */
const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  ready: boolean;
  /** Each check: "ok", or what is not ready. */
  checks: Record<string, string>;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds a check, run on every probe in the order added. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Not ready until `work` settles: `pending` while it runs, the error if it fails. */
  waitFor(name: string, work: Promise<unknown>, pending: string): void {
    let result: CheckResult = pending;
    work.then(
      () => (result = null),
      (err: unknown) => (result = `failed: ${String(err)}`),
    );
    this.add(name, () => result);
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of this.checks) {
      let result: CheckResult;
      try {
        result = await withTimeout(Promise.resolve(check()), CHECK_TIMEOUT_MS);
      } catch (err) {
        result = `failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      checks[name] = result ?? "ok";
      if (result !== null) ready = false;
    }
    return { ready, checks };
  }
}

/** The database answers a trivial query. */
export const databaseCheck =
  (db: Db): ReadinessCheck =>
  async () =>
    (await pingDb(db)) ? null : "unreachable";

/**
 * Every migration this code knows is recorded in the database. Reads Kysely's bookkeeping
 * table directly (the Migrator's own listing scans every schema on a PostgreSQL server).
 * Once current it stays so for this process, and is not asked again.
 */
export function migrationsCheck(db: Db): ReadinessCheck {
  let current = false;
  return async () => {
    if (current) return null;
    let applied: Set<string>;
    try {
      applied = await appliedMigrations(db);
    } catch (err) {
      return `could not read the migration table: ${err instanceof Error ? err.message : String(err)}`;
    }
    const pending = Object.keys(migrations).filter((name) => !applied.has(name));
    if (pending.length === 0) {
      current = true;
      return null;
    }
    return `${pending.length} pending: ${pending.join(", ")}`;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
