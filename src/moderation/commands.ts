/**
 * Reports and every moderator action, one transaction each: the change, its audit entry (before
 * and after), the notice in the affected account's inbox, and the reports it resolves commit
 * together or not at all. Routes check the staff permission (core/permissions.ts `may`) before
 * calling; the commands check what the state allows (not hidden twice, not banned twice).
 */
import { recordAudit } from "../core/audit-queries.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import type { ReportSubjectType } from "../core/db/schema.ts";
import { inTransaction, ok, refuse, rollback, type Result } from "../core/result.ts";
import type { Viewer } from "../core/viewer.ts";
import { deleteBookmarkIn } from "../engagement/bookmarks/commands.ts";
import { deleteCommentIn } from "../engagement/comments/commands.ts";
import { findComment } from "../engagement/comments/queries.ts";
import { notify } from "../engagement/notifications/notify.ts";
import { deleteWorkIn } from "../works/commands.ts";
import { setHiddenReason } from "./hiding.ts";
import * as q from "./queries.ts";
import { CATEGORIES, type Category, type Hideable } from "./schemas.ts";
import { loadSubject, type Subject } from "./subjects.ts";

export interface Moderator {
  id: number;
  login: string;
}

const DAY = 24 * 60 * 60 * 1000;
const GONE = "Sorry, we couldn't find that: it may have been deleted.";

export const GUEST_EMAIL_MISSING =
  "Email: please give your email address, so the moderators can reach you about this report.";

/**
 * Files a report about something the reporter can see (what they cannot see does not exist for
 * them: 404), with a snapshot of it as it is now. Guests must give an e-mail.
 */
export async function fileReport(
  db: Db,
  args: {
    type: ReportSubjectType;
    id: number;
    viewer: Viewer;
    input: { category: Category; details: string; email?: string | undefined };
    now: number;
  },
): Promise<Result<{ id: number }>> {
  const { type, id, viewer, input, now } = args;
  const email = viewer.user ? null : (input.email ?? "").trim().toLowerCase();
  if (email === "") return refuse(422, GUEST_EMAIL_MISSING, "email");
  return inTransaction(db, async (tx) => {
    const subject = await loadSubject(tx, type, id);
    if (!subject || !(await subject.visibleTo(viewer))) return refuse(404, GONE);
    const reportId = await q.insertReport(tx, {
      subjectType: type,
      subjectId: id,
      subjectUserId: subject.ownerUserId,
      reporterUserId: viewer.user?.id ?? null,
      reporterEmail: email,
      category: input.category,
      details: input.details,
      snapshotJson: JSON.stringify(subject.snapshot),
      now,
    });
    return ok({ id: reportId });
  });
}

/** Closes a report without action (nobody is told; the audit log keeps who and why). */
export async function dismissReport(
  db: Db,
  args: { moderator: Moderator; reportId: number; note: string; now: number },
): Promise<Result> {
  const { moderator, reportId, note, now } = args;
  return inTransaction(db, async (tx) => {
    const report = await q.findReport(tx, reportId);
    if (!report) return refuse(404, "Sorry, we couldn't find that report.");
    const done = await q.resolveOpenReports(
      tx,
      { reportId },
      { status: "dismissed", byUserId: moderator.id, resolution: note || "Dismissed", now },
    );
    if (done.length === 0) return refuse(409, "That report was already resolved.");
    await recordAudit(tx, {
      actor: moderator,
      action: "report.dismiss",
      subject: {
        type: "report",
        id: reportId,
        label: `${report.subject_type} ${report.subject_id}`,
      },
      before: { status: "open" },
      after: { status: "dismissed" },
      reason: note,
      now,
    });
    return ok();
  });
}

const NOUN: Record<ReportSubjectType, string> = {
  work: "work",
  chapter: "chapter",
  comment: "comment",
  bookmark: "bookmark",
  tag: "tag",
  user: "account",
};

/** Resolves the reports the action answers: those about the subject, and the one acted from. */
async function resolveFor(
  tx: Queryable,
  moderator: Moderator,
  subject: { type: ReportSubjectType; id: number },
  reportId: number | undefined,
  resolution: string,
  now: number,
) {
  const r = { status: "actioned" as const, byUserId: moderator.id, resolution, now };
  await q.resolveOpenReports(tx, subject, r);
  if (reportId !== undefined) await q.resolveOpenReports(tx, { reportId }, r);
}

