/** The job table's queries: enqueue, claim (with a lease), finish, fail. */
import type { Queryable } from "../db/index.ts";
import type { JobsTable } from "../db/schema.ts";
import type { Selectable } from "kysely";

export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  kind: string;
  payload?: unknown;
  /** When it may run (default: now). */
  runAt?: number;
  /** At most one queued (not yet finished) job per key; a second enqueue is ignored. */
  uniqueKey?: string;
  maxAttempts?: number;
}

export async function insertJob(db: Queryable, job: NewJob, now: number): Promise<void> {
  await db
    .insertInto("jobs")
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      run_at: job.runAt ?? now,
      max_attempts: job.maxAttempts ?? 8,
      unique_key: job.uniqueKey ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.column("unique_key").doNothing())
    .execute();
}

/**
 * Takes the next due job for `worker`, leased until `now + leaseMs`: if the worker dies, the
 * lease runs out and another worker takes the job again. Concurrent claimers never get the same
 * job (the update only succeeds while the job is still unleased).
 */
export async function claimJob(
  db: Queryable,
  worker: string,
  kinds: readonly string[],
  now: number,
  leaseMs: number,
): Promise<JobRow | undefined> {
  if (kinds.length === 0) return undefined;
  for (let tries = 0; tries < 5; tries++) {
    const next = await db
      .selectFrom("jobs")
      .select(["id", "locked_until"])
      .where("failed_at", "is", null)
      .where("run_at", "<=", now)
      .where("kind", "in", kinds)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
      .orderBy("run_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
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

export async function nextRunAt(db: Queryable, kinds: readonly string[]): Promise<number | null> {
  if (kinds.length === 0) return null;
  const row = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.min("run_at").as("at"))
    .where("failed_at", "is", null)
    .where("kind", "in", kinds)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

export async function jobCounts(db: Queryable) {
  return db
    .selectFrom("jobs")
    .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("kind")
    .execute();
}
