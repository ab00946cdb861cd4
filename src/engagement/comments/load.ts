/** Loads what comment pages show, as one reader sees it (see threads.ts for the rules). */
import type { Db } from "../../core/db/index.ts";
import { limits } from "../../core/limits.ts";
import { guestCommentsOpen } from "../../core/settings.ts";
import type { Viewer } from "../../core/viewer.ts";
import { may } from "../../core/permissions.ts";
import type { LoadedWork } from "../../works/load.ts";
import { blockedOnWork } from "../blocking/policy.ts";
import { blockersAmong } from "../blocking/queries.ts";
import type { CommentWork } from "./commands.ts";
import { commentRefusal, type CommentRefusal } from "./policy.ts";
import { presentComment, type CommentView, type PresentContext } from "./present.ts";
import * as q from "./queries.ts";
import { idsWithText, shownThreads, type Reader } from "./threads.ts";

export function commentWork(loaded: LoadedWork): CommentWork {
  return {
    id: loaded.work.id,
    title: loaded.work.title,
    posted: loaded.work.posted === 1,
    commentPolicy: loaded.work.comment_policy,
    moderated: loaded.work.moderated_comments === 1,
    creatorUserIds: [...new Set(loaded.creators.map((c) => c.userId))],
    anonymous: loaded.work.in_anon_collection === 1,
  };
}

export interface ReaderContext {
  reader: Reader;
  seenBy: q.SeenBy;
  refusal: CommentRefusal | null;
  present: PresentContext;
}

/** Who is reading, what they see, and whether (or why not) they may comment. */
export async function readerContext(
  db: Db,
  viewer: Viewer,
  loaded: LoadedWork,
): Promise<ReaderContext> {
  const user = viewer.user;
  const muted = user?.exclusions.userIds ?? [];
  const blocked = await blockedOnWork(db, loaded, user);
  const work = commentWork(loaded);
  const refusal = commentRefusal(
    work,
    user,
    blocked,
    user !== null || (await guestCommentsOpen(db)),
  );
  // Comments hidden by a moderator: their writers and moderators still see them, marked.
  const hidden = { userId: user?.id ?? null, moderator: may(user, "content.moderate") };
  return {
    reader: { creator: loaded.isCreator, mutedUserIds: new Set(muted), ...hidden },
    seenBy: { creator: loaded.isCreator, mutedUserIds: muted, ...hidden },
    refusal,
    present: {
      viewer: user,
      creatorUserIds: work.creatorUserIds,
      anonymous: work.anonymous,
      workRefusal: refusal,
      blocks: { byCreator: blocked, byCommenters: new Set() },
      authorOf: new Map(),
    },
  };
}

/**
 * The reader's context for these comments: who wrote each one (a reply's Edit depends on who it
 * answers) and which of their authors blocked the reader (one query, logged-in readers only).
 */
export async function presentContextFor(
  db: Db,
  rc: ReaderContext,
  nodes: readonly Pick<q.CommentNode, "id" | "user_id">[],
): Promise<PresentContext> {
  const authorOf = new Map(nodes.map((n) => [n.id, n.user_id]));
  const me = rc.present.viewer;
  const byCommenters = me
    ? await blockersAmong(
        db,
        me.id,
        nodes.map((n) => n.user_id),
      )
    : new Set<number>();
  return { ...rc.present, authorOf, blocks: { ...rc.present.blocks, byCommenters } };
}

export interface ThreadsPage {
  /** Published comments in the scope this reader sees. */
  count: number;
  threads: CommentView[];
  page: number;
  pages: number;
}

/** One page of threads (first comments and their replies) in the scope. */
export async function loadThreadsPage(
  db: Db,
  rc: ReaderContext,
  scope: q.Scope,
  page: number,
): Promise<ThreadsPage> {
  const size = limits.commentThreadsPerPage;
  const { published, roots, ids } = await q.threadsPageOf(db, scope, rc.seenBy, {
    offset: (page - 1) * size,
    limit: size,
  });
  const threads = await presentThreads(db, rc, ids);
  return { count: published, threads, page, pages: Math.max(1, Math.ceil(roots / size)) };
}

/** A comment and the replies under it, or undefined when this reader sees nothing of it. */
export async function loadSubtree(
  db: Db,
  rc: ReaderContext,
  comment: { id: number; thread_id: number },
): Promise<CommentView | undefined> {
  const [view] = await presentThreads(db, rc, [comment.id], comment.thread_id);
  return view;
}

async function presentThreads(
  db: Db,
  rc: ReaderContext,
  rootIds: readonly number[],
  threadId?: number,
): Promise<CommentView[]> {
  if (rootIds.length === 0) return [];
  const nodes = await q.threadNodes(db, threadId === undefined ? rootIds : [threadId]);
  const shown = shownThreads(nodes, rootIds, rc.reader);
  const [texts, ctx] = await Promise.all([
    q.commentTexts(db, idsWithText(shown)),
    presentContextFor(db, rc, nodes),
  ]);
  return shown.map((s) => presentComment(s, texts, ctx));
}

/** Where a scope's comments are read: the chapter page, the work page, or the entire work. */
export function scopeUrl(workId: number, chapterId: number | null, postedChapters: number) {
  if (postedChapters <= 1) return `/works/${workId}`;
  return chapterId === null
    ? `/works/${workId}?view_full_work=true`
    : `/works/${workId}/chapters/${chapterId}`;
}

/** What a page lists: a chapter's comments, or all of them (entire work, one-chapter works). */
export function scopeOf(workId: number, chapterId: number | null, postedChapters: number) {
  return { workId, chapterId: postedChapters <= 1 ? null : chapterId };
}

/** The address showing thread `rootId` (the page of the scope it falls on). */
export async function threadUrl(
  db: Db,
  rc: ReaderContext,
  loaded: LoadedWork,
  root: { id: number; chapter_id: number | null },
): Promise<string> {
  const posted = loaded.work.chapter_count;
  const scope = scopeOf(loaded.work.id, root.chapter_id, posted);
  const before = await q.countRoots(db, scope, rc.seenBy, root.id);
  const page = Math.max(1, Math.ceil(before / limits.commentThreadsPerPage));
  const base = scopeUrl(loaded.work.id, root.chapter_id, posted);
  const withPage = page > 1 ? `${base}${base.includes("?") ? "&" : "?"}page=${page}` : base;
  return `${withPage}#comment_${root.id}`;
}
