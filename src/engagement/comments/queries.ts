/**
 * Every SQL statement about comments. A guest's email is written here and never read back:
 * no select below names `guest_email`.
 */
import { PostgresAdapter, type ExpressionBuilder, type Insertable } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import type { CommentsTable, CommentStatus, Database } from "../../core/db/schema.ts";
import { EMPTY_HTML, type SanitizedHtml } from "../../core/text/sanitize.ts";

/** Which comments a page lists: a chapter's, or (chapterId null) every comment of the work. */
export interface Scope {
  workId: number;
  chapterId: number | null;
}

/**
 * What decides who sees a comment: whether they created the work, whom they muted, and, for
 * comments hidden by a moderator (`hidden_reason`), whether they wrote it or moderate.
 */
export interface SeenBy {
  creator: boolean;
  mutedUserIds: readonly number[];
  /** The reader's account (a hidden comment shows to its writer); null for guests. */
  userId?: number | null;
  /** Moderators see hidden comments. */
  moderator?: boolean;
}

/**
 * A row lock, taken on PostgreSQL only: SQLite runs one write transaction at a time and has no
 * FOR clause.
 */
export type RowLock = "update" | "share";

const NODE_COLUMNS = [
  "comments.id",
  "comments.work_id",
  "comments.chapter_id",
  "comments.parent_id",
  "comments.thread_id",
  "comments.depth",
  "comments.user_id",
  "comments.pseud_id",
  "comments.status",
  "comments.deleted",
  "comments.frozen",
  "comments.hidden_reason",
] as const;

/** The shape of a comment without its text: enough to build and check threads. */
export interface CommentNode {
  id: number;
  work_id: number;
  chapter_id: number | null;
  parent_id: number | null;
  thread_id: number;
  depth: number;
  user_id: number | null;
  pseud_id: number | null;
  status: CommentStatus;
  deleted: number;
  frozen: number;
  /** Hidden by a moderator (null: not hidden): only its writer and moderators see it. */
  hidden_reason: string | null;
}

export async function findComment(
  db: Queryable,
  id: number,
  lock?: RowLock,
): Promise<(CommentNode & { body_html: string; guest_name: string | null }) | undefined> {
  let query = db
    .selectFrom("comments")
    .select([...NODE_COLUMNS, "comments.body_html", "comments.guest_name"])
    .where("comments.id", "=", id);
  if (lock && db.getExecutor().adapter instanceof PostgresAdapter)
    query = lock === "update" ? query.forUpdate() : query.forShare();
  return query.executeTakeFirst();
}

