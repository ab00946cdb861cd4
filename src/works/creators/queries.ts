/**
 * Co-creators' SQL (issue 15): pseuds named in the "Add co-creators" field, who may not be
 * invited, invitations, and the creatorships of works, chapters and series.
 *
 * A chapter with no `chapter_creatorships` rows is by all of its work's creators; rows mean the
 * chapter has creators of its own (AO3 shows them as the chapter's byline).
 *
 * Blocks are read from `blocked_users` here: works/ may not import engagement/, which owns them.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { CreatorTarget } from "../../core/db/schema.ts";
import type { PseudCandidate } from "./names.ts";

export interface Target {
  type: CreatorTarget;
  id: number;
}

/** A credited or invited pseud with its user, as bylines and the field show it. */
export interface PseudRow {
  pseudId: number;
  pseudName: string;
  userId: number;
  login: string;
}

// ── Names ──────────────────────────────────────────────────────────────────────────────────

/** Pseuds a written name may mean: named `key`, or the default pseud of the login `key`. */
export async function pseudCandidates(
  db: Queryable,
  keys: readonly string[],
): Promise<PseudCandidate[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom("pseuds")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select([
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
      "pseuds.name_key as pseudKey",
      "pseuds.is_default as isDefault",
      "users.id as userId",
      "users.login as login",
      "users.login_key as loginKey",
    ])
    .where((eb) =>
      eb.or([
        eb("pseuds.name_key", "in", keys),
        eb.and([eb("users.login_key", "in", keys), eb("pseuds.is_default", "=", 1)]),
      ]),
    )
    .execute();
  return rows.map((r) => ({ ...r, isDefault: r.isDefault === 1 }));
}

/**
 * Of `userIds`, those `inviterId` may not invite: who turned invitations off, who blocked the
 * inviter, whom the inviter blocked, and banned accounts.
 */
export async function uninvitable(
  db: Queryable,
  inviterId: number,
  userIds: readonly number[],
): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const [off, blocks] = await Promise.all([
    db
      .selectFrom("users")
      .select("id")
      .where("id", "in", userIds)
      .where((eb) => eb.or([eb("allow_cocreator", "=", 0), eb("banned_at", "is not", null)]))
      .execute(),
    db
      .selectFrom("blocked_users")
      .select(["user_id", "blocked_user_id"])
      .where((eb) =>
        eb.or([
          eb.and([eb("user_id", "=", inviterId), eb("blocked_user_id", "in", userIds)]),
          eb.and([eb("blocked_user_id", "=", inviterId), eb("user_id", "in", userIds)]),
        ]),
      )
      .execute(),
  ]);
  const out = new Set(off.map((r) => r.id));
  for (const b of blocks) out.add(b.user_id === inviterId ? b.blocked_user_id : b.user_id);
  return out;
}

// ── Creators ───────────────────────────────────────────────────────────────────────────────

const pseudColumns = [
  "pseuds.id as pseudId",
  "pseuds.name as pseudName",
  "users.id as userId",
  "users.login as login",
] as const;

/** A work's creators in byline order. */
export function workCreators(db: Queryable, workId: number): Promise<PseudRow[]> {
  return db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(pseudColumns)
    .where("creatorships.work_id", "=", workId)
    .orderBy("creatorships.position")
    .orderBy("pseuds.id")
    .execute();
}

