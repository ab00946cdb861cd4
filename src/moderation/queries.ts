/**
 * Every SQL statement of moderation: reports and the queue, what reported content is (for
 * snapshots and the report page), and the columns moderator actions set.
 */
import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import type { ReportStatus, ReportSubjectType } from "../core/db/schema.ts";
import type { Hideable } from "./schemas.ts";

// --- reports -----------------------------------------------------------------------------------

export async function insertReport(
  db: Queryable,
  r: {
    subjectType: ReportSubjectType;
    subjectId: number;
    subjectUserId: number | null;
    reporterUserId: number | null;
    reporterEmail: string | null;
    category: string;
    details: string;
    snapshotJson: string;
    now: number;
  },
): Promise<number> {
  const row = await db
    .insertInto("reports")
    .values({
      subject_type: r.subjectType,
      subject_id: r.subjectId,
      subject_user_id: r.subjectUserId,
      reporter_user_id: r.reporterUserId,
      reporter_email: r.reporterEmail,
      category: r.category,
      details: r.details,
      snapshot_json: r.snapshotJson,
      created_at: r.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

const REPORT_COLUMNS = [
  "reports.id",
  "reports.subject_type",
  "reports.subject_id",
  "reports.subject_user_id",
  "reports.reporter_user_id",
  "reports.reporter_email",
  "reports.category",
  "reports.details",
  "reports.snapshot_json",
  "reports.status",
  "reports.resolved_by_user_id",
  "reports.resolution",
  "reports.resolved_at",
  "reports.created_at",
  "reporter.login as reporter_login",
  "owner.login as owner_login",
  "resolver.login as resolver_login",
] as const;

function reportsWithNames(db: Queryable) {
  return db
    .selectFrom("reports")
    .leftJoin("users as reporter", "reporter.id", "reports.reporter_user_id")
    .leftJoin("users as owner", "owner.id", "reports.subject_user_id")
    .leftJoin("users as resolver", "resolver.id", "reports.resolved_by_user_id");
}

export async function findReport(db: Queryable, id: number) {
  const row = await reportsWithNames(db)
    .select(REPORT_COLUMNS)
    .where("reports.id", "=", id)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}
export type ReportRow = NonNullable<Awaited<ReturnType<typeof findReport>>>;

export interface QueueFilter {
  status: ReportStatus | "all";
  type?: ReportSubjectType | undefined;
  subjectUserId?: number | undefined;
  offset: number;
  limit: number;
}

/** One page of the queue: open reports first, then newest first. */
export async function listReports(db: Queryable, f: QueueFilter) {
  let q = reportsWithNames(db);
  if (f.status !== "all") q = q.where("reports.status", "=", f.status);
  if (f.type) q = q.where("reports.subject_type", "=", f.type);
  if (f.subjectUserId !== undefined) q = q.where("reports.subject_user_id", "=", f.subjectUserId);
  const [rows, count] = await Promise.all([
    q
      .select(REPORT_COLUMNS)
      .orderBy(sql`case when reports.status = 'open' then 0 else 1 end`)
      .orderBy("reports.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, id: Number(r.id) })), total: Number(count.n) };
}

/**
 * Resolves the open reports about one subject (the one acted on from, and any others about the
 * same content or account); their ids.
 */
export async function resolveOpenReports(
  db: Queryable,
  about: { type: ReportSubjectType; id: number } | { reportId: number },
  r: { status: Exclude<ReportStatus, "open">; byUserId: number; resolution: string; now: number },
): Promise<number[]> {
  let q = db
    .updateTable("reports")
    .set({
      status: r.status,
      resolved_by_user_id: r.byUserId,
      resolution: r.resolution,
      resolved_at: r.now,
    })
    .where("status", "=", "open");
  q =
    "reportId" in about
      ? q.where("id", "=", about.reportId)
      : q.where("subject_type", "=", about.type).where("subject_id", "=", about.id);
  const rows = await q.returning("id").execute();
  return rows.map((row) => Number(row.id));
}

// --- what reported content is ------------------------------------------------------------------

export interface CreatorName {
  userId: number;
  login: string;
  pseudName: string;
}

export async function creatorsOf(db: Queryable, workId: number): Promise<CreatorName[]> {
  return db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(["users.id as userId", "users.login", "pseuds.name as pseudName"])
    .where("creatorships.work_id", "=", workId)
    .orderBy("creatorships.position")
    .execute();
}

export function workRow(db: Queryable, id: number) {
  return db
    .selectFrom("works")
    .select([
      "id",
      "title",
      "summary_html",
      "posted",
      "restricted",
      "hidden_reason",
      "hidden_at",
      "chapter_count",
      // Issue 15: an unrevealed work is its creators' and moderators' (visibility.ts `accessTo`).
      "in_unrevealed_collection",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The first posted chapter's text (what a work's snapshot quotes). */
export async function firstChapterText(db: Queryable, workId: number) {
  const row = await db
    .selectFrom("chapters")
    .select("text_html")
    .where("work_id", "=", workId)
    .where("posted", "=", 1)
    .orderBy("position")
    .limit(1)
    .executeTakeFirst();
  return row?.text_html ?? "";
}

export function chapterRow(db: Queryable, id: number) {
  return db
    .selectFrom("chapters")
    .select(["id", "work_id", "position", "title", "text_html", "posted"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function commentRow(db: Queryable, id: number) {
  return db
    .selectFrom("comments")
    .leftJoin("users", "users.id", "comments.user_id")
    .select([
      "comments.id",
      "comments.work_id",
      "comments.user_id",
      "comments.guest_name",
      "comments.body_html",
      "comments.status",
      "comments.deleted",
      "comments.hidden_reason",
      "users.login",
    ])
    .where("comments.id", "=", id)
    .executeTakeFirst();
}

export function bookmarkRow(db: Queryable, id: number) {
  return db
    .selectFrom("bookmarks")
    .innerJoin("users", "users.id", "bookmarks.user_id")
    .leftJoin("works", "works.id", "bookmarks.work_id")
    .leftJoin("series", "series.id", "bookmarks.series_id")
    .select([
      "bookmarks.id",
      "bookmarks.user_id",
      "bookmarks.work_id",
      "bookmarks.notes_html",
      "bookmarks.private",
      "bookmarks.hidden_reason",
      "bookmarks.work_title",
      "users.login",
      "works.title as current_title",
      "series.title as series_title",
    ])
    .where("bookmarks.id", "=", id)
    .executeTakeFirst();
}

export function tagRow(db: Queryable, id: number) {
  return db.selectFrom("tags").selectAll().where("id", "=", id).executeTakeFirst();
}

export function userRow(db: Queryable, id: number) {
  return db
    .selectFrom("users")
    .select(["id", "login", "roles", "suspended_until", "banned_at", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function userByLogin(db: Queryable, login: string) {
  return db
    .selectFrom("users")
    .select(["id", "login", "roles", "suspended_until", "banned_at", "created_at"])
    .where("login_key", "=", login.toLowerCase())
    .executeTakeFirst();
}
export type ModeratedUser = NonNullable<Awaited<ReturnType<typeof userRow>>>;

/** A pseud's description (what a profile's snapshot quotes): the default pseud's. */
export async function profileText(db: Queryable, userId: number): Promise<string> {
  const row = await db
    .selectFrom("pseuds")
    .select("description")
    .where("user_id", "=", userId)
    .orderBy("is_default", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.description ?? "";
}

// --- actions -----------------------------------------------------------------------------------

const TABLE: Record<Hideable, "works" | "comments" | "bookmarks"> = {
  work: "works",
  comment: "comments",
  bookmark: "bookmarks",
};

/** Hides (a reason) or shows again (null) works, comments or bookmarks. */
export async function setHidden(
  db: Queryable,
  type: Hideable,
  ids: readonly number[],
  reason: string | null,
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable(TABLE[type])
    .set({ hidden_reason: reason, hidden_at: reason === null ? null : now })
    .where("id", "in", ids)
    .execute();
}

/** What decides who may see these works (works/visibility.ts `seenBy`). */
export function audienceRows(db: Queryable, ids: readonly number[]) {
  return db
    .selectFrom("works")
    .select(["id", "posted", "restricted", "hidden_reason", "in_unrevealed_collection"])
    .where("id", "in", ids)
    .orderBy("id")
    .execute();
}

/** The works these comments or bookmarks belong to, each once, in id order. */
export async function parentWorkIds(
  db: Queryable,
  type: "comment" | "bookmark",
  ids: readonly number[],
): Promise<number[]> {
  const rows = await db
    .selectFrom(TABLE[type] as "comments" | "bookmarks")
    .select("work_id")
    .distinct()
    .where("id", "in", ids)
    .where("work_id", "is not", null)
    .orderBy("work_id")
    .execute();
  return rows.map((r) => r.work_id).filter((id): id is number => id !== null);
}

export async function setSuspendedUntil(db: Queryable, userId: number, until: number | null) {
  await db.updateTable("users").set({ suspended_until: until }).where("id", "=", userId).execute();
}

export async function setBannedAt(db: Queryable, userId: number, at: number | null) {
  await db.updateTable("users").set({ banned_at: at }).where("id", "=", userId).execute();
}

/** Ends every session of the account (a ban): it is logged out everywhere at once. */
export async function deleteSessionsOf(db: Queryable, userId: number) {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}
