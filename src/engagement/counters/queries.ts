// The SQL of a work's counters: bumping them in the writer's transaction, reading them for
// blurbs and pages, and counting them again from their rows.
import { sql } from "kysely";
import { recordChanges } from "../../core/db/changes.ts";
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import type { WorkCounts } from "../../core/work-counts.ts";

/**
 * A work's counters (`work_stats`) and their daily, per-chapter breakdown
 * (`work_daily_stats`). Every engagement command that adds or removes a counted row calls
 * `bumpCounts` in the same transaction, so counts are exact under concurrent requests (the
 * increments happen in the database, never read-modify-write here).
 *
 * A change to a count that listings sort and filter by is recorded in the change log
 * (entity "counts") in the same transaction: the search index follows counts like any other
 * change, and a log position describes the counts too (a cache of the index written after
 * it is never taken for a restored, older database).
 */

export type CountName = "kudos" | "comments" | "bookmarks" | "hits" | "subscriptions";
export type CountDelta = Partial<Record<CountName, number>>;

/** The counts listings sort and filter by (subscriptions are only shown to the author). */
const LISTED: readonly CountName[] = ["kudos", "comments", "bookmarks", "hits"];

/** Records that a work's listed counts changed (call in the transaction that changed them). */
export function countsChanged(db: Queryable, workId: number, now: number): Promise<void> {
  return recordChanges(db, "counts", [workId], now);
}

const DAY_MS = 86_400_000;
/** UTC days since 1970-01-01: the key of the daily rows. */
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
export const dayStart = (day: number) => day * DAY_MS;

/**
 * Adds `delta` to the work's counters, and to today's row for the work (chapter 0) and, when
 * given, the chapter. Negative deltas (a kudos withdrawn, a comment deleted) lower the totals;
 * the daily rows only ever count what happened that day, so they are not lowered.
 */
export async function bumpCounts(
  db: Queryable,
  target: { workId: number; chapterId?: number | null },
  delta: CountDelta,
  now: number,
): Promise<void> {
  const names = (Object.keys(delta) as CountName[]).filter((k) => (delta[k] ?? 0) !== 0);
  if (names.length === 0) return;
  const totals = Object.fromEntries(names.map((n) => [n, Math.max(delta[n] ?? 0, 0)]));
  await db
    .insertInto("work_stats")
    .values({ work_id: target.workId, ...totals, updated_at: now })
    .onConflict((oc) =>
      oc.column("work_id").doUpdateSet((eb) => ({
        ...Object.fromEntries(
          names.map((n) => [
            n,
            // Never below zero; `max(a, b)` is not portable (PostgreSQL calls it greatest).
            sql<number>`case when ${eb.ref(`work_stats.${n}`)} + ${delta[n] ?? 0} < 0 then 0 else ${eb.ref(`work_stats.${n}`)} + ${delta[n] ?? 0} end`,
          ]),
        ),
        updated_at: now,
      })),
    )
    .execute();
  if (names.some((n) => LISTED.includes(n))) await countsChanged(db, target.workId, now);

  const growth = names.filter((n) => (delta[n] ?? 0) > 0);
  if (growth.length === 0) return;
  const day = dayOf(now);
  const chapters = [0, ...(target.chapterId ? [target.chapterId] : [])];
  for (const chapterId of chapters) {
    await db
      .insertInto("work_daily_stats")
      .values({
        work_id: target.workId,
        chapter_id: chapterId,
        day,
        ...Object.fromEntries(growth.map((n) => [n, delta[n]])),
      })
      .onConflict((oc) =>
        oc
          .columns(["work_id", "chapter_id", "day"])
          .doUpdateSet((eb) =>
            Object.fromEntries(
              growth.map((n) => [n, sql<number>`${eb.ref(`work_daily_stats.${n}`)} + ${delta[n]}`]),
            ),
          ),
      )
      .execute();
  }
}

// --- reading ---------------------------------------------------------------------------------

/** Reads a work's counters, and what users a reader muted added to them. */
/** One work's counters (a work page), built once (core/db/prepared.ts). */
const countsOfWork = prepared((db, p: Params<{ workId: number }>) =>
  db
    .selectFrom("work_stats")
    .select(["work_id", "kudos", "comments", "bookmarks", "hits"])
    .where("work_id", "=", p("workId")),
);

