import type { Queryable } from "../../core/db/index.ts";

export function savedSearchesOf(db: Queryable, userId: number) {
  return db
    .selectFrom("saved_searches")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

export async function countSavedSearches(db: Queryable, userId: number): Promise<number> {
  const row = await db
    .selectFrom("saved_searches")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSavedSearch(
  db: Queryable,
  row: { userId: number; name: string; path: string; query: string; now: number },
) {
  await db
    .insertInto("saved_searches")
    .values({
      user_id: row.userId,
      name: row.name,
      path: row.path,
      query: row.query,
      created_at: row.now,
    })
    .execute();
}

/** Deletes one of the user's saved searches; false when it is not theirs or gone. */
export async function deleteSavedSearch(db: Queryable, userId: number, id: number) {
  const result = await db
    .deleteFrom("saved_searches")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
