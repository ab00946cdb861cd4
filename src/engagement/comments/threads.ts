/**
 * Threads as one reader sees them, from the comments' shapes alone (no text, no SQL).
 *
 * A reader sees the text of a comment when it is live (not deleted), published (creators also
 * see pending and hidden ones, marked) and not by a user they muted. A comment whose text they
 * don't see still shows as a placeholder when some reply under it is shown, so threads keep
 * their shape; otherwise it is left out. Muting hides the muted user's own comments only: the
 * replies others wrote under them stay, under a placeholder (the counts do the same).
 */
import type { CommentNode } from "./queries.ts";

/** Levels of replies shown on one page; deeper ones are behind "Continue this thread". */
export const LEVELS_SHOWN = 5;

export interface Reader {
  creator: boolean;
  mutedUserIds: ReadonlySet<number>;
  /** The reader's account: a comment hidden by a moderator shows to its writer. */
  userId?: number | null;
  /** Moderators see comments hidden by a moderator, marked. */
  moderator?: boolean;
}

export type Placeholder = "deleted" | "hidden" | "pending" | "muted" | "moderated";

/** Hidden by a moderator, and this reader neither wrote it nor moderates. */
const moderatedAway = (node: CommentNode, reader: Reader) =>
  node.hidden_reason !== null &&
  !reader.moderator &&
  (node.user_id === null || node.user_id !== reader.userId);

export interface ShownComment {
  node: CommentNode;
  /** Why the text is not shown; undefined when it is. */
  placeholder: Placeholder | undefined;
  replies: ShownComment[];
  /** Replies exist below the last level shown: link to the comment's own page. */
  folded: boolean;
}

export function textShown(node: CommentNode, reader: Reader): boolean {
  if (node.deleted) return false;
  if (node.user_id !== null && reader.mutedUserIds.has(node.user_id)) return false;
  if (moderatedAway(node, reader)) return false;
  return node.status === "published" || reader.creator;
}

function placeholderFor(node: CommentNode, reader: Reader): Placeholder | undefined {
  if (textShown(node, reader)) return undefined;
  if (node.deleted) return "deleted";
  if (node.user_id !== null && reader.mutedUserIds.has(node.user_id)) return "muted";
  if (moderatedAway(node, reader)) return "moderated";
  return node.status === "pending" ? "pending" : "hidden";
}

/**
 * Builds the trees under `rootIds` from `nodes` (every comment of their threads), keeping what
 * `reader` sees, `LEVELS_SHOWN` levels deep. Roots nobody would see anything of are dropped.
 */
export function shownThreads(
  nodes: readonly CommentNode[],
  rootIds: readonly number[],
  reader: Reader,
): ShownComment[] {
  const repliesTo = new Map<number, CommentNode[]>();
  const byId = new Map<number, CommentNode>();
  for (const n of nodes) {
    byId.set(n.id, n);
    if (n.parent_id !== null) {
      const list = repliesTo.get(n.parent_id) ?? [];
      list.push(n);
      repliesTo.set(n.parent_id, list);
    }
  }
  for (const list of repliesTo.values()) list.sort((a, b) => a.id - b.id);

  // Deepest first, so a comment knows whether anything under it is shown before its parent asks.
  const showsSomething = new Set<number>();
  for (const n of [...nodes].sort((a, b) => b.depth - a.depth)) {
    if (showsSomething.has(n.id) || textShown(n, reader)) {
      showsSomething.add(n.id);
      if (n.parent_id !== null) showsSomething.add(n.parent_id);
    }
  }

  const build = (node: CommentNode, level: number): ShownComment => {
    const replies = (repliesTo.get(node.id) ?? []).filter((r) => showsSomething.has(r.id));
    const deeper = level >= LEVELS_SHOWN;
    return {
      node,
      placeholder: placeholderFor(node, reader),
      replies: deeper ? [] : replies.map((r) => build(r, level + 1)),
      folded: deeper && replies.length > 0,
    };
  };
  return rootIds
    .map((id) => byId.get(id))
    .filter((n): n is CommentNode => n !== undefined && showsSomething.has(n.id))
    .map((n) => build(n, 1));
}

/** Ids of the comments whose text appears in `threads` (what needs loading). */
export function idsWithText(threads: readonly ShownComment[]): number[] {
  const out: number[] = [];
  const walk = (c: ShownComment) => {
    if (c.placeholder === undefined) out.push(c.node.id);
    c.replies.forEach(walk);
  };
  threads.forEach(walk);
  return out;
}

/** `rootId` and every reply under it, at any depth. */
export function subtreeIds(nodes: readonly CommentNode[], rootId: number): number[] {
  const repliesTo = new Map<number, number[]>();
  for (const n of nodes) {
    if (n.parent_id === null) continue;
    const list = repliesTo.get(n.parent_id) ?? [];
    list.push(n.id);
    repliesTo.set(n.parent_id, list);
  }
  const out: number[] = [];
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...(repliesTo.get(id) ?? []));
  }
  return out;
}

/**
 * Whether two texts differ by at most `max` single-character edits (insert, delete, replace).
 * Only a band of 2·max+1 cells per row is computed, so long comments cost O(length · max).
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const big = max + 1;
  // Two rows, reused; cells outside a row's band stay `big` (only the cell left of the band
  // can hold a stale value from two rows back, so it is reset each row).
  let prev = new Int32Array(b.length + 1).fill(big);
  let cur = new Int32Array(b.length + 1).fill(big);
  for (let j = 0; j <= Math.min(b.length, max); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    cur[0] = i <= max ? i : big;
    if (from > 1) cur[from - 1] = big;
    let best = cur[0];
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(prev[j - 1]! + cost, prev[j]! + 1, cur[j - 1]! + 1, big);
      cur[j] = value;
      if (value < best) best = value;
    }
    if (best > max) return false;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]! <= max;
}