export async function storedCounts(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, WorkCounts>> {
  if (workIds.length === 0) return new Map();
  const rows =
    workIds.length === 1
      ? await countsOfWork.execute(db, { workId: workIds[0]! })
      : await db
          .selectFrom("work_stats")
          .select(["work_id", "kudos", "comments", "bookmarks", "hits"])
          .where("work_id", "in", workIds)
          .execute();
  return new Map(
    rows.map((r) => [
      r.work_id,
      { kudos: r.kudos, comments: r.comments, bookmarks: r.bookmarks, hits: r.hits },
    ]),
  );
}

/** Per work: kudos, counted comments and public bookmarks left by any of `userIds`. */
export async function countsBy(
  db: Queryable,
  workIds: readonly number[],
  userIds: readonly number[],
): Promise<Map<number, Omit<WorkCounts, "hits">>> {
  const out = new Map<number, Omit<WorkCounts, "hits">>();
  if (workIds.length === 0 || userIds.length === 0) return out;
  const entry = (id: number) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { kudos: 0, comments: 0, bookmarks: 0 }));
    return e;
  };
  const [kudos, comments, bookmarks] = await Promise.all([
    db
      .selectFrom("kudos")
      .select((eb) => ["work_id", eb.fn.countAll<number | string>().as("n")])
      .where("work_id", "in", workIds)
      .where("user_id", "in", userIds)
      .groupBy("work_id")
      .execute(),
    db
      .selectFrom("comments")
      .select((eb) => ["work_id", eb.fn.countAll<number | string>().as("n")])
      .where("work_id", "in", workIds)
      .where("user_id", "in", userIds)
      .where("status", "=", "published")
      .where("deleted", "=", 0)
      .where("hidden_reason", "is", null)
      .groupBy("work_id")
      .execute(),
    db
      .selectFrom("bookmarks")
      .select((eb) => ["work_id", eb.fn.countAll<number | string>().as("n")])
      .where("work_id", "in", workIds)
      .where("user_id", "in", userIds)
      .where("private", "=", 0)
      .where("hidden_reason", "is", null)
      .groupBy("work_id")
      .$narrowType<{ work_id: number }>() // `in workIds`: never a deleted work's (null)
      .execute(),
  ]);
  for (const r of kudos) entry(r.work_id).kudos = Number(r.n);
  for (const r of comments) entry(r.work_id).comments = Number(r.n);
  for (const r of bookmarks) entry(r.work_id).bookmarks = Number(r.n);
  return out;
}

// --- counting again --------------------------------------------------------------------------

/**
 * Sets a work's counters from the rows they count. Used after changes made elsewhere that
 * remove counted rows without going through engagement commands (a chapter deleted takes its
 * comments with it, by cascade).
 */
export async function recountWork(db: Queryable, workId: number, now: number): Promise<void> {
  const count = async (q: Promise<{ n: number | string } | undefined>) => Number((await q)?.n ?? 0);
  const [kudos, comments, bookmarks, subscriptions] = await Promise.all([
    count(
      db
        .selectFrom("kudos")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("work_id", "=", workId)
        .executeTakeFirst(),
    ),
    count(
      db
        .selectFrom("comments")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("work_id", "=", workId)
        .where("status", "=", "published")
        .where("deleted", "=", 0)
        .where("hidden_reason", "is", null)
        .executeTakeFirst(),
    ),
    count(
      db
        .selectFrom("bookmarks")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("work_id", "=", workId)
        .where("private", "=", 0)
        .where("hidden_reason", "is", null)
        .executeTakeFirst(),
    ),
    count(
      db
        .selectFrom("subscriptions")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("target_type", "=", "work")
        .where("target_id", "=", workId)
        .executeTakeFirst(),
    ),
  ]);
  const work = await db
    .selectFrom("works")
    .select("id")
    .where("id", "=", workId)
    .executeTakeFirst();
  if (!work) return;
  await db
    .insertInto("work_stats")
    .values({ work_id: workId, kudos, comments, bookmarks, subscriptions, updated_at: now })
    .onConflict((oc) =>
      oc
        .column("work_id")
        .doUpdateSet({ kudos, comments, bookmarks, subscriptions, updated_at: now }),
    )
    .execute();
  await countsChanged(db, workId, now);
}
