/**
 * A chapter's text as reading pages show it: the stored sanitized HTML with paragraph ids
 * for the chapter's position (`chapter-<position>-p<N>`, what a saved reading position
 * links to). It is rendered when a chapter is saved or moved and kept in
 * `chapters.rendered_html` (chapter-queries.ts writes both together), so a view serves it
 * as stored; a row without it (older rows, bulk imports) is rendered on its first view.
 */
import { chapterPrefix, withParagraphIds } from "../core/text/paragraphs.ts";
import type { SanitizedHtml } from "../core/text/sanitize.ts";

export function renderChapterText(text: SanitizedHtml, position: number): SanitizedHtml {
  return withParagraphIds(text, chapterPrefix(position));
}
