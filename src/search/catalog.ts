/**
 * The catalog: the browse index kept in step with the database. Built at start-up from the
 * works tables, then caught up from the change log before every search (and every half
 * minute), so a new or edited work shows at once, several processes on one PostgreSQL each
 * stay current, and a crash or restore only costs a rebuild. Writers never call it.
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Config } from "../core/config.ts";
import type { Engine, Queryable } from "../core/db/index.ts";
import { BrowseIndex, type BrowseQuery, type BrowseResult, type WorkDoc } from "./browse-index.ts";
import {
  changeById,
  changesSince,
  countsChangedSince,
  loadWorkRows,
  newestCountStamp,
  pruneChangesBefore,
  scanWorkRows,
  settledChangeId,
  tagTypes,
  tagTypesOf,
  worksInFilter,
  type WorkRow,
} from "./index-queries.ts";
import { readDocCache, writeDocCache, type CacheMark } from "./doc-cache.ts";
import { sortKey } from "./sort-key.ts";

const sameMark = (a: CacheMark, b: CacheMark) =>
  a.changeId === b.changeId &&
  a.entity === b.entity &&
  a.entityId === b.entityId &&
  a.createdAt === b.createdAt;

const LOAD_BATCH = 5_000;
const SCAN_BATCH = 20_000;
const CHANGE_BATCH = 5_000;
/** A change id missing below newer ones belongs to a transaction still running, or to one
 * rolled back; after this long it is taken as rolled back. */
const GAP_WAIT_MS = 10_000;
const TICK_MS = 30_000;
/** Counts are stamped by app clocks and commit in any order: re-read this far back. */
const COUNTS_MARGIN_MS = 2_000;
const KEEP_CHANGES_MS = 24 * 3600_000;

export interface CatalogOptions {
  log?: (message: string) => void;
  now?: () => number;
  /** Follow the change log in the background (the server does; tests and benches may not). */
  background?: boolean;
  /** A file to keep a copy of the documents in (see doc-cache.ts): faster start-ups. */
  cacheFile?: string;
  /** Called with the works whose documents changed (e.g. the text index follows them). */
  onWorksChanged?: (workIds: number[]) => Promise<void>;
}

export interface CatalogStats {
  works: number;
  buildMs: number;
  lastChangeId: number;
  /** Where the last build read its documents from. */
  source: "database" | "cache";
}

export function workDoc(row: WorkRow): WorkDoc {
  return {
    id: row.id,
    tagIds: row.tagIds,
    fandomCount: row.fandomCount,
    restricted: row.restricted,
    complete: row.complete,
    chapters: row.chapters,
    words: row.words,
    language: row.language,
    revisedAt: row.revisedAt,
    publishedAt: row.publishedAt,
    titleKey: sortKey(row.title),
    creatorKey: sortKey(row.creator),
    ...row.counts,
  };
}

/** Where a database's document cache lives: the data directory, one file per database. */
export function docCacheFile(config: Pick<Config, "dataDir" | "database">): string {
  const target = config.database;
  const id = target.kind === "sqlite" ? resolve(target.file) : target.url;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 16);
  return join(config.dataDir, `search-docs-${hash}.bin`);
}

export class WorkCatalog {
  private seenUpTo = 0;
  /** The newest `work_stats.updated_at` applied; see applyCounts(). */
  private countsMark = 0;
  private readonly seenAbove = new Set<number>();
  private readonly gapSince = new Map<number, number>();
  private catchingUp: Promise<void> | null = null;
  private nextCatchUp: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private buildMs = 0;
  private source: CatalogStats["source"] = "database";
  private cacheWrittenAt = 0;

  private constructor(
    private readonly db: Queryable,
    private readonly engine: Engine,
    private index: BrowseIndex,
    private readonly opts: CatalogOptions,
  ) {}

