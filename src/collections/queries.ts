/**
 * Every SQL statement about collections, their participants and their items (issue 15).
 * What readers may see of the works comes from works/visibility.ts (`listedTo`), never from
 * a condition written here.
 */
import type { Queryable } from "../core/db/index.ts";
import { prepared, type Params } from "../core/db/prepared.ts";
import type { CollectionRole, CollectionsTable, ItemApproval, Work } from "../core/db/schema.ts";
import type { Insertable, Selectable, Updateable } from "kysely";
import type { Viewer } from "../core/viewer.ts";
import { listedTo } from "../works/visibility.ts";

export type Collection = Selectable<CollectionsTable>;

// ── Collections ────────────────────────────────────────────────────────────────────────────

export function findCollectionByKey(db: Queryable, key: string) {
  return db.selectFrom("collections").selectAll().where("name_key", "=", key).executeTakeFirst();
}

export function findCollectionById(db: Queryable, id: number) {
  return db.selectFrom("collections").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function collectionsByKeys(db: Queryable, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db.selectFrom("collections").selectAll().where("name_key", "in", keys).execute();
}

/** Inserts a collection; undefined when its name is taken (the unique key decides, not a read). */
export async function insertCollection(
  db: Queryable,
  row: Insertable<CollectionsTable>,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto("collections")
    .values(row)
    .onConflict((oc) => oc.column("name_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id;
}

export async function updateCollection(
  db: Queryable,
  id: number,
  changes: Updateable<CollectionsTable>,
) {
  await db.updateTable("collections").set(changes).where("id", "=", id).execute();
}

export async function deleteCollection(db: Queryable, id: number) {
  await db.deleteFrom("collections").where("id", "=", id).execute();
}

/** A parent's subcollections, by title. */
export function childrenOf(db: Queryable, parentId: number) {
  return db
    .selectFrom("collections")
    .selectAll()
    .where("parent_id", "=", parentId)
    .orderBy("title")
    .orderBy("id")
    .execute();
}

export async function childCount(db: Queryable, parentId: number): Promise<number> {
  const row = await db
    .selectFrom("collections")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("parent_id", "=", parentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of every collection, newest first, with the total. */
export async function listCollections(db: Queryable, page: { number: number; size: number }) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom("collections")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    db
      .selectFrom("collections")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function collectionsByIds(db: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("collections").selectAll().where("id", "in", ids).execute();
}

/**
 * Collections whose reveal dates have passed while still unrevealed or anonymous: the reveal
 * job's work list.
 */
export function dueReveals(db: Queryable, now: number) {
  return db
    .selectFrom("collections")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("unrevealed", "=", 1), eb("reveal_works_at", "<=", now)]),
        eb.and([eb("anonymous", "=", 1), eb("reveal_creators_at", "<=", now)]),
      ]),
    )
    .execute();
}

// ── Participants ───────────────────────────────────────────────────────────────────────────

export interface Participant {
  userId: number;
  login: string;
  role: CollectionRole;
  createdAt: number;
}

/** Owners, then moderators, then members, each by login. */
export async function participantsOf(db: Queryable, collectionId: number): Promise<Participant[]> {
  const rows = await db
    .selectFrom("collection_participants")
    .innerJoin("users", "users.id", "collection_participants.user_id")
    .select([
      "users.id as userId",
      "users.login as login",
      "collection_participants.role as role",
      "collection_participants.created_at as createdAt",
    ])
    .where("collection_participants.collection_id", "=", collectionId)
    .orderBy("users.login")
    .execute();
  const rank: Record<CollectionRole, number> = { owner: 0, moderator: 1, member: 2 };
  return rows.sort((a, b) => rank[a.role] - rank[b.role]);
}