export async function insertComment(
  db: Queryable,
  row: Insertable<CommentsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto("comments")
    .values(row)
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A first comment is its own thread; its id is only known once inserted. */
export async function startThread(db: Queryable, id: number) {
  await db.updateTable("comments").set({ thread_id: id }).where("id", "=", id).execute();
}

/** Moves a live comment from one status to another; 0 if it was not in `from` (a race lost). */
export async function changeStatus(
  db: Queryable,
  id: number,
  from: CommentStatus,
  to: CommentStatus,
): Promise<number> {
  const result = await db
    .updateTable("comments")
    .set({ status: to })
    .where("id", "=", id)
    .where("status", "=", from)
    .where("deleted", "=", 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function updateBody(
  db: Queryable,
  id: number,
  changes: {
    body_html: SanitizedHtml;
    sanitizer_version: number;
    edited_at: number;
    status?: CommentStatus;
  },
) {
  await db.updateTable("comments").set(changes).where("id", "=", id).execute();
}

export async function hasReplies(db: Queryable, id: number): Promise<boolean> {
  const row = await db
    .selectFrom("comments")
    .select("id")
    .where("parent_id", "=", id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Keeps the row as a placeholder (its replies hang from it) and forgets what it said and who. */
export async function markDeleted(db: Queryable, id: number) {
  await db
    .updateTable("comments")
    .set({
      deleted: 1,
      body_html: EMPTY_HTML,
      guest_name: null,
      guest_email: null,
      user_id: null,
      pseud_id: null,
    })
    .where("id", "=", id)
    .execute();
}

export async function deleteComment(db: Queryable, id: number) {
  await db.deleteFrom("comments").where("id", "=", id).execute();
}

export async function setFrozen(db: Queryable, ids: readonly number[], frozen: 0 | 1) {
  for (const chunk of chunks(ids)) {
    await db.updateTable("comments").set({ frozen }).where("id", "in", chunk).execute();
  }
}

/** The shape of whole threads (no text), oldest first. */
export async function threadNodes(
  db: Queryable,
  threadIds: readonly number[],
): Promise<CommentNode[]> {
  const out: CommentNode[] = [];
  for (const chunk of chunks(threadIds)) {
    out.push(
      ...(await db
        .selectFrom("comments")
        .select(NODE_COLUMNS)
        .where("thread_id", "in", chunk)
        .orderBy("id")
        .execute()),
    );
  }
  return out;
}

export interface CommentText {
  id: number;
  body_html: SanitizedHtml;
  created_at: number;
  edited_at: number | null;
  guest_name: string | null;
  pseud_name: string | null;
  login: string | null;
  /** The author closed their account: shown as "(deleted account)", not as a guest. */
  author_deleted_at?: number | null;
}

/** What is shown of each comment: text, dates and byline (never the guest's email). */
export async function commentTexts(
  db: Queryable,
  ids: readonly number[],
): Promise<Map<number, CommentText>> {
  const out = new Map<number, CommentText>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom("comments")
      .leftJoin("pseuds", "pseuds.id", "comments.pseud_id")
      .leftJoin("users", "users.id", "comments.user_id")
      .select([
        "comments.id",
        "comments.body_html",
        "comments.created_at",
        "comments.edited_at",
        "comments.guest_name",
        "comments.author_deleted_at",
        "pseuds.name as pseud_name",
        "users.login as login",
      ])
      .where("comments.id", "in", chunk)
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/**
 * First comments of the scope that this reader sees something of: the comment itself, or a
 * reply under it (the first comment then shows as a placeholder). A reader sees the text of
 * live comments, published ones unless they created the work, and none by users they muted.
 */
function listedRoots(scope: Scope, seenBy: SeenBy) {
  const muted = seenBy.mutedUserIds;
  return (eb: ExpressionBuilder<Database, "comments">) => {
    const conditions = [
      eb("comments.work_id", "=", scope.workId),
      eb("comments.parent_id", "is", null),
    ];
    if (scope.chapterId !== null) conditions.push(eb("comments.chapter_id", "=", scope.chapterId));
    const shown = eb
      .selectFrom("comments as r")
      .select("r.id")
      .whereRef("r.thread_id", "=", "comments.id")
      .where((r) => {
        const c = [r("r.deleted", "=", 0)];
        if (!seenBy.creator) c.push(r("r.status", "=", "published"));
        if (muted.length > 0)
          c.push(r.or([r("r.user_id", "is", null), r("r.user_id", "not in", muted)]));
        if (!seenBy.moderator) {
          const own = seenBy.userId ?? null;
          c.push(
            own === null
              ? r("r.hidden_reason", "is", null)
              : r.or([r("r.hidden_reason", "is", null), r("r.user_id", "=", own)]),
          );
        }
        return r.and(c);
      });
    conditions.push(eb.exists(shown));
    return eb.and(conditions);
  };
}

/** Threads listed in the scope; with `upToId`, those up to that one (to find its page). */
export async function countRoots(
  db: Queryable,
  scope: Scope,
  seenBy: SeenBy,
  upToId?: number,
): Promise<number> {
  let query = db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where(listedRoots(scope, seenBy));
  if (upToId !== undefined) query = query.where("comments.id", "<=", upToId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

function threadsPageQuery(
  db: Queryable,
  scope: Scope,
  seenBy: SeenBy,
  page: { offset: number; limit: number },
) {
  const muted = seenBy.mutedUserIds;
  let published = db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("work_id", "=", scope.workId)
    .where("status", "=", "published")
    .where("deleted", "=", 0)
    .where("hidden_reason", "is", null);
  if (scope.chapterId !== null) published = published.where("chapter_id", "=", scope.chapterId);
  if (muted.length > 0)
    published = published.where((eb) =>
      eb.or([eb("user_id", "is", null), eb("user_id", "not in", muted)]),
    );
  const roots = db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where(listedRoots(scope, seenBy));
  const ids = db
    .selectFrom("comments")
    .select("comments.id")
    .where(listedRoots(scope, seenBy))
    .orderBy("comments.id")
    .limit(page.limit)
    .offset(page.offset);
  return db
    .selectFrom([published.as("p"), roots.as("t")])
    .leftJoin(ids.as("page"), (join) => join.onTrue())
    .select(["p.n as published", "t.n as roots", "page.id"])
    .orderBy("page.id");
}

type ThreadsPageParams = {
  workId: number;
  chapterId: number;
  userId: number;
  offset: number;
  limit: number;
};

/**
 * Readers who muted nobody: one query built once per kind of reader and scope (the query's
 * shape depends on those, never on the values; core/db/prepared.ts).
 */
const threadsPages = new Map<string, ReturnType<typeof prepareThreadsPage>>();

function prepareThreadsPage(chapter: boolean, seenBy: Omit<SeenBy, "mutedUserIds">) {
  return prepared((db, p: Params<ThreadsPageParams>) =>
    threadsPageQuery(
      db,
      { workId: p("workId"), chapterId: chapter ? p("chapterId") : null },
      {
        creator: seenBy.creator,
        moderator: seenBy.moderator ?? false,
        // Only a non-moderator's own account changes what shows (their hidden comments).
        userId: seenBy.userId == null || seenBy.moderator ? null : p("userId"),
        mutedUserIds: [],
      },
      { offset: p("offset"), limit: p("limit") },
    ),
  );
}

function preparedThreadsPage(scope: Scope, seenBy: SeenBy) {
  const chapter = scope.chapterId !== null;
  const user = seenBy.userId != null;
  const key = `${chapter}:${seenBy.creator}:${seenBy.moderator ?? false}:${user}`;
  let query = threadsPages.get(key);
  if (!query) {
    query = prepareThreadsPage(chapter, { ...seenBy, userId: user ? 0 : null });
    threadsPages.set(key, query);
  }
  return query;
}

/**
 * What a page of threads needs, in one statement: the "Comments (N)" count (published comments
 * in the scope, less those by muted users and those hidden by a moderator), the number of
 * threads listed (for the pages), and the first comments of the threads on this page. The two
 * counts make one row, joined to each id (one row with no id when the page has none).
 */
export async function threadsPageOf(
  db: Queryable,
  scope: Scope,
  seenBy: SeenBy,
  page: { offset: number; limit: number },
): Promise<{ published: number; roots: number; ids: number[] }> {
  const rows =
    seenBy.mutedUserIds.length === 0
      ? await preparedThreadsPage(scope, seenBy).execute(db, {
          workId: scope.workId,
          chapterId: scope.chapterId ?? 0,
          userId: seenBy.userId ?? 0,
          offset: page.offset,
          limit: page.limit,
        })
      : await threadsPageQuery(db, scope, seenBy, page).execute();
  return {
    published: Number(rows[0]?.published ?? 0),
    roots: Number(rows[0]?.roots ?? 0),
    ids: rows.flatMap((r) => (r.id === null ? [] : [r.id])),
  };
}

/** Comments of a work waiting for a creator's approval, oldest first. */
export async function pendingNodes(
  db: Queryable,
  workId: number,
  page: { offset: number; limit: number },
): Promise<CommentNode[]> {
  return (
    db
      .selectFrom("comments")
      .select(NODE_COLUMNS)
      .where("work_id", "=", workId)
      .where("status", "=", "pending")
      .where("deleted", "=", 0)
      // Held as possible spam or hidden by a moderator: for the moderators, not the creators.
      .where("hidden_reason", "is", null)
      .orderBy("id")
      .limit(page.limit)
      .offset(page.offset)
      .execute()
  );
}

export async function countPending(db: Queryable, workId: number): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("work_id", "=", workId)
    .where("status", "=", "pending")
    .where("deleted", "=", 0)
    // Held as possible spam or hidden by a moderator: for the moderators, not the creators.
    .where("hidden_reason", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether anyone was told about this comment already (an edit sent back for approval). */
export async function wasAnnounced(db: Queryable, commentId: number): Promise<boolean> {
  const row = await db
    .selectFrom("notifications")
    .select("id")
    .where("comment_id", "=", commentId)
    .where("kind", "in", ["comment", "reply"])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of `userIds`, those who muted `actorId` (they are not told about what the actor wrote). */
export async function whoMuted(
  db: Queryable,
  userIds: readonly number[],
  actorId: number,
): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("muted_users")
    .select("user_id")
    .where("user_id", "in", userIds)
    .where("muted_user_id", "=", actorId)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

export async function pseudName(db: Queryable, pseudId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("pseuds")
    .select("name")
    .where("id", "=", pseudId)
    .executeTakeFirst();
  return row?.name;
}

export async function defaultPseudId(db: Queryable, userId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("pseuds")
    .select("id")
    .where("user_id", "=", userId)
    .orderBy("is_default", "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Bound parameter lists well below both engines' limits. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `pseudId` when it is one of `userId`'s pseuds. */
export async function pseudOfUser(
  db: Queryable,
  pseudId: number,
  userId: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom("pseuds")
    .select("id")
    .where("id", "=", pseudId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.id;
}

// On every logged-in work page (the comment form): built once (core/db/prepared.ts).
const pseudChoicesQuery = prepared((db, p: Params<{ userId: number }>) =>
  db
    .selectFrom("pseuds")
    .select(["id", "name"])
    .where("user_id", "=", p("userId"))
    .orderBy("is_default", "desc")
    .orderBy("name"),
);

/** A user's pseuds, default first: the "Comment as" choices. */
export function pseudChoices(db: Queryable, userId: number) {
  return pseudChoicesQuery.execute(db, { userId });
}
