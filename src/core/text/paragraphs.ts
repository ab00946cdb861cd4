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
 * Input must be sanitizer output. There every `<` in text and in attribute values is escaped,
 * so each literal `<` starts a tag and a scan of tags is exact. The sanitizer never lets `id`
 * through; any found anyway (rows cleaned by an older allowlist) are removed, so ids can never
 * repeat. A named anchor (`<a name="chapter-1-p2">`) cannot capture our fragments: browsers look
 * for an element with that id before they look at names.
 */
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
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>/g;
const PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,60}$/;

/** How long a stored anchor is, in characters of folded text. */
export const ANCHOR_LENGTH = 80;

interface Block {
  /** Offsets of the opening tag's name end (where an id goes) and of the content. */
  nameEnd: number;
  contentStart: number;
  contentEnd: number;
  leaf: boolean;
}

/** Every leaf-block candidate in document order, with whether it is a leaf. */
function scanBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  const open: { name: string; block: Block }[] = [];
  for (const m of html.matchAll(TAG)) {
    const [tag, closing, rawName = "", attrs = ""] = m;
    const name = rawName.toLowerCase();
    if (!LEAF_CANDIDATES.has(name)) continue;
    const at = m.index;
    if (closing) {
      const i = open.map((o) => o.name).lastIndexOf(name);
      if (i === -1) continue;
      // Anything left open inside is closed here too (well-formed input never has any).
      for (const o of open.splice(i)) o.block.contentEnd = at;
    } else {
      if (attrs.trimEnd().endsWith("/")) continue;
      const parent = open[open.length - 1];
      if (parent) parent.block.leaf = false;
      const block = {
        nameEnd: at + 1 + rawName.length,
        contentStart: at + tag.length,
        contentEnd: html.length,
        leaf: true,
      };
      blocks.push(block);
      open.push({ name, block });
    }
  }
  return blocks.filter((b) => b.leaf);
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text of each paragraph, in order (tags removed, entities decoded, `<br>` a space). */
export function paragraphTexts(html: string): string[] {
  return scanBlocks(html).map((b) =>
    decodeEntities(
      html
        .slice(b.contentStart, b.contentEnd)
        .replace(/<br\b[^>]*>/gi, " ")
        .replace(/<[^>]*>/g, ""),
    ),
  );
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
  const stripped = html.replace(/(<[A-Za-z][A-Za-z0-9]*\b[^>]*?)\sid="[^"]*"/g, "$1");
  const blocks = scanBlocks(stripped);
  let out = "";
  let from = 0;
  blocks.forEach((b, i) => {
    out += `${stripped.slice(from, b.nameEnd)} id="${paragraphId(prefix, i)}"`;
    from = b.nameEnd;
  });
  // Only fixed-form id attributes were added to sanitized markup.
  return (out + stripped.slice(from)) as SanitizedHtml;
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
