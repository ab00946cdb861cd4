/**
 * `readings`: one row per reader and work holding their history entry, the "marked for later"
 * flag and their saved place. A row made by marking or saving a place (never by a view, e.g. a
 * creator's own work) starts outside the history, with no visits.
 */
import type { Queryable } from "../../core/db/index.ts";
import { prepared, type Params } from "../../core/db/prepared.ts";
import type { Selectable } from "kysely";
import type { ReadingsTable, Work } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { listedTo, listingRules } from "../../works/visibility.ts";

/** A reader's row for one work, if they have one (read by work-page/queries.ts). */
export type Reading = Selectable<ReadingsTable> | undefined;

/** The reader's "Turn on History" preference. */
export async function historyEnabled(db: Queryable, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("history_enabled")
    .where("id", "=", userId)
    .executeTakeFirst();
  return Number(row?.history_enabled ?? 0) === 1;
}

export async function setHistoryEnabled(db: Queryable, userId: number, on: boolean) {
  await db
    .updateTable("users")
    .set({ history_enabled: on ? 1 : 0 })
    .where("id", "=", userId)
    .execute();
}

// Every logged-in view of a work writes it: built once (core/db/prepared.ts).
const recordVisitQuery = prepared(
  (db, p: Params<{ userId: number; workId: number; chaptersSeen: number; now: number }>) =>
    db
      .insertInto("readings")
      .values({
        user_id: p("userId"),
        work_id: p("workId"),
        first_read_at: p("now"),
        last_read_at: p("now"),
        visits: 1,
        chapters_seen: p("chaptersSeen"),
        in_history: 1,
      })
      .onConflict((oc) =>
        oc.columns(["user_id", "work_id"]).doUpdateSet((eb) => ({
          last_read_at: p("now"),
          visits: eb("readings.visits", "+", 1),
          chapters_seen: p("chaptersSeen"),
          in_history: 1,
        })),
      ),
);

/** A reading page was shown: add the work to the history, or count one more visit. */
export async function recordVisit(
  db: Queryable,
  v: { userId: number; workId: number; chaptersSeen: number; now: number },
) {
  await recordVisitQuery.execute(db, v);
}

export async function setMarkedForLater(
  db: Queryable,
  m: { userId: number; workId: number; marked: boolean; chaptersSeen: number; now: number },
) {
  const flag = m.marked ? 1 : 0;
  await db
    .insertInto("readings")
    .values({
      user_id: m.userId,
      work_id: m.workId,
      first_read_at: m.now,
      last_read_at: m.now,
      visits: 0,
      chapters_seen: m.chaptersSeen,
      in_history: 0,
      marked_for_later: flag,
    })
    .onConflict((oc) => oc.columns(["user_id", "work_id"]).doUpdateSet({ marked_for_later: flag }))
    .execute();
}

export interface PositionRow {
  userId: number;
  workId: number;
  chapterId: number;
  chapterPosition: number;
  paragraph: number;
  anchor: string | null;
  chaptersSeen: number;
  now: number;
}

export async function savePosition(db: Queryable, p: PositionRow) {
  const position = {
    position_chapter_id: p.chapterId,
    position_chapter_position: p.chapterPosition,
    position_paragraph: p.paragraph,
    position_anchor: p.anchor,
    position_at: p.now,
  };
  await db
    .insertInto("readings")
    .values({
      user_id: p.userId,
      work_id: p.workId,
      first_read_at: p.now,
      last_read_at: p.now,
      visits: 0,
      chapters_seen: p.chaptersSeen,
      in_history: 0,
      ...position,
    })
    .onConflict((oc) => oc.columns(["user_id", "work_id"]).doUpdateSet(position))
    .execute();
}

/** Takes a work out of the history; the saved place and "marked for later" stay. */
export async function removeFromHistory(db: Queryable, userId: number, workId: number) {
  await db
    .updateTable("readings")
    .set({ in_history: 0 })
    .where("user_id", "=", userId)
    .where("work_id", "=", workId)
    .execute();
}

export async function clearHistory(db: Queryable, userId: number) {
  await db
    .updateTable("readings")
    .set({ in_history: 0 })
    .where("user_id", "=", userId)
    .where("in_history", "=", 1)
    .execute();
}

export type HistoryEntry = {
  work: Work;
  reading: {
    lastReadAt: number;
    visits: number;
    chaptersSeen: number;
    inHistory: boolean;
    markedForLater: boolean;
    position: (SavedPositionColumns & { at: number }) | null;
  };
};

interface SavedPositionColumns {
  chapterId: number;
  chapterPosition: number;
  paragraph: number;
  anchor: string | null;
}

