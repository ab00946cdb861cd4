/** What the browse index reads from the database: works as documents, tag types, changes. */
import { sql, type Expression } from "kysely";
import type { Queryable } from "../../core/db/index.ts";
import type { TagType, Work } from "../../core/db/schema.ts";

export interface WorkRow {
  id: number;
  restricted: boolean;
  complete: boolean;
  chapters: number;
  words: number;
  language: string;
  revisedAt: number;
  publishedAt: number;
  title: string;
  creator: string;
  fandomCount: number;
  tagIds: number[];
  counts: WorkCountsRow;
}

export interface WorkCountsRow {
  kudos: number;
  hits: number;
  comments: number;
  bookmarks: number;
}

const NO_COUNTS: WorkCountsRow = { kudos: 0, hits: 0, comments: 0, bookmarks: 0 };

const countColumns = ["work_id", "kudos", "hits", "comments", "bookmarks"] as const;

const countsOf = (r: WorkCountsRow): WorkCountsRow => ({
  kudos: r.kudos,
  hits: r.hits,
  comments: r.comments,
  bookmarks: r.bookmarks,
});

/**
 * Posted works' own columns, in id order; the rest of a WorkRow comes per batch. A work hidden
 * by a moderator (or waiting for its collection's reveal) is left out, as works/visibility.ts `listedTo` leaves it out of every listing:
 * hiding and unhiding record a work change, so the catalog drops or re-adds it.
 */
const postedWorks = (db: Queryable, posted: Expression<number> | "posted" = "posted") =>
  db
    .selectFrom("works")
    .select([
      "id",
      "restricted",
      "complete",
      "chapter_count",
      "word_count",
      "language",
      "revised_at",
      "published_at",
      "title",
      "in_anon_collection",
    ])
    .where(posted, "=", 1)
    .where("hidden_reason", "is", null)
    // Waiting for its collection's reveal (issue 15): out of the catalog as a hidden work is.
    .where("in_unrevealed_collection", "=", 0)
    .orderBy("id");

type WorkColumns = Pick<
  Work,
  | "id"
  | "restricted"
  | "complete"
  | "chapter_count"
  | "word_count"
  | "language"
  | "revised_at"
  | "published_at"
  | "title"
  | "in_anon_collection"
>;

/** The creator sort key of an anonymous work: it sorts as "Anonymous", never by its creator. */
const ANONYMOUS_KEY = "anonymous";

function workRow(
  w: WorkColumns,
  creator: string,
  fandomCount: number,
  tagIds: number[],
  counts: WorkCountsRow = NO_COUNTS,
): WorkRow {
  return {
    id: w.id,
    restricted: w.restricted === 1,
    complete: w.complete === 1,
    chapters: w.chapter_count,
    words: w.word_count,
    language: w.language,
    revisedAt: w.revised_at ?? 0,
    publishedAt: w.published_at ?? 0,
    title: w.title,
    creator: w.in_anon_collection ? ANONYMOUS_KEY : creator,
    fandomCount,
    tagIds,
    counts,
  };
}

/**
 * Posted works with ids in `ids` (or, without ids, the next `limit` after `afterId`), with
 * their folded tags, their first creator and how many fandoms their author typed.
 */
export async function loadWorkRows(
  db: Queryable,
  select: { ids: readonly number[] } | { afterId: number; limit: number },
): Promise<WorkRow[]> {
  let q = postedWorks(db);
  if ("ids" in select) {
    if (select.ids.length === 0) return [];
    q = q.where("id", "in", select.ids);
  } else {
    q = q.where("id", ">", select.afterId).limit(select.limit);
  }
  const works = await q.execute();
  if (works.length === 0) return [];
  const workIds = works.map((w) => w.id);
  const [filters, creators, fandoms, stats] = await Promise.all([
    db
      .selectFrom("work_filter_tags")
      .select(["work_id", "tag_id"])
      .where("work_id", "in", workIds)
      .execute(),
    db
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .select(["creatorships.work_id", "pseuds.name_key", "creatorships.position"])
      .where("creatorships.work_id", "in", workIds)
      .orderBy("creatorships.position")
      .execute(),
    db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .select((eb) => ["work_tags.work_id", eb.fn.countAll<number | string>().as("n")])
      .where("work_tags.work_id", "in", workIds)
      .where("tags.type", "=", "fandom")
      .groupBy("work_tags.work_id")
      .execute(),
    db.selectFrom("work_stats").select(countColumns).where("work_id", "in", workIds).execute(),
  ]);
  const countsMap = new Map(stats.map((r) => [r.work_id, countsOf(r)]));
  const tagsOf = new Map<number, number[]>();
  for (const f of filters) {
    const list = tagsOf.get(f.work_id) ?? [];
    list.push(f.tag_id);
    tagsOf.set(f.work_id, list);
  }
  const creatorOf = new Map<number, string>();
  for (const c of creators) if (!creatorOf.has(c.work_id)) creatorOf.set(c.work_id, c.name_key);
  const fandomCount = new Map(fandoms.map((f) => [f.work_id, Number(f.n)]));
  return works.map((w) =>
    workRow(
      w,
      creatorOf.get(w.id) ?? "",
      fandomCount.get(w.id) ?? 0,
      tagsOf.get(w.id) ?? [],
      countsMap.get(w.id),
    ),
  );
}

