/**
 * Keeps the full-text index in step with the works by following the change log on its own,
 * off the request path: a "work" entry names a work to rebuild, a "tag" entry the works whose
 * entry names the tag (worksWithTags); "counts" entries (a kudos, a hit) change no text. Its
 * position is saved in the database (work_text_cursor) in the transaction that writes the
 * entries it covers, so a crash or a restart replays changes and never skips one (rebuilding
 * an entry is idempotent).
 *
 * A text search catches it up first (waiting a second at most), so a reader who just posted
 * finds their work; in the background it catches up every half minute. It also fills in
 * every posted work that has no current entry (after a bulk load, which bypasses the log, a
 * restore or a format change), in batches timed to a few milliseconds each (SLICE_MS), with
 * the event loop free between them: requests are served throughout.
 *
 * Processes sharing one PostgreSQL each follow the log; the saved position is the furthest
 * any of them got. They may index the same work twice (wasted, not wrong: entries are rebuilt
 * from the database under a lock).
 */
import { CatchUp, changesAfter, LogCursor } from "../../core/db/changes.ts";
import type { Engine, Queryable } from "../../core/db/index.ts";
import {
  indexWorkText,
  optimizeWorkText,
  saveTextCursor,
  textCursor,
  unindexedWorks,
  worksWithTags,
} from "./entry-queries.ts";

const CHANGE_BATCH = 5_000;
const BACKFILL_PAGE = 5_000;
const TICK_MS = 30_000;
/**
 * The longest an indexing batch holds the event loop, about (on SQLite a batch runs
 * synchronously): a request arriving meanwhile waits at most this much longer. After a bulk
 * load the index is filled in 5 ms slices with requests served in between.
 */
const SLICE_MS = 5;
/** The longest slice, and the share of the loop's time indexing may take under load. */
const MAX_SLICE_MS = 50;
const INDEXING_SHARE = 0.25;

/** Lets requests in between batches. */
const yieldToRequests = () => new Promise<void>((r) => setImmediate(r));

/**
 * Paces indexing slices. Under steady load a yield can wait 100+ ms while a whole turn of
 * requests runs, so fixed 5 ms slices would get ~3 % of the time and a backfill would hardly
 * move; slices grow with the wait so indexing keeps about a quarter of the loop, each slice
 * still short enough not to show in a page's p99.
 */
export class SlicePacer {
  private lastWaitMs = 0;
  readonly budget = (): number =>
    Math.min(
      MAX_SLICE_MS,
      Math.max(SLICE_MS, (this.lastWaitMs * INDEXING_SHARE) / (1 - INDEXING_SHARE)),
    );
  readonly yield = async (): Promise<void> => {
    const started = performance.now();
    await yieldToRequests();
    this.waited(performance.now() - started);
  };
  /** How long the last yield waited for requests to run. */
  waited(ms: number): void {
    this.lastWaitMs = ms;
  }
}

export interface TextFollowerOptions {
  log?: (message: string) => void;
  /** Catch up now and then every half minute (the server does; tests and tools may not). */
  background?: boolean;
  /** The clock that times gaps in the log (see LogCursor). */
  now?: () => number;
}

