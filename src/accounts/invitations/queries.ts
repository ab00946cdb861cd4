/**
 * SQL of sign-up by invitation: the request queue, the invitations (by the hash of their code)
 * and each account's allowance; and the sign-up's record that the terms were accepted.
 */
import type { Queryable } from "../../core/db/index.ts";

// Sign-up

export async function recordTermsAccepted(db: Queryable, userId: number, now: number) {
  await db.updateTable("users").set({ terms_accepted_at: now }).where("id", "=", userId).execute();
}

// Invitations

export async function insertInvitation(
  db: Queryable,
  inv: {
    tokenHash: string;
    creatorUserId: number | null;
    sentToEmail: string | null;
    now: number;
    expiresAt: number | null;
  },
): Promise<number> {
  const row = await db
    .insertInto("invitations")
    .values({
      token_hash: inv.tokenHash,
      creator_user_id: inv.creatorUserId,
      sent_to_email: inv.sentToEmail,
      created_at: inv.now,
      expires_at: inv.expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findInvitation(db: Queryable, tokenHash: string) {
  return db
    .selectFrom("invitations")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/**
 * Marks an unused, unexpired invitation used by `userId`; undefined when it is unknown, used or
 * expired. One statement, so two sign-ups racing for one code cannot both have it.
 */
export async function claimInvitation(
  db: Queryable,
  tokenHash: string,
  userId: number,
  now: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable("invitations")
    .set({ used_by_user_id: userId, used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** An account's invitations, newest first, with the login of whoever used each. */
export function invitationsCreatedBy(db: Queryable, userId: number, limit = 200) {
  return db
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.used_by_user_id")
    .select([
      "invitations.id",
      "invitations.sent_to_email",
      "invitations.used_at",
      "invitations.created_at",
      "invitations.expires_at",
      "users.login as used_by_login",
    ])
    .where("invitations.creator_user_id", "=", userId)
    .orderBy("invitations.id", "desc")
    .limit(limit)
    .execute();
}

// Allowances

export async function invitationsLeft(db: Queryable, userId: number): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select("invitations_left")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.invitations_left ?? 0;
}

/** Takes one invitation from the allowance; false when none is left. */
export async function spendInvitation(db: Queryable, userId: number): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set((eb) => ({ invitations_left: eb("invitations_left", "-", 1) }))
    .where("id", "=", userId)
    .where("invitations_left", ">", 0)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives every account that is not banned `count` more invitations; answers how many. */
export async function grantInvitationsToAll(db: Queryable, count: number): Promise<number> {
  const result = await db
    .updateTable("users")
    .set((eb) => ({ invitations_left: eb("invitations_left", "+", count) }))
    .where("banned_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// The request queue

/** Queues an address unless it is already there (waiting or invited). */
export async function insertRequestUnlessQueued(
  db: Queryable,
  req: { email: string; emailKey: string; now: number },
) {
  await db
    .insertInto("invitation_requests")
    .values({ email: req.email, email_key: req.emailKey, created_at: req.now })
    .onConflict((oc) => oc.column("email_key").doNothing())
    .execute();
}

export function findRequest(db: Queryable, emailKey: string) {
  return db
    .selectFrom("invitation_requests")
    .selectAll()
    .where("email_key", "=", emailKey)
    .executeTakeFirst();
}

/** How many requests wait (not yet invited), up to and including `throughId` when given. */
export async function waitingCount(db: Queryable, throughId?: number): Promise<number> {
  let q = db
    .selectFrom("invitation_requests")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("invited_at", "is", null);
  if (throughId !== undefined) q = q.where("id", "<=", throughId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The oldest waiting requests, first in line first. */
export function waitingRequests(db: Queryable, limit: number) {
  return db
    .selectFrom("invitation_requests")
    .selectAll()
    .where("invited_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Marks a waiting request invited; false when another batch took it first. */
export async function markRequestInvited(db: Queryable, id: number, now: number) {
  const result = await db
    .updateTable("invitation_requests")
    .set({ invited_at: now })
    .where("id", "=", id)
    .where("invited_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
