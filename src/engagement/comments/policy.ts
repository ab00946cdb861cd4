/**
 * Who may comment on a work, and who may do what to a comment. Pages and routes ask the same
 * functions: a comment shows Reply or Edit exactly when the route behind it would accept.
 */
import type { CommentPolicy, CommentStatus } from "../../core/db/schema.ts";
import { definePolicy } from "../../core/policy.ts";
import type { ViewerUser } from "../../core/viewer.ts";

export interface CommentSubject {
  /** The account that wrote it; null for a guest's comment. */
  commenterUserId: number | null;
  creatorUserIds: readonly number[];
}

/**
 * The commenter or the work's creators may delete a comment (a blocked commenter too: AO3 lets
 * anyone take their own words back); only creators moderate (approve, hide, freeze). Editing
 * depends on blocks as well: see editRefusal.
 */
export const commentPolicy = definePolicy<CommentSubject, "delete" | "moderate">({
  delete: (user, c) => c.commenterUserId === user.id || c.creatorUserIds.includes(user.id),
  moderate: (user, c) => c.creatorUserIds.includes(user.id),
});

export interface Refusal {
  status: 401 | 403;
  reason: "off" | "log-in" | "blocked" | "not-yours" | "frozen" | "unpublished";
  message: string;
}

/** The blocks that concern one reader on one page. */
export interface Blocks {
  /** A creator of the work blocked the reader (never true on the reader's own work). */
  byCreator: boolean;
  /** Authors of comments on the page (user ids) who blocked the reader. */
  byCommenters: ReadonlySet<number>;
}

export const NO_BLOCKS: Blocks = { byCreator: false, byCommenters: new Set() };

export const COMMENTS_OFF = "Sorry, this work doesn't allow comments.";
export const BLOCKED =
  "Sorry, you have been blocked by one of this work's creators: you can't comment on it.";
export const BLOCKED_EDIT =
  "Sorry, you have been blocked by one of this work's creators: you can't edit your comments on it.";
export const BLOCKED_BY_COMMENTER =
  "Sorry, the author of that comment has blocked you: you can't reply to it.";
export const BLOCKED_EDIT_REPLY =
  "Sorry, the author of the comment you replied to has blocked you: you can't edit your reply.";
export const REGISTERED_ONLY =
  "This work only takes comments from registered users: please log in to comment.";
export const NOT_YOURS = "Only the person who wrote a comment can edit it.";
export const FROZEN = "This thread is frozen: no new replies can be added to it.";
export const UNPUBLISHED = "Only published comments can be replied to.";

/** Why `user` can't comment on a work (new comments and replies alike), or null if they can. */
export function commentRefusal(
  work: { comment_policy: CommentPolicy },
  user: ViewerUser | null,
  blocked: boolean,
): Refusal | null {
  if (work.comment_policy === "off") return { status: 403, reason: "off", message: COMMENTS_OFF };
  if (!user && work.comment_policy !== "everyone")
    return { status: 401, reason: "log-in", message: REGISTERED_ONLY };
  if (blocked) return { status: 403, reason: "blocked", message: BLOCKED };
  return null;
}

/**
 * Why the reader can't reply to `comment`, or null if they can: the work refuses their comments
 * (`workRefusal`, from commentRefusal), the thread is frozen, the comment isn't published, or
 * its author blocked them.
 */
export function replyRefusal(
  workRefusal: Refusal | null,
  comment: { user_id: number | null; status: CommentStatus; frozen: number },
  blocks: Blocks,
): Refusal | null {
  if (workRefusal) return workRefusal;
  if (comment.frozen) return { status: 403, reason: "frozen", message: FROZEN };
  if (comment.status !== "published")
    return { status: 403, reason: "unpublished", message: UNPUBLISHED };
  if (comment.user_id !== null && blocks.byCommenters.has(comment.user_id))
    return { status: 403, reason: "blocked", message: BLOCKED_BY_COMMENTER };
  return null;
}

/**
 * Why `user` can't edit `comment`, or null if they can: only its author edits it, and not once
 * a creator of the work blocked them, nor a reply to someone who blocked them (otwarchive's
 * can_edit_comment?). `parentUserId` is the author of the comment it answers, if any.
 */
export function editRefusal(
  user: ViewerUser | null,
  comment: { user_id: number | null; parentUserId: number | null },
  blocks: Blocks,
): Refusal | null {
  if (!user || comment.user_id !== user.id)
    return { status: 403, reason: "not-yours", message: NOT_YOURS };
  if (blocks.byCreator) return { status: 403, reason: "blocked", message: BLOCKED_EDIT };
  if (comment.parentUserId !== null && blocks.byCommenters.has(comment.parentUserId))
    return { status: 403, reason: "blocked", message: BLOCKED_EDIT_REPLY };
  return null;
}
