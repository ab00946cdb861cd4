/**
 * From a file's blocks (paragraphs, headings, lines) to a work's chapters (issue 14): splitting
 * (none, at headings of a level, at marker lines, or detected), the title page and author's
 * notes around the story, and each chapter sanitized with what the sanitizer removed. The
 * readers of each format (text.ts, html.ts, docx.ts, epub.ts) make the blocks; this file knows
 * nothing of formats beyond the `render` they pass in.
 */
import { limits } from "../../core/limits.ts";
import type { FormattedText } from "../../core/text/formats.ts";
import { charCount } from "../../core/text/input-text.ts";
import { EMPTY_HTML, type SanitizedHtml } from "../../core/text/sanitize.ts";
import { countWordsInHtml } from "../../core/text/word-count.ts";
import {
  ImportError,
  type ChapterSplit,
  type ImportedChapter,
  type ImportedWork,
  type ImportFormat,
} from "../types.ts";
import { countNoteParagraphs, isAuthorsNote } from "./notes.ts";

/** One paragraph-level piece of a file, in the source its format renders from. */
export interface Block {
  /** HTML for HTML-based formats; text or Markdown for the text formats. */
  source: string;
  /** Its text, whitespace collapsed. */
  text: string;
  /** Roughly how many words (split on spaces: cheap enough to try every heading level). */
  words: number;
  /** 1–6 when the block is a heading. */
  heading?: number;
  /** A single short line: what chapter lines and marker lines are made of. */
  line: boolean;
  /** A horizontal rule (`<hr>`, Markdown `***`). */
  rule?: boolean;
}

export function makeBlock(source: string, text: string, extra: Partial<Block> = {}): Block {
  const collapsed = text.replace(/\s+/g, " ").trim();
  let words = collapsed === "" ? 0 : 1;
  for (let i = 0; i < collapsed.length; i++) if (collapsed.charCodeAt(i) === 32) words++;
  return {
    source,
    text: collapsed,
    words,
    line: collapsed !== "" && collapsed.length <= 200 && !/\n/.test(text.trim()),
    ...extra,
  };
}

export interface Section {
  title: string;
  blocks: Block[];
}

const NUMBER_WORDS =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final";
/** "Chapter 1", "CHAPTER I.", "Chapter Twenty-One: The Ball", "Ch. 3". */
const CHAPTER_LINE = new RegExp(
  `^(?:chapter|chap\\.|ch\\.)\\s*(?:\\d+|[ivxlcdm]+\\b|(?:${NUMBER_WORDS})(?:[\\s-]+(?:${NUMBER_WORDS}))*\\b)`,
  "i",
);
/**
 * Numbered titles in capitals, as old books set them: "ADVENTURE I. A SCANDAL IN BOHEMIA",
 * "VII. THE ADVENTURE OF THE BLUE CARBUNCLE". Tried when there are no "Chapter" lines.
 */
