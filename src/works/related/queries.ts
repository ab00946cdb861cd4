/**
 * Related works (issue 15): a work (the child) inspired by, translating or remixing another
 * (the parent), on this archive or elsewhere by address. The link shows on the child always,
 * on the parent once its creators approved.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { WorkRelation } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { listedTo, type ListingRules } from "../visibility.ts";

/**
 * Which linked works a reader is shown: what listings show them, restricted works included
 * (a guest reads "[Restricted Work]" instead of the title), their saved exclusions aside, as
 * on a work page. Drafts, hidden works and works waiting for a reveal are left out.
 */
const LINKED: ListingRules = { showRestricted: true, hiddenTagIds: [], mutedUserIds: [] };

export interface NewRelated {
  workId: number;
  relation: WorkRelation;
  parentWorkId: number | null;
  parentUrl: string | null;
  parentTitle: string;
  parentAuthor: string;
  parentLanguage: string;
  approved: boolean;
}

export async function insertRelated(db: Queryable, r: NewRelated, now: number): Promise<number> {
  const row = await db
    .insertInto("related_works")
    .values({
      work_id: r.workId,
      relation: r.relation,
      parent_work_id: r.parentWorkId,
      parent_url: r.parentUrl,
      parent_title: r.parentTitle,
      parent_author: r.parentAuthor,
      parent_language: r.parentLanguage,
      approved: r.approved ? 1 : 0,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A link the child already has to the same parent (a work here, or the same address). */
export function sameParent(
  db: Queryable,
  workId: number,
  parent: { workId: number } | { url: string },
) {
  return db
    .selectFrom("related_works")
    .select(["id", "relation"])
    .where("work_id", "=", workId)
    .where((eb) =>
      "workId" in parent
        ? eb("parent_work_id", "=", parent.workId)
        : eb.and([eb("parent_work_id", "is", null), eb("parent_url", "=", parent.url)]),
    )
    .executeTakeFirst();
}

export async function updateRelated(
  db: Queryable,
  id: number,
  changes: Partial<
    Pick<NewRelated, "relation" | "parentTitle" | "parentAuthor" | "parentLanguage">
  >,
) {
  await db
    .updateTable("related_works")
    .set({
      ...(changes.relation ? { relation: changes.relation } : {}),
      ...(changes.parentTitle !== undefined ? { parent_title: changes.parentTitle } : {}),
      ...(changes.parentAuthor !== undefined ? { parent_author: changes.parentAuthor } : {}),
      ...(changes.parentLanguage !== undefined ? { parent_language: changes.parentLanguage } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Removes the child's links among `ids` (others' ids are ignored). */
export async function deleteParentLinks(db: Queryable, workId: number, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db
    .deleteFrom("related_works")
    .where("work_id", "=", workId)
    .where("id", "in", ids)
    .execute();
}

/** The child's links as its edit form lists them, with the parent's title when it is here. */
export function parentLinksOf(db: Queryable, workId: number) {
  return db
    .selectFrom("related_works")
    .leftJoin("works", "works.id", "related_works.parent_work_id")
    .select([
      "related_works.id",
      "related_works.relation",
      "related_works.parent_work_id as parentWorkId",
      "related_works.parent_url as parentUrl",
      "related_works.parent_title as parentTitle",
      "works.title as workTitle",
    ])
    .where("related_works.work_id", "=", workId)
    .orderBy("related_works.id")
    .execute();
}

export function findRelated(db: Queryable, id: number) {
  return db.selectFrom("related_works").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The parents the child names that `viewer` is shown (all of those elsewhere). */
export function shownParents(db: Queryable, viewer: Viewer, childId: number) {
  return db
    .selectFrom("related_works")
    .leftJoin("works", "works.id", "related_works.parent_work_id")
    .select([
      "related_works.id",
      "related_works.relation",
      "related_works.parent_work_id as parentWorkId",
      "related_works.parent_url as parentUrl",
      "related_works.parent_title as parentTitle",
      "related_works.parent_author as parentAuthor",
      "related_works.parent_language as parentLanguage",
      "works.title as title",
      "works.language as language",
      "works.restricted as restricted",
      "works.in_anon_collection as inAnonCollection",
    ])
    .where("related_works.work_id", "=", childId)
    .where((eb) =>
      eb.or([
        eb("related_works.parent_work_id", "is", null),
        eb.exists(
          eb
            .selectFrom("works")
            .select("works.id")
            .whereRef("works.id", "=", "related_works.parent_work_id")
            .where(listedTo(viewer, LINKED)),
        ),
      ]),
    )
    .orderBy("related_works.id")
    .execute();
}

/**
 * Works naming `parentId` as their parent that `viewer` is shown: the approved ones for its
 * page, or all of them (`approvedOnly` false) for its creators' approval page.
 */
export function shownChildren(
  db: Queryable,
  viewer: Viewer,
  parentId: number,
  opts: { approvedOnly: boolean },
) {
  return db
    .selectFrom("related_works")
    .innerJoin("works", "works.id", "related_works.work_id")
    .select([
      "related_works.id",
      "related_works.relation",
      "related_works.approved",
      "works.id as workId",
      "works.title as title",
      "works.language as language",
      "works.restricted as restricted",
      "works.in_anon_collection as inAnonCollection",
    ])
    .where("related_works.parent_work_id", "=", parentId)
    .$if(opts.approvedOnly, (q) => q.where("related_works.approved", "=", 1))
    .where(listedTo(viewer, LINKED))
    .orderBy("related_works.id")
    .execute();
}

/** Approves or withdraws a child's link on its parent; false when it is not that parent's. */
export async function setApproved(
  db: Queryable,
  parentId: number,
  relatedId: number,
  approved: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable("related_works")
    .set({ approved: approved ? 1 : 0 })
    .where("id", "=", relatedId)
    .where("parent_work_id", "=", parentId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The related links of a work waiting for its parents' creators (announced when it shows). */
export function pendingParentLinks(db: Queryable, childId: number) {
  return db
    .selectFrom("related_works")
    .select(["id", "parent_work_id"])
    .where("work_id", "=", childId)
    .where("approved", "=", 0)
    .where("parent_work_id", "is not", null)
    .orderBy("id")
    .execute();
}
