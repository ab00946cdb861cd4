/**
 * Previews on the posting forms: what a form would post, presented as the reading page
 * presents it (the same view models for views/reading.tsx `WorkSkin`), and what the sanitizer
 * would take out. Nothing here writes: a preview is computed from the form alone (and, for a
 * chapter, the work as it is).
 */
import { formatText, type TextFormat } from "../core/text/formats.ts";
import { chapterPrefix, withParagraphIds } from "../core/text/paragraphs.ts";
import { describeRemoved, mergeRemoved } from "../core/text/removed.ts";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { countWordsInHtml } from "../core/text/word-count.ts";
import { formatDate, formatNumber } from "../core/views/format.ts";
import { tagWorksPath } from "../tags/names.ts";
import { clampPosition } from "./commands.ts";
import { languageName } from "./languages.ts";
import type { LoadedWork } from "./load.ts";
import type { ChapterView, CreatorLink, TagLink, WorkView } from "./present.ts";
import type { ChapterInput, NewWorkInput } from "./schemas.ts";
import type { ChapterNav } from "./views/reading.tsx";

export interface Preview {
  work: WorkView;
  chapter: ChapterView;
  /** The work's chapters with this one in its place, for the reading markup's headings. */
  index: ChapterNav[];
  /** "removed: 1 script, 2 style attributes", or "" when the sanitizer kept everything. */
  removed: string;
}

/** Fields typed in `format`, formatted as they would be stored, with what was removed. */
function formatFields<K extends string>(fields: Record<K, string>, format: TextFormat) {
  const html = {} as Record<K, SanitizedHtml>;
  const reports = [];
  for (const key of Object.keys(fields) as K[]) {
    const formatted = formatText(fields[key], format);
    html[key] = formatted.html;
    reports.push(formatted.removed);
  }
  return { html, removed: describeRemoved(mergeRemoved(reports)) };
}

function chapterView(
  id: number,
  position: number,
  title: string,
  html: { text: SanitizedHtml; summary: SanitizedHtml; notes: SanitizedHtml; end: SanitizedHtml },
): ChapterView {
  const anchor = chapterPrefix(position);
  return {
    id,
    position,
    title,
    posted: true,
    anchor,
    summaryHtml: html.summary,
    notesHtml: html.notes,
    textHtml: withParagraphIds(html.text, anchor),
    endNotesHtml: html.end,
  };
}

const tagLinks = (names: readonly string[]): TagLink[] =>
  names.map((name) => ({ name, url: tagWorksPath(name) }));

/** A new work's preview: its metadata and first chapter, credited to `creator`. */
export function previewNewWork(input: NewWorkInput, creator: CreatorLink, now: number): Preview {
  const { html, removed } = formatFields(
    { text: input.text, summary: input.summary, notes: input.notes, end: input.end_notes },
    input.text_format,
  );
  const expected = input.complete ? 1 : input.expected_chapters;
  const work: WorkView = {
    id: 0,
    url: "/works/new",
    title: input.title,
    creators: [creator],
    creatorUserIds: [],
    rating: { name: input.rating, url: tagWorksPath(input.rating) },
    warnings: tagLinks(input.warnings),
    categories: tagLinks(input.categories),
    fandoms: tagLinks(input.fandoms),
    relationships: tagLinks(input.relationships),
    characters: tagLinks(input.characters),
    freeforms: tagLinks(input.freeforms),
    language: { code: input.language, name: languageName(input.language) },
    summaryHtml: html.summary,
    notesHtml: html.notes,
    endNotesHtml: html.end,
    published: formatDate(now),
    status: null,
    words: formatNumber(countWordsInHtml(html.text)),
    chapters: `1/${expected ?? "?"}`,
    chapterCount: 1,
    complete: expected === 1,
    restricted: input.restricted,
    draft: false,
    hiddenReason: null,
    anonymous: false,
    unrevealed: false,
    gated: false,
    canEdit: false,
  };
  const empty = "" as SanitizedHtml;
  const chapter = chapterView(0, 1, input.chapter_title, { ...html, summary: empty, notes: empty });
  const index = [{ id: 0, position: 1, title: input.chapter_title, posted: true, publishedAt: "" }];
  return { work, chapter, index, removed };
}

/**
 * A chapter's preview in its work: new (`chapterId` null) or edited. It takes the place its
 * position field asks for among the work's chapters, as posting would put it.
 */
export function previewChapter(
  loaded: LoadedWork,
  chapters: readonly { id: number; position: number; title: string }[],
  chapterId: number | null,
  input: ChapterInput,
): Preview {
  const { html, removed } = formatFields(
    { text: input.text, summary: input.summary, notes: input.notes, end: input.end_notes },
    input.text_format,
  );
  const others = chapters.filter((c) => c.id !== chapterId);
  const current = chapters.find((c) => c.id === chapterId);
  const wanted = input.position ?? current?.position ?? others.length + 1;
  const at = clampPosition(wanted, others.length + 1) - 1;
  const id = chapterId ?? 0;
  const ordered = [...others];
  ordered.splice(at, 0, { id, position: 0, title: input.chapter_title });
  const index: ChapterNav[] = ordered.map((c, i) => ({
    id: c.id,
    position: i + 1,
    title: c.title,
    posted: true,
    publishedAt: "",
  }));
  const chapter = chapterView(id, at + 1, input.chapter_title, html);
  // The work as readers see it around this chapter; nothing on the preview can act on it.
  const work: WorkView = {
    ...loaded.view,
    canEdit: false,
    draft: false,
    hiddenReason: null,
    unrevealed: false,
  };
  return { work, chapter, index, removed };
}