export class TextFollower {
  /** Read from the database by the first catch-up. */
  private cursor: LogCursor | null = null;
  private saved = 0;
  private readonly catchUps = new CatchUp(() => this.applyChanges());
  private backfilling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly db: Queryable,
    private readonly engine: Engine,
    private readonly opts: TextFollowerOptions = {},
  ) {
    if (opts.background) {
      const tick = () =>
        void this.catchUp()
          .then(() => this.saveCursor())
          .catch(this.logFailure);
      tick();
      this.timer = setInterval(tick, TICK_MS);
      this.timer.unref();
    }
  }

  /** The change-log id up to which every entry is in the index (0 before the first catch-up). */
  get changeId(): number {
    return this.cursor?.upTo ?? 0;
  }

  /** Indexes what every change committed before the call touched. */
  catchUp(): Promise<void> {
    return this.closed ? Promise.resolve() : this.catchUps.run();
  }

  /**
   * Catches up, waiting at most `timeoutMs`: false when that was not enough or it failed (the
   * search then reads the index as it is; the database stays the truth).
   */
  upToDate(timeoutMs: number): Promise<boolean> {
    const done = this.catchUp().then(
      () => true,
      (err: unknown) => {
        this.logFailure(err);
        return false;
      },
    );
    return within(done, timeoutMs);
  }

  /** Resolves once the catch-up and backfill under way are done, or after `timeoutMs`. */
  idle(timeoutMs = Infinity): Promise<boolean> {
    const done = Promise.all([this.catchUps.settled(), this.backfilling]).then(() => true);
    return within(done, timeoutMs);
  }

  /** Indexes every posted work lacking a current entry, in the background; resolves when done. */
  backfill(): Promise<void> {
    this.backfilling ??= this.runBackfill()
      .catch((err: unknown) => this.opts.log?.(`text index: filling in failed: ${String(err)}`))
      .finally(() => {
        this.backfilling = null;
      });
    return this.backfilling;
  }

  /** Stops, letting a batch in progress finish (the database is about to close). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    await this.saveCursor().catch(this.logFailure);
  }

  private readonly logFailure = (err: unknown) => {
    this.opts.log?.(`text index: catching up failed: ${String(err)}`);
  };

  private async applyChanges(): Promise<void> {
    if (!this.cursor) {
      this.saved = await textCursor(this.db);
      this.cursor = new LogCursor(this.saved, this.opts.now);
    }
    const cursor = this.cursor;
    let after = cursor.upTo;
    for (;;) {
      if (this.closed) return;
      const read = await changesAfter(this.db, after, CHANGE_BATCH);
      const rows = read.filter((r) => !cursor.has(r.id));
      const works = new Set<number>();
      const tags: number[] = [];
      for (const r of rows) {
        if (r.entity === "work") works.add(r.entityId);
        else if (r.entity === "tag") tags.push(r.entityId);
      }
      for (const id of await worksWithTags(this.db, tags)) works.add(id);
      const ids = rows.map((r) => r.id);
      const upTo = cursor.next(ids);
      if (works.size > 0) {
        // The position moves in the transaction that writes the last of these entries.
        const pacer = new SlicePacer();
        await indexWorkText(this.db, this.engine, [...works], {
          inLastTransaction: (tx) => saveTextCursor(tx, upTo),
          betweenBatches: pacer.yield,
          sliceMs: pacer.budget,
        });
        this.saved = Math.max(this.saved, upTo);
      }
      cursor.applied(ids, upTo);
      if (read.length < CHANGE_BATCH) return;
      after = read[read.length - 1]!.id;
    }
  }

  /** Saves a position that moved past entries that needed no indexing (counts). */
  private async saveCursor(): Promise<void> {
    const upTo = this.cursor?.upTo ?? 0;
    if (upTo <= this.saved) return;
    await saveTextCursor(this.db, upTo);
    this.saved = upTo;
  }

  private async runBackfill() {
    const t0 = performance.now();
    let after = 0;
    let done = 0;
    const pacer = new SlicePacer();
    for (;;) {
      if (this.closed) return;
      const ids = await unindexedWorks(this.db, this.engine, after, BACKFILL_PAGE);
      if (ids.length === 0) break;
      await indexWorkText(this.db, this.engine, ids, {
        betweenBatches: pacer.yield,
        sliceMs: pacer.budget,
      });
      done += ids.length;
      after = ids[ids.length - 1]!;
      if (done % 50_000 < BACKFILL_PAGE) {
        this.opts.log?.(`text index: ${done.toLocaleString("en-US")} works indexed…`);
      }
      await yieldToRequests();
    }
    if (done > 0) {
      if (done >= 1_000) await optimizeWorkText(this.db, this.engine, yieldToRequests);
      this.opts.log?.(
        `text index: ${done.toLocaleString("en-US")} works indexed in ${Math.round(performance.now() - t0)} ms`,
      );
    }
  }
}

/** `done`, or false once `ms` have passed. */
function within(done: Promise<boolean>, ms: number): Promise<boolean> {
  if (ms === Infinity) return done;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
    timer.unref();
  });
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}
