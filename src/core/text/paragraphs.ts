/**
 * Paragraphs of chapter text: AO3's rules that make them out of typed text (`addParagraphs`, at
 * the end of this file), stable ids to link to, and their text to find one again.
 *
 * A paragraph is a *leaf text block*: a block element (`p`, a heading, `li`, `pre`,
 * `blockquote`, `div`, a table cell…) that holds no other such block. Text written with the
 * paragraph rules is all `<p>`s; hand-written HTML gets sensible units too (`<li><p>…</p></li>`
 * counts the `p`, not the `li`). Text outside any leaf block is not a paragraph.
 *
 * Ids are `<prefix>-p<N>` with N counted from 1 in document order. Reading pages use the
 * prefix `chapter-<position>` (the chapter's wrapper is already `#chapter-<position>`), so ids
 * stay unique on the entire-work page. Stored reading positions use the 0-based index, N - 1.
 *
 * Input must be sanitizer output. It is parsed and written back token by token (html-stream.ts),
 * never edited as a string, so attribute values and text stay what they were. The sanitizer
 * never lets `id` through; any found anyway (rows cleaned by an older allowlist) are removed, so
 * ids can never repeat. A named anchor (`<a name="chapter-1-p2">`) cannot capture our fragments: browsers
 * look for an element with that id before they look at names.
 */
import { endTag, escapeText, readHtml, startTag } from "./html-stream.ts";
import type { SanitizedHtml } from "./sanitize.ts";

const LEAF_CANDIDATES = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "dt",
  "dd",
  "pre",
  "blockquote",
  "div",
  "center",
  "address",
  "figcaption",
  "caption",
  "summary",
  "td",
  "th",
]);
const PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,60}$/;

/** How long a stored anchor is, in characters of folded text. */
export const ANCHOR_LENGTH = 80;

interface Block {
  name: string;
  leaf: boolean;
  /** What a browser shows of it: its text, entities decoded, with `<br>` as a space. */
  text: string;
  /** Where its start tag is in `out`, to give it an id once it is known to be a leaf. */
  at: number;
  attribs: Record<string, string>;
}

/**
 * One parse of `html`: the paragraphs' texts or, with a prefix, the HTML written back with ids.
 * Leaf blocks never nest, so they close in the order they open: numbering them as they close
 * numbers them in document order, and one pass is enough (100k-word chapters are common).
 */
function readParagraphs(html: string, prefix: string | null): { html: string; texts: string[] } {
  const write = prefix !== null;
  // Finished output, with each block's start tag alone in a slot; `tail` is what follows.
  const out: string[] = [];
  let tail = "";
  const texts: string[] = [];
  let count = 0;
  const open: Block[] = [];
  readHtml(html, {
    onopentag(name, attribs) {
      const parent = open[open.length - 1];
      if (name === "br" && parent && !write) parent.text += " ";
      if ("id" in attribs) delete attribs.id;
      if (!LEAF_CANDIDATES.has(name)) {
        if (write) tail += startTag(name, attribs);
        return;
      }
      if (parent) parent.leaf = false;
      if (write) out.push(tail, startTag(name, attribs));
      tail = "";
      open.push({ name, leaf: true, text: "", at: out.length - 1, attribs });
    },
    ontext(text) {
      if (write) tail += escapeText(text);
      else if (open.length > 0) open[open.length - 1]!.text += text;
    },
    onclosetag(name) {
      if (write) tail += endTag(name);
      if (open[open.length - 1]?.name !== name) return;
      const block = open.pop()!;
      if (!block.leaf) return;
      if (write) {
        // The id goes first, where readers of the source look for it.
        out[block.at] = startTag(name, { id: paragraphId(prefix, count), ...block.attribs });
      } else {
        texts.push(block.text);
      }
      count++;
    },
  });
  out.push(tail);
  return { html: out.join(""), texts };
}

/** The text of each paragraph, in order (tags removed, entities decoded, `<br>` a space). */
export function paragraphTexts(html: string): string[] {
  return readParagraphs(html, null).texts;
}

/** `chapter-3-p12`: the id of paragraph `index` (0-based) under `prefix`. */
export function paragraphId(prefix: string, index: number): string {
  return `${prefix}-p${index + 1}`;
}

/** The prefix reading pages use for a chapter's paragraphs. */
export const chapterPrefix = (chapterPosition: number) => `chapter-${chapterPosition}`;

/**
 * Gives every paragraph an id (see the top of this file) and drops any other `id`. Only ids
 * made of letters, digits, `-` and `_` are added, so the result is as safe as the input.
 */