/** Tells each owner, in their inbox (moderators stay anonymous: no actor). */
async function tell(
  tx: Queryable,
  userIds: readonly number[],
  notice: { text: string; url: string; workId?: number | null; commentId?: number | null },
  now: number,
) {
  for (const userId of new Set(userIds)) {
    await notify(
      tx,
      {
        userId,
        kind: "moderation",
        workId: notice.workId ?? null,
        commentId: notice.commentId ?? null,
        actorUserId: null,
        text: notice.text,
        url: notice.url,
      },
      now,
    );
  }
}

async function hideable(tx: Queryable, type: Hideable, id: number): Promise<Subject> {
  const subject = await loadSubject(tx, type, id);
  if (!subject) rollback(refuse(404, GONE));
  return subject;
}

interface VisibilityArgs {
  moderator: Moderator;
  type: Hideable;
  id: number;
  reportId?: number | undefined;
  now: number;
}

/**
 * Hides a work, comment or bookmark from everyone but its owners and moderators, who see it
 * with `reason` (works/visibility.ts and the comment and bookmark listings apply it).
 */
export function hideContent(db: Db, args: VisibilityArgs & { reason: string }): Promise<Result> {
  return changeHidden(db, args, args.reason);
}

/** Shows hidden content to everyone again. */
export function unhideContent(db: Db, args: VisibilityArgs): Promise<Result> {
  return changeHidden(db, args, null);
}

/** Hide (a reason) or unhide (null): resolved reports, the audit entry and the owners' notice. */
async function changeHidden(db: Db, args: VisibilityArgs, reason: string | null): Promise<Result> {
  const { moderator, type, id, now } = args;
  return inTransaction(db, async (tx) => {
    const subject = await hideable(tx, type, id);
    const before = subject.snapshot.hiddenReason;
    if (reason !== null && before !== null)
      return refuse(409, `That ${NOUN[type]} is hidden already.`);
    if (reason === null && before === null) return refuse(409, `That ${NOUN[type]} isn't hidden.`);
    await setHiddenReason(tx, type, [id], reason, now);
    const resolution = reason === null ? "Shown again" : `Hidden: ${reason}`;
    await resolveFor(tx, moderator, { type, id }, args.reportId, resolution, now);
    await recordAudit(tx, {
      actor: moderator,
      action: `${type}.${reason === null ? "unhide" : "hide"}`,
      subject: { type, id, label: subject.snapshot.title },
      before: { hidden_reason: before },
      after: { hidden_reason: reason },
      reason: reason ?? "",
      now,
    });
    const title = `${NOUN[type]} “${subject.snapshot.title}”`;
    await tell(
      tx,
      subject.ownerUserIds,
      {
        text:
          reason === null
            ? `A moderator made your ${title} visible again.`
            : `A moderator hid your ${title}: ${reason}`,
        url: subject.snapshot.url,
        workId: type === "work" ? id : null,
        commentId: type === "comment" ? id : null,
      },
      now,
    );
    return ok();
  });
}

/**
 * Deletes a work, comment or bookmark through its own domain's delete steps (so counters, tag
 * counts, the change log and the `work.deleted` event stay right), inside this transaction.
 */
export async function deleteContent(
  db: Db,
  args: {
    moderator: Moderator;
    type: Hideable;
    id: number;
    reason: string;
    reportId?: number | undefined;
    now: number;
  },
): Promise<Result> {
  const { moderator, type, id, reason, now } = args;
  return inTransaction(db, async (tx) => {
    const subject = await hideable(tx, type, id);
    if (type === "work") {
      const done = await deleteWorkIn(tx, { workId: id, now });
      if (!done.ok) return done;
    } else if (type === "comment") {
      const c = await findComment(tx, id, "update");
      if (!c || c.deleted) return refuse(404, GONE);
      await deleteCommentIn(tx, c, now);
    } else if (!(await deleteBookmarkIn(tx, id, now))) {
      return refuse(404, GONE);
    }
    await resolveFor(tx, moderator, { type, id }, args.reportId, `Deleted: ${reason}`, now);
    await recordAudit(tx, {
      actor: moderator,
      action: `${type}.delete`,
      subject: { type, id, label: subject.snapshot.title },
      before: subject.snapshot,
      after: null,
      reason,
      now,
    });
    const owners = await Promise.all(subject.ownerUserIds.map((u) => q.userRow(tx, u)));
    for (const owner of owners) {
      if (!owner) continue;
      await tell(
        tx,
        [owner.id],
        {
          text: `A moderator deleted your ${NOUN[type]} “${subject.snapshot.title}”: ${reason}`,
          url: `/users/${encodeURIComponent(owner.login)}/inbox`,
        },
        now,
      );
    }
    return ok();
  });
}

