import { sql, type Insertable } from "kysely";
import type { Engine, Queryable } from "../core/db/index.ts";
import type { Database, TagType } from "../core/db/schema.ts";

export async function countUsers(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type Table = "works" | "chapters" | "creatorships" | "work_tags";

/** Inserts many rows in statements that stay under both engines' bind-parameter limits. */
export async function insertMany<T extends Table>(
  db: Queryable,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute();
  }
}

export async function maxId(db: Queryable, table: "works" | "chapters"): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | string | null>("id").as("max"))
    .executeTakeFirstOrThrow();
  return Number(row.max ?? 0);
}

/** After rows were inserted with explicit ids, PostgreSQL's sequences must move past them. */
export async function syncIdSequences(db: Queryable, engine: Engine) {
  if (engine !== "postgres") return;
  for (const table of ["works", "chapters"] as const) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 1) from ${sql.table(table)}))`.execute(
      db,
    );
  }
}

export function tagsOfType(db: Queryable, type: TagType) {
  return db.selectFrom("tags").selectAll().where("type", "=", type).orderBy("id").execute();
}

/**
 * Refreshes the planner's statistics after a bulk load. Without them PostgreSQL plans the
 * wrangling queries for empty tables (seen: 112 s instead of 4.8 s to wrangle the demo).
 */
export async function analyzeTables(db: Queryable, engine: Engine) {
  await sql.raw(engine === "postgres" ? "analyze" : "pragma optimize").execute(db);
}

/** Demo accounts (with their default pseud) and posted works (with their creators' ids). */
export async function demoEngagementTargets(db: Queryable) {
  const users = await db
    .selectFrom("users")
    .innerJoin("pseuds", (join) =>
      join.onRef("pseuds.user_id", "=", "users.id").on("pseuds.is_default", "=", 1),
    )
    .select(["users.id", "users.login", "pseuds.id as pseudId"])
    .orderBy("users.id")
    .execute();
  const works = await db
    .selectFrom("works")
    .select(["id", "title", "comment_policy as commentPolicy"])
    .where("posted", "=", 1)
    .orderBy("id")
    .execute();
  const creators = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select(["creatorships.work_id", "pseuds.user_id"])
    .execute();
  const byWork = new Map<number, number[]>();
  for (const c of creators) byWork.set(c.work_id, [...(byWork.get(c.work_id) ?? []), c.user_id]);
  return {
    users,
    works: works.map((w) => ({ ...w, creatorIds: byWork.get(w.id) ?? [] })),
  };
}
