/** Reads a work's counters, and what users a reader muted added to them. */
import type { Queryable } from "../core/db/index.ts";
import type { WorkCounts } from "../core/work-counts.ts";

export async function storedCounts(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, WorkCounts>> {
  if (workIds.length === 0) return new Map();
  const rows = await db
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
      .groupBy("work_id")
      .execute(),
    db
      .selectFrom("bookmarks")
      .select((eb) => ["work_id", eb.fn.countAll<number | string>().as("n")])
      .where("work_id", "in", workIds)
      .where("user_id", "in", userIds)
      .where("private", "=", 0)
      .groupBy("work_id")
      .$narrowType<{ work_id: number }>() // `in workIds`: never a deleted work's (null)
      .execute(),
  ]);
  for (const r of kudos) entry(r.work_id).kudos = Number(r.n);
  for (const r of comments) entry(r.work_id).comments = Number(r.n);
  for (const r of bookmarks) entry(r.work_id).bookmarks = Number(r.n);
  return out;
}
