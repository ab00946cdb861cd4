/** What the author statistics page reads: counters per work, per day and per chapter. */
import type { ExpressionBuilder } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import type { Database } from "../../core/db/schema.ts";

export const FIGURES = ["hits", "kudos", "comments", "bookmarks", "subscriptions"] as const;
export type Figure = (typeof FIGURES)[number];
export type Figures = Record<Figure, number>;

export interface WorkFigures extends Figures {
  id: number;
  title: string;
  posted: boolean;
  words: number;
  createdAt: number;
}

const zero = (): Figures => ({ hits: 0, kudos: 0, comments: 0, bookmarks: 0, subscriptions: 0 });

/** Works credited to the user through any of their pseuds (drafts included). */
const byUser = (userId: number) => (eb: ExpressionBuilder<Database, "works">) =>
  eb.exists(
    eb
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .select("creatorships.work_id")
      .whereRef("creatorships.work_id", "=", "works.id")
      .where("pseuds.user_id", "=", userId),
  );

/** Every work of the user with its counters (zeros for a work nobody has engaged with yet). */
export async function worksWithFigures(db: Queryable, userId: number): Promise<WorkFigures[]> {
  const rows = await db
    .selectFrom("works")
    .leftJoin("work_stats", "work_stats.work_id", "works.id")
    .select([
      "works.id",
      "works.title",
      "works.posted",
      "works.word_count",
      "works.created_at",
      "work_stats.hits",
      "work_stats.kudos",
      "work_stats.comments",
      "work_stats.bookmarks",
      "work_stats.subscriptions",
    ])
    .where(byUser(userId))
    .orderBy("works.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    posted: r.posted === 1,
    words: Number(r.word_count),
    createdAt: Number(r.created_at),
    hits: Number(r.hits ?? 0),
    kudos: Number(r.kudos ?? 0),
    comments: Number(r.comments ?? 0),
    bookmarks: Number(r.bookmarks ?? 0),
    subscriptions: Number(r.subscriptions ?? 0),
  }));
}

export type DailyScope = { userId: number } | { workId: number };

/** Daily rows of one work, or of every work of a user. */
const inScope = (scope: DailyScope) => (eb: ExpressionBuilder<Database, "work_daily_stats">) =>
  "workId" in scope
    ? eb("work_daily_stats.work_id", "=", scope.workId)
    : eb(
        "work_daily_stats.work_id",
        "in",
        eb.selectFrom("works").select("works.id").where(byUser(scope.userId)),
      );

/**
 * Every figure per day from `fromDay` to `toDay` (inclusive), summed over the user's works or
 * for one work; days with nothing get zeros, so the series has exactly one entry per day.
 */
export async function dailyFigures(
  db: Queryable,
  scope: DailyScope,
  fromDay: number,
  toDay: number,
): Promise<({ day: number } & Figures)[]> {
  const rows = await db
    .selectFrom("work_daily_stats")
    .select((eb) => [
      "work_daily_stats.day",
      ...FIGURES.map((f) => eb.fn.sum<number | string>(`work_daily_stats.${f}`).as(f)),
    ])
    .where("work_daily_stats.chapter_id", "=", 0)
    .where("work_daily_stats.day", ">=", fromDay)
    .where("work_daily_stats.day", "<=", toDay)
    .where(inScope(scope))
    .groupBy("work_daily_stats.day")
    .execute();
  const byDay = new Map(rows.map((r) => [Number(r.day), r]));
  const out: ({ day: number } & Figures)[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    const r = byDay.get(day);
    const figures = zero();
    if (r) for (const f of FIGURES) figures[f] = Number(r[f] ?? 0);
    out.push({ day, ...figures });
  }
  return out;
}

/** Hits, kudos and comments per chapter of a work, over all days. */
export async function chapterFigures(
  db: Queryable,
  workId: number,
): Promise<Map<number, Pick<Figures, "hits" | "kudos" | "comments">>> {
  const rows = await db
    .selectFrom("work_daily_stats")
    .select((eb) => [
      "work_daily_stats.chapter_id",
      eb.fn.sum<number | string>("work_daily_stats.hits").as("hits"),
      eb.fn.sum<number | string>("work_daily_stats.kudos").as("kudos"),
      eb.fn.sum<number | string>("work_daily_stats.comments").as("comments"),
    ])
    .where("work_daily_stats.work_id", "=", workId)
    .where("work_daily_stats.chapter_id", "<>", 0)
    .groupBy("work_daily_stats.chapter_id")
    .execute();
  return new Map(
    rows.map((r) => [
      r.chapter_id,
      { hits: Number(r.hits), kudos: Number(r.kudos), comments: Number(r.comments) },
    ]),
  );
}

/** The first day any counter of the work(s) moved, for a daily CSV covering everything. */
export async function firstActiveDay(db: Queryable, scope: DailyScope): Promise<number | null> {
  const row = await db
    .selectFrom("work_daily_stats")
    .select((eb) => eb.fn.min<number | string | null>("work_daily_stats.day").as("first"))
    .where("work_daily_stats.chapter_id", "=", 0)
    .where(inScope(scope))
    .executeTakeFirst();
  return row?.first === null || row?.first === undefined ? null : Number(row.first);
}
