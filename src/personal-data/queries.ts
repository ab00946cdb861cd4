/**
 * The SQL of a person's data: their export rows, everything an archive holds about them
 * (read for the export), the reserved orphan account, and the deletions of closing an account.
 */
import type { Queryable } from "../core/db/index.ts";
import type { DataExportsTable } from "../core/db/schema.ts";
import type { Selectable } from "kysely";

export type DataExport = Selectable<DataExportsTable>;

// --- exports -----------------------------------------------------------------------------------

export async function insertExport(
  db: Queryable,
  row: { userId: number; fileName: string; now: number; expiresAt: number },
): Promise<number> {
  const inserted = await db
    .insertInto("data_exports")
    .values({
      user_id: row.userId,
      status: "queued",
      file_name: row.fileName,
      created_at: row.now,
      expires_at: row.expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export function findExport(db: Queryable, id: number) {
  return db.selectFrom("data_exports").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A user's exports, newest first (expired ones are left out: the prune job removes them). */
export function exportsOfUser(db: Queryable, userId: number, now: number) {
  return db
    .selectFrom("data_exports")
    .selectAll()
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .orderBy("id", "desc")
    .execute();
}

/** Marks a queued export built; false when it was not queued any more (a second run). */
export async function markExportReady(
  db: Queryable,
  id: number,
  done: { size: number; now: number; expiresAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable("data_exports")
    .set({ status: "ready", size: done.size, finished_at: done.now, expires_at: done.expiresAt })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markExportFailed(db: Queryable, id: number, error: string, now: number) {
  await db
    .updateTable("data_exports")
    .set({ status: "failed", error: error.slice(0, 500), finished_at: now })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .execute();
}

/** Deletes expired exports; answers the files they named. */
export async function deleteExpiredExports(db: Queryable, now: number): Promise<string[]> {
  const rows = await db
    .deleteFrom("data_exports")
    .where("expires_at", "<=", now)
    .returning("file_name")
    .execute();
  return rows.map((r) => r.file_name);
}

export async function allExportFileNames(db: Queryable): Promise<Set<string>> {
  const rows = await db.selectFrom("data_exports").select("file_name").execute();
  return new Set(rows.map((r) => r.file_name));
}

// --- what an archive holds ---------------------------------------------------------------------

export function accountRow(db: Queryable, userId: number) {
  return db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
}

export function pseudsOf(db: Queryable, userId: number) {
  return db.selectFrom("pseuds").selectAll().where("user_id", "=", userId).orderBy("id").execute();
}

/** Every work one of the user's pseuds is a creator of, drafts too, oldest first. */
export async function workIdsOfUser(db: Queryable, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("creatorships.work_id")
    .distinct()
    .where("pseuds.user_id", "=", userId)
    .orderBy("creatorships.work_id")
    .execute();
  return rows.map((r) => r.work_id);
}

/** The user's works with what closing an account asks about each: title, draft, co-creators. */
export async function worksOfUser(db: Queryable, userId: number) {
  const ids = await workIdsOfUser(db, userId);
  if (ids.length === 0) return [];
  const works = await db
    .selectFrom("works")
    .select(["id", "title", "posted"])
    .where("id", "in", ids)
    .orderBy("id")
    .execute();
  const others = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("creatorships.work_id")
    .distinct()
    .where("creatorships.work_id", "in", ids)
    .where("pseuds.user_id", "!=", userId)
    .execute();
  const shared = new Set(others.map((r) => r.work_id));
  return works.map((w) => ({
    id: w.id,
    title: w.title,
    draft: w.posted === 0,
    coCreated: shared.has(w.id),
  }));
}

export function bookmarksOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("bookmarks")
    .innerJoin("pseuds", "pseuds.id", "bookmarks.pseud_id")
    .leftJoin("works", "works.id", "bookmarks.work_id")
    .leftJoin("series", "series.id", "bookmarks.series_id")
    .select([
      "bookmarks.id",
      "bookmarks.work_ref",
      "bookmarks.work_id",
      "works.title",
      "bookmarks.work_title",
      "bookmarks.series_id",
      "series.title as series_title",
      "bookmarks.notes_html",
      "bookmarks.private",
      "bookmarks.rec",
      "bookmarks.created_at",
      "bookmarks.updated_at",
      "pseuds.name as pseud_name",
    ])
    .where("bookmarks.user_id", "=", userId)
    .orderBy("bookmarks.id")
    .execute();
}

export async function bookmarkTagsOf(db: Queryable, bookmarkIds: readonly number[]) {
  const out = new Map<number, string[]>();
  if (bookmarkIds.length === 0) return out;
  const rows = await db
    .selectFrom("bookmark_tags")
    .select(["bookmark_id", "name"])
    .where("bookmark_id", "in", bookmarkIds)
    .orderBy("bookmark_id")
    .orderBy("position")
    .execute();
  for (const r of rows) out.set(r.bookmark_id, [...(out.get(r.bookmark_id) ?? []), r.name]);
  return out;
}

export function commentsOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("comments")
    .leftJoin("works", "works.id", "comments.work_id")
    .leftJoin("chapters", "chapters.id", "comments.chapter_id")
    .leftJoin("pseuds", "pseuds.id", "comments.pseud_id")
    .select([
      "comments.id",
      "comments.work_id",
      "works.title as work_title",
      "chapters.position as chapter_position",
      "comments.parent_id",
      "comments.body_html",
      "comments.status",
      "comments.created_at",
      "comments.edited_at",
      "pseuds.name as pseud_name",
    ])
    .where("comments.user_id", "=", userId)
    .where("comments.deleted", "=", 0)
    .orderBy("comments.id")
    .execute();
}

export function readingsOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("readings")
    .innerJoin("works", "works.id", "readings.work_id")
    .select([
      "readings.work_id",
      "works.title",
      "readings.first_read_at",
      "readings.last_read_at",
      "readings.visits",
      "readings.in_history",
      "readings.marked_for_later",
    ])
    .where("readings.user_id", "=", userId)
    .orderBy("readings.last_read_at", "desc")
    .execute();
}

export function kudosOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("kudos")
    .innerJoin("works", "works.id", "kudos.work_id")
    .select(["kudos.work_id", "works.title", "kudos.created_at"])
    .where("kudos.user_id", "=", userId)
    .orderBy("kudos.id")
    .execute();
}

export function subscriptionsOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("subscriptions")
    .leftJoin("works", (j) =>
      j
        .onRef("works.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "work"),
    )
    .leftJoin("users as followed", (j) =>
      j
        .onRef("followed.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "user"),
    )
    .leftJoin("series", (j) =>
      j
        .onRef("series.id", "=", "subscriptions.target_id")
        .on("subscriptions.target_type", "=", "series"),
    )
    .select([
      "subscriptions.target_type",
      "subscriptions.target_id",
      "works.title as work_title",
      "followed.login as user_login",
      "series.title as series_title",
      "subscriptions.created_at",
    ])
    .where("subscriptions.user_id", "=", userId)
    .orderBy("subscriptions.id")
    .execute();
}

export function notificationPreferencesOf(db: Queryable, userId: number) {
  return db
    .selectFrom("notification_preferences")
    .select(["kind", "email"])
    .where("user_id", "=", userId)
    .orderBy("kind")
    .execute();
}

export function excludedTagsOf(db: Queryable, userId: number) {
  return db
    .selectFrom("excluded_tags")
    .innerJoin("tags", "tags.id", "excluded_tags.tag_id")
    .select(["tags.name", "tags.type", "excluded_tags.created_at"])
    .where("excluded_tags.user_id", "=", userId)
    .orderBy("tags.name_key")
    .execute();
}

export function mutedUsersOf(db: Queryable, userId: number) {
  return db
    .selectFrom("muted_users")
    .innerJoin("users", "users.id", "muted_users.muted_user_id")
    .select(["users.login", "muted_users.created_at"])
    .where("muted_users.user_id", "=", userId)
    .orderBy("users.login_key")
    .execute();
}

export function blockedUsersOf(db: Queryable, userId: number) {
  return db
    .selectFrom("blocked_users")
    .innerJoin("users", "users.id", "blocked_users.blocked_user_id")
    .select(["users.login", "blocked_users.created_at"])
    .where("blocked_users.user_id", "=", userId)
    .orderBy("users.login_key")
    .execute();
}

export function savedSearchesOf(db: Queryable, userId: number) {
  return db
    .selectFrom("saved_searches")
    .select(["name", "path", "query", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
}

// --- the orphan account ------------------------------------------------------------------------

/** Creates the reserved account unless it exists (racing creators: the unique index decides). */
export async function insertReservedUser(
  db: Queryable,
  user: { login: string; email: string; passwordHash: string; now: number },
) {
  await db
    .insertInto("users")
    .values({
      login: user.login,
      login_key: user.login.toLowerCase(),
      email: user.email,
      password_hash: user.passwordHash,
      created_at: user.now,
      email_confirmed_at: user.now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function findUserByLoginKey(db: Queryable, loginKey: string) {
  return db
    .selectFrom("users")
    .select(["id", "login", "email", "password_hash"])
    .where("login_key", "=", loginKey)
    .executeTakeFirst();
}

/** The pseud of `userId` called `name` (any case), created if missing; its id. */
export async function ensurePseud(
  db: Queryable,
  pseud: { userId: number; name: string; isDefault: boolean; now: number },
): Promise<number> {
  const nameKey = pseud.name.trim().toLowerCase();
  await db
    .insertInto("pseuds")
    .values({
      user_id: pseud.userId,
      name: pseud.name.trim(),
      name_key: nameKey,
      is_default: pseud.isDefault ? 1 : 0,
      description: "",
      created_at: pseud.now,
    })
    .onConflict((oc) => oc.columns(["user_id", "name_key"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("pseuds")
    .select("id")
    .where("user_id", "=", pseud.userId)
    .where("name_key", "=", nameKey)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The work's creatorships held by the user's pseuds, with the pseud names. */
export function creatorshipsOfUserOn(db: Queryable, userId: number, workId: number) {
  return db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select(["creatorships.pseud_id", "creatorships.position", "pseuds.name"])
    .where("creatorships.work_id", "=", workId)
    .where("pseuds.user_id", "=", userId)
    .orderBy("creatorships.position")
    .execute();
}

export async function creatorPseudIds(db: Queryable, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("creatorships")
    .select("pseud_id")
    .where("work_id", "=", workId)
    .execute();
  return rows.map((r) => r.pseud_id);
}

export async function moveCreatorship(
  db: Queryable,
  move: { workId: number; fromPseudId: number; toPseudId: number },
) {
  await db
    .updateTable("creatorships")
    .set({ pseud_id: move.toPseudId })
    .where("work_id", "=", move.workId)
    .where("pseud_id", "=", move.fromPseudId)
    .execute();
}

export async function removeCreatorship(db: Queryable, workId: number, pseudId: number) {
  await db
    .deleteFrom("creatorships")
    .where("work_id", "=", workId)
    .where("pseud_id", "=", pseudId)
    .execute();
}

/** The byline changed: downloads and caches keyed on the version are built again. */
export async function bumpWorkVersion(db: Queryable, workId: number, now: number) {
  await db
    .updateTable("works")
    .set((eb) => ({ version: eb("version", "+", 1), edited_at: now }))
    .where("id", "=", workId)
    .execute();
}

// --- closing an account ------------------------------------------------------------------------

/** Works whose counters the user's kudos, bookmarks and subscriptions are part of. */
export async function worksCountedBy(db: Queryable, userId: number): Promise<number[]> {
  const [kudos, bookmarks, subscriptions] = await Promise.all([
    db.selectFrom("kudos").select("work_id").where("user_id", "=", userId).execute(),
    db
      .selectFrom("bookmarks")
      .select("work_id")
      .where("user_id", "=", userId)
      .where("work_id", "is not", null)
      .execute(),
    db
      .selectFrom("subscriptions")
      .select("target_id")
      .where("user_id", "=", userId)
      .where("target_type", "=", "work")
      .execute(),
  ]);
  const ids = new Set<number>();
  for (const r of kudos) ids.add(r.work_id);
  for (const r of bookmarks) if (r.work_id !== null) ids.add(r.work_id);
  for (const r of subscriptions) ids.add(r.target_id);
  return [...ids].sort((a, b) => a - b);
}

/** Comments stay, with their text, credited to no one: "(deleted account)". */
export async function detachComments(db: Queryable, userId: number, now: number) {
  await db
    .updateTable("comments")
    .set({ user_id: null, pseud_id: null, author_deleted_at: now })
    .where("user_id", "=", userId)
    .execute();
}

/** Queued account mail to the address (a confirmation, a notice) goes with the account. */
export async function queuedMailJobs(db: Queryable) {
  return db.selectFrom("jobs").select(["id", "payload"]).where("kind", "=", "mail.send").execute();
}

export async function deleteJobs(db: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.deleteFrom("jobs").where("id", "in", ids).execute();
}

/**
 * Everything of the user's own, row by row (most would also go by cascade with the users row;
 * deleting them by name keeps the list reviewable and independent of the foreign keys).
 * Answers the export files to remove once the transaction has committed.
 */
export async function deleteUserRows(
  db: Queryable,
  userId: number,
  email: string,
): Promise<string[]> {
  const byUser = [
    "kudos",
    "bookmarks",
    "subscriptions",
    "readings",
    "notifications",
    "notification_preferences",
    "excluded_tags",
    "saved_searches",
    "sessions",
    "account_tokens",
    "login_redirects",
  ] as const;
  for (const table of byUser) await db.deleteFrom(table).where("user_id", "=", userId).execute();
  await db
    .deleteFrom("muted_users")
    .where((eb) => eb.or([eb("user_id", "=", userId), eb("muted_user_id", "=", userId)]))
    .execute();
  await db
    .deleteFrom("blocked_users")
    .where((eb) => eb.or([eb("user_id", "=", userId), eb("blocked_user_id", "=", userId)]))
    .execute();
  // Others' subscriptions to this author name an account that is gone.
  await db
    .deleteFrom("subscriptions")
    .where("target_type", "=", "user")
    .where("target_id", "=", userId)
    .execute();
  await db
    .updateTable("notifications")
    .set({ actor_user_id: null })
    .where("actor_user_id", "=", userId)
    .execute();
  // Hit counting keys signed-in visitors by account id ("u<id>").
  await db.deleteFrom("hit_visitors").where("visitor", "=", `u${userId}`).execute();
  // The audit log is never edited: staff entries keep the login and the id the actor had (ids
  // are never reused, so a deleted account's id points at nobody).
  // The address goes from the invitation queue, the invitations sent to it, and the reports
  // the person filed (the reports stay, for the moderators, without a reporter).
  const address = email.trim().toLowerCase();
  await db.deleteFrom("invitation_requests").where("email_key", "=", address).execute();
  await db
    .updateTable("invitations")
    .set({ sent_to_email: null })
    .where((eb) =>
      eb.or([
        eb("used_by_user_id", "=", userId),
        eb(eb.fn("lower", ["sent_to_email"]), "=", address),
      ]),
    )
    .execute();
  await db
    .updateTable("reports")
    .set({ reporter_email: null, reporter_user_id: null })
    .where((eb) =>
      eb.or([
        eb("reporter_user_id", "=", userId),
        eb(eb.fn("lower", ["reporter_email"]), "=", address),
      ]),
    )
    .execute();
  const files = await db
    .deleteFrom("data_exports")
    .where("user_id", "=", userId)
    .returning("file_name")
    .execute();
  await db.deleteFrom("pseuds").where("user_id", "=", userId).execute();
  await db.deleteFrom("users").where("id", "=", userId).execute();
  return files.map((f) => f.file_name);
}