const NUMBERED_TITLE_LINE = /^(?:[A-Z]+\s+)?(?:[IVXLC]+|\d+)\.\s+[A-Z0-9][A-Z0-9'’,.!?&:;\- ]*$/;
const isNumberedTitleLine = (b: Block) =>
  b.line && b.text.length <= 100 && NUMBERED_TITLE_LINE.test(b.text);
/** Counted as chapter lines once there are "Chapter N" lines. */
const EXTRA_CHAPTER_LINE = /^(?:prologue|epilogue|interlude|afterword)\b/i;

/** A line of text that reads as a chapter's start ("Chapter 3", "CHAPTER IV. The Ball"). */
export const isChapterLineText = (line: string) => {
  const text = line.trim();
  return text.length <= 150 && CHAPTER_LINE.test(text);
};
export const isChapterLine = (b: Block) => b.line && isChapterLineText(b.text);

/** Non-heading words: a section of headings only is a title page, not a chapter. */
const bodyWords = (blocks: readonly Block[]) =>
  blocks.reduce((n, b) => n + (b.heading === undefined ? b.words : 0), 0);

interface Cut {
  preamble: Block[];
  sections: Section[];
}

function cut(
  blocks: readonly Block[],
  isSplit: (b: Block) => boolean,
  titleOf: (b: Block) => string,
): Cut {
  const preamble: Block[] = [];
  const sections: Section[] = [];
  for (const b of blocks) {
    if (isSplit(b)) sections.push({ title: titleOf(b), blocks: [] });
    else (sections[sections.length - 1]?.blocks ?? preamble).push(b);
  }
  return { preamble, sections };
}

const PUNCTUATION_MARKER = /^[\s*\-_~=#•·]+$/;

export interface SplitResult extends Cut {
  /** What was done, for the notices. */
  how: string;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Where chapters begin. `blocks` are the whole file's, in order. */
export function splitBlocks(blocks: readonly Block[], split: ChapterSplit): SplitResult {
  const whole = (how: string): SplitResult => ({
    preamble: [],
    sections: [{ title: "", blocks: [...blocks] }],
    how,
  });
  switch (split.kind) {
    case "none":
      return whole("Kept as one chapter.");
    case "heading": {
      const level = split.level;
      const c = cut(
        blocks,
        (b) => b.heading === level,
        (b) => b.text,
      );
      if (c.sections.length === 0) return whole(`No level-${level} headings found; one chapter.`);
      return { ...c, how: `Split at ${plural(c.sections.length, `level-${level} heading`)}.` };
    }
    case "marker": {
      const marker = split.marker.trim().toLowerCase();
      const matchesRule = PUNCTUATION_MARKER.test(marker);
      const c = cut(
        blocks,
        (b) =>
          (b.line && b.text.toLowerCase().startsWith(marker)) || (matchesRule && b.rule === true),
        (b) => (b.rule || b.text.toLowerCase() === marker ? "" : b.text),
      );
      if (c.sections.length === 0)
        return whole(`No lines starting with "${split.marker.trim()}" found; one chapter.`);
      // Text before the first marker is the first chapter, not a preamble.
      if (bodyWords(c.preamble) > 0) {
        c.sections.unshift({ title: "", blocks: c.preamble });
        c.preamble = [];
      }
      return { ...c, how: `Split at ${plural(c.sections.length - 1, "marker line")}.` };
    }
    case "auto":
      return autoSplit(blocks) ?? whole("No chapters found; one chapter.");
  }
}

/**
 * Headings of the highest level that splits the text into at least two chapters with text
 * (a title page's headings alone don't count); else "Chapter N" lines; else null.
 */
function autoSplit(blocks: readonly Block[]): SplitResult | null {
  const levels = new Map<number, number>();
  for (const b of blocks) if (b.heading) levels.set(b.heading, (levels.get(b.heading) ?? 0) + 1);
  for (const level of [...levels.keys()].sort((a, b) => a - b)) {
    if ((levels.get(level) ?? 0) < 2) continue;
    const c = cut(
      blocks,
      (b) => b.heading === level,
      (b) => b.text,
    );
    const withText = c.sections.filter((s) => bodyWords(s.blocks) > 0).length;
    if (withText >= 2)
      return { ...c, how: `Found ${plural(withText, "chapter")} at level-${level} headings.` };
  }
  const chapterLines = blocks.filter(isChapterLine).length;
  if (chapterLines >= 2) {
    const c = cut(
      blocks,
      (b) => isChapterLine(b) || (b.line && EXTRA_CHAPTER_LINE.test(b.text) && b.text.length <= 80),
      (b) => b.text,
    );
    return { ...c, how: `Found ${plural(c.sections.length, "chapter")} at "Chapter" lines.` };
  }
  if (blocks.filter(isNumberedTitleLine).length >= 2) {
    const c = cut(blocks, isNumberedTitleLine, (b) => b.text);
    if (c.sections.filter((s) => bodyWords(s.blocks) > 0).length >= 2)
      return {
        ...c,
        how: `Found ${plural(c.sections.length, "chapter")} at numbered title lines.`,
      };
  }
  return null;
}

/** A plain-text list of numbered lines ("  I. A Scandal in Bohemia"): a table of contents. */
function isNumberedList(b: Block): boolean {
  const lines = b.source.split("\n");
  return (
    lines.length >= 3 &&
    lines.every((l) => l.length <= 100 && /^\s*(?:[IVXLC]+|\d+)[.)]\s+\S/.test(l))
  );
}

/**
 * Whether text before the first chapter is a title page: headings, the title, "by …", the
 * author, an e-book credit, and "Contents" followed by its list of short lines.
 */
function isTitlePage(
  blocks: readonly Block[],
  title: string,
  creators: readonly string[],
): boolean {
  let contents = false;
  const first = blocks.find((b) => b.words > 0);
  return blocks.every((b) => {
    // Without a title from elsewhere, a short first line that is not a sentence is the title.
    if (b === first && title === "" && b.line && b.text.length <= 100 && !/[.!?…"”]$/.test(b.text))
      return true;
    if (b.words === 0 || b.heading !== undefined) return true;
    const t = b.text.toLowerCase();
    if ((contents && b.line) || isNumberedList(b)) return true;
    if (/^(?:table of )?contents:?$/.test(t)) return (contents = true);
    return (
      (title !== "" && t === title.toLowerCase()) ||
      creators.some((c) => t.includes(c.toLowerCase())) ||
      /^(?:by|produced by|transcribed by|prepared by)\b/.test(t)
    );
  });
}

/** Empty paragraphs, anchors and rules at a chapter's start and end say nothing. */
function trimEmpty(blocks: Block[]): Block[] {
  let start = 0;
  let end = blocks.length;
  while (start < end && blocks[start]?.words === 0) start++;
  while (end > start && blocks[end - 1]?.words === 0) end--;
  return blocks.slice(start, end);
}

export interface WorkMeta {
  /** The title the file gives ("" when it gives none). */
  title: string;
  /** The title when neither the file nor its title page gives one (the file's name). */
  fallbackTitle: string;
  creators: string[];
  summary?: SanitizedHtml;
  language?: string;
  tags?: string[];
  encoding?: ImportedWork["encoding"];
}

/**
 * The ImportedWork for `sections` (with the preamble before the first one), rendering each
 * chapter's blocks with `render` (the format's sanitizing path).
 */
export function assembleWork(args: {
  format: ImportFormat;
  meta: WorkMeta;
  preamble: Block[];
  sections: Section[];
  render: (blocks: readonly Block[]) => FormattedText;
  notices: string[];
}): ImportedWork {
  const { meta, render } = args;
  const notices = [...args.notices];
  let preamble = trimEmpty(args.preamble);
  const sections = args.sections.map((s) => ({ ...s, blocks: trimEmpty(s.blocks) }));
  let title = meta.title;

  // Beginning notes: note paragraphs before the first chapter (wherever they sit among the
  // title page's lines), or else at the start of the first chapter.
  let notes: FormattedText | null = null;
  const noteBlocks: Block[] = [];
  if (preamble.length > 0 && sections.length > 0) {
    const rest: Block[] = [];
    for (const b of preamble) {
      if (noteBlocks.length < 3 && b.heading === undefined && isAuthorsNote(b.text))
        noteBlocks.push(b);
      else rest.push(b);
    }
    preamble = rest;
    if (isTitlePage(preamble, title, meta.creators)) {
      const named = preamble.find((b) => b.words > 0 && (b.heading !== undefined || b.line));
      if (named && title === "") title = named.text;
      if (preamble.some((b) => b.words > 0))
        notices.push("Left out the title page before the first chapter.");
      preamble = [];
    }
  }
  // A one-chapter file that opens with its only top heading (a DOCX's or Markdown file's
  // title): without a title from elsewhere, that heading is the work's title.
  const only = sections.length === 1 && preamble.length === 0 ? sections[0] : undefined;
  const opening = only?.blocks.find((b) => b.words > 0);
  if (title === "" && only && opening?.heading !== undefined) {
    const level = opening.heading;
    if (only.blocks.filter((b) => b.heading === level).length === 1) {
      title = opening.text;
      only.blocks.splice(only.blocks.indexOf(opening), 1);
    }
  }
  const first = preamble.length > 0 ? preamble : sections[0]?.blocks;
  if (noteBlocks.length === 0 && first) {
    const n = countNoteParagraphs(first.map((b) => b.text));
    noteBlocks.push(...first.splice(0, n));
  }
  if (noteBlocks.length > 0) {
    notes = render(noteBlocks);
    notices.push("The author's note before the story is offered as the work's beginning notes.");
  }
  if (bodyWords(preamble) > 0) sections.unshift({ title: "", blocks: preamble });

  let endNotes: FormattedText | null = null;
  const last = sections[sections.length - 1];
  if (last) {
    const n = countNoteParagraphs(
      last.blocks.map((b) => b.text),
      true,
    );
    if (n > 0) {
      endNotes = render(last.blocks.splice(last.blocks.length - n, n));
      notices.push("The author's note after the story is offered as the work's end notes.");
    }
  }

  const chapters: ImportedChapter[] = [];
  let empty = 0;
  for (const s of sections) {
    if (bodyWords(s.blocks) === 0) {
      empty++;
      continue;
    }
    const { html, removed } = render(s.blocks);
    const words = countWordsInHtml(html);
    if (words === 0) {
      empty++;
      continue;
    }
    chapters.push({
      title: chapterTitle(s.title, chapters.length + 1, notices),
      html,
      words,
      removed,
    });
  }
  if (empty > 0) notices.push(`Left out ${plural(empty, "empty chapter")}.`);
  if (chapters.length === 0) throw new ImportError(422, "The file has no text to import.");
  if (chapters.length > limits.chaptersPerWork)
    throw new ImportError(
      422,
      `The file splits into ${chapters.length.toLocaleString("en-US")} chapters; a work can have at most ${limits.chaptersPerWork.toLocaleString("en-US")}. Choose another way to split it.`,
    );
  chapters.forEach((c, i) => {
    const size = charCount(c.html);
    if (size > limits.chapterText.max)
      throw new ImportError(
        422,
        `Chapter ${i + 1}${c.title ? ` ("${c.title}")` : ""} is ${size.toLocaleString("en-US")} characters long; chapters can have at most ${limits.chapterText.max.toLocaleString("en-US")}. Split the file into more chapters.`,
      );
  });

  const work: ImportedWork = {
    format: args.format,
    title: truncate(title.trim() || meta.fallbackTitle.trim(), limits.workTitle.max) || "Untitled",
    creators: meta.creators,
    summary: meta.summary ?? EMPTY_HTML,
    notes: notes?.html ?? EMPTY_HTML,
    endNotes: endNotes?.html ?? EMPTY_HTML,
    tags: meta.tags ?? [],
    chapters,
    notices,
  };
  if (meta.encoding) work.encoding = meta.encoding;
  if (meta.language) work.language = meta.language;
  return work;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function chapterTitle(title: string, position: number, notices: string[]): string {
  const clean = title.replace(/\s+/g, " ").trim();
  if ([...clean].length <= limits.chapterTitle.max) return clean;
  notices.push(
    `Shortened the title of chapter ${position} to ${limits.chapterTitle.max} characters.`,
  );
  return truncate(clean, limits.chapterTitle.max);
}
