/**
 * Gifts (issue 15): a work given to a pseud on the archive, or to a name typed by its creator.
 * `recipient_key` tells recipients apart within a work: `pseud:ID` for a pseud, `name:…` (the
 * name folded to lower case) for anyone else.
 */
import { pseudKey } from "../../accounts/queries.ts";
import { loginKey } from "../../accounts/schemas.ts";
import type { Queryable } from "../../core/db/index.ts";
import { preparedForIds } from "../../core/db/prepared.ts";
import type { Work } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { listedTo } from "../visibility.ts";

export const pseudKeyOf = (pseudId: number) => `pseud:${pseudId}`;
export const nameKeyOf = (name: string) => `name:${name.trim().toLowerCase()}`;

/** One recipient of a work, with the pseud's current name and login when it is a pseud. */
export interface GiftRow {
  id: number;
  workId: number;
  pseudId: number | null;
  recipientName: string;
  recipientKey: string;
  pseudName: string | null;
  login: string | null;
  userId: number | null;
}

/** Built once per list length (core/db/prepared.ts): listings ask for every page's works. */
const giftsOfWorksQuery = preparedForIds((db, workIds) =>
  db
    .selectFrom("gifts")
    .leftJoin("pseuds", "pseuds.id", "gifts.pseud_id")
    .leftJoin("users", "users.id", "pseuds.user_id")
    .select([
      "gifts.id",
      "gifts.work_id as workId",
      "gifts.pseud_id as pseudId",
      "gifts.recipient_name as recipientName",
      "gifts.recipient_key as recipientKey",
      "pseuds.name as pseudName",
      "users.login as login",
      "users.id as userId",
    ])
    .where("gifts.work_id", "in", workIds)
    .orderBy("gifts.work_id")
    .orderBy("gifts.id"),
);

/** The recipients of many works at once (one query for a page of blurbs), in giving order. */
export async function giftsOfWorks(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, GiftRow[]>> {
  const byWork = new Map<number, GiftRow[]>();
  if (workIds.length === 0) return byWork;
  const rows = await giftsOfWorksQuery(db, workIds);
  for (const row of rows) {
    const list = byWork.get(row.workId) ?? [];
    list.push(row);
    byWork.set(row.workId, list);
  }
  return byWork;
}

export async function insertGift(
  db: Queryable,
  gift: { workId: number; pseudId: number | null; name: string; key: string; now: number },
): Promise<number> {
  const row = await db
    .insertInto("gifts")
    .values({
      work_id: gift.workId,
      pseud_id: gift.pseudId,
      recipient_name: gift.name,
      recipient_key: gift.key,
      created_at: gift.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function deleteGifts(db: Queryable, workId: number, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.deleteFrom("gifts").where("work_id", "=", workId).where("id", "in", ids).execute();
}

/** One gift with its work's id and its recipient's user (null for a gift to a name). */
export function findGift(db: Queryable, giftId: number) {
  return db
    .selectFrom("gifts")
    .leftJoin("pseuds", "pseuds.id", "gifts.pseud_id")
    .select([
      "gifts.id",
      "gifts.work_id as workId",
      "gifts.pseud_id as pseudId",
      "gifts.recipient_name as recipientName",
      "pseuds.name as pseudName",
      "pseuds.user_id as userId",
    ])
    .where("gifts.id", "=", giftId)
    .executeTakeFirst();
}

/** True when the gift existed and belonged to one of `userId`'s pseuds. */
export async function deleteGiftOf(db: Queryable, giftId: number, userId: number) {
  const result = await db
    .deleteFrom("gifts")
    .where("id", "=", giftId)
    .where("pseud_id", "in", (eb) =>
      eb.selectFrom("pseuds").select("pseuds.id").where("pseuds.user_id", "=", userId),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A user who may be given a gift: their default pseud, or the named one. */
export function giftablePseud(db: Queryable, login: string, pseudName?: string) {
  let q = db
    .selectFrom("users")
    .innerJoin("pseuds", "pseuds.user_id", "users.id")
    .select([
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
      "users.id as userId",
      "users.login as login",
      "users.allow_gifts as allowGifts",
    ])
    .where("users.login_key", "=", loginKey(login));
  q =
    pseudName === undefined
      ? q.where("pseuds.is_default", "=", 1)
      : q.where("pseuds.name_key", "=", pseudKey(pseudName));
  return q.executeTakeFirst();
}

/** Whether `userId` blocked any of `others`, or any of them blocked `userId`. */
export async function blockedEitherWay(
  db: Queryable,
  userId: number,
  others: readonly number[],
): Promise<boolean> {
  if (others.length === 0) return false;
  const row = await db
    .selectFrom("blocked_users")
    .select("user_id")
    .where((eb) =>
      eb.or([
        eb.and([eb("user_id", "=", userId), eb("blocked_user_id", "in", others)]),
        eb.and([eb("user_id", "in", others), eb("blocked_user_id", "=", userId)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Whose gifts a page lists: every pseud of a user, or one pseud. */
export type GiftScope = { userId: number } | { pseudId: number };

/**
 * One page of the works given to a user or a pseud that `viewer` may see (the rules of every
 * listing: no drafts, nothing waiting for a reveal, restricted works for members), newest
 * first, with the total.
 */
export async function giftedWorks(
  db: Queryable,
  viewer: Viewer,
  scope: GiftScope,
  page: { number: number; size: number },
): Promise<{ works: Work[]; total: number }> {
  const q = db
    .selectFrom("works")
    .where(listedTo(viewer))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("gifts")
          .innerJoin("pseuds", "pseuds.id", "gifts.pseud_id")
          .select("gifts.id")
          .whereRef("gifts.work_id", "=", "works.id")
          .where(
            "userId" in scope ? "pseuds.user_id" : "pseuds.id",
            "=",
            "userId" in scope ? scope.userId : scope.pseudId,
          ),
      ),
    );
  const [works, count] = await Promise.all([
    q
      .selectAll("works")
      .orderBy("works.revised_at", "desc")
      .orderBy("works.id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { works, total: Number(count.n) };
}

/** The gifts to `userId`'s pseuds among these works (what the Refuse buttons refuse). */
export async function giftsTo(
  db: Queryable,
  userId: number,
  workIds: readonly number[],
): Promise<Map<number, { id: number; pseudId: number; pseudName: string }[]>> {
  const byWork = new Map<number, { id: number; pseudId: number; pseudName: string }[]>();
  if (workIds.length === 0) return byWork;
  const rows = await db
    .selectFrom("gifts")
    .innerJoin("pseuds", "pseuds.id", "gifts.pseud_id")
    .select([
      "gifts.id",
      "gifts.work_id as workId",
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
    ])
    .where("pseuds.user_id", "=", userId)
    .where("gifts.work_id", "in", workIds)
    .orderBy("gifts.id")
    .execute();
  for (const row of rows) {
    const list = byWork.get(row.workId) ?? [];
    list.push({ id: row.id, pseudId: row.pseudId, pseudName: row.pseudName });
    byWork.set(row.workId, list);
  }
  return byWork;
}

/** The user ids credited on a work (the givers a block is checked against). */
export async function creatorUserIds(db: Queryable, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("pseuds.user_id")
    .distinct()
    .where("creatorships.work_id", "=", workId)
    .execute();
  return rows.map((r) => r.user_id);
}
