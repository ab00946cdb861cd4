/**
 * Sets a work's counters from the rows they count. Used after changes made elsewhere that
 * remove counted rows without going through engagement commands (a chapter deleted takes its
 * comments with it, by cascade).
 */
import type { Queryable } from "../core/db/index.ts";
import { countsChanged } from "./counter-queries.ts";

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
        .executeTakeFirst(),
    ),
    count(
      db
        .selectFrom("bookmarks")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("work_id", "=", workId)
        .where("private", "=", 0)
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
