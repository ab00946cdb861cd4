/** What the autocomplete index is built from, and how it learns that it is out of date. */
import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";

const TYPES = ["fandom", "relationship", "character", "freeform"] as const;

/** Every canonical tag and synonym of the user-entered types: what autocomplete offers. */
export function autocompleteRows(db: Queryable) {
  return db
    .selectFrom("tags")
    .select(["id", "name", "type", "canonical", "merger_id", "public_count", "members_count"])
    .where("type", "in", TYPES)
    .where((eb) => eb.or([eb("canonical", "=", 1), eb("merger_id", "is not", null)]))
    .execute();
}

/** The use counts alone, to refresh an index whose tags have not changed. */
export function autocompleteCounts(db: Queryable) {
  return db
    .selectFrom("tags")
    .select(["id", "public_count", "members_count"])
    .where("type", "in", TYPES)
    .where((eb) => eb.or([eb("canonical", "=", 1), eb("merger_id", "is not", null)]))
    .execute();
}

/** The newest change-log entries for tags (wrangling) and works (counts), in one statement. */
export async function latestTagAndWorkChanges(db: Queryable) {
  const newest = (entity: string) =>
    sql<number>`(select id from changes where entity = ${entity} order by id desc limit 1)`;
  const { rows } = await sql<{ tag: number | string | null; work: number | string | null }>`
    select ${newest("tag")} as tag, ${newest("work")} as work`.execute(db);
  return { tag: Number(rows[0]?.tag ?? 0), work: Number(rows[0]?.work ?? 0) };
}
