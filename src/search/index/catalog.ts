/**
 * The catalog: the browse index kept in step with the database. Built at start-up from the
 * works tables, then caught up from the change log before every search (and every half
 * minute), so a new or edited work shows at once, several processes on one PostgreSQL each
 * stay current, and a crash or restore only costs a rebuild. Writers never call it.
 *
 * Engagement counts (kudos, hits, comments, bookmarks) come through the log too (entity
 * "counts"), so a log position describes every value the index holds: that is what lets the
 * document cache be checked against the database it is opened with.
 *
 * Reading the log is the one freshness check per search; on PostgreSQL, with `listenUrl`,
 * not even that while nothing was committed (see change-notices.ts and `unchanged`).
 * Listeners (the listings' blurb cache) hear which works and tags each catch-up changed.
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Config } from "../../core/config.ts";
import { archiveId, changesAfter, newestLocalChange } from "../../core/db/changes.ts";
import type { Engine, Queryable } from "../../core/db/index.ts";
import { BrowseIndex } from "./browse-index.ts";
import type { BrowseQuery, BrowseResult, WorkDoc } from "./browse-types.ts";
import { PgChangeNotices, type ChangeNotices } from "./change-notices.ts";
import {
  changeById,
  changesNotifyInstalled,
  loadCounts,
  loadWorkRows,
  newestChange,
  pruneChangesBefore,
  firstWorkAfter,
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
const KEEP_CHANGES_MS = 24 * 3600_000;

export interface CatalogOptions {
  log?: (message: string) => void;
  now?: () => number;
  /** Follow the change log in the background (the server does; tests and benches may not). */
  background?: boolean;
  /** A file to keep a copy of the documents in (see doc-cache.ts): faster start-ups. */
  cacheFile?: string;
  /** false: only read `cacheFile`; another process on this database writes it (src/serve/). */
  cacheWriter?: boolean;
  /** A PostgreSQL URL to LISTEN on for change-log commits: no log read while none came. */
  listenUrl?: string;
  /** Notices from elsewhere (tests); the catalog closes them with itself. */
  notices?: ChangeNotices;
}

/** What a catch-up changed: works to re-read and tags whose name or type may differ, or
 * "all" after a (re)build. */
export type CatalogChange = { works: ReadonlySet<number>; tags: ReadonlySet<number> } | "all";

export interface CatalogStats {
  works: number;
  buildMs: number;
  lastChangeId: number;
  /** Where the last build read its documents from. */
  source: "database" | "cache";
}

