/**
 * Every write to comments, one transaction each: the row, the work's counters (published,
 * live comments only) and the notifications it causes commit together or not at all.
 * Authorization happens here, once (the rules are policy.ts's): each command answers a Result,
 * and routes only render its refusal.
 *
 * Races on PostgreSQL: a reply takes a share lock on the comment it answers, and deleting or
 * freezing takes an update lock first, so a reply either lands before (and is seen: the deleted
 * comment stays as a placeholder, the frozen thread includes it) or waits and is refused.
 * Status changes are conditional updates, so two clicks on "Approve" count once.
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import type { CommentPolicy, CommentStatus } from "../../core/db/schema.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { holdGuestCommentIfSpam } from "../../core/spam-queries.ts";
import { guestCommentsOpen } from "../../core/settings.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import { findChapter } from "../../works/chapter-queries.ts";
import { blockedByCreatorOf, blockersAmong } from "../blocking/queries.ts";
import { bumpCounts } from "../counters/queries.ts";
import { notify } from "../notifications/notify.ts";
import {
  commentPolicy,
  commentRefusal,
  editRefusal,
  NO_BLOCKS,
  replyRefusal,
  type Blocks,
} from "./policy.ts";
import { ANONYMOUS_CREATOR, signsAnonymously } from "./present.ts";
import * as q from "./queries.ts";
import { GUEST_EMAIL_MISSING, GUEST_NAME_MISSING, type CommentInput } from "./schemas.ts";
import { subtreeIds, withinEdits } from "./threads.ts";

/** An edit changing more than this many characters on a moderated work needs approval again. */
export const EDIT_TOLERANCE = 10;

export interface CommentWork {
  id: number;
  title: string;
  /** Drafts take no comments. */
  posted: boolean;
  commentPolicy: CommentPolicy;
  moderated: boolean;
  creatorUserIds: readonly number[];
  /** In an anonymous collection (issue 15): its creators comment as "Anonymous Creator". */
  anonymous: boolean;
}

const EMPTY_AFTER_CLEANING =
  "Comment: nothing is left once markup that isn't allowed is removed; please write some text.";
const GONE = "Sorry, we couldn't find that comment: it may have been deleted.";
const CHAPTER_CLOSED = 'Field "chapter_id": that chapter of this work is not open for comments.';

/**
 * Posts a comment (`parentId` null) or a reply, signed by `by` (a logged-in reader, with the
 * pseud the form chose) or, when `by` is null, by a guest with the form's name and email.
 * Refused, in this order: the work's comment policy (drafts, comments off, registered users
 * only, blocked), a chapter that isn't this work's posted one, a guest who didn't sign, a text
 * the sanitizer empties, a parent that is gone or may not be answered, a pseud not theirs.
 */
export async function postComment(
  db: Db,
  args: {
    work: CommentWork;
    by: ViewerUser | null;
    input: CommentInput;
    parentId: number | null;
    now: number;
  },
): Promise<Result<{ id: number; status: CommentStatus; held: boolean }>> {
  const { work, by: user, input, parentId, now } = args;
  const body = formatUserText(input.comment_content);
  const guestsOpen = user !== null || (await guestCommentsOpen(db, now));
  return inTransaction(db, async (tx) => {
    const blocked = user ? await blockedByCreatorOf(tx, work.id, user.id) : false;
    const refusal = commentRefusal(work, user, blocked, guestsOpen);
    if (refusal) return refusal;

    let place = { chapterId: input.chapter_id ?? null, threadId: 0, depth: 1 };
    if (parentId === null && place.chapterId !== null) {
      const chapter = await findChapter(tx, work.id, place.chapterId);
      if (!chapter?.posted) return refuse(422, CHAPTER_CLOSED);
    }
    // The form says whether it carried a signature; the session says who must give one.
    if (!user && input.signed_as !== "guest")
      return refuse(422, { name: GUEST_NAME_MISSING, email: GUEST_EMAIL_MISSING });
    if (body === "") return refuse(422, EMPTY_AFTER_CLEANING, "comment_content");

    if (parentId !== null) {
      const parent = await q.findComment(tx, parentId, "share");
      if (!parent || parent.work_id !== work.id || parent.deleted) return refuse(404, GONE);
      const blocks = user ? await blocksOf(tx, work.id, user.id, [parent.user_id]) : NO_BLOCKS;
      const cannot = replyRefusal(null, parent, blocks);
      if (cannot) return cannot;
      // Replies belong where their thread is (a chapter, or the whole work).
      place = { chapterId: parent.chapter_id, threadId: parent.thread_id, depth: parent.depth + 1 };
    }

    let pseudId: number | null = null;
    if (user) {
      const chosen = input.signed_as === "account" ? input.pseud_id : undefined;
      pseudId =
        chosen === undefined
          ? ((await q.defaultPseudId(tx, user.id)) ?? null)
          : ((await q.pseudOfUser(tx, chosen, user.id)) ?? null);
      if (pseudId === null)
        return refuse(422, "Comment as: choose one of your pseuds.", "pseud_id");
    }
    const guest = !user && input.signed_as === "guest" ? input : null;
    const creator = user !== null && work.creatorUserIds.includes(user.id);
    const status: CommentStatus = work.moderated && !creator ? "pending" : "published";
    const id = await q.insertComment(tx, {
      work_id: work.id,
      chapter_id: place.chapterId,
      parent_id: parentId,
      thread_id: place.threadId,
      depth: place.depth,
      user_id: user?.id ?? null,
      pseud_id: pseudId,
      guest_name: guest?.name ?? null,
      guest_email: guest?.email ?? null,
      body_html: body,
      sanitizer_version: SANITIZER_VERSION,
      status,
      created_at: now,
      edited_at: null,
    });
    if (parentId === null) await q.startThread(tx, id);
    // A guest's comment that scores as spam is held for a moderator: hidden, not counted,
    // announced to nobody (core/spam-queries.ts).
    const held = guest
      ? await holdGuestCommentIfSpam(tx, {
          commentId: id,
          bodyHtml: body,
          guestEmail: guest.email,
          now,
        })
      : false;
    if (status === "published" && !held) {
      await bumpCounts(tx, { workId: work.id, chapterId: place.chapterId }, { comments: 1 }, now);
      await announce(tx, work, id, now);
    }
    return ok({ id, status, held });
  });
}

