/**
 * Hits are counted in memory and written in batches: a reading page records its visit here
 * and runs no write of its own. Every `flushEveryMs` (and early, when `maxPending` visits wait)
 * one transaction claims the waiting visits in `hit_visitors` and adds the new ones to the
 * counters, exactly as a page once did for itself (see `writeHits`).
 *
 * Each process keeps its own buffer; the database's primary key de-duplicates visits across
 * processes and flushes. A clean shutdown flushes (`close`); a crash loses at most the visits
 * of the last `flushEveryMs`.
 */
import type { Db } from "../../core/db/index.ts";
import { writeHits, type Visit } from "./hit-queries.ts";

export interface HitBufferOptions {
  now: () => number;
  /** "manual": no timer; the caller flushes (tests, like their job queue). */
  mode?: "background" | "manual";
  flushEveryMs?: number;
  /** Visits waiting that trigger an early flush. */
  maxPending?: number;
  /** Visits already claimed today that are remembered, to skip repeated page views. */
  maxRemembered?: number;
  log?: (message: string, err?: unknown) => void;
}

const keyOf = (v: Visit) => `${v.day}:${v.workId}:${v.chapterId}:${v.visitor}`;

export class HitBuffer {
  private pending = new Map<string, Visit>();
  /** Visits written (or waiting) today: a repeated view needs no claim. */
  private seen = new Set<string>();
  private seenDay = -1;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Visits refused because writes could not keep up (logged once per flush). */
  private dropped = 0;
  /** Visits whose write failed once: a second failure drops them. */
  private retried = new Set<string>();
  private readonly flushEveryMs: number;
  private readonly maxPending: number;
  private readonly maxRemembered: number;

  constructor(
    private readonly db: Db,
    private readonly opts: HitBufferOptions,
  ) {
    this.flushEveryMs = opts.flushEveryMs ?? 1_000;
    this.maxPending = opts.maxPending ?? 5_000;
    this.maxRemembered = opts.maxRemembered ?? 100_000;
  }

  /** Visits waiting to be written (for tests and benchmarks). */
  get size(): number {
    return this.pending.size;
  }

  /** Records a view of the work (chapter 0) and, when given, of one chapter. */
  record(view: { workId: number; chapterId: number | null; day: number; visitor: string }): void {
    if (view.day !== this.seenDay) {
      this.seen.clear();
      this.seenDay = view.day;
    }
    const visits: Visit[] = [{ ...view, chapterId: 0 }];
    if (view.chapterId !== null) visits.push({ ...view, chapterId: view.chapterId });
    for (const visit of visits) {
      const key = keyOf(visit);
      if (this.seen.has(key)) continue;
      // Writes not keeping up (a flood of distinct visitors while the database is slow): keep
      // memory bounded and say so, rather than grow without end.
      if (this.pending.size >= 4 * this.maxPending) {
        this.dropped++;
        continue;
      }
      if (this.seen.size >= this.maxRemembered) this.seen.clear();
      this.seen.add(key);
      this.pending.set(key, visit);
    }
    if (this.pending.size >= this.maxPending) void this.flush();
    else if (this.pending.size > 0) this.schedule();
  }

  /** Writes every visit recorded so far; resolves once they are in the database. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Flushes and stops the timer; later visits are still written by the next flush call. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private schedule() {
    if (this.timer || this.closed || this.opts.mode === "manual") return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushEveryMs);
    this.timer.unref();
  }

  private async write(batch: Visit[]): Promise<void> {
    try {
      await writeHits(this.db, batch, this.opts.now());
      for (const visit of batch) this.retried.delete(keyOf(visit));
    } catch (err) {
      // Tried once more with the next flush while there is room (a busy database; a work
      // deleted meanwhile, which the next attempt leaves out), then forgotten.
      this.opts.log?.("hits not written; retrying once with the next flush", err);
      for (const visit of batch) {
        const key = keyOf(visit);
        if (!this.retried.has(key) && this.pending.size < 4 * this.maxPending) {
          this.retried.add(key);
          this.pending.set(key, visit);
        } else {
          this.retried.delete(key);
          this.seen.delete(key);
        }
      }
      this.schedule();
    }
    if (this.dropped > 0) {
      this.opts.log?.(`${this.dropped} hits dropped: more visitors than writes could keep up with`);
      this.dropped = 0;
    }
  }
}