export function withParagraphIds(html: SanitizedHtml, prefix: string): SanitizedHtml {
  if (!PREFIX.test(prefix)) throw new Error(`Bad paragraph id prefix: ${prefix}`);
  // Sanitized markup with fixed-form ids added, written back in the sanitizer's own form.
  return readParagraphs(html, prefix).html as SanitizedHtml;
}

/**
 * What a stored anchor holds: the start of a paragraph's text, compatibility-normalized,
 * lower-cased and without any whitespace (line breaks and spacing differ between the server's
 * text and a browser's `textContent`), at most `ANCHOR_LENGTH` characters. Idempotent.
 */
export function foldAnchor(text: string): string {
  const folded = text.normalize("NFKC").toLowerCase().normalize("NFKC").replace(/\s+/gu, "");
  return Array.from(folded).slice(0, ANCHOR_LENGTH).join("");
}

// ---------------------------------------------------------------------------------------------
// Paragraph rules (AO3's, from otwarchive's ParagraphMaker in lib/paragraph_maker.rb)
// ---------------------------------------------------------------------------------------------

/** Phrasing elements: they go inside a paragraph, with the text around them. */
const PHRASING = new Set([
  "a",
  "abbr",
  "acronym",
  "b",
  "big",
  "br",
  "cite",
  "code",
  "del",
  "dfn",
  "em",
  "i",
  "img",
  "ins",
  "kbd",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "sup",
  "tt",
  "u",
  "var",
  "ruby",
  "rt",
  "rp",
]);
/**
 * Blocks whose loose text gets paragraphs, as the chapter itself does. Every other block
 * (`p`, headings, `pre`, lists, tables, `hr`, `figure`, `address`…) is written as it is,
 * contents included: AO3 leaves those alone too.
 */
const CONTAINERS = new Set(["div", "blockquote", "center", "details"]);
/**
 * How many of the inline elements open at a blank line are reopened in the next paragraph (the
 * innermost ones), and the longest start tag that is, so hostile input cannot multiply its size
 * paragraph by paragraph. All reopened tags together are also no longer than the input.
 */
const MAX_REOPENED = 8;
const MAX_REOPENED_TAG_LENGTH = 256;
/** A run of whitespace holding at least one line break. */
const LINE_BREAKS = /(\s*\n\s*)/;

type Event =
  | { kind: "open"; name: string; attribs: Record<string, string>; at: number }
  | { kind: "text"; text: string }
  | { kind: "close"; name: string; at: number };

/**
 * The elements of `html` as open/text/close events, with what is only known at an element's end:
 * whether it holds phrasing content only (can sit in a paragraph) and whether it is empty.
 */
function readEvents(html: string): { events: Event[]; phrasing: boolean[]; empty: boolean[] } {
  const events: Event[] = [];
  const phrasing: boolean[] = [];
  const empty: boolean[] = [];
  const open: number[] = [];
  readHtml(html, {
    onopentag(name, attribs) {
      const parent = open[open.length - 1];
      if (parent !== undefined) empty[parent] = false;
      const at = phrasing.length;
      phrasing.push(PHRASING.has(name));
      empty.push(true);
      open.push(at);
      events.push({ kind: "open", name, attribs, at });
    },
    ontext(text) {
      const parent = open[open.length - 1];
      if (parent !== undefined) empty[parent] = false;
      const last = events[events.length - 1];
      if (last?.kind === "text") last.text += text;
      else events.push({ kind: "text", text });
    },
    onclosetag(name) {
      const at = open.pop();
      if (at === undefined) return;
      const parent = open[open.length - 1];
      // A block anywhere inside makes every element around it a block too.
      if (!phrasing[at] && parent !== undefined) phrasing[parent] = false;
      events.push({ kind: "close", name, at });
    },
  });
  return { events, phrasing, empty };
}

/** An inline element open in a run of text, as the paragraph being written sees it. */
interface Inline {
  name: string;
  start: string;
  /** Opened in an earlier paragraph: writing it again costs from the reopening budget. */
  reopened: boolean;
  /** Empty in the source (`<a name="x"></a>`): written even though it holds no text. */
  empty: boolean;
  /** The paragraph it was written in (its start tag), or -1. */
  writtenIn: number;
}

