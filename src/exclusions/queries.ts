import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import { prepared, type Params } from "../core/db/prepared.ts";
import type { ReaderExclusions } from "../core/viewer.ts";

// Read on every logged-in request (core/http/server.tsx userDetails): built once, and both
// lists in one statement (on PostgreSQL each statement is a round trip).
const exclusionIds = prepared((db, p: Params<{ userId: number }>) =>
  db
    .selectFrom("excluded_tags")
    .select([sql<number>`0`.as("muted"), "tag_id as id"])
    .where("user_id", "=", p("userId"))
    .unionAll(
      db
        .selectFrom("muted_users")
        .select([sql<number>`1`.as("muted"), "muted_user_id as id"])
        .where("user_id", "=", p("userId")),
    ),
);

export async function loadExclusions(db: Queryable, userId: number): Promise<ReaderExclusions> {
  const rows = await exclusionIds.execute(db, { userId });
  const tagIds: number[] = [];
  const userIds: number[] = [];
  for (const row of rows) (Number(row.muted) === 1 ? userIds : tagIds).push(row.id);
  return { tagIds, userIds };
}

export function excludedTags(db: Queryable, userId: number) {
  return db
    .selectFrom("excluded_tags")
    .innerJoin("tags", "tags.id", "excluded_tags.tag_id")
    .select(["tags.id", "tags.name", "tags.type"])
    .where("excluded_tags.user_id", "=", userId)
    .orderBy("tags.type")
    .orderBy("tags.name")
    .execute();
}

export function mutedUsers(db: Queryable, userId: number) {
  return db
    .selectFrom("muted_users")
    .innerJoin("users", "users.id", "muted_users.muted_user_id")
    .select(["users.id", "users.login"])
    .where("muted_users.user_id", "=", userId)
    .orderBy("users.login_key")
    .execute();
}

export async function countExclusions(db: Queryable, userId: number) {
  const e = await loadExclusions(db, userId);
  return { tags: e.tagIds.length, users: e.userIds.length };
}

export async function addExcludedTag(db: Queryable, userId: number, tagId: number, now: number) {
  await db
    .insertInto("excluded_tags")
    .values({ user_id: userId, tag_id: tagId, created_at: now })
    .onConflict((oc) => oc.columns(["user_id", "tag_id"]).doNothing())
    .execute();
}

export async function removeExcludedTag(db: Queryable, userId: number, tagId: number) {
  await db
    .deleteFrom("excluded_tags")
    .where("user_id", "=", userId)
    .where("tag_id", "=", tagId)
    .execute();
}

export async function muteUser(db: Queryable, userId: number, mutedId: number, now: number) {
  await db
    .insertInto("muted_users")
    .values({ user_id: userId, muted_user_id: mutedId, created_at: now })
    .onConflict((oc) => oc.columns(["user_id", "muted_user_id"]).doNothing())
    .execute();
}

export async function unmuteUser(db: Queryable, userId: number, mutedId: number) {
  await db
    .deleteFrom("muted_users")
    .where("user_id", "=", userId)
    .where("muted_user_id", "=", mutedId)
    .execute();
}
