/**
 * The database-backed job queue's worker: runs up to `concurrency` due jobs at once (lowest
 * priority first, then oldest), retries failures with backoff, and re-runs jobs whose worker
 * died (leases). Work survives a crash because it lives in the `jobs` table, enqueued in the
 * same transaction as the change that caused it.
 *
 * With more than one lane, one is kept for priority-0 jobs: however slow the mail server, a new
 * chapter's inbox entries never wait for a send to finish.
 *
 * Domains register handlers by kind; `every()` keeps one recurring job per kind queued.
 * Handlers must be idempotent: a job can run twice if a worker dies after doing the work and
 * before deleting the job.
 */
import { randomBytes } from "node:crypto";
import type { Db, Queryable } from "../db/index.ts";
import * as q from "./job-queries.ts";

export type JobHandler = (payload: unknown, ctx: { now: number; attempt: number }) => Promise<void>;

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

/** Adds a job in the caller's transaction (so it exists exactly if the change does). */
export function enqueue(db: Queryable, job: q.NewJob, now: number): Promise<void> {
  return q.insertJob(db, job, now);
}

/** Many jobs in a few statements, in the caller's transaction. */
export function enqueueMany(db: Queryable, jobs: readonly q.NewJob[], now: number): Promise<void> {
  return q.insertJobs(db, jobs, now);
}

/** Retry delay after `attempt` failures: 30 s, 1 min, 2 min … capped at 6 h. */
export const backoffMs = (attempt: number) =>
  Math.min(30_000 * 2 ** Math.max(attempt - 1, 0), 6 * 3_600_000);

export class JobRunner {
  readonly worker = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private readonly handlers = new Map<string, JobHandler>();
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
    opts: JobRunnerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.pollMs = opts.pollMs ?? 5_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job "${kind}" exists already`);
    this.handlers.set(kind, handler);
  }

  /** Runs `handler` every `intervalMs` (first run one interval after start-up). */
  every(kind: string, intervalMs: number, handler: JobHandler): void {
    this.register(kind, async (payload, ctx) => {
      await handler(payload, ctx);
    });
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
    const handler = this.handlers.get(job.kind);
    if (!handler) return;
    try {
      await handler(JSON.parse(job.payload) as unknown, { now: this.now(), attempt: job.attempts });
      await q.deleteJob(this.db, Number(job.id));
      const interval = this.recurring.get(job.kind);
      if (interval !== undefined) {
        const now = this.now();
        await q.insertJob(
          this.db,
          { kind: job.kind, uniqueKey: `every:${job.kind}`, runAt: now + interval },
          now,
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const now = this.now();
      const giveUp = job.attempts >= job.max_attempts;
      this.log(
        `job ${job.kind} #${job.id} failed (attempt ${job.attempts}/${job.max_attempts})${giveUp ? ", giving up" : ""}: ${message}`,
      );
      await q.failJob(this.db, job, message, giveUp ? null : now + backoffMs(job.attempts), now);
      // A recurring job that gave up is queued afresh, so one bad day does not stop it for good.
      const interval = this.recurring.get(job.kind);
      if (giveUp && interval !== undefined)
        await q.insertJob(
          this.db,
          { kind: job.kind, uniqueKey: `every:${job.kind}`, runAt: now + interval },
          now,
        );
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    this.nudge?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
