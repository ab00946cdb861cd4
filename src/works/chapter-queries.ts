import type { Queryable } from "../core/db/index.ts";
import type { Chapter, NewChapter } from "../core/db/schema.ts";

export async function insertChapter(db: Queryable, chapter: NewChapter): Promise<number> {
  const row = await db
    .insertInto("chapters")
    .values(chapter)
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

export async function updateChapter(db: Queryable, id: number, changes: Partial<NewChapter>) {
  await db.updateTable("chapters").set(changes).where("id", "=", id).execute();
}

export async function deleteChapter(db: Queryable, id: number) {
  await db.deleteFrom("chapters").where("id", "=", id).execute();
}

export async function setPositions(db: Queryable, orderedIds: readonly number[]) {
  for (const [i, id] of orderedIds.entries()) {
    await db
      .updateTable("chapters")
      .set({ position: i + 1 })
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
