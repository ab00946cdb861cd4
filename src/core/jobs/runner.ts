/**
 * The database-backed job queue's worker: runs up to `concurrency` due jobs at once (lowest
 * priority first, then oldest), retries failures with backoff, and re-runs jobs whose worker
 * died (leases). Work survives a crash because it lives in the `jobs` table, enqueued in the
 * same transaction as the change that caused it.
 *
 * With more than one lane, one is kept for priority-0 jobs: however slow the mail server, a new
 * chapter's inbox entries never wait for a send to finish.
 *
 * Domains register handlers by kind (kinds.ts lists the app's, typed by define.ts); `every()`
 * keeps one recurring job per kind queued. Each payload is parsed with its kind's schema first:
 * one that does not fit fails at once, as no retry can fix it. Handlers must be idempotent: a
 * job can run twice if a worker dies after doing the work and before deleting the job.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/index.ts";
import type { BareKind, JobKind, Jobs, JobSchemas, PayloadOf } from "./define.ts";
import * as q from "./job-queries.ts";
import type { AppJobSchemas } from "./kinds.ts";

export interface JobContext {
  now: number;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;

/** A registered kind: given a stored payload, either the run or why the payload is refused. */
type Prepare = (
  payload: unknown,
) => { run: (ctx: JobContext) => Promise<void> } | { invalid: string };

export interface JobRunnerOptions {
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
  /** How long a claimed job is held before another worker may take it. */
  leaseMs?: number;
  /** Idle polling interval (`wake()` after a commit that enqueued jobs looks at once). */
  pollMs?: number;
  /** Jobs run at once by this process (default 1). */
  concurrency?: number;
}

/** Retry delay after `attempt` failures: 30 s, 1 min, 2 min … capped at 6 h. */
export const backoffMs = (attempt: number) =>
  Math.min(30_000 * 2 ** Math.max(attempt - 1, 0), 6 * 3_600_000);

/** Runs the jobs of `S`'s kinds; `JobRunner` alone is the app's runner (kinds.ts). */
export class JobRunner<S extends JobSchemas = AppJobSchemas> {
  readonly worker = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private readonly handlers = new Map<string, Prepare>();
  private readonly recurring = new Map<string, number>();
  private readonly now: () => number;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  /** Running jobs of priority > 0. */
  private background = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Set while drain() waits for a running job: wake() makes it look for new jobs at once. */
  private nudge: (() => void) | undefined;
  private stopped = true;
  /** close() was called: running jobs finish, no new ones are claimed. */
  private closing = false;

