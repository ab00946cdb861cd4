/**
 * Finding a saved reading position again after the work changed. A position stores the
 * chapter's id and its position then, the paragraph's 0-based index then, and an anchor (the
 * folded start of its text, core/text/paragraphs.ts), so edits that add, remove or reorder
 * text or chapters still lead back to the same words where they still exist.
 */
import { chapterPrefix, foldAnchor, paragraphId } from "../../core/text/paragraphs.ts";

export interface SavedPosition {
  chapterId: number;
  chapterPosition: number;
  paragraph: number;
  anchor: string | null;
}

export interface ChapterRef {
  id: number;
  position: number;
}

/** The chapter by id; if it is gone (or hidden), the one now at its position; else the last. */
export function pickChapter<C extends ChapterRef>(
  saved: Pick<SavedPosition, "chapterId" | "chapterPosition">,
  chapters: readonly C[],
): C | undefined {
  return (
    chapters.find((c) => c.id === saved.chapterId) ??
    chapters.find((c) => c.position === saved.chapterPosition) ??
    chapters[chapters.length - 1]
  );
}

/**
 * The paragraph whose text starts with the anchor (the one nearest the stored index if
 * several do); else the stored index, clamped to the paragraphs there are now.
 */
export function pickParagraph(
  saved: Pick<SavedPosition, "paragraph" | "anchor">,
  paragraphTexts: readonly string[],
): number {
  const last = Math.max(0, paragraphTexts.length - 1);
  const anchor = saved.anchor ? foldAnchor(saved.anchor) : "";
  if (anchor !== "") {
    let best = -1;
    paragraphTexts.forEach((text, i) => {
      if (!foldAnchor(text).startsWith(anchor)) return;
      if (best === -1 || Math.abs(i - saved.paragraph) < Math.abs(best - saved.paragraph)) best = i;
    });
    if (best !== -1) return best;
  }
  return Math.min(Math.max(0, saved.paragraph), last);
}

export interface Resolved<C extends ChapterRef> {
  chapter: C;
  /** 0-based, in the chapter as it is now. */
  paragraph: number;
  /** The reader reached the chapter's last paragraph. */
  atEnd: boolean;
  /** The chapter after it, if any: where "Continue reading" goes from the end of a chapter. */
  next: C | undefined;
}

/** `chapters`: the chapters the reader may see, in order; `textsOf`: a chapter's paragraphs. */
export function resolvePosition<C extends ChapterRef>(
  saved: SavedPosition,
  chapters: readonly C[],
  textsOf: (chapter: C) => readonly string[],
): Resolved<C> | null {
  const chapter = pickChapter(saved, chapters);
  if (!chapter) return null;
  const texts = textsOf(chapter);
  const paragraph = pickParagraph(saved, texts);
  const at = chapters.indexOf(chapter);
  return {
    chapter,
    paragraph,
    atEnd: paragraph >= texts.length - 1,
    next: chapters[at + 1],
  };
}

/** Where "Continue reading" goes, and how to say where the reader stopped. */
export interface ContinueTarget {
  url: string;
  /** "Chapter 3, paragraph 12", "paragraph 12" (one chapter), "the end of Chapter 3". */
  where: string;
  /** The link's words: "Continue reading" or "Continue with Chapter 4". */
  label: string;
  savedAt: number;
}

/** `chapters`: what the reader may see of the work, in order (numbered by position, as shown). */
export function continueTarget<C extends ChapterRef>(
  workId: number,
  saved: SavedPosition & { at: number },
  chapters: readonly C[],
  textsOf: (chapter: C) => readonly string[],
): ContinueTarget | null {
  const r = resolvePosition(saved, chapters, textsOf);
  if (!r) return null;
  const multi = chapters.length > 1;
  const number = (c: C) => c.position;
  const url = (c: C) => `/works/${workId}/chapters/${c.id}`;
  if (r.atEnd && r.next) {
    return {
      url: `${url(r.next)}#${chapterPrefix(r.next.position)}`,
      where: `the end of Chapter ${number(r.chapter)}`,
      label: `Continue with Chapter ${number(r.next)}`,
      savedAt: saved.at,
    };
  }
  const paragraph = `paragraph ${r.paragraph + 1}`;
  return {
    url: `${url(r.chapter)}#${paragraphId(chapterPrefix(r.chapter.position), r.paragraph)}`,
    where: multi ? `Chapter ${number(r.chapter)}, ${paragraph}` : paragraph,
    label: "Continue reading",
    savedAt: saved.at,
  };
}
