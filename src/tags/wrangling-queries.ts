/** SQL for tag wrangling: links, synonyms, hierarchy walks and the unwrangled queue. */
import { sql, type ExpressionBuilder } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import type { Database, Tag, TagType } from "../core/db/schema.ts";

export function findTagById(db: Queryable, id: number) {
  return db.selectFrom("tags").selectAll().where("id", "=", id).executeTakeFirst();
}

export function synonymsOf(db: Queryable, tagId: number): Promise<Tag[]> {
  return db
    .selectFrom("tags")
    .selectAll()
    .where("merger_id", "=", tagId)
    .orderBy("name_key")
    .execute();
}

export function parentsOf(db: Queryable, tagId: number): Promise<Tag[]> {
  return db
    .selectFrom("tag_parents")
    .innerJoin("tags", "tags.id", "tag_parents.parent_id")
    .selectAll("tags")
    .where("tag_parents.child_id", "=", tagId)
    .orderBy("tags.type")
    .orderBy("tags.name_key")
    .execute();
}

export function childrenOf(db: Queryable, tagId: number, limit = 500): Promise<Tag[]> {
  return db
    .selectFrom("tag_parents")
    .innerJoin("tags", "tags.id", "tag_parents.child_id")
    .selectAll("tags")
    .where("tag_parents.parent_id", "=", tagId)
    .orderBy("tags.type")
    .orderBy("tags.name_key")
    .limit(limit)
    .execute();
}

