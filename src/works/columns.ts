/**
 * What a form becomes when stored, and the counts derived from chapters. Shared by the
 * commands and the bulk corpus loader so both store exactly the same thing.
 */
import type { Flag } from "../core/db/schema.ts";
import { formatUserText, SANITIZER_VERSION } from "../core/text/sanitize.ts";
import { countWordsInHtml } from "../core/text/word-count.ts";
import type { WorkMetaInput } from "./schemas.ts";

export function metaColumns(meta: WorkMetaInput) {
  return {
    title: meta.title,
    summary_html: formatUserText(meta.summary),
    notes_html: formatUserText(meta.notes),
    end_notes_html: formatUserText(meta.end_notes),
    sanitizer_version: SANITIZER_VERSION,
    language: meta.language,
    restricted: meta.restricted ? (1 as const) : (0 as const),
    comment_policy: meta.comment_policy,
    moderated_comments: meta.moderated_comments ? (1 as const) : (0 as const),
  };
}

export function chapterColumns(input: {
  chapter_title: string;
  text: string;
  summary?: string;
  notes?: string;
  end_notes?: string;
}) {
  const text_html = formatUserText(input.text);
  return {
    title: input.chapter_title,
    summary_html: formatUserText(input.summary ?? ""),
    notes_html: formatUserText(input.notes ?? ""),
    end_notes_html: formatUserText(input.end_notes ?? ""),
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
