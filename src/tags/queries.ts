import { sql, type RawBuilder } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import { prepared, type Params } from "../core/db/prepared.ts";
import type { Tag, TagType } from "../core/db/schema.ts";
import { shiftTagCounts, type SeenBy } from "./count-queries.ts";
import { FIXED_TAGS } from "./fixed.ts";
import { normalizeTagName, tagKey } from "./names.ts";

export { recountTaggings } from "./count-queries.ts";

export function findTagByName(db: Queryable, name: string) {
  return db.selectFrom("tags").selectAll().where("name_key", "=", tagKey(name)).executeTakeFirst();
}

export function findTagsByKeys(db: Queryable, keys: readonly string[]) {
  if (keys.length === 0) return Promise.resolve([] as Tag[]);
  return db.selectFrom("tags").selectAll().where("name_key", "in", keys).execute();
}

/**
 * Returns a tag for each name, creating the missing ones with `type`. A name already used by
 * a tag of another type keeps that tag (names are unique across types), as on AO3.
 */
export async function findOrCreateTags(
  db: Queryable,
  type: TagType,
  names: readonly string[],
  now: number,
): Promise<Tag[]> {
  const wanted = names.map(normalizeTagName).filter(Boolean);
  if (wanted.length === 0) return [];
  const keys = wanted.map(tagKey);
  const existing = new Map((await findTagsByKeys(db, keys)).map((t) => [t.name_key, t]));
  const missing = wanted.filter((n) => !existing.has(tagKey(n)));
  if (missing.length > 0) {
    await db
      .insertInto("tags")
      .values(missing.map((name) => ({ name, name_key: tagKey(name), type, created_at: now })))
      .onConflict((oc) => oc.column("name_key").doNothing())
      .execute();
    for (const t of await findTagsByKeys(db, missing.map(tagKey))) existing.set(t.name_key, t);
  }
  return keys.map((k) => existing.get(k)).filter((t): t is Tag => t !== undefined);
}

