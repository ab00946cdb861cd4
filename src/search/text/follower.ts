/**
 * Keeps the full-text index (text/text-queries.ts) in step with the works, off the request
 * path: the catalog hands over the works each "work" or "tag" change-log entry touched (never
 * the far more frequent "counts" entries: a kudos or a hit changes no text), and a background
 * loop rebuilds their entries in batches. At start-up it also fills in every posted work
 * that has no current entry (after a bulk load, a restore or a format change).
 *
 * A text search waits (briefly) for the queue to drain, so a reader who just posted finds
 * their work. Indexing is idempotent, so processes sharing one PostgreSQL may index the same
 * work twice (wasted, not wrong: entries are rebuilt from the database under a lock).
 */
import type { Engine, Queryable } from "../../core/db/index.ts";
import { indexWorkText, optimizeWorkText, unindexedWorks } from "./text-queries.ts";

const BATCH = 500;
const BACKFILL_PAGE = 5_000;

export interface TextFollowerOptions {
  log?: (message: string) => void;
}

export class TextFollower {
  private readonly queue = new Set<number>();
  private draining: Promise<void> | null = null;
  private backfilling: Promise<void> | null = null;
  private closed = false;
  private failures = 0;

  constructor(
    private readonly db: Queryable,
    private readonly engine: Engine,
    private readonly opts: TextFollowerOptions = {},
  ) {}

  /** Works whose text may have changed. Returns at once; indexing happens in the background. */
  enqueue(workIds: Iterable<number>): void {
    for (const id of workIds) this.queue.add(id);
    this.kick();
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Resolves once everything queued so far is indexed, or after `timeoutMs`. */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.draining || this.queue.size > 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      this.kick();
      const current = this.draining ?? Promise.resolve();
      if (left === Infinity) await current;
      else await Promise.race([current, new Promise((r) => setTimeout(r, left).unref())]);
      if (this.failures > 0) return false;
    }
    return true;
  }

  /** Indexes every posted work lacking a current entry, in the background; resolves when done. */
  backfill(): Promise<void> {
    this.backfilling ??= this.runBackfill().finally(() => {
      this.backfilling = null;
    });
    return this.backfilling;
  }

  /** Stops, letting a batch in progress finish (the database is about to close). */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.backfilling?.catch(() => undefined);
  }

  private kick() {
    if (this.draining || this.queue.size === 0 || this.closed) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.size > 0 && !this.closed && this.failures === 0) this.kick();
    });
  }

  private async drain() {
    while (this.queue.size > 0 && !this.closed) {
      const batch = [...this.queue].slice(0, BATCH);
      try {
        await indexWorkText(this.db, this.engine, batch);
        for (const id of batch) this.queue.delete(id);
        this.failures = 0;
      } catch (err) {
        // Kept queued: the next change or search tries again; the database stays the truth.
        this.failures++;
        this.opts.log?.(`text index: ${batch.length} works failed to index: ${String(err)}`);
        return;
      }
      // Let requests in between batches.
      await new Promise((r) => setImmediate(r));
    }
  }

  private async runBackfill() {
    const t0 = performance.now();
    let after = 0;
    let done = 0;
    for (;;) {
      if (this.closed) return;
      const ids = await unindexedWorks(this.db, this.engine, after, BACKFILL_PAGE);
      if (ids.length === 0) break;
      this.enqueue(ids);
      await this.idle();
      if (this.failures > 0) return;
      done += ids.length;
      after = ids[ids.length - 1]!;
      if (done % 50_000 < BACKFILL_PAGE) {
        this.opts.log?.(`text index: ${done.toLocaleString("en-US")} works indexed…`);
      }
    }
    if (done > 0) {
      if (done >= 1_000) await optimizeWorkText(this.db, this.engine);
      this.opts.log?.(
        `text index: ${done.toLocaleString("en-US")} works indexed in ${Math.round(performance.now() - t0)} ms`,
      );
    }
  }
}
