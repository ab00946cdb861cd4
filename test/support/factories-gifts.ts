/** Factories for gifts and related works (issue 15): preferences, blocks, pseuds, switches, inbox. */
import { addPseud } from "../../src/accounts/commands.ts";
import type { Db } from "../../src/core/db/index.ts";
import type { NotificationKind } from "../../src/core/db/schema.ts";
import { blockUserByLogin } from "../../src/engagement/blocking/commands.ts";
import { setCollectionFlagsIn } from "../../src/works/commands.ts";

/** The user's "accept gifts" preference (the preferences page is the co-creators' part). */
export async function setAllowGifts(db: Db, userId: number, allow: boolean) {
  await db
    .updateTable("users")
    .set({ allow_gifts: allow ? 1 : 0 })
    .where("id", "=", userId)
    .execute();
}

export async function blockUser(db: Db, userId: number, login: string) {
  const result = await blockUserByLogin(db, { userId, login, now: Date.now() });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

export async function buildPseud(db: Db, userId: number, name: string) {
  const result = await addPseud(db, { userId, name, description: "", now: Date.now() });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.pseudId;
}

/** A work's collection switches, set as collections/ sets them (its own transaction). */
export async function setSwitches(
  db: Db,
  workId: number,
  flags: { anonymous: boolean; unrevealed: boolean },
  now = Date.now(),
) {
  await db.transaction().execute((tx) => setCollectionFlagsIn(tx, workId, flags, now));
}

/** A user's notifications of one kind, oldest first. */
export function inboxOf(db: Db, userId: number, kind: NotificationKind) {
  return db
    .selectFrom("notifications")
    .select(["id", "text", "url", "work_id", "actor_user_id"])
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .orderBy("id")
    .execute();
}

export async function userIdOf(db: Db, login: string): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("login", "=", login)
    .executeTakeFirstOrThrow();
  return row.id;
}
