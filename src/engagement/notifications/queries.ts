/** The inbox: notifications, their read state, and each reader's email preferences. */
import { sql } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import type { NotificationKind } from "../../core/db/schema.ts";

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  workId?: number | null;
  chapterId?: number | null;
  commentId?: number | null;
  actorUserId?: number | null;
  text: string;
  url: string;
  /** Batched notifications (the kudos digest): how many events this one stands for. */
  count?: number;
  /** The UTC day a digest covers: a second digest of that day for the user and work is skipped. */
  digestDay?: number;
}

/** The row for `n`, its text and address cut to the columns' sizes. */
function notificationRow(n: NewNotification, now: number) {
  return {
    user_id: n.userId,
    kind: n.kind,
    work_id: n.workId ?? null,
    chapter_id: n.chapterId ?? null,
    comment_id: n.commentId ?? null,
    actor_user_id: n.actorUserId ?? null,
    text: n.text.slice(0, 1000),
    url: n.url.slice(0, 500),
    count: n.count ?? 1,
    digest_day: n.digestDay ?? null,
    read_at: null,
    created_at: now,
  };
}

/** The new row's id, or undefined when a digest of that day exists already. */
export async function insertNotification(
  db: Queryable,
  n: NewNotification,
  now: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto("notifications")
    .values(notificationRow(n, now))
    .onConflict((oc) => oc.columns(["digest_day", "user_id", "work_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

/** Rows per multi-row insert: 12 values each, well inside both engines' parameter limits. */
const INSERT_BATCH = 500;

/** One notification to each of many users (a fan-out), in a few multi-row statements. */
export async function insertNotificationsFor(
  db: Queryable,
  userIds: readonly number[],
  n: Omit<NewNotification, "userId" | "count" | "digestDay">,
  now: number,
): Promise<{ id: number; userId: number }[]> {
  const out: { id: number; userId: number }[] = [];
  for (let i = 0; i < userIds.length; i += INSERT_BATCH) {
    const rows = await db
      .insertInto("notifications")
      .values(
        userIds.slice(i, i + INSERT_BATCH).map((userId) => notificationRow({ ...n, userId }, now)),
      )
      .returning(["id", "user_id"])
      .execute();
    out.push(...rows.map((r) => ({ id: Number(r.id), userId: r.user_id })));
  }
  return out;
}

/** Of `userIds`, those who turned email off for `kind`. */
export async function emailOffAmong(
  db: Queryable,
  userIds: readonly number[],
  kind: NotificationKind,
): Promise<Set<number>> {
  const off = new Set<number>();
  for (let i = 0; i < userIds.length; i += INSERT_BATCH) {
    const rows = await db
      .selectFrom("notification_preferences")
      .select("user_id")
      .where("kind", "=", kind)
      .where("email", "=", 0)
      .where("user_id", "in", userIds.slice(i, i + INSERT_BATCH))
      .execute();
    for (const r of rows) off.add(r.user_id);
  }
  return off;
}

/** Kinds the user turned email off for (email is on unless they did). */
export async function emailOffKinds(db: Queryable, userId: number): Promise<NotificationKind[]> {
  const rows = await db
    .selectFrom("notification_preferences")
    .select("kind")
    .where("user_id", "=", userId)
    .where("email", "=", 0)
    .execute();
  return rows.map((r) => r.kind);
}

export async function wantsEmail(
  db: Queryable,
  userId: number,
  kind: NotificationKind,
): Promise<boolean> {
  const row = await db
    .selectFrom("notification_preferences")
    .select("email")
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return row === undefined || row.email === 1;
}

/** Stores only what differs from the default (email on). */
export async function setEmailPreference(
  db: Queryable,
  userId: number,
  kind: NotificationKind,
  email: boolean,
): Promise<void> {
  if (email) {
    await db
      .deleteFrom("notification_preferences")
      .where("user_id", "=", userId)
      .where("kind", "=", kind)
      .execute();
    return;
  }
  await db
    .insertInto("notification_preferences")
    .values({ user_id: userId, kind, email: 0 })
    .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ email: 0 }))
    .execute();
}

// Read on every logged-in request (the header's inbox count): built once.
const unreadCount = prepared((db, p: Params<{ userId: number }>) =>
  db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("user_id", "=", p("userId"))
    .where("read_at", "is", null),
);

export async function countUnread(db: Queryable, userId: number): Promise<number> {
  const row = await unreadCount.executeTakeFirst(db, { userId });
  return Number(row?.n ?? 0);
}

export async function countInbox(
  db: Queryable,
  userId: number,
  unreadOnly: boolean,
): Promise<number> {
  if (unreadOnly) return countUnread(db, userId);
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * One page of the inbox, newest first: by when each event happened, not by row id (a digest
 * or an imported comment can be written after later events), ties by id. Comment and reply
 * notices carry the comment they announce (its HTML, and whether it can still be shown and
 * answered); the comment's row is gone once it is deleted for good.
 */
export function inboxPage(
  db: Queryable,
  userId: number,
  opts: { unreadOnly: boolean; offset: number; limit: number },
) {
  let query = db
    .selectFrom("notifications as n")
    .leftJoin("comments as c", "c.id", "n.comment_id")
    .select([
      "n.id",
      "n.kind",
      "n.text",
      "n.url",
      "n.count",
      "n.read_at",
      "n.created_at",
      "n.comment_id",
      "c.body_html as comment_html",
      "c.status as comment_status",
      "c.deleted as comment_deleted",
      "c.frozen as comment_frozen",
      "c.user_id as comment_user_id",
    ])
    .where("n.user_id", "=", userId);
  if (opts.unreadOnly) query = query.where("n.read_at", "is", null);
  return query
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

/** Marks one of the user's notifications read; false if it is not theirs (or gone). */
export async function markRead(
  db: Queryable,
  userId: number,
  id: number,
  now: number,
): Promise<boolean> {
  const mine = await db
    .selectFrom("notifications")
    .select("id")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!mine) return false;
  await db
    .updateTable("notifications")
    .set({ read_at: now })
    .where("id", "=", id)
    .where("read_at", "is", null)
    .execute();
  return true;
}

/** Marks one of the user's notifications unread again; false if it is not theirs (or gone). */
export async function markUnread(db: Queryable, userId: number, id: number): Promise<boolean> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: null })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markAllRead(db: Queryable, userId: number, now: number): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: now })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteNotification(
  db: Queryable,
  userId: number,
  id: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom("notifications")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * What an email needs: the notification, its recipient, and whether they still want email of
 * its kind (`email_off`), in one statement (one runs per email sent).
 */
export function notificationForEmail(db: Queryable, id: number) {
  return db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .leftJoin("notification_preferences as p", (join) =>
      join
        .onRef("p.user_id", "=", "notifications.user_id")
        .onRef("p.kind", "=", "notifications.kind")
        .on("p.email", "=", 0),
    )
    .select([
      "notifications.id",
      "notifications.user_id",
      "notifications.kind",
      "notifications.text",
      "notifications.url",
      "users.email",
      "users.login",
      "p.email as email_off",
    ])
    .where("notifications.id", "=", id)
    .executeTakeFirst();
}

/** Users already told about this event (jobs can run twice; nobody is told twice). */
export async function alreadyNotified(
  db: Queryable,
  kind: NotificationKind,
  target: { workId: number } | { chapterId: number },
  userIds: readonly number[],
): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  let query = db
    .selectFrom("notifications")
    .select("user_id")
    .where("kind", "=", kind)
    .where("user_id", "in", userIds);
  query =
    "chapterId" in target
      ? query.where("chapter_id", "=", target.chapterId)
      : query.where("work_id", "=", target.workId);
  return new Set((await query.execute()).map((r) => r.user_id));
}