/** A series' creators in byline order. */
export function seriesCreators(db: Queryable, seriesId: number): Promise<PseudRow[]> {
  return db
    .selectFrom("series_creatorships")
    .innerJoin("pseuds", "pseuds.id", "series_creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(pseudColumns)
    .where("series_creatorships.series_id", "=", seriesId)
    .orderBy("series_creatorships.position")
    .orderBy("pseuds.id")
    .execute();
}

/** The chapters' own creators (only chapters that have rows), in byline order. */
export async function ownChapterCreators(
  db: Queryable,
  chapterIds: readonly number[],
): Promise<Map<number, PseudRow[]>> {
  const out = new Map<number, PseudRow[]>();
  if (chapterIds.length === 0) return out;
  const rows = await db
    .selectFrom("chapter_creatorships")
    .innerJoin("pseuds", "pseuds.id", "chapter_creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(["chapter_creatorships.chapter_id as chapterId", ...pseudColumns])
    .where("chapter_creatorships.chapter_id", "in", chapterIds)
    .orderBy("chapter_creatorships.position")
    .orderBy("pseuds.id")
    .execute();
  for (const { chapterId, ...row } of rows) {
    const list = out.get(chapterId) ?? [];
    list.push(row);
    out.set(chapterId, list);
  }
  return out;
}

/** A chapter's creators: its own, else its work's. */
export async function chapterCreators(
  db: Queryable,
  chapter: { id: number; workId: number },
): Promise<PseudRow[]> {
  const own = (await ownChapterCreators(db, [chapter.id])).get(chapter.id);
  return own ?? workCreators(db, chapter.workId);
}

/** Who is credited on a target now. */
export function creatorsOf(db: Queryable, target: Target, workId?: number): Promise<PseudRow[]> {
  switch (target.type) {
    case "work":
      return workCreators(db, target.id);
    case "series":
      return seriesCreators(db, target.id);
    case "chapter":
      return chapterCreators(db, { id: target.id, workId: workId ?? 0 });
  }
}

/** The chapter ids of a work, in order. */
export async function chapterIdsOf(db: Queryable, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("chapters")
    .select("id")
    .where("work_id", "=", workId)
    .orderBy("position")
    .execute();
  return rows.map((r) => r.id);
}

// ── Crediting ──────────────────────────────────────────────────────────────────────────────

/** Credits the pseud on the work, last in the byline; false when it was already. */
export async function addWorkCreator(db: Queryable, workId: number, pseudId: number) {
  const last = await db
    .selectFrom("creatorships")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("work_id", "=", workId)
    .executeTakeFirst();
  const result = await db
    .insertInto("creatorships")
    .values({ work_id: workId, pseud_id: pseudId, position: Number(last?.p ?? -1) + 1 })
    .onConflict((oc) => oc.columns(["work_id", "pseud_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Credits the pseuds on the chapter, after its own creators (none already there twice). */
export async function addChapterCreators(
  db: Queryable,
  chapterId: number,
  pseudIds: readonly number[],
) {
  if (pseudIds.length === 0) return;
  const last = await db
    .selectFrom("chapter_creatorships")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("chapter_id", "=", chapterId)
    .executeTakeFirst();
  const start = Number(last?.p ?? -1) + 1;
  await db
    .insertInto("chapter_creatorships")
    .values(
      pseudIds.map((pseud_id, i) => ({ chapter_id: chapterId, pseud_id, position: start + i })),
    )
    .onConflict((oc) => oc.columns(["chapter_id", "pseud_id"]).doNothing())
    .execute();
}

export async function addSeriesCreator(db: Queryable, seriesId: number, pseudId: number) {
  const last = await db
    .selectFrom("series_creatorships")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("series_id", "=", seriesId)
    .executeTakeFirst();
  await db
    .insertInto("series_creatorships")
    .values({ series_id: seriesId, pseud_id: pseudId, position: Number(last?.p ?? -1) + 1 })
    .onConflict((oc) => oc.columns(["series_id", "pseud_id"]).doNothing())
    .execute();
}

/** Takes every pseud of the user off the work and off its chapters' own creators. */
export async function removeUserFromWork(db: Queryable, workId: number, userId: number) {
  const mine = db.selectFrom("pseuds").select("id").where("user_id", "=", userId);
  await db
    .deleteFrom("creatorships")
    .where("work_id", "=", workId)
    .where("pseud_id", "in", mine)
    .execute();
  await db
    .deleteFrom("chapter_creatorships")
    .where("chapter_id", "in", db.selectFrom("chapters").select("id").where("work_id", "=", workId))
    .where("pseud_id", "in", mine)
    .execute();
}

export async function removeUserFromChapter(db: Queryable, chapterId: number, userId: number) {
  await db
    .deleteFrom("chapter_creatorships")
    .where("chapter_id", "=", chapterId)
    .where("pseud_id", "in", db.selectFrom("pseuds").select("id").where("user_id", "=", userId))
    .execute();
}

export async function removeUserFromSeries(db: Queryable, seriesId: number, userId: number) {
  await db
    .deleteFrom("series_creatorships")
    .where("series_id", "=", seriesId)
    .where("pseud_id", "in", db.selectFrom("pseuds").select("id").where("user_id", "=", userId))
    .execute();
}

/** A new version of the work: the download cache keys on it, and downloads show the byline. */
export async function bumpWorkVersion(db: Queryable, workId: number) {
  await db
    .updateTable("works")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("id", "=", workId)
    .execute();
}

// ── Invitations ────────────────────────────────────────────────────────────────────────────

/** The pending invitations to a target, oldest first. */
export function pendingInvitations(
  db: Queryable,
  target: Target,
): Promise<(PseudRow & { id: number })[]> {
  return db
    .selectFrom("creator_invitations")
    .innerJoin("pseuds", "pseuds.id", "creator_invitations.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(["creator_invitations.id as id", ...pseudColumns])
    .where("creator_invitations.target_type", "=", target.type)
    .where("creator_invitations.target_id", "=", target.id)
    .orderBy("creator_invitations.id")
    .execute();
}

/** A new invitation's id; undefined when that pseud is invited already. */
export async function insertInvitation(
  db: Queryable,
  inv: { target: Target; pseudId: number; inviterId: number; now: number },
): Promise<number | undefined> {
  const row = await db
    .insertInto("creator_invitations")
    .values({
      target_type: inv.target.type,
      target_id: inv.target.id,
      pseud_id: inv.pseudId,
      invited_by_user_id: inv.inviterId,
      created_at: inv.now,
    })
    .onConflict((oc) => oc.columns(["target_type", "target_id", "pseud_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

export async function deleteInvitations(db: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.deleteFrom("creator_invitations").where("id", "in", ids).execute();
}

/** An invitation with what the invitations page and the inbox say about it. */
export interface InvitationDetails {
  id: number;
  targetType: CreatorTarget;
  targetId: number;
  pseudId: number;
  pseudName: string;
  userId: number;
  login: string;
  inviterLogin: string | null;
  createdAt: number;
  /** The work (of a work or chapter invitation), null when it is gone. */
  workId: number | null;
  workTitle: string | null;
  chapterPosition: number | null;
  chapterTitle: string | null;
  seriesTitle: string | null;
}

function invitationQuery(db: Queryable) {
  return db
    .selectFrom("creator_invitations as ci")
    .innerJoin("pseuds", "pseuds.id", "ci.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .leftJoin("users as inviter", "inviter.id", "ci.invited_by_user_id")
    .leftJoin("chapters as ch", (j) =>
      j.onRef("ch.id", "=", "ci.target_id").on("ci.target_type", "=", "chapter"),
    )
    .leftJoin("works as w", (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb("ci.target_type", "=", "work"), eb("w.id", "=", eb.ref("ci.target_id"))]),
          eb.and([eb("ci.target_type", "=", "chapter"), eb("w.id", "=", eb.ref("ch.work_id"))]),
        ]),
      ),
    )
    .leftJoin("series as s", (j) =>
      j.onRef("s.id", "=", "ci.target_id").on("ci.target_type", "=", "series"),
    )
    .select([
      "ci.id as id",
      "ci.target_type as targetType",
      "ci.target_id as targetId",
      "ci.created_at as createdAt",
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
      "users.id as userId",
      "users.login as login",
      "inviter.login as inviterLogin",
      "w.id as workId",
      "w.title as workTitle",
      "ch.position as chapterPosition",
      "ch.title as chapterTitle",
      "s.title as seriesTitle",
    ]);
}

const details = (r: InvitationDetails): InvitationDetails => ({
  ...r,
  createdAt: Number(r.createdAt),
});

/** Whether the invitation's target still exists (a deleted work leaves its invitations). */
export const targetExists = (i: InvitationDetails) =>
  i.targetType === "series" ? i.seriesTitle !== null : i.workId !== null;

/** The user's pending invitations (any of their pseuds), oldest first. */
export async function invitationsOfUser(
  db: Queryable,
  userId: number,
): Promise<InvitationDetails[]> {
  const rows = await invitationQuery(db).where("users.id", "=", userId).orderBy("ci.id").execute();
  return rows.map(details);
}

export async function findInvitation(
  db: Queryable,
  id: number,
): Promise<InvitationDetails | undefined> {
  const row = await invitationQuery(db).where("ci.id", "=", id).executeTakeFirst();
  return row && details(row);
}
