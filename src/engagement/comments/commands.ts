/**
 * Every write to comments, one transaction each: the row, the work's counters (published,
 * live comments only) and the notifications it causes commit together or not at all.
 *
 * Races on PostgreSQL: a reply takes a share lock on the comment it answers, and deleting or
 * freezing takes an update lock first, so a reply either lands before (and is seen: the deleted
 * comment stays as a placeholder, the frozen thread includes it) or waits and is refused.
 * Status changes are conditional updates, so two clicks on "Approve" count once.
 */
import type { Db, Engine, Queryable } from "../../core/db/index.ts";
import type { CommentPolicy, CommentStatus } from "../../core/db/schema.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import type { ViewerUser } from "../../core/viewer.ts";
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
import * as q from "./queries.ts";
import { subtreeIds, withinEdits } from "./threads.ts";

/** An edit changing more than this many characters on a moderated work needs approval again. */
export const EDIT_TOLERANCE = 10;

export interface CommentWork {
  id: number;
  title: string;
  commentPolicy: CommentPolicy;
  moderated: boolean;
  creatorUserIds: readonly number[];
}

export type Author =
  | { kind: "user"; user: ViewerUser; pseudId?: number | undefined }
  | { kind: "guest"; name: string; email: string };

export type Outcome<T> =
  { ok: true; value: T } | { ok: false; status: number; message: string; field?: string };

interface Deps {
  db: Db;
  engine: Engine;
}

const refuse = (status: number, message: string, field?: string) =>
  ({ ok: false, status, message, ...(field ? { field } : {}) }) as const;

const EMPTY_AFTER_CLEANING =
  "Comment: nothing is left once markup that isn't allowed is removed; please write some text.";
const GONE = "Sorry, we couldn't find that comment: it may have been deleted.";

const lockFor = (engine: Engine, mode: "update" | "share"): q.RowLock =>
  engine === "postgres" ? mode : undefined;

