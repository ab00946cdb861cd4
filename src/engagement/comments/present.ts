/** Comments as pages show them: bylines, dates, text and what this reader may do with each. */
import type { CommentStatus } from "../../core/db/schema.ts";
import { EMPTY_HTML, type SanitizedHtml } from "../../core/text/sanitize.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import {
  commentPolicy,
  editRefusal,
  replyRefusal,
  type Blocks,
  type CommentRefusal,
} from "./policy.ts";
import type { CommentText } from "./queries.ts";
import type { Placeholder, ShownComment } from "./threads.ts";

export interface Byline {
  name: string;
  /** The pseud's page; null for a guest. */
  url: string | null;
  guest: boolean;
}

export interface CommentActions {
  reply: boolean;
  edit: boolean;
  delete: boolean;
  /** Approve, hide / unhide, freeze / unfreeze (creators). */
  moderate: boolean;
}

export interface CommentView {
  id: number;
  placeholder: Placeholder | undefined;
  byline: Byline;
  createdAt: number;
  editedAt: number | null;
  bodyHtml: SanitizedHtml;
  status: CommentStatus;
  frozen: boolean;
  /** Hidden by a moderator, with this reason (shown to its writer and moderators only). */
  hiddenReason: string | null;
  can: CommentActions;
  replies: CommentView[];
  folded: boolean;
}

export interface PresentContext {
  viewer: ViewerUser | null;
  creatorUserIds: readonly number[];
  /** The work is in an anonymous collection: its creators' comments are signed ANONYMOUS_CREATOR. */
  anonymous: boolean;
  /** Why the reader may not comment on this work at all (policy, log-in, blocked); null if they may. */
  workRefusal: CommentRefusal | null;
  blocks: Blocks;
  /** The author of each comment in these threads, by id (a reply's Edit depends on its parent's). */
  authorOf: ReadonlyMap<number, number | null>;
}

/**
 * How a creator signs comments on their own work while it is anonymous (issue 15). AO3 shows
 * the commenter's pseud there, which names the creator of an anonymous gift to everyone who
 * reads its comments; here the creator stays unfindable until the reveal, and the comment
 * still reads as the creator's answer.
 */
export const ANONYMOUS_CREATOR: Byline = { name: "Anonymous Creator", url: null, guest: false };

/** Whether this commenter signs as ANONYMOUS_CREATOR on this work. */
export const signsAnonymously = (
  work: { anonymous: boolean; creatorUserIds: readonly number[] },
  commenterUserId: number | null,
) => work.anonymous && commenterUserId !== null && work.creatorUserIds.includes(commenterUserId);

export function bylineOf(
  t: Pick<CommentText, "guest_name" | "pseud_name" | "login" | "author_deleted_at">,
): Byline {
  if (t.author_deleted_at != null) return { name: "(deleted account)", url: null, guest: false };
  if (t.login !== null && t.pseud_name !== null) {
    const base = `/users/${t.login}`;
    const own = t.pseud_name === t.login;
    return {
      name: own ? t.login : `${t.pseud_name} (${t.login})`,
      url: own ? base : `${base}/pseuds/${encodeURIComponent(t.pseud_name)}`,
      guest: false,
    };
  }
  return { name: t.guest_name ?? "Anonymous", url: null, guest: true };
}

const NO_TEXT: CommentText = {
  id: 0,
  body_html: EMPTY_HTML,
  created_at: 0,
  edited_at: null,
  guest_name: null,
  pseud_name: null,
  login: null,
};

export function presentComment(
  shown: ShownComment,
  texts: ReadonlyMap<number, CommentText>,
  ctx: PresentContext,
): CommentView {
  const { node, placeholder } = shown;
  const t = placeholder === undefined ? (texts.get(node.id) ?? NO_TEXT) : NO_TEXT;
  const live = placeholder === undefined && !node.deleted;
  const subject = { commenterUserId: node.user_id, creatorUserIds: ctx.creatorUserIds };
  const parentUserId = node.parent_id === null ? null : (ctx.authorOf.get(node.parent_id) ?? null);
  return {
    id: node.id,
    placeholder,
    byline: signsAnonymously(ctx, node.user_id) ? ANONYMOUS_CREATOR : bylineOf(t),
    createdAt: t.created_at,
    editedAt: t.edited_at,
    bodyHtml: t.body_html,
    status: node.status,
    frozen: node.frozen === 1,
    hiddenReason: node.hidden_reason,
    // The same policy functions as the commands, so no link leads to a refusal.
    can: {
      reply: live && replyRefusal(ctx.workRefusal, node, ctx.blocks) === null,
      edit: live && editRefusal(ctx.viewer, { ...node, parentUserId }, ctx.blocks) === null,
      delete: live && commentPolicy.can(ctx.viewer, "delete", subject),
      moderate: live && commentPolicy.can(ctx.viewer, "moderate", subject),
    },
    replies: shown.replies.map((r) => presentComment(r, texts, ctx)),
    folded: shown.folded,
  };
}
