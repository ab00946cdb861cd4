/**
 * Plain text and Markdown files (issue 14): paragraphs by blank lines, Markdown headings as
 * headings, "Chapter N" lines; Project Gutenberg's header and licence left out, and lines
 * hard-wrapped at a fixed width (as in Gutenberg's texts) joined back into paragraphs.
 * Chapters render through formatText(…, "plain" | "markdown"), the posting form's own path.
 */
import { basename } from "node:path";
import { formatText } from "../../core/text/formats.ts";
import type { ChapterSplit, ImportedWork, ImportOptions } from "../types.ts";
import { assembleWork, isChapterLineText, makeBlock, splitBlocks, type Block } from "./chapters.ts";
import { decodeText } from "./charset.ts";
import {
  GUTENBERG_END,
  GUTENBERG_END_LINE,
  GUTENBERG_NOTICE,
  GUTENBERG_START,
  readGutenbergHeader,
  type GutenbergHeader,
} from "./gutenberg.ts";

/** The file's name without its extension, as a title of last resort. */
export function titleFromFileName(fileName: string): string {
  const base = basename(fileName.replace(/\\/g, "/"));
  const dot = base.lastIndexOf(".");
  return (dot > 0 ? base.slice(0, dot) : base).replace(/[_]+/g, " ").trim();
}

/** The text between Project Gutenberg's start and end markers, and what its header says. */
export function stripGutenbergText(text: string): { text: string; header: GutenbergHeader } | null {
  const start = GUTENBERG_START.exec(text);
  if (!start) return null;
  const header = readGutenbergHeader(text.slice(0, start.index));
  let body = text.slice(start.index + start[0].length);
  const end = GUTENBERG_END.exec(body);
  if (end) {
    body = body.slice(0, end.index);
    // "End of the Project Gutenberg EBook of …" a few lines above the marker goes too.
    const tail = body.slice(-1000);
    const endLine = GUTENBERG_END_LINE.exec(tail);
    if (endLine) body = body.slice(0, body.length - tail.length + endLine.index);
  }
  return { text: body, header };
}

/**
 * Joins lines a file wraps at a fixed width (most lines of its paragraphs end near the same
 * column, none much past it), keeping short lines (verse, letters' sign-offs) as they are.
 */
export function unwrapHardWrapped(
  paragraphs: string[][],
): { paragraphs: string[][]; width: number } | null {
  const inner: number[] = [];
  for (const p of paragraphs)
    for (let i = 0; i < p.length - 1; i++) inner.push((p[i] ?? "").length);
  if (inner.length < 20) return null;
  const sorted = [...inner].sort((a, b) => a - b);
  const width = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  if (width < 40 || width > 100) return null;
  const nearWidth = inner.filter((n) => n >= width * 0.6 && n <= width + 10).length;
  if (nearWidth / inner.length < 0.85) return null;
  const joined = paragraphs.map((p) =>
    p.length > 1 && p.slice(0, -1).every((line) => line.length >= width * 0.5)
      ? [p.map((line) => line.trim()).join(" ")]
      : p,
  );
  return { paragraphs: joined, width };
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX = /^\s{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^\s{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/** Lines into paragraphs (blank lines between); Markdown headings and code fences kept whole. */
function paragraphsOf(lines: readonly string[], markdown: boolean): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (current.length > 0) out.push(current);
    current = [];
  };
  for (const line of lines) {
    if (markdown) {
      const f = FENCE.exec(line)?.[1];
      if (fence !== null) {
        current.push(line);
        if (f && f[0] === fence[0] && f.length >= fence.length) fence = null;
        continue;
      }
      if (f) {
        fence = f;
        current.push(line);
        continue;
      }
      if (ATX.test(line)) {
        flush();
        out.push([line]);
        continue;
      }
    }
    if (line.trim() === "") flush();
    else current.push(line.replace(/\s+$/, ""));
  }
  flush();
  return out;
}

/** Markdown's emphasis and escapes off a line, for matching "Chapter" and notes. */
const plainOfMarkdown = (text: string) => text.replace(/[*_`~]+|\\(?=[^\s])/g, "");

function markdownBlock(lines: string[]): Block {
  const source = lines.join("\n");
  const atx = lines.length === 1 ? ATX.exec(lines[0] ?? "") : null;
  if (atx)
    return makeBlock(source, plainOfMarkdown(atx[2] ?? ""), { heading: atx[1]?.length ?? 1 });
  if (lines.length === 2 && /^\s{0,3}(=+|-+)\s*$/.test(lines[1] ?? ""))
    return makeBlock(source, plainOfMarkdown(lines[0] ?? ""), {
      heading: (lines[1] ?? "").trim().startsWith("=") ? 1 : 2,
    });
  if (lines.length === 1 && RULE.test(lines[0] ?? ""))
    return makeBlock(source, lines[0] ?? "", { rule: true });
  return makeBlock(source, plainOfMarkdown(source));
}

/**
 * Writers often put "Chapter 2" (or their marker line) right above the text, without a blank
 * line: such lines become paragraphs of their own, so they can start chapters.
 */
function separateSplitLines(paragraphs: string[][], split: ChapterSplit): string[][] {
  const marker = split.kind === "marker" ? split.marker.trim().toLowerCase() : null;
  const splits = (line: string) =>
    marker !== null
      ? line.trim().toLowerCase().startsWith(marker)
      : split.kind === "auto" && isChapterLineText(line);
  if (split.kind !== "auto" && marker === null) return paragraphs;
  const out: string[][] = [];
  for (const p of paragraphs) {
    if (p.length === 1 || !p.some(splits)) {
      out.push(p);
      continue;
    }
    let current: string[] = [];
    for (const line of p) {
      if (splits(line)) {
        if (current.length > 0) out.push(current);
        out.push([line]);
        current = [];
      } else current.push(line);
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

export function readTextFile(
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
  format: "txt" | "md",
): ImportedWork {
  const decoded = decodeText(bytes, { html: false, chosen: options.encoding });
  const notices: string[] = [];
  let text = decoded.text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let header: GutenbergHeader = {};
  const gutenberg = stripGutenbergText(text);
  if (gutenberg) {
    text = gutenberg.text;
    header = gutenberg.header;
    notices.push(GUTENBERG_NOTICE);
  }
  const markdown = format === "md";
  let paragraphs = paragraphsOf(text.split("\n"), markdown);
  if (!markdown) {
    const unwrapped = unwrapHardWrapped(paragraphs);
    if (unwrapped) {
      paragraphs = unwrapped.paragraphs;
      notices.push(`Joined lines wrapped at ${unwrapped.width} characters into paragraphs.`);
    }
  }
  paragraphs = separateSplitLines(paragraphs, options.split);
  const blocks = paragraphs.map((p) =>
    markdown ? markdownBlock(p) : makeBlock(p.join("\n"), p.join("\n")),
  );
  const split = splitBlocks(blocks, options.split);
  notices.push(split.how);
  const textFormat = markdown ? "markdown" : "plain";
  return assembleWork({
    format,
    meta: {
      title: header.title ?? "",
      fallbackTitle: titleFromFileName(fileName),
      creators: header.author ? [header.author] : [],
      ...(header.language ? { language: header.language } : {}),
      encoding: decoded.encoding,
    },
    preamble: split.preamble,
    sections: split.sections,
    render: (bs) => formatText(bs.map((b) => b.source).join("\n\n"), textFormat),
    notices,
  });
}