/** `creatorKeys`: sort keys already made, by creator (a bulk load meets each many times). */
export function workDoc(row: WorkRow, creatorKeys?: Map<string, string>): WorkDoc {
  let creatorKey = creatorKeys?.get(row.creator);
  if (creatorKey === undefined) {
    creatorKey = sortKey(row.creator);
    creatorKeys?.set(row.creator, creatorKey);
  }
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
    creatorKey,
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
  private readonly seenAbove = new Set<number>();
  private readonly gapSince = new Map<number, number>();
  private catchingUp: Promise<void> | null = null;
  private nextCatchUp: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private buildMs = 0;
  private source: CatalogStats["source"] = "database";
  private cacheWrittenAt = 0;
  private notices: ChangeNotices | null = null;
  /** The notices' version when the last completed read of the log began. */
  private readVersion: number | null = null;
  private readonly listeners: ((change: CatalogChange) => void)[] = [];

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
    if (opts.notices) catalog.notices = opts.notices;
    else if (opts.listenUrl && (await changesNotifyInstalled(db))) {
      const notices = new PgChangeNotices(opts.listenUrl, opts.log);
      await notices.start();
      catalog.notices = notices;
    }
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
   * Loads every posted work afresh, from the document cache when it is valid and describes
   * this database (see useCache), else from the database; then catches up from the log.
   */
  async build(): Promise<void> {
    const t0 = performance.now();
    const types = await tagTypes(this.db);
    let index = new BrowseIndex(types);
    let from = await this.useCache(index);
    if (from === null) {
      index = new BrowseIndex(types);
      // Changes newer than this may belong to transactions that commit after our reads:
      // start from the last settled one and apply the rest again (applying is idempotent).
      from = await settledChangeId(this.db, this.now() - GAP_WAIT_MS);
      const creatorKeys = new Map<string, string>();
      const scan = (after: number) => {
        const batch = scanWorkRows(this.db, this.engine, after, after + SCAN_BATCH);
        batch.catch(() => undefined); // awaited below; not unhandled meanwhile
        return { after, batch };
      };
      // Id ranges, so the next batch is asked for before this one is indexed: PostgreSQL
      // reads it meanwhile.
      let next: ReturnType<typeof scan> | null = scan(0);
      while (next) {
        const { after, batch } = next;
        const rows = await batch;
        if (rows.length > 0) next = scan(after + SCAN_BATCH);
        else {
          // Past the last work, or a gap in the ids: go on from the next work, if any.
          const first = await firstWorkAfter(this.db, after + SCAN_BATCH);
          next = first === null ? null : scan(first - 1);
        }
        for (const row of rows) index.upsert(workDoc(row, creatorKeys));
      }
      this.source = "database";
    } else {
      this.source = "cache";
    }
    index.prepare();
    this.index = index;
    this.seenUpTo = from;
    this.seenAbove.clear();
    this.gapSince.clear();
    this.emit("all");
    await this.catchUp();
    this.buildMs = performance.now() - t0;
    this.opts.log?.(
      `search index: ${index.size.toLocaleString("en-US")} works from the ${this.source} in ${Math.round(this.buildMs)} ms`,
    );
    if (this.source === "database") await this.saveCache();
  }

  /**
   * Fills `index` from the document cache and returns the log position to replay from, or
   * returns null (with one log line saying why) when there is no usable cache: a damaged
   * file, another archive's, or one written from a database state this one does not contain
   * (a restored backup, a pruned log). `index` is then partly filled: the caller discards it.
   */
  private async useCache(index: BrowseIndex): Promise<number | null> {
    const file = this.opts.cacheFile;
    if (!file) return null;
    const read = readDocCache(file);
    if (read.status === "missing") return null;
    const skip = (why: string) => {
      this.opts.log?.(`search index: cache ${file} not used (${why}); reading the database`);
      return null;
    };
    if (read.status === "bad") return skip(read.problem);
    const cache = read.cache;
    const archive = await archiveId(this.db);
    if (archive === null) return skip("the database has no archive id");
    if (archive !== cache.archiveId) return skip("another archive's");
    const mark = await changeById(this.db, cache.mark.changeId);
    if (!mark || !sameMark(mark, cache.mark)) {
      return skip("the database does not hold its change-log position: restored, or pruned");
    }
    try {
      cache.forEach((doc) => index.upsert(doc));
    } catch (err) {
      // The file passed its checks; the index refusing it is still no reason not to start.
      return skip(`refused by the index: ${String(err)}`);
    }
    return cache.from;
  }

  /** Writes the document cache (at start-up after a scan, twice a day, and at close). */
  async saveCache(): Promise<boolean> {
    const file = this.opts.cacheFile;
    if (!file || this.opts.cacheWriter === false) return false;
    // The documents as of now (every change up to `from` applied), then the newest entry in
    // the log: every change the documents reflect had committed, so it is at or below it.
    const docs = this.index.docColumns();
    const from = this.seenUpTo;
    const [mark, archive] = await Promise.all([newestChange(this.db), archiveId(this.db)]);
    if (!mark || archive === null) return false;
    try {
      writeDocCache(file, { archiveId: archive, mark, from }, docs);
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
    if (!this.unchanged()) await this.catchUp();
    return this.index.search(query, viewerLoggedIn);
  }

  /**
   * Whether the log surely holds nothing new, known without reading it: notices are up and
   * none came since the last read began, no gap is being waited for, and no entry this
   * process wrote is beyond the position (its notice may still be on its way).
   */
  private unchanged(): boolean {
    const version = this.notices?.version ?? null;
    return (
      version !== null &&
      version === this.readVersion &&
      this.seenAbove.size === 0 &&
      newestLocalChange(this.db) <= this.seenUpTo
    );
  }

  /** Hears what each catch-up changes, before the searches waiting for it run. */
  onChange(listener: (change: CatalogChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: CatalogChange) {
    for (const listener of this.listeners) listener(change);
  }

  /** A work's engagement counts as of the last catch-up (undefined: not in the index). */
  countsOf(workId: number) {
    return this.index.countsOf(workId);
  }

  /** Stops following the log; writes the document cache for the next start-up. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.notices?.close();
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
    const version = this.notices?.version ?? null;
    let cursor = this.seenUpTo;
    for (;;) {
      const rows = await changesAfter(this.db, cursor, CHANGE_BATCH);
      const works = new Set<number>();
      const tags = new Set<number>();
      const counted = new Set<number>();
      for (const r of rows) {
        if (this.seenAbove.has(r.id)) continue;
        if (r.entity === "work") works.add(r.entityId);
        else if (r.entity === "tag") tags.add(r.entityId);
        else if (r.entity === "counts") counted.add(r.entityId);
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
      if (works.size > 0 || tags.size > 0) this.emit({ works, tags });
      if (works.size > 0) await this.reload([...works]);
      // A reloaded work came with its counts; the rest re-read only theirs.
      for (const w of works) counted.delete(w);
      if (counted.size > 0) await this.reloadCounts([...counted]);
      for (const r of rows) this.seenAbove.add(r.id);
      if (rows.length < CHANGE_BATCH) break;
      cursor = rows[rows.length - 1]!.id;
    }
    this.advance();
    this.readVersion = version;
  }

  /** Re-reads the counts of works the index holds (a kudos, a hit, a comment …). */
  private async reloadCounts(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += LOAD_BATCH) {
      const batch = ids.slice(i, i + LOAD_BATCH);
      const counts = await loadCounts(this.db, batch);
      for (const id of batch) {
        this.index.setCounts(
          id,
          counts.get(id) ?? { kudos: 0, hits: 0, comments: 0, bookmarks: 0 },
        );
      }
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