export async function postComment(
  deps: Deps,
  args: {
    work: CommentWork;
    author: Author;
    text: string;
    chapterId: number | null;
    parentId: number | null;
    now: number;
  },
): Promise<Outcome<{ id: number; status: CommentStatus }>> {
  const { work, author, now } = args;
  const body = formatUserText(args.text);
  if (body === "") return refuse(422, EMPTY_AFTER_CLEANING, "comment_content");
  const user = author.kind === "user" ? author.user : null;
  return deps.db.transaction().execute(async (tx) => {
    const blocked = user ? await blockedByCreatorOf(tx, work.id, user.id) : false;
    const refusal = commentRefusal({ comment_policy: work.commentPolicy }, user, blocked);
    if (refusal) return refuse(refusal.status, refusal.message);

    let place = { chapterId: args.chapterId, threadId: 0, depth: 1 };
    if (args.parentId !== null) {
      const parent = await q.findComment(tx, args.parentId, lockFor(deps.engine, "share"));
      if (!parent || parent.work_id !== work.id || parent.deleted) return refuse(404, GONE);
      const blocks = user ? await blocksOf(tx, work.id, user.id, [parent.user_id]) : NO_BLOCKS;
      const cannot = replyRefusal(null, parent, blocks);
      if (cannot) return refuse(cannot.status, cannot.message);
      // Replies belong where their thread is (a chapter, or the whole work).
      place = { chapterId: parent.chapter_id, threadId: parent.thread_id, depth: parent.depth + 1 };
    }

    let pseudId: number | null = null;
    if (author.kind === "user") {
      pseudId =
        author.pseudId === undefined
          ? ((await q.defaultPseudId(tx, author.user.id)) ?? null)
          : ((await q.pseudOfUser(tx, author.pseudId, author.user.id)) ?? null);
      if (pseudId === null)
        return refuse(422, "Comment as: choose one of your pseuds.", "pseud_id");
    }
    const creator = user !== null && work.creatorUserIds.includes(user.id);
    const status: CommentStatus = work.moderated && !creator ? "pending" : "published";
    const id = await q.insertComment(tx, {
      work_id: work.id,
      chapter_id: place.chapterId,
      parent_id: args.parentId,
      thread_id: place.threadId,
      depth: place.depth,
      user_id: user?.id ?? null,
      pseud_id: pseudId,
      guest_name: author.kind === "guest" ? author.name : null,
      guest_email: author.kind === "guest" ? author.email : null,
      body_html: body,
      sanitizer_version: SANITIZER_VERSION,
      status,
      created_at: now,
      edited_at: null,
    });
    if (args.parentId === null) await q.startThread(tx, id);
    if (status === "published") {
      await bumpCounts(tx, { workId: work.id, chapterId: place.chapterId }, { comments: 1 }, now);
      await announce(tx, work, id, now);
    }
    return { ok: true, value: { id, status } } as const;
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
  const muters =
    author === null ? new Set<number>() : await q.whoMuted(tx, [...kinds.keys()], author);
  const name =
    comment.pseud_id !== null
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
        actorUserId: author,
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

export async function editComment(
  deps: Deps,
  args: { work: CommentWork; user: ViewerUser; commentId: number; text: string; now: number },
): Promise<Outcome<{ changed: boolean; requeued: boolean }>> {
  const { work, user, now } = args;
  const body = formatUserText(args.text);
  if (body === "") return refuse(422, EMPTY_AFTER_CLEANING, "comment_content");
  return deps.db.transaction().execute(async (tx) => {
    const c = await q.findComment(tx, args.commentId, lockFor(deps.engine, "update"));
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const parentUserId =
      c.parent_id === null ? null : ((await q.findComment(tx, c.parent_id))?.user_id ?? null);
    const blocks =
      c.user_id === user.id ? await blocksOf(tx, work.id, user.id, [parentUserId]) : NO_BLOCKS;
    const cannot = editRefusal(user, { user_id: c.user_id, parentUserId }, blocks);
    if (cannot) return refuse(cannot.status, cannot.message);
    if (body === c.body_html)
      return { ok: true, value: { changed: false, requeued: false } } as const;
    const requeued =
      work.moderated &&
      !work.creatorUserIds.includes(user.id) &&
      c.status === "published" &&
      !withinEdits(c.body_html, body, EDIT_TOLERANCE);
    await q.updateBody(tx, c.id, {
      body_html: body,
      sanitizer_version: SANITIZER_VERSION,
      edited_at: now,
      ...(requeued ? { status: "pending" as const } : {}),
    });
    if (requeued)
      await bumpCounts(tx, { workId: work.id, chapterId: c.chapter_id }, { comments: -1 }, now);
    return { ok: true, value: { changed: true, requeued } } as const;
  });
}

/**
 * Deletes a comment. One with replies stays as a "(Previous comment deleted.)" placeholder,
 * emptied of its text and author; one without goes, and so do placeholders it leaves bare.
 */
export async function deleteComment(
  deps: Deps,
  args: { work: CommentWork; user: ViewerUser; commentId: number; now: number },
): Promise<Outcome<{ placeholder: boolean }>> {
  const { work, user, now } = args;
  return deps.db.transaction().execute(async (tx) => {
    const c = await q.findComment(tx, args.commentId, lockFor(deps.engine, "update"));
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const subject = { commenterUserId: c.user_id, creatorUserIds: work.creatorUserIds };
    if (!commentPolicy.can(user, "delete", subject))
      return refuse(403, "Only the comment's author or the work's creators can delete it.");
    const placeholder = await q.hasReplies(tx, c.id);
    if (placeholder) {
      await q.markDeleted(tx, c.id);
    } else {
      await q.deleteComment(tx, c.id);
      let parentId = c.parent_id;
      while (parentId !== null) {
        const parent = await q.findComment(tx, parentId, lockFor(deps.engine, "update"));
        if (!parent?.deleted || (await q.hasReplies(tx, parent.id))) break;
        await q.deleteComment(tx, parent.id);
        parentId = parent.parent_id;
      }
    }
    if (c.status === "published")
      await bumpCounts(tx, { workId: work.id, chapterId: c.chapter_id }, { comments: -1 }, now);
    return { ok: true, value: { placeholder } } as const;
  });
}

export type Moderation = "approve" | "hide" | "unhide";
const MOVES: Record<Moderation, { from: CommentStatus; to: CommentStatus; refusal: string }> = {
  approve: { from: "pending", to: "published", refusal: "That comment isn't awaiting approval." },
  hide: { from: "published", to: "hidden", refusal: "Only a published comment can be hidden." },
  unhide: { from: "hidden", to: "published", refusal: "That comment isn't hidden." },
};

/** A creator approves a pending comment, or hides / shows again a published one. */
export async function moderateComment(
  deps: Deps,
  args: { work: CommentWork; user: ViewerUser; commentId: number; action: Moderation; now: number },
): Promise<Outcome<null>> {
  const { work, user, now } = args;
  const move = MOVES[args.action];
  return deps.db.transaction().execute(async (tx) => {
    const c = await q.findComment(tx, args.commentId, lockFor(deps.engine, "update"));
    if (!c || c.deleted || c.work_id !== work.id) return refuse(404, GONE);
    const subject = { commenterUserId: c.user_id, creatorUserIds: work.creatorUserIds };
    if (!commentPolicy.can(user, "moderate", subject))
      return refuse(403, "Only the work's creators can moderate its comments.");
    if ((await q.changeStatus(tx, c.id, move.from, move.to)) === 0)
      return refuse(409, move.refusal);
    const delta = move.to === "published" ? 1 : -1;
    await bumpCounts(tx, { workId: work.id, chapterId: c.chapter_id }, { comments: delta }, now);
    // An approved edit was announced when first published; a new comment is announced now.
    if (args.action === "approve" && !(await q.wasAnnounced(tx, c.id)))
      await announce(tx, work, c.id, now);
    return { ok: true, value: null } as const;
  });
}

/** Freezes (or thaws) a comment and every reply under it: no new replies anywhere in it. */
export async function freezeThread(
  deps: Deps,
  args: { work: CommentWork; user: ViewerUser; commentId: number; frozen: boolean },
): Promise<Outcome<null>> {
  const { work, user } = args;
  const flag = args.frozen ? 1 : 0;
  return deps.db.transaction().execute(async (tx) => {
    const c = await q.findComment(tx, args.commentId, lockFor(deps.engine, "update"));
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
    return { ok: true, value: null } as const;
  });
}
