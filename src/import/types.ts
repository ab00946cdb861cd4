/**
 * What reading an uploaded file gives (import/read/), shared by the web flow (import/routes)
 * and the command line (`fanfold import`): a work's metadata as far as the file tells it, and
 * its chapters as sanitized HTML. Nothing here touches the database.
 */
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import type { RemovedCounts } from "../core/text/removed.ts";

export const IMPORT_FORMATS = ["txt", "md", "html", "docx", "epub"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** How the text is cut into chapters. */
export type ChapterSplit =
  /** Detect: EPUB spine items; headings; "Chapter N" lines; else one chapter. */
  | { kind: "auto" }
  | { kind: "none" }
  /** At every heading of this level (1–6), which becomes the chapter's title. */
  | { kind: "heading"; level: number }
  /** At every line that matches this marker, typed by the writer (e.g. `***` or `Chapter`). */
  | { kind: "marker"; marker: string };

export interface ImportOptions {
  split: ChapterSplit;
  /** Overrides the format guessed from the file name and contents. */
  format?: ImportFormat;
  /** Overrides the detected charset of a text or HTML file (a WHATWG encoding label). */
  encoding?: string;
}

export interface ImportedChapter {
  title: string;
  html: SanitizedHtml;
  words: number;
  /** What the sanitizer removed from this chapter. */
  removed: RemovedCounts;
}

export interface ImportedWork {
  format: ImportFormat;
  /** The charset a text or HTML file was read in, and how it was decided. */
  encoding?: { name: string; source: "bom" | "meta" | "detected" | "chosen" | "utf-8" };
  title: string;
  creators: string[];
  summary: SanitizedHtml;
  /** Beginning notes (a text's author's note before the story, an EPUB's description…). */
  notes: SanitizedHtml;
  endNotes: SanitizedHtml;
  /** An ISO 639 code, when the file says. */
  language?: string;
  /** Subjects/keywords the file carries (EPUB dc:subject), offered as additional tags. */
  tags: string[];
  chapters: ImportedChapter[];
  /** Things the writer should know: "2 images dropped", "no chapters found; one chapter". */
  notices: string[];
}

/** Refusals carry an HTTP status (400 broken, 413 too big, 415 unknown type) and a reason. */
export class ImportError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** The largest file an import accepts. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
