/**
 * What a form becomes when stored, and the counts derived from chapters. Shared by the
 * commands and the bulk corpus loader so both store exactly the same thing.
 */
import type { Flag } from "../core/db/schema.ts";
import { textAsHtml, type TextFormat } from "../core/text/formats.ts";
import { formatUserText, SANITIZER_VERSION } from "../core/text/sanitize.ts";
import { countWordsInHtml } from "../core/text/word-count.ts";
import type { WorkMetaInput } from "./schemas.ts";

/** What a field typed in `format` is stored as (formatText's HTML, without its removed report). */
const stored = (text: string, format: TextFormat) => formatUserText(textAsHtml(text, format));

/**
 * `format`: what the summary and notes were typed in. The new-work form's format choice
 * covers them too; the edit form (and every caller before formats) sends HTML. "rich" is HTML
 * for these fields: the editor only replaces the chapter text.
 */
export function metaColumns(meta: WorkMetaInput, format: TextFormat = "html") {
  return {
    title: meta.title,
    summary_html: stored(meta.summary, format),
    notes_html: stored(meta.notes, format),
    end_notes_html: stored(meta.end_notes, format),
    sanitizer_version: SANITIZER_VERSION,
    language: meta.language,
    restricted: meta.restricted ? (1 as const) : (0 as const),
    comment_policy: meta.comment_policy,
    moderated_comments: meta.moderated_comments ? (1 as const) : (0 as const),
  };
}

/** A chapter's columns; `text_format` (HTML when absent) applies to its text, summary and notes. */
export function chapterColumns(input: {
  chapter_title: string;
  text: string;
  text_format?: TextFormat;
  summary?: string;
  notes?: string;
  end_notes?: string;
}) {
  const format = input.text_format ?? "html";
  const text_html = stored(input.text, format);
  return {
    title: input.chapter_title,
    summary_html: stored(input.summary ?? "", format),
    notes_html: stored(input.notes ?? "", format),
    end_notes_html: stored(input.end_notes ?? "", format),
    text_html,
    sanitizer_version: SANITIZER_VERSION,
    word_count: countWordsInHtml(text_html),
  };
}

export interface PostedChapterStats {
  count: number;
  words: number;
  lastPublished: number | null;
}

/** Counts, completeness and the revised date, from the posted chapters. */
export function derivedStats(
  work: { expected_chapters: number | null; posted: number; published_at: number | null },
  stats: PostedChapterStats,
): { chapter_count: number; word_count: number; complete: Flag; revised_at: number | null } {
  const complete = work.expected_chapters !== null && stats.count >= work.expected_chapters;
  return {
    chapter_count: stats.count,
    word_count: stats.words,
    complete: complete ? 1 : 0,
    revised_at: work.posted ? Math.max(stats.lastPublished ?? 0, work.published_at ?? 0) : null,
  };
}
