import { sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import { prepared, type Params } from "../core/db/prepared.ts";
import type { Chapter, NewChapter } from "../core/db/schema.ts";
import { EMPTY_HTML, type SanitizedHtml } from "../core/text/sanitize.ts";
import { renderChapterText } from "./rendered.ts";

/*
 * `rendered_html` is written only here, always beside the text and position it is rendered
 * from (rendered.ts), so a stored rendering is never stale.
 */

export async function insertChapter(
  db: Queryable,
  chapter: Omit<NewChapter, "rendered_html">,
): Promise<number> {
  const row = await db
    .insertInto("chapters")
    .values({ ...chapter, rendered_html: renderChapterText(chapter.text_html, chapter.position) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function chaptersOfWork(db: Queryable, workId: number): Promise<Chapter[]> {
  return db
    .selectFrom("chapters")
    .selectAll()
    .where("work_id", "=", workId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/** Chapter list without texts, for indexes and navigation. */
export function chapterIndex(db: Queryable, workId: number) {
  return db
    .selectFrom("chapters")
    .select(["id", "position", "title", "posted", "published_at", "word_count"])
    .where("work_id", "=", workId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/**
 * A chapter page's chapters in one statement: every chapter's index columns, and the whole
 * row but its texts of the one shown (`chapterId`, or when null the first posted one, or the
 * first of all when `drafts` is 1: for its creators), on that row alone. The text comes from
 * memory or `renderedText` (rendered-cache.ts). Built once (core/db/prepared.ts).
 */
const indexWithChapter = prepared(
  (db, p: Params<{ workId: number; chapterId: number | null; drafts: 0 | 1 }>) => {
    const first = db
      .selectFrom("chapters as f")
      .select("f.id")
      .where("f.work_id", "=", p("workId"))
      .where((eb) => eb.or([eb("f.posted", "=", 1), sql<boolean>`${p("drafts")} = 1`]))
      .orderBy("f.position")
      .orderBy("f.id")
      .limit(1);
    return db
      .selectFrom("chapters")
      .leftJoin("chapters as shown", (join) =>
        join
          .onRef("shown.id", "=", "chapters.id")
          .on("shown.id", "=", sql<number>`coalesce(${p("chapterId")}, (${first}))`),
      )
      .select([
        "chapters.id",
        "chapters.position",
        "chapters.title",
        "chapters.posted",
        "chapters.published_at",
        "chapters.word_count",
        "shown.id as shownId",
        "shown.summary_html",
        "shown.notes_html",
        "shown.end_notes_html",
        "shown.sanitizer_version",
        "shown.created_at",
        "shown.edited_at",
      ])
      .where("chapters.work_id", "=", p("workId"))
      .orderBy("chapters.position")
      .orderBy("chapters.id");
  },
);

export interface ChapterIndexRow {
  id: number;
  position: number;
  title: string;
  posted: number;
  published_at: number | null;
  word_count: number;
}

/** A chapter's row without its texts. */
export type ChapterMeta = Omit<Chapter, "text_html" | "rendered_html">;

/**
 * The chapter index with one chapter's row but its texts: `chapterId`, or (null) the first
 * posted one, the first of all with `drafts`. `chapter` is undefined when that is not among
 * them.
 */
export async function chapterIndexWith(
  db: Queryable,
  workId: number,
  chapterId: number | null,
  drafts: boolean,
): Promise<{ index: ChapterIndexRow[]; chapter: ChapterMeta | undefined }> {
  const rows = await indexWithChapter.execute(db, { workId, chapterId, drafts: drafts ? 1 : 0 });
  let chapter: ChapterMeta | undefined;
  const index = rows.map((r) => {
    const row = {
      id: r.id,
      position: r.position,
      title: r.title,
      posted: r.posted,
      published_at: r.published_at,
      word_count: r.word_count,
    };
    if (r.shownId !== null)
      chapter = {
        ...row,
        work_id: workId,
        summary_html: r.summary_html ?? EMPTY_HTML,
        notes_html: r.notes_html ?? EMPTY_HTML,
        end_notes_html: r.end_notes_html ?? EMPTY_HTML,
        sanitizer_version: r.sanitizer_version ?? 0,
        created_at: r.created_at ?? 0,
        edited_at: r.edited_at ?? 0,
      };
    return row;
  });
  return { index, chapter };
}

/**
 * A chapter's rendered text, with what it is valid for read in the same statement (see
 * rendered-cache.ts); its source text only when none is stored yet (CASE reads it lazily).
 */
const renderedTextQuery = prepared((db, p: Params<{ chapterId: number }>) =>
  db
    .selectFrom("chapters")
    .innerJoin("works", "works.id", "chapters.work_id")
    .select([
      "chapters.position",
      "chapters.edited_at",
      "works.version",
      "chapters.rendered_html",
      sql<SanitizedHtml | null>`case when ${sql.ref("chapters.rendered_html")} is null then ${sql.ref("chapters.text_html")} end`.as(
        "text_html",
      ),
    ])
    .where("chapters.id", "=", p("chapterId")),
);

export function renderedText(db: Queryable, chapterId: number) {
  return renderedTextQuery.executeTakeFirst(db, { chapterId });
}

/** One chapter by its id alone, for AO3's short `/chapters/:id` addresses. */
export function findChapterById(db: Queryable, chapterId: number) {
  return db.selectFrom("chapters").selectAll().where("id", "=", chapterId).executeTakeFirst();
}

export function findChapter(db: Queryable, workId: number, chapterId: number) {
  return db
    .selectFrom("chapters")
    .selectAll()
    .where("work_id", "=", workId)
    .where("id", "=", chapterId)
    .executeTakeFirst();
}

/** Changes a chapter in place (`setPositions` moves it); new text is rendered for `position`. */
export async function updateChapter(
  db: Queryable,
  chapter: { id: number; position: number },
  changes: Omit<Partial<NewChapter>, "rendered_html" | "position" | "work_id">,
) {
  const rendered =
    changes.text_html === undefined
      ? {}
      : { rendered_html: renderChapterText(changes.text_html, chapter.position) };
  await db
    .updateTable("chapters")
    .set({ ...changes, ...rendered })
    .where("id", "=", chapter.id)
    .execute();
}

/**
 * Keeps the rendering a view made of a chapter that had none. Written only while there is
 * still none and the chapter has not moved: a save in between has stored its own.
 */
export async function keepRendered(
  db: Queryable,
  chapter: { id: number; position: number },
  html: SanitizedHtml,
) {
  await db
    .updateTable("chapters")
    .set({ rendered_html: html })
    .where("id", "=", chapter.id)
    .where("position", "=", chapter.position)
    .where("rendered_html", "is", null)
    .execute();
}

export async function deleteChapter(db: Queryable, id: number) {
  await db.deleteFrom("chapters").where("id", "=", id).execute();
}

/**
 * Numbers a work's chapters in this order. Only chapters that move are written, each with
 * its text rendered again: paragraph ids carry the chapter's position.
 */
export async function setPositions(db: Queryable, workId: number, orderedIds: readonly number[]) {
  const rows = await db
    .selectFrom("chapters")
    .select(["id", "position"])
    .where("work_id", "=", workId)
    .execute();
  const was = new Map(rows.map((r) => [r.id, r.position]));
  const moved = orderedIds.flatMap((id, i) => {
    const position = i + 1;
    return was.has(id) && was.get(id) !== position ? [{ id, position }] : [];
  });
  if (moved.length === 0) return;
  const movedTo = new Map(moved.map((m) => [m.id, m.position]));
  const texts = await db
    .selectFrom("chapters")
    .select(["id", "text_html"])
    .where(
      "id",
      "in",
      moved.map((m) => m.id),
    )
    .execute();
  for (const { id, text_html } of texts) {
    const position = movedTo.get(id);
    if (position === undefined) continue;
    await db
      .updateTable("chapters")
      .set({ position, rendered_html: renderChapterText(text_html, position) })
      .where("id", "=", id)
      .execute();
  }
}

/** Marks every posted chapter of a just-posted draft work as published now. */
export async function publishPostedChapters(db: Queryable, workId: number, now: number) {
  await db
    .updateTable("chapters")
    .set({ published_at: now })
    .where("work_id", "=", workId)
    .where("posted", "=", 1)
    .where("published_at", "is", null)
    .execute();
}

export async function chapterStats(db: Queryable, workId: number) {
  const row = await db
    .selectFrom("chapters")
    .select((eb) => [
      eb.fn.countAll<number | string>().as("count"),
      eb.fn.sum<number | string | null>("word_count").as("words"),
      eb.fn.max<number | string | null>("published_at").as("lastPublished"),
    ])
    .where("work_id", "=", workId)
    .where("posted", "=", 1)
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    words: Number(row.words ?? 0),
    lastPublished: row.lastPublished === null ? null : Number(row.lastPublished),
  };
}
