/**
 * Everything a logged-in reader's state on one work page needs, in one statement: their
 * history preference and `readings` row, their bookmark, their subscriptions to the work and
 * its creators, and whether a creator blocked them. A page once asked five times.
 */
import { sql, type Kysely } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import type { Database } from "../../core/db/schema.ts";
import { READING_COLUMNS, type Reading } from "../reading/queries.ts";

export interface ViewerOnWork {
  historyEnabled: boolean;
  reading: Reading;
  bookmarkId: number | undefined;
  subscribedToWork: boolean;
  /** Of the creator ids asked about, those the reader subscribed to. */
  subscribedCreators: Set<number>;
  /** Blocked by one of the creators asked about. */
  blocked: boolean;
}

/** Creators beyond this many (rare) are asked with a query built for the call. */
const PREPARED_CREATORS = 4;

/**
 * One row per subscription found (the work's and the creators'), at least one: the user row
 * anchors the others, so a missing readings row or bookmark still answers.
 */
function build(db: Kysely<Database>, p: Params<Record<string, number>>, creators: number) {
  const creatorIds = Array.from({ length: creators }, (_, i) => p(`creator${i}`));
  return db
    .selectFrom("users")
    .leftJoin("readings", (join) =>
      join.onRef("readings.user_id", "=", "users.id").on("readings.work_id", "=", p("work")),
    )
    .leftJoin("subscriptions", (join) =>
      join
        .onRef("subscriptions.user_id", "=", "users.id")
        .on((eb) =>
          eb.or([
            eb.and([
              eb("subscriptions.target_type", "=", "work"),
              eb("subscriptions.target_id", "=", p("work")),
            ]),
            ...(creators > 0
              ? [
                  eb.and([
                    eb("subscriptions.target_type", "=", "user"),
                    eb("subscriptions.target_id", "in", creatorIds),
                  ]),
                ]
              : []),
          ]),
        ),
    )
    .select((eb) => [
      "users.history_enabled",
      "readings.user_id as r_user_id",
      "readings.work_id as r_work_id",
      "readings.first_read_at",
      ...READING_COLUMNS,
      "subscriptions.target_type",
      "subscriptions.target_id",
      eb
        .selectFrom("bookmarks")
        .select("bookmarks.id")
        .whereRef("bookmarks.user_id", "=", "users.id")
        .where("bookmarks.work_id", "=", p("work"))
        .orderBy("bookmarks.id")
        .limit(1)
        .as("bookmark_id"),
      creators > 0
        ? eb
            .exists(
              eb
                .selectFrom("blocked_users")
                .select(sql.lit(1).as("one"))
                .whereRef("blocked_users.blocked_user_id", "=", "users.id")
                .where("blocked_users.user_id", "in", creatorIds),
            )
            .as("blocked")
        : sql<boolean>`${sql.lit(0)}`.as("blocked"),
    ])
    .where("users.id", "=", p("user"));
}

/** Built once per number of creators asked about (core/db/prepared.ts). */
const preparedByCreators = Array.from({ length: PREPARED_CREATORS + 1 }, (_, n) =>
  prepared((db, p: Params<Record<string, number>>) => build(db, p, n)),
);

export async function viewerOnWork(
  db: Queryable,
  userId: number,
  workId: number,
  creatorIds: readonly number[],
): Promise<ViewerOnWork> {
  const params: Record<string, number> = { user: userId, work: workId };
  creatorIds.forEach((id, i) => (params[`creator${i}`] = id));
  const query = preparedByCreators[creatorIds.length];
  const rows = query
    ? await query.execute(db, params)
    : await build(
        db,
        // Values in place of placeholders: the query built for this call alone.
        (name: string) => params[name]!,
        creatorIds.length,
      ).execute();
  const first = rows[0];
  const reading: Reading =
    first?.r_user_id == null || first.r_work_id == null
      ? undefined
      : {
          user_id: first.r_user_id,
          work_id: first.r_work_id,
          first_read_at: Number(first.first_read_at),
          last_read_at: Number(first.last_read_at),
          visits: Number(first.visits),
          chapters_seen: Number(first.chapters_seen),
          in_history: first.in_history ?? 0,
          marked_for_later: first.marked_for_later ?? 0,
          position_chapter_id: first.position_chapter_id,
          position_chapter_position: first.position_chapter_position,
          position_paragraph: first.position_paragraph,
          position_anchor: first.position_anchor,
          position_at: first.position_at === null ? null : Number(first.position_at),
        };
  return {
    historyEnabled: Number(first?.history_enabled ?? 0) === 1,
    reading,
    bookmarkId: first?.bookmark_id ?? undefined,
    subscribedToWork: rows.some((r) => r.target_type === "work"),
    subscribedCreators: new Set(
      rows.flatMap((r) => (r.target_type === "user" && r.target_id !== null ? [r.target_id] : [])),
    ),
    blocked: Boolean(first?.blocked) && Number(first?.blocked) !== 0,
  };
}
