/**
 * SQL of the AO3 data dump import (import/ao3-dump/import.ts): the account the works are
 * credited to, tags created many at a time, synonym links, and a batch of metadata-only
 * works written as the posting commands would store them.
 */
import { sql } from "kysely";
import { recordChanges } from "../../core/db/changes.ts";
import type { Queryable } from "../../core/db/index.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import type { TagType } from "../../core/db/schema.ts";
import { refreshFilterTags, worksTaggedWith } from "../../tags/queries.ts";

/** Works from the dump have no creators: they are credited to this reserved account. */
export const DUMP_LOGIN = "ao3_data_dump";
const DUMP_EMAIL = "ao3_data_dump@imports.invalid";
/** Not an Argon2 hash: no password verifies against it, so nobody can log in as it. */
const NO_PASSWORD = "!ao3-data-dump-cannot-log-in";

export interface DumpAccount {
  userId: number;
  pseudId: number;
}

/** The dump account as created by this importer; "taken" if an ordinary account has the name. */
export async function findDumpAccount(db: Queryable): Promise<DumpAccount | "taken" | null> {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "password_hash"])
    .where("login_key", "=", DUMP_LOGIN)
    .executeTakeFirst();
  if (!user) return null;
  if (user.email !== DUMP_EMAIL || user.password_hash !== NO_PASSWORD) return "taken";
  const pseud = await db
    .selectFrom("pseuds")
    .select("id")
    .where("user_id", "=", user.id)
    .where("is_default", "=", 1)
    .executeTakeFirst();
  return pseud ? { userId: user.id, pseudId: pseud.id } : null;
}