export async function roleOf(
  db: Queryable,
  collectionId: number,
  userId: number,
): Promise<CollectionRole | null> {
  const row = await db
    .selectFrom("collection_participants")
    .select("role")
    .where("collection_id", "=", collectionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** The user's role in each of these collections (absent: none). */
export async function rolesIn(
  db: Queryable,
  userId: number,
  collectionIds: readonly number[],
): Promise<Map<number, CollectionRole>> {
  if (collectionIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("collection_participants")
    .select(["collection_id", "role"])
    .where("user_id", "=", userId)
    .where("collection_id", "in", collectionIds)
    .execute();
  return new Map(rows.map((r) => [r.collection_id, r.role]));
}

/** Every collection the user takes part in, with their role, by title. */
// On every logged-in work page (the collections action): built once (core/db/prepared.ts).
const collectionsOfUserQuery = prepared((db, p: Params<{ userId: number }>) =>
  db
    .selectFrom("collection_participants")
    .innerJoin("collections", "collections.id", "collection_participants.collection_id")
    .selectAll("collections")
    .select("collection_participants.role as role")
    .where("collection_participants.user_id", "=", p("userId"))
    .orderBy("collections.title")
    .orderBy("collections.id"),
);

export function collectionsOfUser(db: Queryable, userId: number) {
  return collectionsOfUserQuery.execute(db, { userId });
}

/** Adds the participant, or changes their role. */
export async function setParticipant(
  db: Queryable,
  row: { collectionId: number; userId: number; role: CollectionRole; now: number },
) {
  await db
    .insertInto("collection_participants")
    .values({
      collection_id: row.collectionId,
      user_id: row.userId,
      role: row.role,
      created_at: row.now,
    })
    .onConflict((oc) => oc.columns(["collection_id", "user_id"]).doUpdateSet({ role: row.role }))
    .execute();
}

export async function removeParticipant(db: Queryable, collectionId: number, userId: number) {
  await db
    .deleteFrom("collection_participants")
    .where("collection_id", "=", collectionId)
    .where("user_id", "=", userId)
    .execute();
}

export async function ownerCount(db: Queryable, collectionId: number): Promise<number> {
  const row = await db
    .selectFrom("collection_participants")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("collection_id", "=", collectionId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who looks after a collection's submissions: its owners and moderators. */
export async function maintainerIdsOf(db: Queryable, collectionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("collection_participants")
    .select("user_id")
    .where("collection_id", "=", collectionId)
    .where("role", "in", ["owner", "moderator"])
    .orderBy("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

// ── Items ──────────────────────────────────────────────────────────────────────────────────

export interface ItemRow {
  collectionId: number;
  workId: number;
  collectionApproval: ItemApproval;
  creatorApproval: ItemApproval;
  createdAt: number;
}

const itemColumns = [
  "collection_items.collection_id as collectionId",
  "collection_items.work_id as workId",
  "collection_items.collection_approval as collectionApproval",
  "collection_items.creator_approval as creatorApproval",
  "collection_items.created_at as createdAt",
] as const;

export function findItem(
  db: Queryable,
  collectionId: number,
  workId: number,
): Promise<ItemRow | undefined> {
  return db
    .selectFrom("collection_items")
    .select(itemColumns)
    .where("collection_id", "=", collectionId)
    .where("work_id", "=", workId)
    .executeTakeFirst();
}

/** A work's items, each with its collection, by collection title. */
export function itemsOfWork(db: Queryable, workId: number) {
  return db
    .selectFrom("collection_items")
    .innerJoin("collections", "collections.id", "collection_items.collection_id")
    .select(itemColumns)
    .select(["collections.name", "collections.name_key as nameKey", "collections.title"])
    .where("collection_items.work_id", "=", workId)
    .orderBy("collections.title")
    .orderBy("collections.id")
    .execute();
}

export async function insertItem(
  db: Queryable,
  row: {
    collectionId: number;
    workId: number;
    collectionApproval: ItemApproval;
    creatorApproval: ItemApproval;
    addedBy: number | null;
    now: number;
  },
) {
  await db
    .insertInto("collection_items")
    .values({
      collection_id: row.collectionId,
      work_id: row.workId,
      collection_approval: row.collectionApproval,
      creator_approval: row.creatorApproval,
      added_by_user_id: row.addedBy,
      created_at: row.now,
    })
    .execute();
}

export async function setItemApproval(
  db: Queryable,
  collectionId: number,
  workId: number,
  approval: { collection?: ItemApproval; creator?: ItemApproval },
) {
  await db
    .updateTable("collection_items")
    .set({
      ...(approval.collection ? { collection_approval: approval.collection } : {}),
      ...(approval.creator ? { creator_approval: approval.creator } : {}),
    })
    .where("collection_id", "=", collectionId)
    .where("work_id", "=", workId)
    .execute();
}

export async function deleteItem(db: Queryable, collectionId: number, workId: number) {
  await db
    .deleteFrom("collection_items")
    .where("collection_id", "=", collectionId)
    .where("work_id", "=", workId)
    .execute();
}

/** Every work with an item in the collection, whatever its state (to recompute switches). */
export async function workIdsWithItemsIn(db: Queryable, collectionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("collection_items")
    .select("work_id")
    .where("collection_id", "=", collectionId)
    .orderBy("work_id")
    .execute();
  return rows.map((r) => r.work_id);
}

/**
 * A work's two switches, from its items: anonymous (or unrevealed) while any item its creators
 * agreed to, and that the collection has not rejected, is in an anonymous (unrevealed)
 * collection. A submission still waiting for the moderators counts, or an exchange's entry
 * would show its author until approved; a moderator's invitation the creators have not
 * accepted does not, or anyone moderating an unrevealed collection could hide others' works.
 */
export async function switchesOf(
  db: Queryable,
  workId: number,
): Promise<{ anonymous: boolean; unrevealed: boolean }> {
  const row = await db
    .selectFrom("collection_items")
    .innerJoin("collections", "collections.id", "collection_items.collection_id")
    .select((eb) => [
      eb.fn.max("collections.anonymous").as("anonymous"),
      eb.fn.max("collections.unrevealed").as("unrevealed"),
    ])
    .where("collection_items.work_id", "=", workId)
    .where("collection_items.creator_approval", "=", "approved")
    .where("collection_items.collection_approval", "!=", "rejected")
    .executeTakeFirst();
  return {
    anonymous: Number(row?.anonymous ?? 0) === 1,
    unrevealed: Number(row?.unrevealed ?? 0) === 1,
  };
}

/** The queue's tabs: what the collection's side says (pending, approved, rejected). */
export type QueueTab = "pending" | "approved" | "rejected";

/** One page of a collection's items for its moderators, newest first, with the total. */
export async function queueOf(
  db: Queryable,
  collectionId: number,
  tab: QueueTab,
  page: { number: number; size: number },
) {
  const base = db
    .selectFrom("collection_items")
    .where("collection_items.collection_id", "=", collectionId)
    .where((eb) =>
      tab === "rejected"
        ? eb.or([
            eb("collection_items.collection_approval", "=", "rejected"),
            eb("collection_items.creator_approval", "=", "rejected"),
          ])
        : eb.and([
            eb("collection_items.collection_approval", "=", tab),
            eb("collection_items.creator_approval", "!=", "rejected"),
          ]),
    );
  const [rows, count] = await Promise.all([
    base
      .select(itemColumns)
      .orderBy("collection_items.created_at", "desc")
      .orderBy("collection_items.work_id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Items of the works any of the user's pseuds created, newest first, with their collections. */
export function itemsOfCreator(db: Queryable, userId: number) {
  return db
    .selectFrom("collection_items")
    .innerJoin("collections", "collections.id", "collection_items.collection_id")
    .innerJoin("works", "works.id", "collection_items.work_id")
    .select(itemColumns)
    .select([
      "collections.name",
      "collections.title",
      "collections.anonymous",
      "collections.unrevealed",
      "works.title as workTitle",
    ])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("creatorships")
          .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
          .select("creatorships.work_id")
          .whereRef("creatorships.work_id", "=", "collection_items.work_id")
          .where("pseuds.user_id", "=", userId),
      ),
    )
    .orderBy("collection_items.created_at", "desc")
    .orderBy("collection_items.work_id", "desc")
    .execute();
}

/** The collections a work is shown in: both sides approved, by title. */
// On every work page: built once (core/db/prepared.ts).
const shownCollectionsOfWorkQuery = prepared((db, p: Params<{ workId: number }>) =>
  db
    .selectFrom("collection_items")
    .innerJoin("collections", "collections.id", "collection_items.collection_id")
    .select(["collections.name", "collections.title"])
    .where("collection_items.work_id", "=", p("workId"))
    .where("collection_items.collection_approval", "=", "approved")
    .where("collection_items.creator_approval", "=", "approved")
    .orderBy("collections.title")
    .orderBy("collections.id"),
);

export function shownCollectionsOfWork(db: Queryable, workId: number) {
  return shownCollectionsOfWorkQuery.execute(db, { workId });
}

/**
 * The works shown in these collections (a parent's works are its own and its children's):
 * approved on both sides and listed to the viewer.
 */
function shownIn(db: Queryable, viewer: Viewer, collectionIds: readonly number[]) {
  return db
    .selectFrom("works")
    .where(listedTo(viewer))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("collection_items")
          .select("collection_items.work_id")
          .whereRef("collection_items.work_id", "=", "works.id")
          .where("collection_items.collection_id", "in", collectionIds)
          .where("collection_items.collection_approval", "=", "approved")
          .where("collection_items.creator_approval", "=", "approved"),
      ),
    );
}

/**
 * How many works of each collection the viewer may see (a parent's own and its children's,
 * each work once): one statement for a page of collections.
 */
export async function shownWorkCounts(
  db: Queryable,
  viewer: Viewer,
  collectionIds: readonly number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (collectionIds.length === 0) return counts;
  const approved = (b: typeof base) =>
    b
      .where("collection_items.collection_approval", "=", "approved")
      .where("collection_items.creator_approval", "=", "approved");
  const base = db
    .selectFrom("collection_items")
    .innerJoin("collections", "collections.id", "collection_items.collection_id");
  const own = approved(base)
    .select(["collections.id as root", "collection_items.work_id as work_id"])
    .where("collections.id", "in", collectionIds);
  const viaChildren = approved(base)
    .select((eb) => [
      eb.fn.coalesce("collections.parent_id", eb.lit(0)).as("root"),
      "collection_items.work_id as work_id",
    ])
    .where("collections.parent_id", "in", collectionIds);
  const rows = await db
    .selectFrom(own.unionAll(viaChildren).as("r"))
    .innerJoin("works", "works.id", "r.work_id")
    .where(listedTo(viewer))
    .select((eb) => ["r.root", eb.fn.count<number | string>("r.work_id").distinct().as("n")])
    .groupBy("r.root")
    .execute();
  for (const r of rows) counts.set(Number(r.root), Number(r.n));
  return counts;
}

/** The newest works of these collections the viewer may see. */
export async function newestShownWorks(
  db: Queryable,
  viewer: Viewer,
  collectionIds: readonly number[],
  limit: number,
): Promise<Work[]> {
  if (collectionIds.length === 0) return [];
  return shownIn(db, viewer, collectionIds)
    .selectAll("works")
    .orderBy("works.revised_at", "desc")
    .orderBy("works.id", "desc")
    .limit(limit)
    .execute();
}