/** The blocks concerning `userId` on this work and from these commenters, read in the transaction. */
async function blocksOf(
  tx: Queryable,
  workId: number,
  userId: number,
  commenters: readonly (number | null)[],
): Promise<Blocks> {
  const [byCreator, byCommenters] = await Promise.all([
    blockedByCreatorOf(tx, workId, userId),
    blockersAmong(tx, userId, commenters),
  ]);
  return { byCreator, byCommenters };
}

/**
 * Tells the parent comment's author about a reply, and the work's creators about a new comment
 * (once: a creator whose comment was answered gets the reply notice only). Nobody hears about
 * their own comment, or about one by a user they muted; guests have no inbox.
 */
async function announce(tx: Queryable, work: CommentWork, commentId: number, now: number) {
  const comment = await q.findComment(tx, commentId);
  if (!comment) return;
  const parent =
    comment.parent_id === null ? undefined : await q.findComment(tx, comment.parent_id);
  const author = comment.user_id;
  const kinds = new Map<number, "reply" | "comment">();
  if (parent?.user_id != null && parent.user_id !== author) kinds.set(parent.user_id, "reply");
  for (const userId of work.creatorUserIds)
    if (userId !== author && !kinds.has(userId)) kinds.set(userId, "comment");
  if (kinds.size === 0) return;
  // A creator answering on their anonymous work stays unnamed (present.ts ANONYMOUS_CREATOR),
  // and a mute does not hide them there: it would tell the muter who wrote the work.
  const unnamed = signsAnonymously(work, author);
  const muters =
    author === null || unnamed
      ? new Set<number>()
      : await q.whoMuted(tx, [...kinds.keys()], author);
  const name = unnamed
    ? ANONYMOUS_CREATOR.name
    : comment.pseud_id !== null
      ? ((await q.pseudName(tx, comment.pseud_id)) ?? "Someone")
      : `${comment.guest_name ?? "A guest"} (Guest)`;
  for (const [userId, kind] of kinds) {
    if (muters.has(userId)) continue;
    await notify(
      tx,
      {
        userId,
        kind,
        workId: work.id,
        chapterId: comment.chapter_id,
        commentId,
        actorUserId: unnamed ? null : author,
        text:
          kind === "reply"
            ? `${name} replied to your comment on “${work.title}”.`
            : `${name} left a comment on “${work.title}”.`,
        url: `/comments/${commentId}`,
      },
      now,
    );
  }
}

/** Edits a comment's text: its author only, and not once blocked (policy.ts `editRefusal`). */
export async function editComment(
  db: Db,
  args: { work: CommentWork; user: ViewerUser; commentId: number; text: string; now: number },
): Promise<Result<{ changed: boolean; requeued: boolean }>> {
  const { work, user, now } = args;
  const body = formatUserText(args.text);
  return inTransaction<{ changed: boolean; requeued: boolean }>(db, async (tx) => {
    const c = await q.findComment(tx, args.commentId, "update");
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const parentUserId =
      c.parent_id === null ? null : ((await q.findComment(tx, c.parent_id))?.user_id ?? null);
    const blocks =
      c.user_id === user.id ? await blocksOf(tx, work.id, user.id, [parentUserId]) : NO_BLOCKS;
    const cannot = editRefusal(user, { user_id: c.user_id, parentUserId }, blocks);
    if (cannot) return cannot;
    if (body === "") return refuse(422, EMPTY_AFTER_CLEANING, "comment_content");
    if (body === c.body_html) return ok({ changed: false, requeued: false });
    const requeued =
      work.moderated &&
      !work.creatorUserIds.includes(user.id) &&
      c.status === "published" &&
      c.hidden_reason === null &&
      !withinEdits(c.body_html, body, EDIT_TOLERANCE);
    await q.updateBody(tx, c.id, {
      body_html: body,
      sanitizer_version: SANITIZER_VERSION,
      edited_at: now,
      ...(requeued ? { status: "pending" as const } : {}),
    });
    if (requeued)
      await bumpCounts(tx, { workId: work.id, chapterId: c.chapter_id }, { comments: -1 }, now);
    return ok({ changed: true, requeued });
  });
}

