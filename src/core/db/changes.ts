/**
 * The change log: commands record what they changed in the same transaction, and indexes
 * follow it: each reads the entries after its position (changesAfter), keeps that position as
 * a LogCursor and runs its catch-ups through a CatchUp. With the archive's id (one random id
 * per database, kept by backups), a log position names one state of one archive: what a file
 * describing the database (the search-index cache) must be checked against.
 */
import type { ChangesTable } from "./schema.ts";
import type { Queryable } from "./index.ts";
import { prepared, type Params } from "./prepared.ts";

export type Entity = ChangesTable["entity"];

/**
 * The newest entry this process wrote to each database, committed or not: a follower told of
 * other processes' commits by a notice (PostgreSQL's NOTIFY) may not have that notice yet for
 * its own process's last commit, so it reads the log while this is above its position. Keyed
 * by the dialect adapter, which a database shares with its transactions.
 */
const newestWritten = new WeakMap<object, number>();

export function newestLocalChange(db: Queryable): number {
  return newestWritten.get(db.getExecutor().adapter) ?? 0;
}

export async function recordChanges(
  db: Queryable,
  entity: Entity,
  ids: readonly number[],
  now: number,
) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const rows = await db
    .insertInto("changes")
    .values(unique.map((entity_id) => ({ entity, entity_id, created_at: now })))
    .returning("id")
    .execute();
  const key = db.getExecutor().adapter;
  let newest = newestWritten.get(key) ?? 0;
  for (const { id } of rows) newest = Math.max(newest, Number(id));
  newestWritten.set(key, newest);
}

const changesAfterQuery = prepared((db, p: Params<{ after: number; limit: number }>) =>
  db
    .selectFrom("changes")
    .select(["id", "entity", "entity_id"])
    .where("id", ">", p("after"))
    .orderBy("id")
    .limit(p("limit")),
);

export interface Change {
  id: number;
  entity: Entity;
  entityId: number;
}

/** Up to `limit` entries after `afterId`, oldest first. */
export async function changesAfter(
  db: Queryable,
  afterId: number,
  limit: number,
): Promise<Change[]> {
  // Every listing runs this (the catalog's freshness check): built once, not per call.
  const rows = await changesAfterQuery.execute(db, { after: afterId, limit });
  return rows.map((r) => ({ id: Number(r.id), entity: r.entity, entityId: r.entity_id }));
}

/** The id of the newest change to `entity`, or 0. */
export async function latestChange(db: Queryable, entity: Entity): Promise<number> {
  const row = await db
    .selectFrom("changes")
    .select("id")
    .where("entity", "=", entity)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

/** The archive's random id (made by the first migration run), or null if its row is gone. */
export async function archiveId(db: Queryable): Promise<string | null> {
  const row = await db.selectFrom("archive").select("id").limit(1).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * A missing id below newer ones belongs to a transaction still running (PostgreSQL hands out
 * ids before commit) or to one rolled back; after this long it is taken as rolled back.
 */
export const GAP_WAIT_MS = 10_000;

/**
 * How far a follower has applied the log: `upTo`, below which every entry is applied (or was
 * given up as rolled back), plus the entries above it applied already. A follower that saves
 * `upTo` and starts from it again replays entries, never skips one.
 */
export class LogCursor {
  private readonly above = new Set<number>();
  /** When the gap starting at an id was first seen. */
  private readonly gapSince = new Map<number, number>();

  constructor(
    public upTo: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this entry was applied already. */
  has(id: number): boolean {
    return id <= this.upTo || this.above.has(id);
  }

  /**
   * Where `upTo` will be once these entries are applied too: over every id in a row, and over
   * a gap waited for GAP_WAIT_MS. Changes nothing, but starts the wait for a new gap.
   */
  next(applied: Iterable<number>): number {
    const now = this.now();
    const ids = [...new Set([...this.above, ...applied])].filter((id) => id > this.upTo);
    let upTo = this.upTo;
    for (const id of ids.sort((a, b) => a - b)) {
      if (id > upTo + 1) {
        const since = this.gapSince.get(upTo + 1);
        if (since === undefined) this.gapSince.set(upTo + 1, now);
        if (since === undefined || now - since < GAP_WAIT_MS) break;
      }
      upTo = id;
    }
    return upTo;
  }

  /** Records entries applied and the `upTo` next() gave for them, once they are applied. */
  applied(ids: Iterable<number>, upTo: number): void {
    for (const id of ids) this.above.add(id);
    this.skipTo(upTo);
  }

  /** Moves to a later position (one another process saved). */
  skipTo(upTo: number): void {
    if (upTo <= this.upTo) return;
    this.upTo = upTo;
    for (const id of this.above) if (id <= upTo) this.above.delete(id);
    for (const id of this.gapSince.keys()) if (id <= upTo) this.gapSince.delete(id);
  }
}

/**
 * A follower's catch-up runs, one at a time. Each call must see every change committed before
 * it, but a run already under way may have read the log before the caller's own write
 * committed: callers arriving meanwhile share one further run after it.
 */
export class CatchUp {
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly apply: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.current) {
      this.current = this.apply().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.run();
      });
    return this.next;
  }

  /** Resolves once the runs under way are over, failed or not. */
  async settled(): Promise<void> {
    await this.current?.catch(() => undefined);
    await this.next?.catch(() => undefined);
  }
}