export async function createDumpAccount(db: Queryable, now: number): Promise<DumpAccount> {
  const user = await db
    .insertInto("users")
    .values({
      login: DUMP_LOGIN,
      login_key: DUMP_LOGIN,
      email: DUMP_EMAIL,
      password_hash: NO_PASSWORD,
      created_at: now,
      email_confirmed_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const pseud = await db
    .insertInto("pseuds")
    .values({
      user_id: user.id,
      name: DUMP_LOGIN,
      name_key: DUMP_LOGIN,
      is_default: 1,
      description: "Works imported from the AO3 data dump: metadata only, no creators or text.",
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { userId: user.id, pseudId: pseud.id };
}

export async function countWorksOf(db: Queryable, pseudId: number): Promise<number> {
  const row = await db
    .selectFrom("creatorships")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("pseud_id", "=", pseudId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface TagState {
  id: number;
  name_key: string;
  type: TagType;
  canonical: number;
  merger_id: number | null;
  taggings_count: number;
}

const STATE = ["id", "name_key", "type", "canonical", "merger_id", "taggings_count"] as const;

export function tagsByKeys(db: Queryable, keys: readonly string[]): Promise<TagState[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db.selectFrom("tags").select(STATE).where("name_key", "in", keys).execute();
}

export function tagsByIds(db: Queryable, ids: readonly number[]): Promise<TagState[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("tags").select(STATE).where("id", "in", ids).execute();
}

/** Creates tags (a name another process took meanwhile is skipped); the new rows. */
export async function insertTags(
  db: Queryable,
  rows: readonly { name: string; name_key: string; type: TagType; canonical: boolean }[],
  now: number,
): Promise<TagState[]> {
  if (rows.length === 0) return [];
  const out: TagState[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    out.push(
      ...(await db
        .insertInto("tags")
        .values(
          rows.slice(i, i + 1000).map((r) => ({
            name: r.name,
            name_key: r.name_key,
            type: r.type,
            canonical: r.canonical ? (1 as const) : (0 as const),
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.column("name_key").doNothing())
        .returning(STATE)
        .execute()),
    );
  }
  return out;
}

/** Makes each `tagId` a synonym of its `mergerId`, in one statement. */
export async function setMergers(
  db: Queryable,
  links: readonly { tagId: number; mergerId: number }[],
) {
  if (links.length === 0) return;
  const cases = sql.join(
    links.map((l) => sql`when ${l.tagId} then cast(${l.mergerId} as integer)`),
    sql` `,
  );
  const ids = sql.join(links.map((l) => sql`${l.tagId}`));
  await sql`update tags set canonical = 0, merger_id = case id ${cases} end where id in (${ids})`.execute(
    db,
  );
}

/**
 * Tags that were already used before they became synonyms: the works carrying them fold
 * into the canonical tag now, and the search index re-reads them.
 */
export async function refoldTags(db: Queryable, tagIds: readonly number[], now: number) {
  if (tagIds.length === 0) return;
  await refreshFilterTags(db, worksTaggedWith(tagIds));
  await recordChanges(db, "tag", tagIds, now);
}

/** A metadata-only work, its one chapter and its tags (rating first, as posting stores them). */
export interface DumpWorkRow {
  title: string;
  language: string;
  restricted: boolean;
  complete: boolean;
  words: number;
  createdAt: number;
  ratingId: number;
  tagIds: readonly number[];
}

/**
 * Writes a batch of works as `postWork` would store posted works (same columns and derived
 * counts, one chapter each), with the dump's word count standing for the text it does not
 * hold. Inside the caller's transaction; returns the new works' ids.
 */
export async function insertDumpWorks(
  db: Queryable,
  works: readonly DumpWorkRow[],
  by: { pseudId: number; chapterHtml: SanitizedHtml; sanitizerVersion: number; now: number },
): Promise<number[]> {
  if (works.length === 0) return [];
  const titleIds = new Map<string, number>();
  const size = 1000;
  for (let i = 0; i < works.length; i += size) {
    const rows = await db
      .insertInto("works")
      .values(
        works.slice(i, i + size).map((w) => ({
          title: w.title,
          sanitizer_version: by.sanitizerVersion,
          language: w.language,
          expected_chapters: w.complete ? 1 : null,
          chapter_count: 1,
          word_count: w.words,
          complete: w.complete ? (1 as const) : (0 as const),
          restricted: w.restricted ? (1 as const) : (0 as const),
          posted: 1 as const,
          rating_id: w.ratingId,
          published_at: w.createdAt,
          revised_at: w.createdAt,
          created_at: w.createdAt,
          edited_at: w.createdAt,
          version: 1,
        })),
      )
      .returning(["id", "title"])
      .execute();
    for (const r of rows) titleIds.set(r.title, r.id);
  }
  const ids = works.map((w) => {
    const id = titleIds.get(w.title);
    if (id === undefined) throw new Error(`The work "${w.title}" was not stored.`);
    return id;
  });
  const chapters = works.map((w, i) => ({
    work_id: ids[i]!,
    position: 1,
    text_html: by.chapterHtml,
    sanitizer_version: by.sanitizerVersion,
    word_count: w.words,
    posted: 1 as const,
    published_at: w.createdAt,
    created_at: w.createdAt,
    edited_at: w.createdAt,
  }));
  for (let i = 0; i < chapters.length; i += size)
    await db
      .insertInto("chapters")
      .values(chapters.slice(i, i + size))
      .execute();
  const creatorships = ids.map((work_id) => ({ work_id, pseud_id: by.pseudId, position: 0 }));
  for (let i = 0; i < creatorships.length; i += size)
    await db
      .insertInto("creatorships")
      .values(creatorships.slice(i, i + size))
      .execute();
  const links = works.flatMap((w, i) =>
    w.tagIds.map((tag_id, position) => ({ work_id: ids[i]!, tag_id, position })),
  );
  for (let i = 0; i < links.length; i += 5000)
    await db
      .insertInto("work_tags")
      .values(links.slice(i, i + 5000))
      .execute();
  // The batch's ids as a range (an IN list of a thousand ids gets a poor plan on PostgreSQL),
  // narrowed to the dump account's works in case another process posted in between.
  const first = Math.min(...ids);
  const last = Math.max(...ids);
  await refreshFilterTags(
    db,
    sql`select work_id from creatorships where pseud_id = ${by.pseudId} and work_id between ${first} and ${last}`,
  );
  await recordChanges(db, "work", ids, by.now);
  await addTagUses(db, works);
  return ids;
}

/**
 * Counts the new works' tags in each tag's use counts (tags/count-queries.ts): every dump
 * work is posted, so it counts for logged-in readers, and for guests unless restricted. In
 * the batch's transaction, so counts and works commit together on a live archive too.
 */
async function addTagUses(db: Queryable, works: readonly DumpWorkRow[]) {
  const uses = new Map<number, { all: number; pub: number }>();
  for (const w of works)
    for (const id of w.tagIds) {
      const u = uses.get(id) ?? { all: 0, pub: 0 };
      u.all++;
      if (!w.restricted) u.pub++;
      uses.set(id, u);
    }
  const entries = [...uses];
  for (let i = 0; i < entries.length; i += 1000) {
    // UPDATE … FROM (VALUES …): both engines name the columns column1, column2, column3.
    const values = sql.join(
      entries
        .slice(i, i + 1000)
        .map(
          ([id, u]) =>
            sql`(cast(${id} as integer), cast(${u.all} as integer), cast(${u.pub} as integer))`,
        ),
    );
    await sql`update tags set
        taggings_count = taggings_count + v.column2,
        members_count = members_count + v.column2,
        public_count = public_count + v.column3
      from (values ${values}) as v
      where v.column1 = tags.id`.execute(db);
  }
}
