/**
 * Paragraphs of chapter text: stable ids to link to, and their text to find one again.
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