  /** Builds the index from the database (posted works only). */
  static async open(
    db: Queryable,
    engine: Engine,
    opts: CatalogOptions = {},
  ): Promise<WorkCatalog> {
    const catalog = new WorkCatalog(db, engine, new BrowseIndex(new Map()), opts);
    await catalog.build();
    if (opts.background) catalog.startBackground();
    return catalog;
  }

  get stats(): CatalogStats {
    return {
      works: this.index.size,
      buildMs: this.buildMs,
      lastChangeId: this.seenUpTo,
      source: this.source,
    };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * Loads every posted work afresh, from the document cache when it is still valid (its last
   * change is still in the log), else from the database; then catches up from the log.
   */
  async build(): Promise<void> {
    const t0 = performance.now();
    const index = new BrowseIndex(await tagTypes(this.db));
    const cache = this.opts.cacheFile ? readDocCache(this.opts.cacheFile) : null;
    const mark =
      cache && cache.mark.changeId > 0 ? await changeById(this.db, cache.mark.changeId) : undefined;
    let from: number;
    // Counts stamped from here on are read again after the build.
    let countsMark = await newestCountStamp(this.db);
    if (cache && mark && sameMark(mark, cache.mark)) {
      cache.forEach((doc) => index.upsert(doc));
      from = mark.changeId;
      // The cache holds the counts as they were when it was written, at or after its mark.
      countsMark = Math.min(countsMark, mark.createdAt);
      this.source = "cache";
    } else {
      // Changes newer than this may belong to transactions that commit after our reads:
      // start from the last settled one and apply the rest again (applying is idempotent).
      from = await settledChangeId(this.db, this.now() - GAP_WAIT_MS);
      let after = 0;
      for (;;) {
        const rows = await scanWorkRows(this.db, this.engine, after, SCAN_BATCH);
        for (const row of rows) index.upsert(workDoc(row));
        if (rows.length < SCAN_BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
      this.source = "database";
    }
    index.prepare();
    this.index = index;
    this.seenUpTo = from;
    this.countsMark = countsMark;
    this.seenAbove.clear();
    this.gapSince.clear();
    await this.catchUp();
    this.buildMs = performance.now() - t0;
    this.opts.log?.(
      `search index: ${index.size.toLocaleString("en-US")} works from the ${this.source} in ${Math.round(this.buildMs)} ms`,
    );
    if (this.source === "database") await this.saveCache();
  }

  /** Writes the document cache (at start-up after a scan, twice a day, and at close). */
  async saveCache(): Promise<boolean> {
    const file = this.opts.cacheFile;
    if (!file || this.seenUpTo === 0) return false;
    const mark = await changeById(this.db, this.seenUpTo);
    if (!mark) return false;
    try {
      writeDocCache(file, mark, this.index.docs());
      this.cacheWrittenAt = this.now();
      return true;
    } catch (err) {
      this.opts.log?.(`search index: could not write ${file}: ${String(err)}`);
      return false;
    }
  }

  /**
   * Applies every change committed before the call. A run already under way may have read
   * the log before the caller's own write committed, so callers arriving meanwhile share
   * one further run after it.
   */
  catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = this.applyChanges().finally(() => {
        this.catchingUp = null;
      });
      return this.catchingUp;
    }
    this.nextCatchUp ??= this.catchingUp
      .catch(() => undefined)
      .then(() => {
        this.nextCatchUp = null;
        return this.catchUp();
      });
    return this.nextCatchUp;
  }

  /** Runs a query on an index that reflects every committed change. */
  async search(query: BrowseQuery, viewerLoggedIn: boolean): Promise<BrowseResult> {
    await this.catchUp();
    return this.index.search(query, viewerLoggedIn);
  }

  /** Stops following the log; writes the document cache for the next start-up. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.catchingUp;
    await this.saveCache();
  }

  private startBackground() {
    this.timer = setInterval(() => {
      this.catchUp()
        .then(() => this.prune())
        .catch((err: unknown) => this.opts.log?.(`search index catch-up failed: ${String(err)}`));
    }, TICK_MS);
    this.timer.unref();
  }

  private async prune() {
    const now = this.now();
    if (now - this.lastPrune < 3600_000) return;
    this.lastPrune = now;
    // The cache must name a change the log still holds, or the next start-up scans.
    if (now - this.cacheWrittenAt > KEEP_CHANGES_MS / 2) await this.saveCache();
    await pruneChangesBefore(this.db, now - KEEP_CHANGES_MS);
  }

  private async applyChanges(): Promise<void> {
    let cursor = this.seenUpTo;
    for (;;) {
      const rows = await changesSince(this.db, cursor, CHANGE_BATCH);
      const works = new Set<number>();
      const tags = new Set<number>();
      for (const r of rows) {
        if (this.seenAbove.has(r.id)) continue;
        (r.entity === "work" ? works : tags).add(r.entityId);
      }
      if (tags.size > 0) {
        const types = await tagTypesOf(this.db, [...tags]);
        for (const tagId of tags) {
          const type = types.get(tagId);
          if (type) this.index.setTagType(tagId, type);
          for (const w of this.index.worksWithTag(tagId)) works.add(w);
          for (const w of await worksInFilter(this.db, tagId)) works.add(w);
        }
      }
      if (works.size > 0) await this.reload([...works]);
      for (const r of rows) this.seenAbove.add(r.id);
      if (rows.length < CHANGE_BATCH) break;
      cursor = rows[rows.length - 1]!.id;
    }
    this.advance();
    await this.applyCounts();
  }

  /**
   * Kudos, hits, comments and bookmarks change far more often than works, so they are not in
   * the change log: engagement stamps `work_stats.updated_at` and the index re-reads rows
   * stamped since its last look (minus a margin for transactions that commit late).
   */
  private async applyCounts(): Promise<void> {
    let since = this.countsMark - COUNTS_MARGIN_MS;
    for (;;) {
      const rows = await countsChangedSince(this.db, since, CHANGE_BATCH);
      for (const r of rows) {
        this.index.setCounts(r.workId, r.counts);
        if (r.updatedAt > this.countsMark) this.countsMark = r.updatedAt;
      }
      if (rows.length < CHANGE_BATCH) break;
      const last = rows[rows.length - 1]!.updatedAt;
      // A full batch within one millisecond would never advance; step past it.
      since = last > since ? last : since + 1;
    }
  }

  /** Re-reads works from the database: posted ones are (re)indexed, the rest removed. */
  private async reload(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += LOAD_BATCH) {
      const batch = ids.slice(i, i + LOAD_BATCH);
      const rows = await loadWorkRows(this.db, { ids: batch });
      const unknown = new Set<number>();
      for (const row of rows) {
        for (const t of row.tagIds) if (!this.index.hasTag(t)) unknown.add(t);
      }
      if (unknown.size > 0) {
        for (const [tagId, type] of await tagTypesOf(this.db, [...unknown])) {
          this.index.setTagType(tagId, type);
        }
      }
      const posted = new Set<number>();
      for (const row of rows) {
        posted.add(row.id);
        this.index.upsert(workDoc(row));
      }
      for (const id of batch) if (!posted.has(id)) this.index.remove(id);
      await this.opts.onWorksChanged?.(batch);
    }
  }

  /** Moves the low-water mark over contiguous ids, waiting a while at each gap. */
  private advance() {
    const now = this.now();
    while (this.seenAbove.size > 0) {
      const next = this.seenUpTo + 1;
      if (this.seenAbove.delete(next)) {
        this.seenUpTo = next;
        this.gapSince.delete(next);
        continue;
      }
      const since = this.gapSince.get(next);
      if (since === undefined) this.gapSince.set(next, now);
      if (since === undefined || now - since < GAP_WAIT_MS) break;
      this.gapSince.delete(next);
      this.seenUpTo = next;
    }
  }
}