/**
 * Splits one run of loose text and inline elements into paragraphs. Whitespace holding two or
 * more line breaks (blank lines) or two `<br>`s in a row end a paragraph; a single line break
 * becomes `<br />`; each paragraph is trimmed, and one holding no text (nor image) is dropped.
 * Inline elements open at a paragraph's end are closed there and reopened in the next one.
 */
class RunWriter {
  readonly paragraphs: string[] = [];
  private parts: string[] = [];
  private stack: Inline[] = [];
  /** Stack entries below this index were opened in an earlier paragraph. */
  private base = 0;
  /** Entries below this index have been written (or passed over) in this paragraph. */
  private flushed = 0;
  private segment = 0;
  private content = false;
  /** Line breaks seen since the last content: `<br>`s and newlines. */
  private breaks = 0;
  private lastWasBr = false;
  private pendingBr = false;

  constructor(private budget: { left: number }) {}

  open(name: string, attribs: Record<string, string>, empty: boolean): void {
    this.resolveBreaks();
    this.stack.push({
      name,
      start: startTag(name, attribs),
      reopened: false,
      empty,
      writtenIn: -1,
    });
  }

  close(): void {
    this.resolveBreaks();
    const entry = this.stack.pop();
    if (!entry) return;
    if (entry.writtenIn === this.segment) {
      this.parts.push(endTag(entry.name));
    } else if (entry.empty && !entry.reopened) {
      this.flushStarts();
      this.parts.push(entry.start, endTag(entry.name));
    }
    if (this.flushed > this.stack.length) this.flushed = this.stack.length;
    if (this.base > this.stack.length) this.base = this.stack.length;
  }

  br(): void {
    this.breaks++;
    this.lastWasBr = true;
  }

  image(name: string, attribs: Record<string, string>): void {
    this.resolveBreaks();
    this.content = true;
    this.flushStarts();
    this.parts.push(startTag(name, attribs));
  }

  text(text: string): void {
    const pieces = text.split(LINE_BREAKS);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i % 2 === 1) {
        // A newline right after a `<br>` is the line the `<br>` already ended.
        let newlines = 0;
        for (const ch of piece) if (ch === "\n") newlines++;
        this.breaks += newlines - (this.lastWasBr ? 1 : 0);
        this.lastWasBr = false;
        continue;
      }
      if (piece === "") continue;
      if (!/\S/.test(piece) && this.breaks > 0) continue; // spaces beside a line break
      this.resolveBreaks();
      // Whitespace at the start of a paragraph or of a line means nothing.
      const t = !this.content || this.pendingBr ? piece.trimStart() : piece;
      if (t === "") continue;
      if (/\S/.test(t)) this.content = true;
      this.flushStarts();
      this.parts.push(escapeText(t));
    }
  }

  /** The paragraphs, once the run is over. */
  finish(): string[] {
    this.resolveBreaks();
    this.endParagraph();
    return this.paragraphs;
  }

  private resolveBreaks(): void {
    const breaks = this.breaks;
    this.breaks = 0;
    this.lastWasBr = false;
    if (breaks >= 2) this.endParagraph();
    else if (breaks === 1 && this.content) this.pendingBr = true;
  }

  /** Writes a pending `<br />` and the start tags of inline elements not yet written. */
  private flushStarts(): void {
    if (this.pendingBr) {
      this.parts.push("<br />");
      this.pendingBr = false;
    }
    for (; this.flushed < this.stack.length; this.flushed++) {
      const entry = this.stack[this.flushed]!;
      if (entry.reopened) {
        const cost = entry.start.length + entry.name.length + 3;
        if (entry.start.length > MAX_REOPENED_TAG_LENGTH || cost > this.budget.left) continue;
        this.budget.left -= cost;
      }
      this.parts.push(entry.start);
      entry.writtenIn = this.segment;
    }
  }

  private endParagraph(): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const entry = this.stack[i]!;
      if (entry.writtenIn === this.segment) this.parts.push(endTag(entry.name));
      // Only inline elements the earlier paragraphs wrote are reopened; deeper ones stop here.
      if (i < this.base - MAX_REOPENED) break;
    }
    // Trailing whitespace, behind any tags but an image.
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const part = this.parts[i]!;
      if (part.startsWith("<img")) break;
      if (part.startsWith("<")) continue;
      const trimmed = part.trimEnd();
      if (trimmed !== "") {
        this.parts[i] = trimmed;
        break;
      }
      this.parts.splice(i, 1);
    }
    if (this.content) this.paragraphs.push(`<p>${this.parts.join("")}</p>`);
    this.parts = [];
    this.content = false;
    this.pendingBr = false;
    this.segment++;
    // The innermost open elements are written again in the next paragraph, the others not.
    this.base = this.stack.length;
    this.flushed = Math.max(0, this.base - MAX_REOPENED);
    for (let i = this.flushed; i < this.base; i++) this.stack[i]!.reopened = true;
  }
}

