/**
 * Moderators' decisions on spam (permission "spam.handle"), one transaction each, each with its
 * audit entry in the same transaction:
 * - release: held content is shown after all (counted, listed, and a held work announced);
 * - mark as spam: a comment or work is hidden with the reason "Spam", held or not;
 * - remove a spammer: every work, comment and bookmark of the account hidden as "Spam", its
 *   held items settled, and the account banned (its sessions end).
 *
 * Hidden content stays in the database (hidden_reason), so a mistake can be undone by the
 * moderation pages' "unhide"; hiding and showing go through moderation/hiding.ts, as every
 * moderator action does (counts, tag counts and the indexes follow from there).
 */
import { findUserByLogin } from "../../accounts/queries.ts";
import { recordAudit } from "../../core/audit-queries.ts";
import type { Db, Queryable } from "../../core/db/index.ts";
import type { SpamSubjectType } from "../../core/db/schema.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { HELD_FOR_SPAM, MARKED_AS_SPAM } from "../../core/spam-queries.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import { findWork } from "../../works/queries.ts";
import { setHiddenReason } from "../hiding.ts";
import * as q from "./queries.ts";

export interface SpamSubject {
  type: SpamSubjectType;
  id: number;
}

type Moderator = Pick<ViewerUser, "id" | "login">;

const GONE: Record<SpamSubjectType, string> = {
  comment: "That comment no longer exists.",
  work: "That work no longer exists.",
};
const NOT_HELD =
  "That is not held for review any more: another moderator may have decided already.";

const actorOf = (by: Moderator) => ({ id: by.id, login: by.login });

/** Shows held content after all. Refused (409) when it is not held (any more). */
export async function releaseHeld(
  db: Db,
  args: { subject: SpamSubject; by: Moderator; now: number },
): Promise<Result> {
  const { subject, by, now } = args;
  return inTransaction(db, async (tx) => {
    const event = await q.eventOf(tx, subject, "held");
    if (!event) return refuse(409, NOT_HELD);
    const label = await labelOf(tx, subject);
    if (label === undefined) return refuse(404, GONE[subject.type]);
    // The conditional update decides races: a second moderator's click changes nothing.
    if ((await q.decideEvent(tx, event.id, "held", "released", { userId: by.id, now })) === 0)
      return refuse(409, NOT_HELD);
    const before = await showAgain(tx, subject, now);
    await recordAudit(tx, {
      actor: actorOf(by),
      action: `${subject.type}.spam-release`,
      subject: { type: subject.type, id: subject.id, label },
      before: { hidden_reason: before, score: event.score },
      after: { hidden_reason: null },
      now,
    });
    return ok();
  });
}

/** Clears the hold (only the hold: content a moderator hid for another reason stays hidden). */
async function showAgain(tx: Queryable, subject: SpamSubject, now: number) {
  const row =
    subject.type === "work"
      ? await findWork(tx, subject.id)
      : await q.commentForModeration(tx, subject.id);
  if (row?.hidden_reason !== HELD_FOR_SPAM) return row?.hidden_reason ?? null;
  await setHiddenReason(tx, subject.type, [subject.id], null, now);
  // Its posting announced nothing while it was held: subscribers hear of it now.
  if ("posted" in row && row.posted)
    await enqueue(tx, { kind: "work.posted", payload: { workId: subject.id } }, now);
  return HELD_FOR_SPAM;
}

