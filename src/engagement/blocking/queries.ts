/**
 * Blocks: a blocked user may not leave kudos on, comment on, or reply to comments on the
 * blocker's works, nor reply to the blocker's comments anywhere (otwarchive's BlockHelper).
 */
import type { Queryable } from "../../core/db/index.ts";

/**
 * True if any creator of the work (through any of their pseuds) blocked this user. Never true
 * for one of the work's own creators, even if a co-creator blocked them (as on AO3: nobody is
 * blocked from their own work).
 */
export async function blockedByCreatorOf(
  db: Queryable,
  workId: number,
  userId: number,
): Promise<boolean> {
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .leftJoin("blocked_users", (join) =>
      join
        .onRef("blocked_users.user_id", "=", "pseuds.user_id")
        .on("blocked_users.blocked_user_id", "=", userId),
    )
    .select(["pseuds.user_id as creator", "blocked_users.user_id as blocker"])
    .where("creatorships.work_id", "=", workId)
    .execute();
  if (rows.some((r) => r.creator === userId)) return false;
  return rows.some((r) => r.blocker !== null);
}

/** Which of `userIds` blocked `userId` (for the comments on a page, or a comment's author). */
export async function blockersAmong(
  db: Queryable,
  userId: number,
  userIds: readonly (number | null)[],
): Promise<Set<number>> {
  const ids = [...new Set(userIds)].filter((id): id is number => id !== null && id !== userId);
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("blocked_users")
    .select("user_id")
    .where("blocked_user_id", "=", userId)
    .where("user_id", "in", ids)
    .execute();
  return new Set(rows.map((r) => r.user_id));
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
