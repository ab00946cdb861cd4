/**
 * Who may comment on a work, and who may do what to a comment. The commands enforce these
 * rules; pages ask the same functions, so a comment shows Reply or Edit exactly when the
 * command behind it would accept.
 */
import type { CommentPolicy, CommentStatus } from "../../core/db/schema.ts";
import { definePolicy } from "../../core/policy.ts";
import { refuse, type Refusal } from "../../core/result.ts";
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

/** A refusal with its reason: the comments section offers "Log in" for `log-in` (views.tsx). */
export type CommentRefusal = Refusal & {
  reason: "unposted" | "off" | "log-in" | "blocked" | "not-yours" | "frozen" | "unpublished";
};

const refusal = (
  status: 401 | 403,
  reason: CommentRefusal["reason"],
  message: string,
): CommentRefusal => ({ ...refuse(status, message), reason });

/** The blocks that concern one reader on one page. */
export interface Blocks {
  /** A creator of the work blocked the reader (never true on the reader's own work). */
  byCreator: boolean;
  /** Authors of comments on the page (user ids) who blocked the reader. */
  byCommenters: ReadonlySet<number>;
}

export const NO_BLOCKS: Blocks = { byCreator: false, byCommenters: new Set() };

export const UNPOSTED = "Comments open once the work is posted.";
export const COMMENTS_OFF = "Sorry, this work doesn't allow comments.";
export const BLOCKED =
  "Sorry, you have been blocked by one of this work's creators: you can't comment on it.";
export const BLOCKED_EDIT =
  "Sorry, you have been blocked by one of this work's creators: you can't edit your comments on it.";
export const BLOCKED_BY_COMMENTER =
  "Sorry, the author of that comment has blocked you: you can't reply to it.";
export const BLOCKED_EDIT_REPLY =
  "Sorry, the author of the comment you replied to has blocked you: you can't edit your reply.";
export const GUESTS_OFF =
  "Comments from guests are turned off on this archive: please log in to comment.";
export const REGISTERED_ONLY =
  "This work only takes comments from registered users: please log in to comment.";
export const NOT_YOURS = "Only the person who wrote a comment can edit it.";
export const FROZEN = "This thread is frozen: no new replies can be added to it.";
export const UNPUBLISHED = "Only published comments can be replied to.";

/**
 * Why `user` can't comment on a work (new comments and replies alike), or null if they can.
 * A draft takes none, not even from its creators. `guestsOpen`: the site setting (guests may
 * comment where a work allows everyone; core/settings.ts guestCommentsOpen).
 */
export function commentRefusal(
  work: { posted: boolean; commentPolicy: CommentPolicy },
  user: ViewerUser | null,
  blocked: boolean,
  guestsOpen = true,
): CommentRefusal | null {
  if (!work.posted) return refusal(403, "unposted", UNPOSTED);
  if (work.commentPolicy === "off") return refusal(403, "off", COMMENTS_OFF);
  if (!user && !guestsOpen) return refusal(401, "log-in", GUESTS_OFF);
  if (!user && work.commentPolicy !== "everyone") return refusal(401, "log-in", REGISTERED_ONLY);
  if (blocked) return refusal(403, "blocked", BLOCKED);
  return null;
}

/**
 * Why the reader can't reply to `comment`, or null if they can: the work refuses their comments
 * (`workRefusal`, from commentRefusal), the thread is frozen, the comment isn't published, or
 * its author blocked them.
 */
export function replyRefusal(
  workRefusal: CommentRefusal | null,
  comment: { user_id: number | null; status: CommentStatus; frozen: number },
  blocks: Blocks,
): CommentRefusal | null {
  if (workRefusal) return workRefusal;
  if (comment.frozen) return refusal(403, "frozen", FROZEN);
  if (comment.status !== "published") return refusal(403, "unpublished", UNPUBLISHED);
  if (comment.user_id !== null && blocks.byCommenters.has(comment.user_id))
    return refusal(403, "blocked", BLOCKED_BY_COMMENTER);
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
): CommentRefusal | null {
  if (!user || comment.user_id !== user.id) return refusal(403, "not-yours", NOT_YOURS);
  if (blocks.byCreator) return refusal(403, "blocked", BLOCKED_EDIT);
  if (comment.parentUserId !== null && blocks.byCommenters.has(comment.parentUserId))
    return refusal(403, "blocked", BLOCKED_EDIT_REPLY);
  return null;
}
