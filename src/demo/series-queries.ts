import type { Queryable } from "../core/db/index.ts";

/**
 * Where demo series come from (issue 15): for each pseud and fandom, its posted works open to
 * everyone, oldest first. The first `count` pseuds with two or more such works in one fandom
 * give one group each (up to three works).
 */
export async function demoSeriesGroups(
  db: Queryable,
  count: number,
): Promise<{ pseudId: number; fandom: string; workIds: number[] }[]> {
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("works", "works.id", "creatorships.work_id")
    .innerJoin("work_tags", "work_tags.work_id", "works.id")
    .innerJoin("tags", "tags.id", "work_tags.tag_id")
    .select(["creatorships.pseud_id as pseudId", "tags.name as fandom", "works.id as workId"])
    .where("tags.type", "=", "fandom")
    .where("works.posted", "=", 1)
    .where("works.restricted", "=", 0)
    .orderBy("creatorships.pseud_id")
    .orderBy("tags.name")
    .orderBy("works.published_at")
    .orderBy("works.id")
    .execute();
  const groups: { pseudId: number; fandom: string; workIds: number[] }[] = [];
  const taken = new Set<number>();
  let current: (typeof groups)[number] | undefined;
  for (const row of rows) {
    if (current?.pseudId !== row.pseudId || current.fandom !== row.fandom) {
      current = { pseudId: row.pseudId, fandom: row.fandom, workIds: [] };
      groups.push(current);
    }
    if (current.workIds.length < 3) current.workIds.push(row.workId);
  }
  const chosen: typeof groups = [];
  const pseuds = new Set<number>();
  for (const group of groups) {
    if (chosen.length >= count) break;
    if (group.workIds.length < 2 || pseuds.has(group.pseudId)) continue;
    if (group.workIds.some((id) => taken.has(id))) continue;
    chosen.push(group);
    pseuds.add(group.pseudId);
    for (const id of group.workIds) taken.add(id);
  }
  return chosen;
}
