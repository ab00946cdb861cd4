/** History, "marked for later" and saved places: what the routes and the work page ask for. */
import type { Db, Queryable } from "../../core/db/index.ts";
import type { Chapter } from "../../core/db/schema.ts";
import { ok, refuse, type Result } from "../../core/result.ts";
import { foldAnchor, paragraphTexts } from "../../core/text/paragraphs.ts";
import * as chaptersQ from "../../works/chapter-queries.ts";
import type { LoadedWork } from "../../works/load.ts";
import { chapterShown } from "../../works/visibility.ts";
import { markForLaterRefusal } from "./policy.ts";
import { continueTarget, pickChapter, type ContinueTarget } from "./position.ts";
import * as q from "./queries.ts";

/**
 * A reading page was shown to a logged-in reader. Nothing is recorded for creators reading their
 * own work, nor for a reader whose history is turned off (`historyOn`, their preference).
 */
export async function recordView(
  db: Db,
  args: { userId: number; historyOn: boolean; loaded: LoadedWork; now: number },
): Promise<void> {
  const { userId, historyOn, loaded, now } = args;
  if (loaded.isCreator || !historyOn) return;
  await q.recordVisit(db, {
    userId,
    workId: loaded.work.id,
    chaptersSeen: loaded.work.chapter_count,
    now,
  });
}

/** Puts the work on the reader's "Marked for Later" list (`marked`), or takes it off. */
export async function markForLater(
  db: Db,
  args: { userId: number; loaded: LoadedWork; marked: boolean; now: number },
): Promise<Result> {
  const { userId, loaded, marked, now } = args;
  const refusal = marked ? markForLaterRefusal(loaded) : null;
  if (refusal) return refusal;
  await q.setMarkedForLater(db, {
    userId,
    workId: loaded.work.id,
    marked,
    chaptersSeen: loaded.work.chapter_count,
    now,
  });
  return ok();
}

export interface PlaceInput {
  userId: number;
  loaded: LoadedWork;
  chapterId: number;
  /** 0-based; absent = the chapter's last paragraph ("I finished this chapter"). */
  paragraph?: number | undefined;
  /** The paragraph's text as the browser saw it (the page may predate an edit). */
  anchor?: string | undefined;
  now: number;
}

/** Saves where the reader is; the chapter must be one of the work's that they may see. */
export async function savePlace(
  db: Db,
  input: PlaceInput,
): Promise<Result<{ chapter: Chapter; paragraph: number; finished: boolean }>> {
  const { userId, loaded, now } = input;
  const chapter = await chaptersQ.findChapter(db, loaded.work.id, input.chapterId);
  if (!chapter || !chapterShown(chapter, loaded.isCreator))
    // Lower case: it reads after the field name (`Field "chapter_id": that chapter …`).
    return refuse(422, "that chapter is not part of this work.", "chapter_id");
  const texts = paragraphTexts(chapter.text_html);
  const last = Math.max(0, texts.length - 1);
  const paragraph = input.paragraph ?? last;
  const given = input.anchor ? foldAnchor(input.anchor) : "";
  const own = texts[paragraph];
  const anchor = given !== "" ? given : own === undefined ? "" : foldAnchor(own);
  await q.savePosition(db, {
    userId,
    workId: loaded.work.id,
    chapterId: chapter.id,
    chapterPosition: chapter.position,
    paragraph,
    anchor: anchor === "" ? null : anchor,
    chaptersSeen: loaded.work.chapter_count,
    now,
  });
  return ok({ chapter, paragraph, finished: paragraph >= last });
}

/**
 * Where "Continue reading" goes for each entry with a saved place (posted chapters only: these
 * lists are never shown on a creator's own drafts). Three queries whatever the number.
 */
export async function continueTargets(
  db: Queryable,
  entries: readonly q.HistoryEntry[],
): Promise<Map<number, ContinueTarget>> {
  const out = new Map<number, ContinueTarget>();
  const saved = entries.filter((e) => e.reading.position !== null);
  if (saved.length === 0) return out;
  const chapters = await q.postedChapters(
    db,
    saved.map((e) => e.work.id),
  );
  const picked = saved.map((e) => {
    const list = chapters.get(e.work.id) ?? [];
    return { e, list, chapter: e.reading.position && pickChapter(e.reading.position, list) };
  });
  const texts = await q.chapterTexts(
    db,
    picked.flatMap((p) => (p.chapter ? [p.chapter.id] : [])),
  );
  for (const { e, list } of picked) {
    const position = e.reading.position;
    if (!position) continue;
    const target = continueTarget(e.work.id, position, list, (c) =>
      paragraphTexts(texts.get(c.id) ?? ""),
    );
    if (target) out.set(e.work.id, target);
  }
  return out;
}