/** Ids of the tag and every subtag below it (same-type links), however deep. */
export async function metaDescendants(db: Queryable, tagId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with recursive below(id) as (
      select cast(${tagId} as integer)
      union
      select tp.child_id from below b
        join tag_parents tp on tp.parent_id = b.id
        join tags c on c.id = tp.child_id
        join tags p on p.id = tp.parent_id
       where c.type = p.type
    )
    select id from below`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

export async function setMerger(db: Queryable, tagId: number, mergerId: number | null) {
  await db
    .updateTable("tags")
    .set({ merger_id: mergerId, ...(mergerId === null ? {} : { canonical: 0 as const }) })
    .where("id", "=", tagId)
    .execute();
}

export async function setCanonical(db: Queryable, tagId: number, canonical: boolean) {
  await db
    .updateTable("tags")
    .set({ canonical: canonical ? 1 : 0 })
    .where("id", "=", tagId)
    .execute();
}

export async function moveSynonyms(db: Queryable, fromId: number, toId: number) {
  await db.updateTable("tags").set({ merger_id: toId }).where("merger_id", "=", fromId).execute();
}

export async function addLink(db: Queryable, childId: number, parentId: number) {
  await db
    .insertInto("tag_parents")
    .values({ child_id: childId, parent_id: parentId })
    .onConflict((oc) => oc.columns(["child_id", "parent_id"]).doNothing())
    .execute();
}

export async function removeLink(db: Queryable, childId: number, parentId: number) {
  await db
    .deleteFrom("tag_parents")
    .where("child_id", "=", childId)
    .where("parent_id", "=", parentId)
    .execute();
}

/** Moves every link of `fromId` (as child and as parent) onto `toId`, dropping self-links. */
export async function moveLinks(db: Queryable, fromId: number, toId: number) {
  const asChild = await db
    .selectFrom("tag_parents")
    .select("parent_id")
    .where("child_id", "=", fromId)
    .execute();
  const asParent = await db
    .selectFrom("tag_parents")
    .select("child_id")
    .where("parent_id", "=", fromId)
    .execute();
  await db
    .deleteFrom("tag_parents")
    .where((eb) => eb.or([eb("child_id", "=", fromId), eb("parent_id", "=", fromId)]))
    .execute();
  for (const { parent_id } of asChild) if (parent_id !== toId) await addLink(db, toId, parent_id);
  for (const { child_id } of asParent) if (child_id !== toId) await addLink(db, child_id, toId);
}

export async function renameTag(db: Queryable, tagId: number, name: string, key: string) {
  await db.updateTable("tags").set({ name, name_key: key }).where("id", "=", tagId).execute();
}

/**
 * Tags still waiting for a wrangler (neither canonical nor a synonym, with no fandom), of one
 * type, used on posted works in `fandomId`'s folded set; most used first. Wranglers count
 * restricted works but never drafts: a tag only drafts carry waits until one is posted.
 */
export function unwrangledInFandom(db: Queryable, fandomId: number, type: TagType, limit: number) {
  return db
    .selectFrom("tags")
    .selectAll("tags")
    .where("tags.type", "=", type)
    .where("tags.canonical", "=", 0)
    .where("tags.merger_id", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("tag_parents")
            .innerJoin("tags as p", "p.id", "tag_parents.parent_id")
            .select("tag_parents.child_id")
            .whereRef("tag_parents.child_id", "=", "tags.id")
            .where("p.type", "=", "fandom"),
        ),
      ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("work_tags")
          .innerJoin("work_filter_tags", "work_filter_tags.work_id", "work_tags.work_id")
          .innerJoin("works", "works.id", "work_tags.work_id")
          .select("work_tags.work_id")
          .whereRef("work_tags.tag_id", "=", "tags.id")
          .where("work_filter_tags.tag_id", "=", fandomId)
          .where("works.posted", "=", 1),
      ),
    )
    .orderBy("tags.members_count", "desc")
    .orderBy("tags.name_key")
    .limit(limit)
    .execute();
}

/** Canonical fandoms with how many unwrangled tags of each kind wait under them. */
export function canonicalFandoms(db: Queryable) {
  return db
    .selectFrom("tags")
    .selectAll()
    .where("type", "=", "fandom")
    .where("canonical", "=", 1)
    .orderBy("name_key")
    .execute();
}

/** Fandom tags nobody has wrangled yet (not canonical, not a synonym) on posted works. */
export function unwrangledFandoms(db: Queryable, limit: number) {
  return db
    .selectFrom("tags")
    .selectAll()
    .where("type", "=", "fandom")
    .where("canonical", "=", 0)
    .where("merger_id", "is", null)
    .where("members_count", ">", 0)
    .orderBy("members_count", "desc")
    .orderBy("name_key")
    .limit(limit)
    .execute();
}

/** Canonical fandoms filed under a medium; `null` gives those with no medium yet. */
export function fandomsInMedium(db: Queryable, mediumId: number | null) {
  const under = (eb: ExpressionBuilder<Database, "tags">, id: number | null) =>
    eb.exists(
      eb
        .selectFrom("tag_parents")
        .innerJoin("tags as m", "m.id", "tag_parents.parent_id")
        .select("tag_parents.child_id")
        .whereRef("tag_parents.child_id", "=", "tags.id")
        .where("m.type", "=", "media")
        .$if(id !== null, (qb) => qb.where("m.id", "=", id as number)),
    );
  return db
    .selectFrom("tags")
    .selectAll()
    .where("type", "=", "fandom")
    .where("canonical", "=", 1)
    .where((eb) => (mediumId === null ? eb.not(under(eb, null)) : under(eb, mediumId)))
    .orderBy("name_key")
    .execute();
}

export function allMedia(db: Queryable) {
  return db
    .selectFrom("tags")
    .selectAll()
    .where("type", "=", "media")
    .orderBy("name_key")
    .execute();
}

/**
 * Every tag the given tags fold into: themselves, their canonical tags, and every metatag
 * above those. A change to wrangling can only alter a work's filter rows for these tags.
 */
export async function foldTargets(db: Queryable, tagIds: readonly number[]): Promise<number[]> {
  if (tagIds.length === 0) return [];
  const ids = sql.join(tagIds.map((id) => sql`${id}`));
  const rows = await sql<{ id: number }>`
    with recursive up(id) as (
      select id from tags where id in (${ids})
      union
      select merger_id from tags where id in (${ids}) and merger_id is not null
      union
      select tp.parent_id from up
        join tag_parents tp on tp.child_id = up.id
        join tags c on c.id = tp.child_id
        join tags p on p.id = tp.parent_id
       where c.type = p.type and p.canonical = 1
    )
    select id from up`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}