/** Hides a comment or work as spam, held or not, and records it. */
export async function markAsSpam(
  db: Db,
  args: { subject: SpamSubject; by: Moderator; reason?: string; now: number },
): Promise<Result> {
  const { subject, by, now } = args;
  return inTransaction(db, async (tx) => {
    const label = await labelOf(tx, subject);
    if (label === undefined) return refuse(404, GONE[subject.type]);
    let before: string | null;
    let ownerId: number | null;
    if (subject.type === "comment") {
      const c = await q.commentForModeration(tx, subject.id);
      if (!c || c.deleted) return refuse(404, GONE.comment);
      if (c.hidden_reason === MARKED_AS_SPAM)
        return refuse(409, "That comment is marked as spam already.");
      before = c.hidden_reason;
      ownerId = c.user_id;
    } else {
      const work = await findWork(tx, subject.id);
      if (!work) return refuse(404, GONE.work);
      if (work.hidden_reason === MARKED_AS_SPAM)
        return refuse(409, "That work is marked as spam already.");
      before = work.hidden_reason;
      ownerId = await q.creatorOfWork(tx, work.id);
    }
    await setHiddenReason(tx, subject.type, [subject.id], MARKED_AS_SPAM, now);
    const held = await q.eventOf(tx, subject, "held");
    const decided = held
      ? await q.decideEvent(tx, held.id, "held", "spam", { userId: by.id, now })
      : 0;
    if (decided === 0)
      await q.insertSpamMark(tx, {
        subjectType: subject.type,
        subjectId: subject.id,
        userId: ownerId,
        by: { userId: by.id, now },
      });
    await recordAudit(tx, {
      actor: actorOf(by),
      action: `${subject.type}.spam`,
      subject: { type: subject.type, id: subject.id, label },
      before: { hidden_reason: before },
      after: { hidden_reason: MARKED_AS_SPAM },
      reason: args.reason ?? "",
      now,
    });
    return ok();
  });
}

/** What the audit log and the page call a subject; undefined when it is gone. */
async function labelOf(tx: Queryable, subject: SpamSubject): Promise<string | undefined> {
  if (subject.type === "work") return (await findWork(tx, subject.id))?.title;
  const c = await q.commentForModeration(tx, subject.id);
  if (!c) return undefined;
  const work = await findWork(tx, c.work_id);
  return `Comment ${c.id} on “${work?.title ?? "a deleted work"}”`;
}

/** What an account has that "remove spam" would hide (the confirmation page shows it). */
export async function spammerContent(db: Queryable, userId: number) {
  const [works, comments, bookmarks] = await Promise.all([
    q.worksOfUser(db, userId),
    q.commentsOfUser(db, userId),
    q.bookmarksOfUser(db, userId),
  ]);
  const left = <T extends { hidden_reason: string | null }>(rows: T[]) =>
    rows.filter((r) => r.hidden_reason !== MARKED_AS_SPAM);
  return { works: left(works), comments: left(comments), bookmarks: left(bookmarks) };
}

export interface Removed {
  works: number;
  comments: number;
  bookmarks: number;
}

/**
 * Removes a spammer's content in one action: every work, comment and bookmark of the account
 * hidden as "Spam", its held items settled as spam, and the account banned with its sessions
 * ended. Staff accounts are refused (revoke their roles first), and so is one's own.
 */
export async function removeSpammer(
  db: Db,
  args: { login: string; by: Moderator; reason: string; now: number },
): Promise<Result<Removed>> {
  const { by, now } = args;
  return inTransaction<Removed>(db, async (tx) => {
    const user = await findUserByLogin(tx, args.login);
    if (!user) return refuse(404, "Sorry, there is no account with that username.");
    if (user.id === by.id) return refuse(409, "You can't remove your own account's content.");
    const roles = user.roles.split(" ").filter(Boolean);
    if (roles.includes("admin") || roles.includes("moderator"))
      return refuse(
        403,
        `${user.login} is a member of staff (${roles.join(", ")}): revoke their roles first.`,
      );
    const content = await spammerContent(tx, user.id);

    const ids = <T extends { id: number }>(rows: T[]) => rows.map((r) => r.id);
    await setHiddenReason(tx, "work", ids(content.works), MARKED_AS_SPAM, now);
    await setHiddenReason(tx, "comment", ids(content.comments), MARKED_AS_SPAM, now);
    await setHiddenReason(tx, "bookmark", ids(content.bookmarks), MARKED_AS_SPAM, now);

    await q.settleHeldOf(tx, user.id, { userId: by.id, now });
    await q.banUser(tx, user.id, now);
    const removed = {
      works: content.works.length,
      comments: content.comments.length,
      bookmarks: content.bookmarks.length,
    };
    await recordAudit(tx, {
      actor: actorOf(by),
      action: "user.remove-spam",
      subject: { type: "user", id: user.id, label: user.login },
      before: { banned_at: user.banned_at },
      after: { banned_at: user.banned_at ?? now, hidden: removed },
      reason: args.reason,
      now,
    });
    return ok(removed);
  });
}
