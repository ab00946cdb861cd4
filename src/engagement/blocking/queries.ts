/** Blocks: a blocked user may not comment on, reply to or leave kudos on the blocker's works. */
import type { Queryable } from "../../core/db/index.ts";

/** True if any creator of the work (through any of their pseuds) blocked this user. */
export async function blockedByCreatorOf(
  db: Queryable,
  workId: number,
  userId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("blocked_users", "blocked_users.user_id", "pseuds.user_id")
    .select("blocked_users.user_id")
    .where("creatorships.work_id", "=", workId)
    .where("blocked_users.blocked_user_id", "=", userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isBlocked(
  db: Queryable,
  blockerId: number,
  blockedId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("blocked_users")
    .select("user_id")
    .where("user_id", "=", blockerId)
    .where("blocked_user_id", "=", blockedId)
    .executeTakeFirst();
  return row !== undefined;
}

export function blockedUsers(db: Queryable, userId: number) {
  return db
    .selectFrom("blocked_users")
    .innerJoin("users", "users.id", "blocked_users.blocked_user_id")
    .select(["users.id", "users.login", "blocked_users.created_at"])
    .where("blocked_users.user_id", "=", userId)
    .orderBy("users.login_key")
    .execute();
}

export async function countBlocked(db: Queryable, userId: number): Promise<number> {
  const row = await db
    .selectFrom("blocked_users")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function blockUser(db: Queryable, userId: number, blockedId: number, now: number) {
  await db
    .insertInto("blocked_users")
    .values({ user_id: userId, blocked_user_id: blockedId, created_at: now })
    .onConflict((oc) => oc.columns(["user_id", "blocked_user_id"]).doNothing())
    .execute();
}

/** Returns the number of rows removed (0 if that user was not blocked). */
export async function unblockUser(db: Queryable, userId: number, blockedId: number) {
  const result = await db
    .deleteFrom("blocked_users")
    .where("user_id", "=", userId)
    .where("blocked_user_id", "=", blockedId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
