/** Inbox rows as the inbox shows them: a comment's own words, and whether it can be answered. */
import type { CommentStatus, NotificationKind } from "../../core/db/schema.ts";
import { htmlExcerpt } from "../../core/text/excerpt.ts";

/** Long enough for most comments whole; longer ones end in "…" with the notice's link to all. */
export const COMMENT_EXCERPT = 400;

export interface InboxRow {
  id: number;
  kind: NotificationKind;
  text: string;
  url: string;
  read_at: number | null;
  created_at: number;
  comment_id: number | null;
  comment_html: string | null;
  comment_status: CommentStatus | null;
  comment_deleted: number | null;
  comment_frozen: number | null;
  comment_user_id: number | null;
}

export interface InboxComment {
  /** The comment as plain text, shortened at a word (never a cut tag); null when not shown. */
  text: string | null;
  /** Why the text is not shown. */
  note: string | null;
  /** The reply form on the work (it works without script); null when replies are closed. */
  replyUrl: string | null;
}

export interface InboxItem {
  id: number;
  kind: NotificationKind;
  text: string;
  url: string;
  read_at: number | null;
  created_at: number;
  comment: InboxComment | null;
}

function presentComment(row: InboxRow, muted: ReadonlySet<number>): InboxComment | null {
  if (row.comment_id === null || (row.kind !== "comment" && row.kind !== "reply")) return null;
  if (row.comment_html === null || row.comment_deleted)
    return { text: null, note: "This comment has been deleted.", replyUrl: null };
  if (row.comment_user_id !== null && muted.has(row.comment_user_id))
    return { text: null, note: "You muted the user who wrote this comment.", replyUrl: null };
  if (row.comment_status === "hidden")
    return { text: null, note: "This comment has been hidden.", replyUrl: null };
  if (row.comment_status === "pending")
    return { text: null, note: "This comment is waiting for approval.", replyUrl: null };
  return {
    text: htmlExcerpt(row.comment_html, COMMENT_EXCERPT, { paragraphs: true }),
    note: null,
    replyUrl: row.comment_frozen ? null : `/comments/${row.comment_id}/reply`,
  };
}

/** `muted`: the reader's muted users, whose words the inbox leaves out as every page does. */
export function presentInbox(rows: readonly InboxRow[], muted: readonly number[]): InboxItem[] {
  const mutedSet = new Set(muted);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    text: row.text,
    url: row.url,
    read_at: row.read_at,
    created_at: row.created_at,
    comment: presentComment(row, mutedSet),
  }));
}