/** A block whose loose text gets paragraphs: the chapter itself, a `div`, a `blockquote`… */
interface Container {
  /** Something was written in it already (a run of text that follows goes on a new line). */
  wrote: boolean;
  /** Paragraphs were just written: a block that follows goes on a new line. */
  owesNewline: boolean;
  run: RunWriter | null;
  /** The run as it was, written back when it holds no text (whitespace between blocks). */
  raw: string[];
}

/**
 * AO3's paragraph rules, for text typed with or without HTML: in the chapter and in every
 * `div`, `blockquote`, `center` and `details`, loose text and inline markup are put in
 * paragraphs (blank lines, or two `<br>`s, separate them; a single line break becomes `<br />`),
 * and an inline element spanning a blank line is closed and reopened in each paragraph. Blocks
 * such as `p`, headings, `pre`, lists and tables are kept as they are, contents and all, so
 * text already in paragraphs comes out unchanged; empty `<p></p>`s are dropped.
 *
 * Input must be sanitizer output; it is parsed and written back in the sanitizer's own form
 * (html-stream.ts), and only `p` and `br` elements are added, so the result is as safe as the
 * input and running the rules again changes nothing.
 */
export function addParagraphs(html: string): string {
  const { events, phrasing, empty } = readEvents(html);
  const budget = { left: html.length };
  const out: string[] = [];
  const container = (): Container => ({ wrote: false, owesNewline: false, run: null, raw: [] });
  const containers = [container()];
  /** Depth inside a block written as it is, and inside an inline element of a run. */
  let verbatim = 0;
  let inline = 0;
  /** Elements whose end tag is skipped (an empty `<p>`, a void element's implied close). */
  const dropped = new Set<number>();

  const flushRun = (c: Container) => {
    if (!c.run) return;
    const paragraphs = c.run.finish();
    if (paragraphs.length === 0) {
      // Whitespace between blocks, or markup without text: written back as it was.
      if (c.raw.length > 0) c.wrote = true;
      out.push(...c.raw);
      c.owesNewline = false;
    } else {
      out.push((c.wrote ? "\n" : "") + paragraphs.join("\n"));
      c.wrote = true;
      c.owesNewline = true;
    }
    c.run = null;
    c.raw = [];
  };
  const writeBlockStart = (c: Container, tag: string) => {
    if (c.owesNewline) out.push("\n");
    out.push(tag);
    c.wrote = true;
    c.owesNewline = false;
  };

  for (const event of events) {
    const c = containers[containers.length - 1]!;
    if (event.kind === "text") {
      if (verbatim > 0) {
        out.push(escapeText(event.text));
      } else {
        c.run ??= new RunWriter(budget);
        c.run.text(event.text);
        c.raw.push(escapeText(event.text));
      }
      continue;
    }
    if (event.kind === "open") {
      const { name, attribs, at } = event;
      if (verbatim > 0) {
        verbatim++;
        out.push(startTag(name, attribs));
      } else if (inline > 0 || phrasing[at]) {
        c.run ??= new RunWriter(budget);
        c.raw.push(startTag(name, attribs));
        if (name === "br") {
          c.run.br();
          dropped.add(at);
        } else if (name === "img") {
          c.run.image(name, attribs);
          dropped.add(at);
        } else {
          c.run.open(name, attribs, empty[at]!);
          inline++;
        }
      } else {
        flushRun(c);
        if (name === "p" && empty[at]) {
          dropped.add(at);
        } else if (CONTAINERS.has(name) || PHRASING.has(name)) {
          // An inline element holding a block is a container: `<b>…<div>…</div></b>`.
          writeBlockStart(c, startTag(name, attribs));
          containers.push(container());
        } else {
          writeBlockStart(c, startTag(name, attribs));
          verbatim = 1;
        }
      }
      continue;
    }
    const { name, at } = event;
    if (dropped.has(at)) continue;
    if (verbatim > 0) {
      verbatim--;
      out.push(endTag(name));
    } else if (inline > 0) {
      inline--;
      c.run!.close();
      c.raw.push(endTag(name));
    } else {
      flushRun(c);
      containers.pop();
      out.push(endTag(name));
    }
  }
  flushRun(containers[0]!);
  return out.join("");
}
