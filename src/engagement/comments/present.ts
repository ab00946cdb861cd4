/** Comments as pages show them: bylines, dates, text and what this reader may do with each. */
import type { CommentStatus } from "../../core/db/schema.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
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
  can: CommentActions;
  replies: CommentView[];
  folded: boolean;
}

export interface PresentContext {
  viewerUserId: number | null;
  creator: boolean;
  /** The reader may comment on this work at all (policy, log-in, not blocked). */
  mayComment: boolean;
}

export function bylineOf(t: Pick<CommentText, "guest_name" | "pseud_name" | "login">): Byline {
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
  body_html: "",
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
  const own = ctx.viewerUserId !== null && node.user_id === ctx.viewerUserId;
  return {
    id: node.id,
    placeholder,
    byline: bylineOf(t),
    createdAt: t.created_at,
    editedAt: t.edited_at,
    bodyHtml: t.body_html as SanitizedHtml,
    status: node.status,
    frozen: node.frozen === 1,
    can: {
      reply: live && ctx.mayComment && node.status === "published" && node.frozen === 0,
      edit: live && own,
      delete: live && (own || ctx.creator),
      moderate: live && ctx.creator,
    },
    replies: shown.replies.map((r) => presentComment(r, texts, ctx)),
    folded: shown.folded,
  };
}