/** Seeds ratings, warnings and categories; safe to run on every start. */
export async function ensureFixedTags(db: Queryable, now: number) {
  for (const { type, names } of FIXED_TAGS) {
    await db
      .insertInto("tags")
      .values(
        names.map((name) => ({
          name,
          name_key: tagKey(name),
          type,
          canonical: 1 as const,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column("name_key").doNothing())
      .execute();
  }
}

export function fixedTags(db: Queryable) {
  return db
    .selectFrom("tags")
    .selectAll()
    .where("type", "in", ["rating", "warning", "category"])
    .execute();
}

/**
 * Sets a work's tags (in the order given), keeps the tags' use counts (`seen`: who could see
 * the work before this change and who can now), and refreshes the work's folded filter set.
 */
export async function linkTagsToWork(
  db: Queryable,
  workId: number,
  tagIds: readonly number[],
  seen: { was: SeenBy; now: SeenBy },
) {
  const before = (
    await db.selectFrom("work_tags").select("tag_id").where("work_id", "=", workId).execute()
  ).map((r) => r.tag_id);
  const after = [...new Set(tagIds)];
  await db.deleteFrom("work_tags").where("work_id", "=", workId).execute();
  if (after.length > 0) {
    await db
      .insertInto("work_tags")
      .values(after.map((tagId, position) => ({ work_id: workId, tag_id: tagId, position })))
      .execute();
  }
  await shiftTagCounts(db, { tagIds: before, seen: seen.was }, { tagIds: after, seen: seen.now });
  await refreshFilterTags(db, sql`select cast(${workId} as integer)`);
}

/**
 * Rebuilds the folded tag set of the works `workIds` (a SQL query yielding work ids): each
 * tag a work carries counts as its canonical tag when it is a synonym, plus every metatag
 * above that (a work tagged "Alternate Universe - Hospital" is found under "Alternate
 * Universe"). Unwrangled tags stand for themselves.
 */
export async function refreshFilterTags(
  db: Queryable,
  workIds: RawBuilder<unknown>,
  /** Only these filter tags can have changed: leave the others alone (much less to rewrite). */
  onlyTags?: readonly number[],
) {
  const limited = onlyTags
    ? sql`and tag_id in (${sql.join(onlyTags.length ? onlyTags.map((id) => sql`${id}`) : [sql`null`])})`
    : sql``;
  const limitedInsert = onlyTags
    ? sql`and c.ancestor_id in (${sql.join(onlyTags.length ? onlyTags.map((id) => sql`${id}`) : [sql`null`])})`
    : sql``;
  await sql`delete from work_filter_tags where work_id in (${workIds}) ${limited}`.execute(db);
  await sql`
    with recursive closure(tag_id, ancestor_id) as (
      select distinct coalesce(t.merger_id, t.id), coalesce(t.merger_id, t.id)
        from work_tags wt join tags t on t.id = wt.tag_id
       where wt.work_id in (${workIds})
      union
      select c.tag_id, tp.parent_id
        from closure c
        join tag_parents tp on tp.child_id = c.ancestor_id
        join tags child on child.id = tp.child_id
        join tags parent on parent.id = tp.parent_id
       where parent.type = child.type and parent.canonical = 1
    )
    insert into work_filter_tags (work_id, tag_id)
    select distinct wt.work_id, c.ancestor_id
      from work_tags wt
      join tags t on t.id = wt.tag_id
      join closure c on c.tag_id = coalesce(t.merger_id, t.id)
     where wt.work_id in (${workIds}) ${limitedInsert}`.execute(db);
}

/** Works carrying any of the tags, directly or through a synonym of one of them. */
export function worksTaggedWith(tagIds: readonly number[]): RawBuilder<unknown> {
  const ids = tagIds.length ? sql.join(tagIds.map((id) => sql`${id}`)) : sql`null`;
  return sql`select wt.work_id from work_tags wt join tags t on t.id = wt.tag_id where t.id in (${ids}) or t.merger_id in (${ids})`;
}

export const worksInIdRange = (from: number, to: number): RawBuilder<unknown> =>
  sql`select id from works where id between ${from} and ${to}`;

/** Tags of many works at once, in the order their authors typed them. */
function tagsOfWorksQuery(db: Queryable) {
  return db
    .selectFrom("work_tags")
    .innerJoin("tags", "tags.id", "work_tags.tag_id")
    .select([
      "work_tags.work_id",
      "tags.id",
      "tags.name",
      "tags.name_key",
      "tags.type",
      "tags.canonical",
      "tags.created_at",
      "tags.merger_id",
      "tags.taggings_count",
      "tags.members_count",
      "tags.public_count",
    ])
    .orderBy("work_tags.work_id")
    .orderBy("work_tags.position");
}

// One work's (every work page): built once (core/db/prepared.ts).
const tagsOfWorkQuery = prepared((db, p: Params<{ workId: number }>) =>
  tagsOfWorksQuery(db).where("work_tags.work_id", "=", p("workId")),
);

export async function tagsOfWorks(db: Queryable, workIds: readonly number[]) {
  const byWork = new Map<number, Tag[]>();
  if (workIds.length === 0) return byWork;
  const rows =
    workIds.length === 1
      ? await tagsOfWorkQuery.execute(db, { workId: workIds[0]! })
      : await tagsOfWorksQuery(db).where("work_tags.work_id", "in", workIds).execute();
  for (const { work_id, ...tag } of rows) {
    const list = byWork.get(work_id) ?? [];
    list.push(tag);
    byWork.set(work_id, list);
  }
  return byWork;
}

/** Tags by id (any order; unknown ids are left out). */
export async function tagsByIds(db: Queryable, ids: readonly number[]): Promise<Tag[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("tags").selectAll().where("id", "in", ids).execute();
}

/**
 * A tag's children of each of `types` (a fandom's characters, relationships and additional
 * tags; a character's relationships …), at most `limit` of each, A to Z: as AO3's tag page
 * lists them ("displaying the first N of each type").
 */
export async function childrenByType(
  db: Queryable,
  tagId: number,
  types: readonly TagType[],
  limit: number,
): Promise<Tag[]> {
  const lists = await Promise.all(
    types.map((type) =>
      db
        .selectFrom("tag_parents")
        .innerJoin("tags", "tags.id", "tag_parents.child_id")
        .selectAll("tags")
        .where("tag_parents.parent_id", "=", tagId)
        .where("tags.type", "=", type)
        .orderBy("tags.name_key")
        .limit(limit)
        .execute(),
    ),
  );
  return lists.flat();
}