// --- accounts ----------------------------------------------------------------------------------

type Discipline = "warn" | "suspend" | "unsuspend" | "ban" | "unban";

/**
 * The account a moderator acts on: not their own, and an admin only by an admin (a moderator
 * cannot lock out the people who appoint moderators).
 */
async function disciplined(
  tx: Queryable,
  moderator: Moderator & { admin: boolean },
  userId: number,
): Promise<q.ModeratedUser> {
  const user = await q.userRow(tx, userId);
  if (!user) rollback(refuse(404, "Sorry, we couldn't find that account."));
  if (user.id === moderator.id) rollback(refuse(422, "You can't discipline your own account."));
  if (user.roles.split(" ").includes("admin") && !moderator.admin)
    rollback(refuse(403, "Only an admin can discipline an admin's account."));
  return user;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Warns, suspends (for `days`, 1–365), lifts a suspension, bans (ending every session) or
 * lifts a ban; each told to the account in its inbox.
 */
export async function disciplineUser(
  db: Db,
  args: {
    moderator: Moderator & { admin: boolean };
    userId: number;
    action: Discipline;
    /** The warning (warn) or the reason (the others). */
    text: string;
    days?: number;
    reportId?: number | undefined;
    now: number;
  },
): Promise<Result<{ login: string }>> {
  const { moderator, action, text, now } = args;
  return inTransaction(db, async (tx) => {
    const user = await disciplined(tx, moderator, args.userId);
    const suspended = user.suspended_until !== null && user.suspended_until > now;
    let before: Record<string, unknown> = {};
    let after: Record<string, unknown> = {};
    let notice: string;
    switch (action) {
      case "warn":
        notice = `A moderator sent you a warning: ${text}`;
        break;
      case "suspend": {
        const days = args.days ?? 1;
        const until = now + days * DAY;
        before = { suspended_until: user.suspended_until };
        after = { suspended_until: until };
        await q.setSuspendedUntil(tx, user.id, until);
        notice = `A moderator suspended your account for ${days} day${days === 1 ? "" : "s"} (until ${isoDay(until)}): you can read, but not post, comment, leave kudos or bookmark. Reason: ${text}`;
        break;
      }
      case "unsuspend":
        if (!suspended) return refuse(409, "That account isn't suspended.");
        before = { suspended_until: user.suspended_until };
        after = { suspended_until: null };
        await q.setSuspendedUntil(tx, user.id, null);
        notice = "A moderator lifted your account's suspension.";
        break;
      case "ban":
        if (user.banned_at !== null) return refuse(409, "That account is banned already.");
        before = { banned_at: null };
        after = { banned_at: now };
        await q.setBannedAt(tx, user.id, now);
        await q.deleteSessionsOf(tx, user.id);
        notice = `A moderator banned your account: ${text}`;
        break;
      case "unban":
        if (user.banned_at === null) return refuse(409, "That account isn't banned.");
        before = { banned_at: user.banned_at };
        after = { banned_at: null };
        await q.setBannedAt(tx, user.id, null);
        notice = "A moderator lifted the ban on your account: you can log in again.";
        break;
    }
    if (action === "warn" || action === "suspend" || action === "ban")
      await resolveFor(
        tx,
        moderator,
        { type: "user", id: user.id },
        args.reportId,
        `${action}: ${text}`,
        now,
      );
    await recordAudit(tx, {
      actor: moderator,
      action: `user.${action}`,
      subject: { type: "user", id: user.id, label: user.login },
      before,
      after,
      reason: text,
      now,
    });
    await tell(
      tx,
      [user.id],
      { text: notice, url: `/users/${encodeURIComponent(user.login)}/inbox` },
      now,
    );
    return ok({ login: user.login });
  });
}

export const categoryLabel = (key: string): string =>
  Object.hasOwn(CATEGORIES, key) ? CATEGORIES[key as Category] : key;
