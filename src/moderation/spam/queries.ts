/**
 * The SQL of the moderators' spam page (/admin/spam) and its decisions: held items with what
 * they said and who wrote them, a decision on an event, hiding and showing comments and works,
 * and everything an account wrote (removing a spammer's content).
 */
import type { Queryable } from "../../core/db/index.ts";
import type { SpamStatus, SpamSubjectType } from "../../core/db/schema.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";

export interface HeldRow {
  id: number;
  subject_type: SpamSubjectType;
  subject_id: number;
  user_id: number | null;
  guest_key: string | null;
  score: number;
  reasons: string;
  created_at: number;
  /** The comment's text, or the work's first chapter. */
  body_html: SanitizedHtml | null;
  /** The work the comment is on, or the work itself. */
  work_id: number | null;
  work_title: string | null;
  guest_name: string | null;
  login: string | null;
}

/**
 * Held events whose content still exists, newest first; `beforeId` pages to older ones. The
 * two kinds are read apart and merged (one join per kind keeps both engines' plans simple).
 */
export async function heldEvents(
  db: Queryable,
  page: { beforeId?: number | undefined; limit: number },
): Promise<HeldRow[]> {
  let comments = db
    .selectFrom("spam_events as e")
    .innerJoin("comments as c", "c.id", "e.subject_id")
    .innerJoin("works as w", "w.id", "c.work_id")
    .leftJoin("users as u", "u.id", "c.user_id")
    .select([
      "e.id",
      "e.subject_type",
      "e.subject_id",
      "e.user_id",
      "e.guest_key",
      "e.score",
      "e.reasons",
      "e.created_at",
      "c.body_html",
      "w.id as work_id",
      "w.title as work_title",
      "c.guest_name",
      "u.login",
    ])
    .where("e.status", "=", "held")
    .where("e.subject_type", "=", "comment")
    .where("c.deleted", "=", 0);
  let works = db
    .selectFrom("spam_events as e")
    .innerJoin("works as w", "w.id", "e.subject_id")
    .leftJoin("chapters as ch", (j) => j.onRef("ch.work_id", "=", "w.id").on("ch.position", "=", 1))
    .leftJoin("users as u", "u.id", "e.user_id")
    .select([
      "e.id",
      "e.subject_type",
      "e.subject_id",
      "e.user_id",
      "e.guest_key",
      "e.score",
      "e.reasons",
      "e.created_at",
      "ch.text_html as body_html",
      "w.id as work_id",
      "w.title as work_title",
      (eb) => eb.val<string | null>(null).as("guest_name"),
      "u.login",
    ])
    .where("e.status", "=", "held")
    .where("e.subject_type", "=", "work");
  if (page.beforeId !== undefined) {
    comments = comments.where("e.id", "<", page.beforeId);
    works = works.where("e.id", "<", page.beforeId);
  }
  const [c, w] = await Promise.all([
    comments.orderBy("e.id", "desc").limit(page.limit).execute(),
    works.orderBy("e.id", "desc").limit(page.limit).execute(),
  ]);
  return [...c, ...w]
    .map((r): HeldRow => ({ ...r, id: Number(r.id) }))
    .sort((a, b) => b.id - a.id)
    .slice(0, page.limit);
}

/** The newest event of a subject in `status` (the held one a decision settles). */
export async function eventOf(
  db: Queryable,
  subject: { type: SpamSubjectType; id: number },
  status: SpamStatus,
) {
  const row = await db
    .selectFrom("spam_events")
    .select(["id", "score", "reasons", "user_id"])
    .where("subject_type", "=", subject.type)
    .where("subject_id", "=", subject.id)
    .where("status", "=", status)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

/** Settles an event; 0 when it was no longer in `from` (another moderator was first). */
export async function decideEvent(
  db: Queryable,
  id: number,
  from: SpamStatus,
  to: SpamStatus,
  by: { userId: number; now: number },
): Promise<number> {
  const result = await db
    .updateTable("spam_events")
    .set({ status: to, decided_by_user_id: by.userId, decided_at: by.now })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Records a moderator's "spam" on content that was never held. */
export async function insertSpamMark(
  db: Queryable,
  row: {
    subjectType: SpamSubjectType;
    subjectId: number;
    userId: number | null;
    by: { userId: number; now: number };
  },
) {
  await db
    .insertInto("spam_events")
    .values({
      subject_type: row.subjectType,
      subject_id: row.subjectId,
      user_id: row.userId,
      guest_key: null,
      score: 0,
      reasons: JSON.stringify(["marked as spam by a moderator"]),
      status: "spam",
      created_at: row.by.now,
      decided_by_user_id: row.by.userId,
      decided_at: row.by.now,
    })
    .execute();
}

/** Every held event of an account becomes "spam" (removing a spammer's content). */
export async function settleHeldOf(
  db: Queryable,
  userId: number,
  by: { userId: number; now: number },
) {
  await db
    .updateTable("spam_events")
    .set({ status: "spam", decided_by_user_id: by.userId, decided_at: by.now })
    .where("user_id", "=", userId)
    .where("status", "=", "held")
    .execute();
}

// --- the content ---------------------------------------------------------------------------

export function commentForModeration(db: Queryable, id: number) {
  return db
    .selectFrom("comments")
    .select([
      "id",
      "work_id",
      "chapter_id",
      "user_id",
      "guest_name",
      "status",
      "deleted",
      "hidden_reason",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The first creator's account of a work (who a work's spam event names). */
export async function creatorOfWork(db: Queryable, workId: number): Promise<number | null> {
  const row = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("pseuds.user_id")
    .where("creatorships.work_id", "=", workId)
    .orderBy("creatorships.position")
    .limit(1)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

// --- everything an account wrote -----------------------------------------------------------

/** Works credited to any of the account's pseuds. */
export function worksOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("works")
    .innerJoin("creatorships", "creatorships.work_id", "works.id")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select(["works.id", "works.title", "works.posted", "works.restricted", "works.hidden_reason"])
    .where("pseuds.user_id", "=", userId)
    .distinct()
    .orderBy("works.id")
    .execute();
}

/** The account's comments that are still there (placeholders are no one's any more). */
export function commentsOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("comments")
    .select(["id", "work_id", "hidden_reason"])
    .where("user_id", "=", userId)
    .where("deleted", "=", 0)
    .orderBy("id")
    .execute();
}

export function bookmarksOfUser(db: Queryable, userId: number) {
  return db
    .selectFrom("bookmarks")
    .select(["id", "work_id", "hidden_reason"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
}

/** Bans the account (unless it already is) and ends every session it has. */
export async function banUser(db: Queryable, userId: number, now: number) {
  await db
    .updateTable("users")
    .set({ banned_at: now })
    .where("id", "=", userId)
    .where("banned_at", "is", null)
    .execute();
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}
