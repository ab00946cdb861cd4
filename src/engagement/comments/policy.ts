/** Who may comment on a work, and who may do what to a comment. */
import type { CommentPolicy } from "../../core/db/schema.ts";
import { definePolicy } from "../../core/policy.ts";
import type { ViewerUser } from "../../core/viewer.ts";

export interface CommentSubject {
  /** The account that wrote it; null for a guest's comment. */
  commenterUserId: number | null;
  creatorUserIds: readonly number[];
}

/**
 * The commenter edits their own words; they or the work's creators may delete them; only
 * creators moderate (approve, hide, freeze).
 */
export const commentPolicy = definePolicy<CommentSubject, "edit" | "delete" | "moderate">({
  edit: (user, c) => c.commenterUserId === user.id,
  delete: (user, c) => c.commenterUserId === user.id || c.creatorUserIds.includes(user.id),
  moderate: (user, c) => c.creatorUserIds.includes(user.id),
});

export interface Refusal {
  status: 401 | 403;
  reason: "off" | "log-in" | "blocked";
  message: string;
}

export const COMMENTS_OFF = "Sorry, this work doesn't allow comments.";
export const BLOCKED =
  "Sorry, you have been blocked by one of this work's creators: you can't comment on it.";
export const REGISTERED_ONLY =
  "This work only takes comments from registered users: please log in to comment.";

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
