/**
 * How many works use each tag, by who may see them: every work (`taggings_count`), posted
 * works (`members_count`, what logged-in readers see) and posted unrestricted works
 * (`public_count`, what guests see); a work hidden by a moderator, or waiting for its
 * collection's reveal, counts as unposted. Works say who may see them (works/visibility.ts decides);
 * these queries move the counts in the work's own transaction, and answer which tags exist
 * for an audience, so that no page names a tag only hidden works carry.
 */
import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import type { Tag, TagType } from "../core/db/schema.ts";

/** Whose counts a page shows: a guest's, or a logged-in reader's (restricted works too). */
export type Audience = "public" | "members";
/** Who may see a work: nobody but its creators (a draft), logged-in readers, or everyone. */
export type SeenBy = "nobody" | Audience;

type CountColumn = "public_count" | "members_count";
export const COUNT_OF: Record<Audience, CountColumn> = {
  public: "public_count",
  members: "members_count",
};

export const usesFor = (tag: Pick<Tag, CountColumn>, audience: Audience): number =>
  tag[COUNT_OF[audience]];

const countedBy = (seen: SeenBy, audience: Audience) =>
  seen === "public" || seen === audience ? 1 : 0;

interface Side {
  tagIds: Iterable<number>;
  seen: SeenBy;
}

/**
 * Moves one work's part in the counts from `before` (its tags then, and who saw it) to
 * `after`: one UPDATE per kind of change, and only tags whose counts move are written.
 */
export async function shiftTagCounts(db: Queryable, before: Side, after: Side) {
  const was = new Set(before.tagIds);
  const now = new Set(after.tagIds);
  const groups = new Map<string, number[]>();
  for (const id of new Set([...was, ...now])) {
    const delta = (audience: Audience | null) => {
      const part = (side: Side, set: Set<number>) =>
        set.has(id) ? (audience ? countedBy(side.seen, audience) : 1) : 0;
      return part(after, now) - part(before, was);
    };
    const key = `${delta(null)} ${delta("members")} ${delta("public")}`;
    if (key !== "0 0 0") groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  for (const [key, ids] of groups) {
    const [all, members, pub] = key.split(" ").map(Number) as [number, number, number];
    await db
      .updateTable("tags")
      .set((eb) => ({
        ...(all ? { taggings_count: eb("taggings_count", "+", all) } : {}),
        ...(members ? { members_count: eb("members_count", "+", members) } : {}),
        ...(pub ? { public_count: eb("public_count", "+", pub) } : {}),
      }))
      .where("id", "in", ids)
      .execute();
  }
}

async function tagIdsOf(db: Queryable, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("work_tags")
    .select("tag_id")
    .where("work_id", "=", workId)
    .execute();
  return rows.map((r) => r.tag_id);
}

/** A work's readers changed (a draft posted, restriction toggled): its tags follow. */
export async function workSeenByChanged(db: Queryable, workId: number, was: SeenBy, now: SeenBy) {
  if (was === now) return;
  const tagIds = await tagIdsOf(db, workId);
  await shiftTagCounts(db, { tagIds, seen: was }, { tagIds, seen: now });
}

/** Before a work is deleted (its tag links go with it): its tags stop counting it. */
export async function forgetWorkTags(db: Queryable, workId: number, seen: SeenBy) {
  await shiftTagCounts(db, { tagIds: await tagIdsOf(db, workId), seen }, { tagIds: [], seen });
}

/** Recounts every tag's uses from the tables (after bulk loads). */
export async function recountTaggings(db: Queryable) {
  await sql`
    update tags set
      taggings_count = (select count(*) from work_tags wt where wt.tag_id = tags.id),
      members_count = (
        select count(*) from work_tags wt join works w on w.id = wt.work_id
         where wt.tag_id = tags.id and w.posted = 1 and w.hidden_reason is null
           and w.in_unrevealed_collection = 0),
      public_count = (
        select count(*) from work_tags wt join works w on w.id = wt.work_id
         where wt.tag_id = tags.id and w.posted = 1 and w.restricted = 0
           and w.hidden_reason is null and w.in_unrevealed_collection = 0)`.execute(db);
}

/** The archive's own tags: every reader may know them. */
const FIXED_TYPES: ReadonlySet<TagType> = new Set(["media", "rating", "warning", "category"]);

/**
 * The tags that exist for `audience`: those a work it may see carries, directly or folded (a
 * canonical tag through its synonyms and subtags, as listings fold them), and the archive's
 * fixed tags. Logged-in readers also get every canonical tag: the vocabulary wranglers publish
 * for writers to choose from, as AO3 offers canonical tags before anyone has used them.
 */
export async function tagsShownTo<T extends Tag>(
  db: Queryable,
  audience: Audience,
  tags: readonly T[],
): Promise<T[]> {
  const shown = new Set<number>();
  const folded: number[] = [];
  for (const t of tags) {
    if (FIXED_TYPES.has(t.type) || usesFor(t, audience) > 0) shown.add(t.id);
    else if (t.canonical && audience === "members") shown.add(t.id);
    else if (t.canonical) folded.push(t.id);
  }
  for (const id of await usedBelow(db, folded, COUNT_OF[audience])) shown.add(id);
  return tags.filter((t) => shown.has(t.id));
}

export async function tagShownTo(db: Queryable, audience: Audience, tag: Tag): Promise<boolean> {
  return (await tagsShownTo(db, audience, [tag])).length > 0;
}

/** Which of these canonical tags have a subtag, or a synonym of one, with uses in `column`. */
async function usedBelow(db: Queryable, ids: number[], column: CountColumn): Promise<number[]> {
  if (ids.length === 0) return [];
  const roots = sql.join(ids.map((id) => sql`${id}`));
  const uses = (alias: string) => sql.ref(`${alias}.${column}`);
  const rows = await sql<{ root: number }>`
    with recursive below(root, id) as (
      select id, id from tags where id in (${roots})
      union
      select b.root, tp.child_id from below b
        join tag_parents tp on tp.parent_id = b.id
        join tags c on c.id = tp.child_id
        join tags p on p.id = tp.parent_id
       where c.type = p.type
    )
    select b.root from below b join tags t on t.id = b.id where ${uses("t")} > 0
    union
    select b.root from below b join tags s on s.merger_id = b.id where ${uses("s")} > 0`.execute(
    db,
  );
  return rows.rows.map((r) => Number(r.root));
}
