import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import { prepared, type Params } from "../core/db/prepared.ts";
import { emailKey, loginKey } from "./schemas.ts";

export const pseudKey = (name: string) => name.trim().toLowerCase();

export function findUserByLogin(db: Queryable, login: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("login_key", "=", loginKey(login))
    .executeTakeFirst();
}

/** E-mail addresses are unique ignoring case (the index is on `lower(email)`, used here). */
export function findUserByEmail(db: Queryable, email: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where(sql<string>`lower(email)`, "=", emailKey(email))
    .executeTakeFirst();
}

export function findUserById(db: Queryable, id: number) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Inserts an account, or nothing when its username or e-mail is taken (the unique indexes
 * decide, so two sign-ups racing for one name cannot both win): undefined then.
 */
export async function insertUserUnlessTaken(
  db: Queryable,
  user: { login: string; email: string; passwordHash: string; now: number },
): Promise<number | undefined> {
  const row = await insertUserQuery(db, user)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** Inserts an account whose username and e-mail are known to be free (demo content). */
export async function insertUser(
  db: Queryable,
  user: { login: string; email: string; passwordHash: string; now: number },
): Promise<number> {
  const row = await insertUserQuery(db, user).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

function insertUserQuery(
  db: Queryable,
  user: { login: string; email: string; passwordHash: string; now: number },
) {
  return db.insertInto("users").values({
    login: user.login,
    login_key: loginKey(user.login),
    email: emailKey(user.email),
    password_hash: user.passwordHash,
    created_at: user.now,
  });
}

export async function updatePasswordHash(db: Queryable, userId: number, passwordHash: string) {
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash })
    .where("id", "=", userId)
    .execute();
}

export async function updatePreferences(
  db: Queryable,
  userId: number,
  prefs: {
    viewAdult: boolean;
    historyEnabled: boolean;
    allowCocreator: boolean;
    allowGifts: boolean;
  },
) {
  await db
    .updateTable("users")
    .set({
      view_adult: prefs.viewAdult ? 1 : 0,
      history_enabled: prefs.historyEnabled ? 1 : 0,
      allow_cocreator: prefs.allowCocreator ? 1 : 0,
      allow_gifts: prefs.allowGifts ? 1 : 0,
    })
    .where("id", "=", userId)
    .execute();
}

export async function setRoles(db: Queryable, userId: number, roles: readonly string[]) {
  await db
    .updateTable("users")
    .set({ roles: [...new Set(roles)].sort().join(" ") })
    .where("id", "=", userId)
    .execute();
}

// Pseuds

export async function insertPseud(
  db: Queryable,
  pseud: { userId: number; name: string; isDefault: boolean; description?: string; now: number },
) {
  const row = await db
    .insertInto("pseuds")
    .values({
      user_id: pseud.userId,
      name: pseud.name.trim(),
      name_key: pseudKey(pseud.name),
      is_default: pseud.isDefault ? 1 : 0,
      description: pseud.description ?? "",
      created_at: pseud.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function pseudsOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("pseuds")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("is_default", "desc")
    .orderBy("name_key")
    .execute();
}

export function findPseud(db: Queryable, userId: number, name: string) {
  return db
    .selectFrom("pseuds")
    .selectAll()
    .where("user_id", "=", userId)
    .where("name_key", "=", pseudKey(name))
    .executeTakeFirst();
}

// Sessions

export async function insertSession(
  db: Queryable,
  s: { id: string; userId: number; now: number; expiresAt: number },
) {
  await db
    .insertInto("sessions")
    .values({
      id: s.id,
      user_id: s.userId,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** Read on every logged-in request: built once (core/db/prepared.ts). */
const liveSession = prepared((db, p: Params<{ id: string; now: number }>) =>
  db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.last_seen_at",
      "users.id as user_id",
      "users.login",
      "users.roles",
      "users.view_adult",
      "users.suspended_until",
    ])
    .where("sessions.id", "=", p("id"))
    .where("sessions.expires_at", ">", p("now"))
    // A banned account's sessions end with the ban; this also refuses any that survived.
    .where("users.banned_at", "is", null),
);

export function findLiveSession(db: Queryable, id: string, now: number) {
  return liveSession.executeTakeFirst(db, { id, now });
}

export async function touchSession(db: Queryable, id: string, now: number, expiresAt: number) {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id", "=", id)
    .execute();
}

export async function deleteSession(db: Queryable, id: string) {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Ends every other session of a user (after a password change). */
export async function deleteOtherSessions(db: Queryable, userId: number, keepId: string | null) {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepId) q = q.where("id", "!=", keepId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Queryable, now: number) {
  await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
}
