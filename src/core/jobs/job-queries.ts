/** The job table's queries: enqueue, claim (with a lease), finish, fail. */
import { PostgresAdapter, type Selectable } from "kysely";
import type { Queryable } from "../db/index.ts";
import type { JobsTable } from "../db/schema.ts";

export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  kind: string;
  payload?: unknown;
  /** When it may run (default: now). */
  runAt?: number;
  /** At most one queued (not yet finished) job per key; a second enqueue is ignored. */
  uniqueKey?: string;
  maxAttempts?: number;
  /** Lower runs first (default 0): in-site work ahead of email. */
  priority?: number;
}

/** Rows per multi-row insert: 8 values each, well inside both engines' parameter limits. */
const INSERT_BATCH = 500;

export async function insertJob(db: Queryable, job: NewJob, now: number): Promise<void> {
  await insertJobs(db, [job], now);
}

/** Many jobs in a few statements (a fan-out's email jobs). */
export async function insertJobs(db: Queryable, jobs: readonly NewJob[], now: number) {
  for (let i = 0; i < jobs.length; i += INSERT_BATCH) {
    await db
      .insertInto("jobs")
      .values(
        jobs.slice(i, i + INSERT_BATCH).map((job) => ({
          kind: job.kind,
          payload: JSON.stringify(job.payload ?? null),
          run_at: job.runAt ?? now,
          priority: job.priority ?? 0,
          max_attempts: job.maxAttempts ?? 8,
          unique_key: job.uniqueKey ?? null,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column("unique_key").doNothing())
      .execute();
  }
}

/**
 * The next job to claim: due, unfailed, unleased; lowest priority, then earliest (jobs_claim).
 * `maxPriority` leaves out jobs of a higher number (a lane kept for in-site work).
 */
export function nextDueJob(
  db: Queryable,
  kinds: readonly string[],
  now: number,
  maxPriority?: number,
) {
  return db
    .selectFrom("jobs")
    .where("failed_at", "is", null)
    .$if(maxPriority !== undefined, (qb) => qb.where("priority", "<=", maxPriority!))
    .where("run_at", "<=", now)
    .where("kind", "in", kinds)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
    .orderBy("priority")
    .orderBy("run_at")
    .orderBy("id")
    .limit(1);
}

/**
 * Takes the next due job for `worker` (lowest priority, then earliest run_at), leased until
 * `now + leaseMs`: if the worker dies, the lease runs out and another worker takes the job again.
 * Concurrent claimers never get the same job: on PostgreSQL the row is locked and others skip
 * it; on SQLite (one writer at a time) the update only succeeds while the job is still unleased.
 */
export async function claimJob(
  db: Queryable,
  worker: string,
  kinds: readonly string[],
  now: number,
  leaseMs: number,
  maxPriority?: number,
): Promise<JobRow | undefined> {
  if (kinds.length === 0) return undefined;
  const due = () => nextDueJob(db, kinds, now, maxPriority);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement; claimers skip rows another transaction holds instead of queueing on them.
    return db
      .updateTable("jobs")
      .set((eb) => ({
        locked_until: now + leaseMs,
        locked_by: worker,
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", due().select("id").forUpdate().skipLocked())
      .returningAll()
      .executeTakeFirst();
  }
  for (let tries = 0; tries < 5; tries++) {
    const next = await due().select(["id", "locked_until"]).executeTakeFirst();
    if (!next) return undefined;
    const claimed = await db
      .updateTable("jobs")
      .set((eb) => ({
        locked_until: now + leaseMs,
        locked_by: worker,
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", next.id)
      .where((eb) =>
        next.locked_until === null
          ? eb("locked_until", "is", null)
          : eb("locked_until", "=", next.locked_until),
      )
      .returningAll()
      .executeTakeFirst();
    if (claimed) return claimed;
  }
  return undefined;
}

export async function deleteJob(db: Queryable, id: number): Promise<void> {
  await db.deleteFrom("jobs").where("id", "=", id).execute();
}

/** Puts a failed attempt back for later, or marks the job failed when attempts ran out. */
export async function failJob(
  db: Queryable,
  job: JobRow,
  error: string,
  retryAt: number | null,
  now: number,
): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      last_error: error.slice(0, 4_000),
      locked_until: null,
      locked_by: null,
      ...(retryAt === null ? { failed_at: now, unique_key: null } : { run_at: retryAt }),
    })
    .where("id", "=", job.id)
    .execute();
}

export async function jobCounts(db: Queryable) {
  return db
    .selectFrom("jobs")
    .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("kind")
    .execute();
}