/**
 * Deletes a comment. One with replies stays as a "(Previous comment deleted.)" placeholder,
 * emptied of its text and author; one without goes, and so do placeholders it leaves bare.
 */
export async function deleteComment(
  db: Db,
  args: { work: CommentWork; user: ViewerUser; commentId: number; now: number },
): Promise<Result<{ placeholder: boolean }>> {
  const { work, user, now } = args;
  return inTransaction(db, async (tx) => {
    const c = await q.findComment(tx, args.commentId, "update");
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const subject = { commenterUserId: c.user_id, creatorUserIds: work.creatorUserIds };
    if (!commentPolicy.can(user, "delete", subject))
      return refuse(403, "Only the comment's author or the work's creators can delete it.");
    return ok(await deleteCommentIn(tx, c, now));
  });
}

/**
 * Deleting's steps inside a caller's transaction, the comment read (and locked) already and the
 * caller's rules checked (a moderator's removal comes here too: moderation/).
 */
export async function deleteCommentIn(
  tx: Queryable,
  c: q.CommentNode,
  now: number,
): Promise<{ placeholder: boolean }> {
  const placeholder = await q.hasReplies(tx, c.id);
  if (placeholder) {
    await q.markDeleted(tx, c.id);
  } else {
    await q.deleteComment(tx, c.id);
    let parentId = c.parent_id;
    while (parentId !== null) {
      const parent = await q.findComment(tx, parentId, "update");
      if (!parent?.deleted || (await q.hasReplies(tx, parent.id))) break;
      await q.deleteComment(tx, parent.id);
      parentId = parent.parent_id;
    }
  }
  // Counted: published and not hidden by a moderator (counters/queries.ts recountWork).
  if (c.status === "published" && c.hidden_reason === null)
    await bumpCounts(tx, { workId: c.work_id, chapterId: c.chapter_id }, { comments: -1 }, now);
  return { placeholder };
}

export type Moderation = "approve" | "hide" | "unhide";
const MOVES: Record<Moderation, { from: CommentStatus; to: CommentStatus; refusal: string }> = {
  approve: { from: "pending", to: "published", refusal: "That comment isn't awaiting approval." },
  hide: { from: "published", to: "hidden", refusal: "Only a published comment can be hidden." },
  unhide: { from: "hidden", to: "published", refusal: "That comment isn't hidden." },
};

/** A creator approves a pending comment, or hides / shows again a published one. */
export async function moderateComment(
  db: Db,
  args: { work: CommentWork; user: ViewerUser; commentId: number; action: Moderation; now: number },
): Promise<Result> {
  const { work, user, now } = args;
  const move = MOVES[args.action];
  return inTransaction(db, async (tx) => {
    const c = await q.findComment(tx, args.commentId, "update");
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const subject = { commenterUserId: c.user_id, creatorUserIds: work.creatorUserIds };
    if (!commentPolicy.can(user, "moderate", subject))
      return refuse(403, "Only the work's creators can moderate its comments.");
    if ((await q.changeStatus(tx, c.id, move.from, move.to)) === 0)
      return refuse(409, move.refusal);
    const delta = move.to === "published" ? 1 : -1;
    // A comment a moderator hid is not counted either way.
    if (c.hidden_reason === null)
      await bumpCounts(tx, { workId: work.id, chapterId: c.chapter_id }, { comments: delta }, now);
    // An approved edit was announced when first published; a new comment is announced now.
    if (args.action === "approve" && !(await q.wasAnnounced(tx, c.id)))
      await announce(tx, work, c.id, now);
    return ok();
  });
}

/** Freezes (or thaws) a comment and every reply under it: no new replies anywhere in it. */
export async function freezeThread(
  db: Db,
  args: { work: CommentWork; user: ViewerUser; commentId: number; frozen: boolean },
): Promise<Result> {
  const { work, user } = args;
  const flag = args.frozen ? 1 : 0;
  return inTransaction(db, async (tx) => {
    const c = await q.findComment(tx, args.commentId, "update");
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const subject = { commenterUserId: c.user_id, creatorUserIds: work.creatorUserIds };
    if (!commentPolicy.can(user, "moderate", subject))
      return refuse(403, "Only the work's creators can freeze or unfreeze its threads.");
    if (c.frozen === flag)
      return refuse(
        409,
        args.frozen ? "That thread is frozen already." : "That thread isn't frozen.",
      );
    // Until a pass finds nothing left to change: a reply committed while we read the thread
    // is caught by the next pass, and none can land after (its parent is locked by our update).
    for (;;) {
      const nodes = await q.threadNodes(tx, [c.thread_id]);
      const frozenNow = new Map(nodes.map((n) => [n.id, n.frozen]));
      const ids = subtreeIds(nodes, c.id).filter((id) => frozenNow.get(id) !== flag);
      if (ids.length === 0) break;
      await q.setFrozen(tx, ids, flag);
    }
    return ok();
  });
}