/**
 * Posted works with ids in (`after`, `upTo`], read as range scans (start-up reads every
 * work): tag ids come aggregated into one string per work, so a million works cost a
 * million rows, not twenty million.
 */
export async function scanWorkRows(
  db: Queryable,
  engine: "sqlite" | "postgres",
  after: number,
  upTo: number,
): Promise<WorkRow[]> {
  // On SQLite `+posted` and `+work_id`: the listing index (posted, revised_at, id) and the
  // (work_id, tag_id) key would otherwise be chosen on a database not yet analyzed, reading
  // every posted work for each batch, or every tagging of the range for its few fandoms.
  // PostgreSQL plans these well as they are.
  const posted = engine === "sqlite" ? sql<number>`+posted` : "posted";
  const taggedWork = engine === "sqlite" ? sql<number>`+work_id` : sql<number>`work_id`;
  const agg =
    engine === "postgres"
      ? sql<string>`string_agg(tag_id::text, ',')`
      : sql<string>`group_concat(tag_id)`;
  const [works, tags, creators, fandoms, stats] = await Promise.all([
    postedWorks(db, posted).where("id", ">", after).where("id", "<=", upTo).execute(),
    db
      .selectFrom("work_filter_tags")
      .select(["work_id", agg.as("ids")])
      .where("work_id", ">", after)
      .where("work_id", "<=", upTo)
      .groupBy("work_id")
      .execute(),
    db
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .select(["creatorships.work_id", "pseuds.name_key", "creatorships.position"])
      .where("creatorships.work_id", ">", after)
      .where("creatorships.work_id", "<=", upTo)
      .execute(),
    // Only the fandom taggings, found through the tag index (one seek per fandom): joining
    // every tagging of the range to `tags` cost a lookup each.
    db
      .selectFrom("work_tags")
      .select("work_id")
      .where(taggedWork, ">", after)
      .where(taggedWork, "<=", upTo)
      .where("tag_id", "in", (eb) =>
        eb.selectFrom("tags").select("id").where("type", "=", "fandom"),
      )
      .execute(),
    db
      .selectFrom("work_stats")
      .select(countColumns)
      .where("work_id", ">", after)
      .where("work_id", "<=", upTo)
      .execute(),
  ]);
  if (works.length === 0) return [];
  const countsMap = new Map(stats.map((r) => [r.work_id, countsOf(r)]));
  const tagsOf = new Map(tags.map((t) => [t.work_id, t.ids]));
  const creatorOf = new Map<number, { name: string; position: number }>();
  for (const c of creators) {
    const seen = creatorOf.get(c.work_id);
    if (!seen || c.position < seen.position) {
      creatorOf.set(c.work_id, { name: c.name_key, position: c.position });
    }
  }
  const fandomCount = new Map<number, number>();
  for (const f of fandoms) fandomCount.set(f.work_id, (fandomCount.get(f.work_id) ?? 0) + 1);
  return works.map((w) => {
    const ids = tagsOf.get(w.id);
    return workRow(
      w,
      creatorOf.get(w.id)?.name ?? "",
      fandomCount.get(w.id) ?? 0,
      ids ? parseIds(ids) : [],
      countsMap.get(w.id),
    );
  });
}

/** The lowest work id above `id` (drafts too), or null: where the scan goes on after a gap. */
export async function firstWorkAfter(db: Queryable, id: number): Promise<number | null> {
  const row = await db
    .selectFrom("works")
    .select((eb) => eb.fn.min("id").as("id"))
    .where("id", ">", id)
    .executeTakeFirst();
  return row?.id == null ? null : Number(row.id);
}

/** "12,7,40" → [12, 7, 40]: a million works' lists, without split's and Number's garbage. */
function parseIds(list: string): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      out.push(n);
      n = 0;
    } else {
      n = n * 10 + (c - 48);
    }
  }
  out.push(n);
  return out;
}

