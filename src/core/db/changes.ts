/**
 * The change log: commands record what they changed in the same transaction, and in-memory
 * indexes ask for the newest entry to know whether to catch up. With the archive's id (one
 * random id per database, kept by backups), a log position names one state of one archive:
 * what a file describing the database (the search-index cache) must be checked against.
 */
import type { ChangesTable } from "./schema.ts";
import type { Queryable } from "./index.ts";

export type Entity = ChangesTable["entity"];

export async function recordChanges(
  db: Queryable,
  entity: Entity,
  ids: readonly number[],
  now: number,
) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  await db
    .insertInto("changes")
    .values(unique.map((entity_id) => ({ entity, entity_id, created_at: now })))
    .execute();
}

/** The id of the newest change to `entity`, or 0. */
export async function latestChange(db: Queryable, entity: Entity): Promise<number> {
  const row = await db
    .selectFrom("changes")
    .select("id")
    .where("entity", "=", entity)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

/** The archive's random id (made by the first migration run), or null if its row is gone. */
export async function archiveId(db: Queryable): Promise<string | null> {
  const row = await db.selectFrom("archive").select("id").limit(1).executeTakeFirst();
  return row?.id ?? null;
}
