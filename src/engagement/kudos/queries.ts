/** Kudos rows: one per account or per guest address per work (unique indexes enforce it). */
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import { bumpCounts } from "../counters/queries.ts";

export type Giver = { userId: number } | { guestKey: string };

/**
 * Inserts the kudos and bumps the work's counter in one transaction, only when a row went
 * in: a duplicate (even one racing in from a parallel request) hits a unique index and is
 * skipped by the database, so the count stays exact. Returns whether a row was inserted.
 */
export async function insertKudos(
  db: Queryable,
  workId: number,
  giver: Giver,
  now: number,
): Promise<boolean> {
  return db.transaction().execute((tx) => insertKudosIn(tx, workId, giver, now));
}

/** insertKudos inside a transaction the caller owns. */
export async function insertKudosIn(
  tx: Queryable,
  workId: number,
  giver: Giver,
  now: number,
): Promise<boolean> {
  const row = await tx
    .insertInto("kudos")
    .values({
      work_id: workId,
      user_id: "userId" in giver ? giver.userId : null,
      guest_key: "guestKey" in giver ? giver.guestKey : null,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return false;
  await bumpCounts(tx, { workId }, { kudos: 1 }, now);
  return true;
}

/** Kudos by users the reader has not muted (muted users are left out of names and counts). */
function userKudos(db: Queryable, workId: number, mutedUserIds: readonly number[]) {
  let query = db
    .selectFrom("kudos")
    .innerJoin("users", "users.id", "kudos.user_id")
    .where("kudos.work_id", "=", workId);
  if (mutedUserIds.length > 0) query = query.where("kudos.user_id", "not in", mutedUserIds);
  return query;
}

export interface KudosTally {
  users: number;
  guests: number;
}

/** Kudos by accounts (muted ones left out) and by guests, counted. */
function tallyQuery(db: Queryable, workId: number, mutedUserIds: readonly number[]) {
  const query = db
    .selectFrom("kudos")
    .select((eb) => [
      eb.fn.count<number | string>("user_id").as("users"),
      eb.fn.count<number | string>("guest_key").as("guests"),
    ])
    .where("work_id", "=", workId);
  return mutedUserIds.length === 0
    ? query
    : query.where((eb) =>
        eb.or([eb("user_id", "is", null), eb("user_id", "not in", mutedUserIds)]),
      );
}

/** One read: kudos by accounts (muted ones left out) and by guests. */
export async function tallyKudos(
  db: Queryable,
  workId: number,
  mutedUserIds: readonly number[],
): Promise<KudosTally> {
  const query = tallyQuery(db, workId, mutedUserIds);
  const row = await query.executeTakeFirstOrThrow();
  return { users: Number(row.users), guests: Number(row.guests) };
}

/** User names, newest kudos first. */
export function kudosGivers(
  db: Queryable,
  workId: number,
  mutedUserIds: readonly number[],
  page: { limit: number; offset: number },
) {
  return userKudos(db, workId, mutedUserIds)
    .select(["users.id", "users.login", "kudos.created_at"])
    .orderBy("kudos.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

function tallyAndGivers(
  db: Queryable,
  workId: number,
  mutedUserIds: readonly number[],
  limit: number,
) {
  const tally = tallyQuery(db, workId, mutedUserIds);
  const givers = userKudos(db, workId, mutedUserIds)
    .select(["users.id", "users.login", "kudos.id as kudos_id"])
    .orderBy("kudos.id", "desc")
    .limit(limit);
  return db
    .selectFrom(tally.as("t"))
    .leftJoin(givers.as("g"), (join) => join.onTrue())
    .select(["t.users", "t.guests", "g.id", "g.login"])
    .orderBy("g.kudos_id", "desc");
}

/** Most readers muted nobody: their query is built once (core/db/prepared.ts). */
const tallyAndGiversUnmuted = prepared((db, p: Params<{ workId: number; limit: number }>) =>
  tallyAndGivers(db, p("workId"), [], p("limit")),
);

/**
 * `tallyKudos` and the first `limit` of `kudosGivers` in one statement (the page's sentence):
 * the tally's single row, joined to each of the names (one row with no name when there are
 * none).
 */
export async function tallyAndFirstGivers(
  db: Queryable,
  workId: number,
  mutedUserIds: readonly number[],
  limit: number,
): Promise<{ tally: KudosTally; names: { id: number; login: string }[] }> {
  const rows =
    mutedUserIds.length === 0
      ? await tallyAndGiversUnmuted.execute(db, { workId, limit })
      : await tallyAndGivers(db, workId, mutedUserIds, limit).execute();
  const first = rows[0];
  return {
    tally: { users: Number(first?.users ?? 0), guests: Number(first?.guests ?? 0) },
    names: rows.flatMap((r) =>
      r.id === null || r.login === null ? [] : [{ id: r.id, login: r.login }],
    ),
  };
}

export async function hasLeftKudos(db: Queryable, workId: number, giver: Giver) {
  const query = db.selectFrom("kudos").select("id").where("work_id", "=", workId);
  const row = await (
    "userId" in giver
      ? query.where("user_id", "=", giver.userId)
      : query.where("guest_key", "=", giver.guestKey)
  ).executeTakeFirst();
  return row !== undefined;
}
