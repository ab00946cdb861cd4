/** The SQL of account recovery: one-time tokens, address and username changes, old usernames. */
import { sql } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import type { AccountTokensTable } from "../../core/db/schema.ts";
import { emailKey, loginKey } from "../schemas.ts";

export type TokenPurpose = AccountTokensTable["purpose"];

export async function insertToken(
  db: Queryable,
  t: {
    userId: number;
    purpose: TokenPurpose;
    tokenHash: string;
    newEmail: string | null;
    expiresAt: number;
    now: number;
  },
) {
  await db
    .insertInto("account_tokens")
    .values({
      user_id: t.userId,
      purpose: t.purpose,
      token_hash: t.tokenHash,
      new_email: t.newEmail,
      expires_at: t.expiresAt,
      created_at: t.now,
    })
    .execute();
}

/** A token that can still be used: unused and not expired. */
export function findLiveToken(
  db: Queryable,
  tokenHash: string,
  purposes: TokenPurpose[],
  now: number,
) {
  return db
    .selectFrom("account_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * Marks a live token used; false when it was not live (used meanwhile, expired). The update
 * decides, so two requests with one link cannot both use it.
 */
export async function claimToken(db: Queryable, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends every other outstanding link of one purpose (a reset done, a newer address asked for). */
export async function retireTokens(
  db: Queryable,
  userId: number,
  purposes: TokenPurpose[],
  now: number,
) {
  await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .execute();
}

/** Tokens past their time or used more than a day ago are of no further use. */
export async function deleteStaleTokens(db: Queryable, now: number) {
  await db
    .deleteFrom("account_tokens")
    .where((eb) =>
      eb.or([eb("expires_at", "<=", now), eb("used_at", "<=", now - 24 * 60 * 60 * 1000)]),
    )
    .execute();
}

export async function markEmailConfirmed(
  db: Queryable,
  userId: number,
  email: string,
  now: number,
) {
  const result = await db
    .updateTable("users")
    .set({ email_confirmed_at: now })
    .where("id", "=", userId)
    .where(sql<string>`lower(email)`, "=", emailKey(email))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets a confirmed new address; false when another account holds it (the unique index). */
export async function setConfirmedEmail(
  db: Queryable,
  userId: number,
  email: string,
  now: number,
): Promise<boolean> {
  const taken = await db
    .selectFrom("users")
    .select("id")
    .where(sql<string>`lower(email)`, "=", emailKey(email))
    .where("id", "!=", userId)
    .executeTakeFirst();
  if (taken) return false;
  await db
    .updateTable("users")
    .set({ email: emailKey(email), email_confirmed_at: now })
    .where("id", "=", userId)
    .execute();
  return true;
}

export async function confirmIfUnconfirmed(db: Queryable, userId: number, now: number) {
  await db
    .updateTable("users")
    .set({ email_confirmed_at: now })
    .where("id", "=", userId)
    .where("email_confirmed_at", "is", null)
    .execute();
}

/**
 * Renames an account: its username, its default pseud when that carries the old name (and no
 * other pseud of its has the new one), and a redirect from the old name. A redirect that held
 * the new name is dropped: an account now answers there.
 */
export async function renameUser(
  db: Queryable,
  r: { userId: number; oldLogin: string; newLogin: string; now: number },
) {
  const oldKey = loginKey(r.oldLogin);
  const newKey = loginKey(r.newLogin);
  await db
    .updateTable("users")
    .set({ login: r.newLogin, login_key: newKey })
    .where("id", "=", r.userId)
    .execute();
  const clash = await db
    .selectFrom("pseuds")
    .select("id")
    .where("user_id", "=", r.userId)
    .where("name_key", "=", newKey)
    .where("name_key", "!=", oldKey)
    .executeTakeFirst();
  if (!clash)
    await db
      .updateTable("pseuds")
      .set({ name: r.newLogin, name_key: newKey })
      .where("user_id", "=", r.userId)
      .where("is_default", "=", 1)
      .where("name_key", "=", oldKey)
      .execute();
  if (oldKey === newKey) return;
  await db.deleteFrom("login_redirects").where("login_key", "=", newKey).execute();
  await db
    .insertInto("login_redirects")
    .values({ login_key: oldKey, user_id: r.userId, created_at: r.now })
    .onConflict((oc) =>
      oc.column("login_key").doUpdateSet({ user_id: r.userId, created_at: r.now }),
    )
    .execute();
}

/** Works credited to any pseud of this account (their bylines and creator sort keys). */
export async function worksCreditedTo(db: Queryable, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("creatorships.work_id")
    .where("pseuds.user_id", "=", userId)
    .execute();
  return rows.map((r) => r.work_id);
}

/** The current username of the account that was once called `login`, if no account is now. */
export async function redirectedLogin(db: Queryable, login: string): Promise<string | undefined> {
  const key = loginKey(login);
  const current = await db
    .selectFrom("users")
    .select("id")
    .where("login_key", "=", key)
    .executeTakeFirst();
  if (current) return undefined;
  const row = await db
    .selectFrom("login_redirects")
    .innerJoin("users", "users.id", "login_redirects.user_id")
    .select("users.login")
    .where("login_redirects.login_key", "=", key)
    .executeTakeFirst();
  return row?.login;
}

export function userForRecovery(db: Queryable, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "login", "email", "email_confirmed_at", "banned_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}