  constructor(
    private readonly db: Db,
    private readonly jobs: Jobs<S>,
    opts: JobRunnerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.pollMs = opts.pollMs ?? 5_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  /** `handler` runs each job of `kind`, with the payload its schema parsed. */
  register<K extends JobKind<S>>(kind: K, handler: JobHandler<PayloadOf<S, K>>): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job "${kind}" exists already`);
    const schema: S[K] = this.jobs.schemas[kind];
    this.handlers.set(kind, (payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return { invalid: z.prettifyError(parsed.error).replace(/\n/g, "; ") };
      return { run: (ctx) => handler(parsed.data, ctx) };
    });
  }

  /** Runs `handler` every `intervalMs` (first run one interval after start-up). */
  every<K extends BareKind<S> & JobKind<S>>(
    kind: K,
    intervalMs: number,
    handler: JobHandler<PayloadOf<S, K>>,
  ): void {
    this.register(kind, handler);
    this.recurring.set(kind, intervalMs);
  }

  /** Makes sure each recurring job is queued (one per kind, across every process). */
  async scheduleRecurring(): Promise<void> {
    const now = this.now();
    for (const [kind, interval] of this.recurring) {
      await q.insertJob(this.db, { kind, uniqueKey: `every:${kind}`, runAt: now + interval }, now);
    }
  }

  /** Starts polling in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    this.closing = false;
    await this.scheduleRecurring();
    this.wake();
  }

  /** Asks the worker to look for due jobs now (after a commit that enqueued some). */
  wake(): void {
    if (this.stopped) return;
    this.nudge?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= this.drain()
      .then(() => undefined)
      .catch((err: unknown) => this.log("job queue: drain failed", err))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.pollMs).unref();
      });
  }

  /**
   * Runs every job due now, up to `concurrency` at once, including jobs those jobs enqueue;
   * returns how many ran (tests call this directly).
   */
  async drain(): Promise<number> {
    let ran = 0;
    const active = new Set<Promise<void>>();
    try {
      for (;;) {
        // Claiming a priority > 0 job just now showed no priority-0 job was due: the kept lane
        // need not look again until the next wake or poll.
        let noneUrgent = false;
        // Only a claim open to every priority finding nothing means the queue is drained.
        let drained = false;
        while (active.size < this.concurrency && !this.closing) {
          const lastLane = this.concurrency > 1 && this.background >= this.concurrency - 1;
          if (lastLane && noneUrgent) break;
          const job = await q.claimJob(
            this.db,
            this.worker,
            [...this.handlers.keys()],
            this.now(),
            this.leaseMs,
            lastLane ? 0 : undefined,
          );
          if (!job) {
            drained = !lastLane;
            break;
          }
          ran += 1;
          const background = job.priority > 0 ? 1 : 0;
          noneUrgent ||= background === 1;
          this.background += background;
          const done: Promise<void> = this.runOne(job)
            .catch((err: unknown) => this.log(`job ${job.kind} #${job.id}: not recorded`, err))
            .finally(() => {
              this.background -= background;
              active.delete(done);
            });
          active.add(done);
        }
        if (active.size === 0 && (drained || this.closing)) return ran;
        // The kept lane found nothing while the others finished: look again at every priority.
        if (active.size === 0) continue;
        // A free slot is filled when a job ends (it may have enqueued more), when wake() says
        // new jobs were committed, or after pollMs (other processes' jobs).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          ...active,
          new Promise<void>((resolve) => {
            this.nudge = resolve;
            timer = setTimeout(resolve, this.pollMs);
          }),
        ]);
        clearTimeout(timer);
        this.nudge = undefined;
      }
    } finally {
      await Promise.allSettled(active);
    }
  }

  private async runOne(job: q.JobRow): Promise<void> {
    const prepare = this.handlers.get(job.kind);
    if (!prepare) return;
    const prepared = decode(prepare, job.payload);
    if ("invalid" in prepared) {
      // No retry can fix a payload: fail it now, with the reason, rather than for hours.
      await this.fail(
        job,
        `payload does not fit the "${job.kind}" schema: ${prepared.invalid}`,
        true,
      );
      return;
    }
    try {
      await prepared.run({ now: this.now(), attempt: job.attempts });
      await q.deleteJob(this.db, Number(job.id));
      await this.requeueRecurring(job.kind);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.fail(job, message, job.attempts >= job.max_attempts);
    }
  }

  /** Puts a failed job back for a retry with backoff, or keeps it as failed. */
  private async fail(job: q.JobRow, message: string, giveUp: boolean): Promise<void> {
    const now = this.now();
    this.log(
      `job ${job.kind} #${job.id} failed (attempt ${job.attempts}/${job.max_attempts})${giveUp ? ", giving up" : ""}: ${message}`,
    );
    await q.failJob(this.db, job, message, giveUp ? null : now + backoffMs(job.attempts), now);
    // A recurring job that gave up is queued afresh, so one bad day does not stop it for good.
    if (giveUp) await this.requeueRecurring(job.kind);
  }

  private async requeueRecurring(kind: string): Promise<void> {
    const interval = this.recurring.get(kind);
    if (interval === undefined) return;
    const now = this.now();
    await q.insertJob(this.db, { kind, uniqueKey: `every:${kind}`, runAt: now + interval }, now);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    this.nudge?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** The stored payload made ready to run, or why it cannot be (text written by hand). */
function decode(prepare: Prepare, text: string): ReturnType<Prepare> {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { invalid: "not JSON" };
  }
  return prepare(payload);
}