// ── The daily kudos digest ────────────────────────────────────────────────────────────────

/** The last UTC day a kudos digest covered (null before the first). */
export async function lastDigestDay(db: Queryable): Promise<number | null> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.max("digest_day").as("day"))
    .where("digest_day", "is not", null)
    .executeTakeFirst();
  return row?.day === null || row?.day === undefined ? null : Number(row.day);
}

/** Kudos per work left in [from, to), with each work's title. */
export async function kudosPerWork(db: Queryable, from: number, to: number) {
  const rows = await db
    .selectFrom("kudos")
    .innerJoin("works", "works.id", "kudos.work_id")
    .select(["kudos.work_id as workId", "works.title as title"])
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("kudos.created_at", ">=", from)
    .where("kudos.created_at", "<", to)
    .groupBy(["kudos.work_id", "works.title"])
    .orderBy("kudos.work_id")
    .execute();
  return rows.map((r) => ({ workId: r.workId, title: r.title, count: Number(r.n) }));
}

/**
 * Kudos in [from, to) left by users a creator of the work muted: the digest leaves them out of
 * that creator's count (muted users disappear from the reader's views, counts included).
 */
export async function mutedKudosPerCreator(
  db: Queryable,
  workIds: readonly number[],
  from: number,
  to: number,
) {
  if (workIds.length === 0) return [];
  const rows = await db
    .selectFrom("kudos")
    .innerJoin("creatorships", "creatorships.work_id", "kudos.work_id")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("muted_users", (join) =>
      join
        .onRef("muted_users.user_id", "=", "pseuds.user_id")
        .onRef("muted_users.muted_user_id", "=", "kudos.user_id"),
    )
    .select(["kudos.work_id as workId", "pseuds.user_id as userId"])
    // A creator credited under two pseuds must not count a kudos twice.
    .select(sql<number | string>`count(distinct kudos.id)`.as("n"))
    .where("kudos.work_id", "in", workIds)
    .where("kudos.created_at", ">=", from)
    .where("kudos.created_at", "<", to)
    .groupBy(["kudos.work_id", "pseuds.user_id"])
    .execute();
  return rows.map((r) => ({ workId: r.workId, userId: r.userId, count: Number(r.n) }));
}