/**
 * The reader's readings of works they may still see, newest visit first: the history, or the
 * works marked for later. Saved exclusions do not apply (it is their own list), but drafts
 * and deleted works never show.
 */
function readingsOfVisibleWorks(db: Queryable, viewer: Viewer, userId: number) {
  return db
    .selectFrom("readings")
    .innerJoin("works", "works.id", "readings.work_id")
    .where("readings.user_id", "=", userId)
    .where(listedTo(viewer, listingRules(viewer, { exclusions: false })));
}

export const READING_COLUMNS = [
  "readings.last_read_at",
  "readings.visits",
  "readings.chapters_seen",
  "readings.in_history",
  "readings.marked_for_later",
  "readings.position_chapter_id",
  "readings.position_chapter_position",
  "readings.position_paragraph",
  "readings.position_anchor",
  "readings.position_at",
] as const;

type ReadingColumns = {
  last_read_at: number;
  visits: number;
  chapters_seen: number;
  in_history: number;
  marked_for_later: number;
  position_chapter_id: number | null;
  position_chapter_position: number | null;
  position_paragraph: number | null;
  position_anchor: string | null;
  position_at: number | null;
};

function toEntry(row: Work & ReadingColumns): HistoryEntry {
  const {
    last_read_at,
    visits,
    chapters_seen,
    in_history,
    marked_for_later,
    position_chapter_id,
    position_chapter_position,
    position_paragraph,
    position_anchor,
    position_at,
    ...work
  } = row;
  const hasPosition =
    position_chapter_id !== null &&
    position_chapter_position !== null &&
    position_paragraph !== null &&
    position_at !== null;
  return {
    work,
    reading: {
      lastReadAt: Number(last_read_at),
      visits: Number(visits),
      chaptersSeen: Number(chapters_seen),
      inHistory: Number(in_history) === 1,
      markedForLater: Number(marked_for_later) === 1,
      position: hasPosition
        ? {
            chapterId: position_chapter_id,
            chapterPosition: position_chapter_position,
            paragraph: position_paragraph,
            anchor: position_anchor,
            at: Number(position_at),
          }
        : null,
    },
  };
}

export async function historyPage(
  db: Queryable,
  viewer: Viewer,
  userId: number,
  opts: { list: "history" | "to-read"; page: number; size: number },
): Promise<{ entries: HistoryEntry[]; total: number }> {
  const q = readingsOfVisibleWorks(db, viewer, userId).where(
    opts.list === "to-read" ? "readings.marked_for_later" : "readings.in_history",
    "=",
    1,
  );
  const [rows, count] = await Promise.all([
    q
      .selectAll("works")
      .select(READING_COLUMNS)
      .orderBy("readings.last_read_at", "desc")
      .orderBy("readings.work_id", "desc")
      .limit(opts.size)
      .offset((opts.page - 1) * opts.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { entries: rows.map(toEntry), total: Number(count.n) };
}

export async function countHistory(db: Queryable, viewer: Viewer, userId: number) {
  const row = await readingsOfVisibleWorks(db, viewer, userId)
    .where("readings.in_history", "=", 1)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The reader's most recently saved places in works still in their history. */
export async function recentPositions(
  db: Queryable,
  viewer: Viewer,
  userId: number,
  limit: number,
): Promise<HistoryEntry[]> {
  const rows = await readingsOfVisibleWorks(db, viewer, userId)
    .where("readings.in_history", "=", 1)
    .where("readings.position_at", "is not", null)
    .selectAll("works")
    .select(READING_COLUMNS)
    .orderBy("readings.position_at", "desc")
    .orderBy("readings.work_id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export interface ChapterEntry {
  id: number;
  workId: number;
  position: number;
  title: string;
}

/** Posted chapters of each work, in reading order. */
export async function postedChapters(
  db: Queryable,
  workIds: readonly number[],
): Promise<Map<number, ChapterEntry[]>> {
  const byWork = new Map<number, ChapterEntry[]>();
  if (workIds.length === 0) return byWork;
  const rows = await db
    .selectFrom("chapters")
    .select(["id", "work_id as workId", "position", "title"])
    .where("work_id", "in", workIds)
    .where("posted", "=", 1)
    .orderBy("work_id")
    .orderBy("position")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    const list = byWork.get(row.workId) ?? [];
    list.push(row);
    byWork.set(row.workId, list);
  }
  return byWork;
}

/** Chapter texts by id. */
export async function chapterTexts(
  db: Queryable,
  chapterIds: readonly number[],
): Promise<Map<number, string>> {
  if (chapterIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("chapters")
    .select(["id", "text_html"])
    .where("id", "in", [...new Set(chapterIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.text_html]));
}