/** Every tag's type, in id order: the index numbers its slots in this order, so both engines
 * lay it out alike (PostgreSQL returns rows in heap order, which updates reshuffle). */
export async function tagTypes(db: Queryable): Promise<Map<number, TagType>> {
  const rows = await db.selectFrom("tags").select(["id", "type"]).orderBy("id").execute();
  return new Map(rows.map((r) => [r.id, r.type]));
}

/** Works whose folded set holds the tag now. */
export async function worksInFilter(db: Queryable, tagId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("work_filter_tags")
    .select("work_id")
    .where("tag_id", "=", tagId)
    .execute();
  return rows.map((r) => r.work_id);
}

/** Types of some tags (new ones, or ones a change touched). */
export async function tagTypesOf(db: Queryable, ids: readonly number[]) {
  const types = new Map<number, TagType>();
  for (let i = 0; i < ids.length; i += 5_000) {
    const rows = await db
      .selectFrom("tags")
      .select(["id", "type"])
      .where("id", "in", ids.slice(i, i + 5_000))
      .execute();
    for (const r of rows) types.set(r.id, r.type);
  }
  return types;
}

/** The newest change logged before `before` (ms): later ones may still be committing. */
export async function settledChangeId(db: Queryable, before: number): Promise<number> {
  const row = await db
    .selectFrom("changes")
    .select((eb) => eb.fn.max("id").as("id"))
    .where("created_at", "<", before)
    .executeTakeFirst();
  return row?.id == null ? 0 : Number(row.id);
}

/**
 * Drops change-log entries older than `before` (every follower has long caught up) and
 * already applied by the text index, in id
 * ranges: the scan stops at the first newer entry instead of reading the whole log, which
 * counts make long. The newest entry is always kept, so a quiet archive's document cache
 * still names an entry the log holds. Returns how many were dropped.
 */
export async function pruneChangesBefore(db: Queryable, before: number): Promise<number> {
  const [firstKept, newest, textAt] = await Promise.all([
    db
      .selectFrom("changes")
      .select("id")
      .where("created_at", ">=", before)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst(),
    newestChange(db),
    db.selectFrom("work_text_cursor").select("change_id").executeTakeFirst(),
  ]);
  if (!newest) return 0;
  // The text index saves its position: entries after it stay, however old, until it has
  // applied them (a follower that was down for a day must not lose what it missed).
  const textCut = textAt ? Number(textAt.change_id) + 1 : Infinity;
  const cut = Math.min(firstKept ? Number(firstKept.id) : Infinity, newest.changeId, textCut);
  let dropped = 0;
  for (;;) {
    // Short transactions: writers append to the log between them.
    const result = await db
      .deleteFrom("changes")
      .where("id", "in", (eb) =>
        eb
          .selectFrom("changes")
          .select("id")
          .where("id", "<", cut)
          .orderBy("id")
          .limit(PRUNE_BATCH),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    dropped += n;
    if (n < PRUNE_BATCH) return dropped;
  }
}
const PRUNE_BATCH = 10_000;

/** The newest change-log entry, or undefined when the log is empty. */
export async function newestChange(db: Queryable) {
  const row = await db
    .selectFrom("changes")
    .select(["id", "entity", "entity_id", "created_at"])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? changeMark(row) : undefined;
}

const changeMark = (row: {
  id: number;
  entity: string;
  entity_id: number;
  created_at: number;
}) => ({
  changeId: Number(row.id),
  entity: row.entity,
  entityId: row.entity_id,
  createdAt: Number(row.created_at),
});

/** One change-log entry, or undefined (never written, or pruned). */
export async function changeById(db: Queryable, id: number) {
  const row = await db
    .selectFrom("changes")
    .select(["id", "entity", "entity_id", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? changeMark(row) : undefined;
}

/** The counts of some works (a work without a `work_stats` row is absent: all zero). */
export async function loadCounts(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, WorkCountsRow>> {
  if (workIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("work_stats")
    .select(countColumns)
    .where("work_id", "in", workIds)
    .execute();
  return new Map(rows.map((r) => [r.work_id, countsOf(r)]));
}

/**
 * Whether this PostgreSQL database notifies change-log commits (its migration has run): a
 * listener on a database without the trigger would hear nothing and never read the log.
 */
export async function changesNotifyInstalled(db: Queryable): Promise<boolean> {
  const { rows } = await sql<{ n: number | string }>`
    select count(*) as n from pg_trigger
    where tgname = 'changes_notify' and tgrelid = to_regclass('changes')`.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}
