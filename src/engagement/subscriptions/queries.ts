/** Subscriptions: a reader following a work (new chapters) or an author (new works and chapters). */
import type { Queryable } from "../../core/db/index.ts";
import type { SubscriptionTarget } from "../../core/db/schema.ts";

export interface Target {
  type: SubscriptionTarget;
  id: number;
}

/** True when a row was added (false: already subscribed). */
export async function addSubscription(
  db: Queryable,
  userId: number,
  target: Target,
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto("subscriptions")
    .values({ user_id: userId, target_type: target.type, target_id: target.id, created_at: now })
    .onConflict((oc) => oc.columns(["user_id", "target_type", "target_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** True when a row was removed. */
export async function removeSubscription(
  db: Queryable,
  userId: number,
  target: Target,
): Promise<boolean> {
  const result = await db
    .deleteFrom("subscriptions")
    .where("user_id", "=", userId)
    .where("target_type", "=", target.type)
    .where("target_id", "=", target.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function findSubscription(db: Queryable, userId: number, id: number) {
  return db
    .selectFrom("subscriptions")
    .select(["id", "target_type", "target_id"])
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** A page of someone's subscriptions, newest first, leaving out targets deleted since. */
export function subscriptionsPage(
  db: Queryable,
  userId: number,
  opts: { offset: number; limit: number },
) {
  return liveSubscriptions(db, userId)
    .select([
      "subscriptions.id",
      "subscriptions.target_type as type",
      "subscriptions.target_id as targetId",
      "works.title as workTitle",
      "users.login as login",
      "series.title as seriesTitle",
    ])
    .orderBy("subscriptions.id", "desc")
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export async function countSubscriptions(db: Queryable, userId: number): Promise<number> {
  const row = await liveSubscriptions(db, userId)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function liveSubscriptions(db: Queryable, userId: number) {
  return db
    .selectFrom("subscriptions")
    .leftJoin("works", (join) =>
      join
        .onRef("works.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "work"),
    )
    .leftJoin("users", (join) =>
      join
        .onRef("users.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "user"),
    )
    .leftJoin("series", (join) =>
      join
        .onRef("series.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "series"),
    )
    .where("subscriptions.user_id", "=", userId)
    .where((eb) =>
      eb.or([
        eb("works.id", "is not", null),
        eb("users.id", "is not", null),
        eb("series.id", "is not", null),
      ]),
    );
}

/** Everyone subscribed to the work (if given) or to any of the users; each user once. */
export async function subscribersOf(
  db: Queryable,
  targets: { workId?: number; userIds: readonly number[] },
): Promise<number[]> {
  if (targets.workId === undefined && targets.userIds.length === 0) return [];
  const rows = await db
    .selectFrom("subscriptions")
    .select("user_id")
    .distinct()
    .where((eb) =>
      eb.or([
        ...(targets.workId === undefined
          ? []
          : [eb.and([eb("target_type", "=", "work"), eb("target_id", "=", targets.workId)])]),
        ...(targets.userIds.length
          ? [eb.and([eb("target_type", "=", "user"), eb("target_id", "in", targets.userIds)])]
          : []),
      ]),
    )
    .orderBy("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

/** Of `userIds`, those who muted any of `mutedIds`. */
export async function whoMutedAnyOf(
  db: Queryable,
  userIds: readonly number[],
  mutedIds: readonly number[],
): Promise<Set<number>> {
  if (userIds.length === 0 || mutedIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("muted_users")
    .select("user_id")
    .where("user_id", "in", userIds)
    .where("muted_user_id", "in", mutedIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Whether `userId` follows the author `authorId`. */
export async function followsAuthor(db: Queryable, userId: number, authorId: number) {
  const row = await db
    .selectFrom("subscriptions")
    .select("id")
    .where("user_id", "=", userId)
    .where("target_type", "=", "user")
    .where("target_id", "=", authorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Everyone's subscriptions to a target that no longer exists. */
export async function deleteSubscriptionsTo(db: Queryable, target: Target): Promise<void> {
  await db
    .deleteFrom("subscriptions")
    .where("target_type", "=", target.type)
    .where("target_id", "=", target.id)
    .execute();
}
