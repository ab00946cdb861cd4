/**
 * Short plain-text excerpts (a meta description, a comment in the inbox). They shorten text,
 * never markup: callers turn HTML into text first (`htmlToPlainText`), so no tag is ever cut in
 * half, and the result is escaped like any other text wherever it is shown.
 */
import { htmlToPlainText } from "./sanitize.ts";

/**
 * `text` with its whitespace collapsed to single spaces, cut to at most `max` characters
 * (counting the closing "…") at the last word break, or mid-word when one word is longer.
 * `paragraphs`: keep paragraph breaks as one blank line (for text shown with `pre-line`).
 */
export function excerpt(text: string, max: number, opts: { paragraphs?: boolean } = {}): string {
  const flat = opts.paragraphs
    ? text
        .split(/\n\s*\n/)
        .map((p) => p.replace(/\s+/g, " ").trim())
        .filter(Boolean)
        .join("\n\n")
    : text.replace(/\s+/g, " ").trim();
  // Counted in characters, not UTF-16 units, so an emoji is never split in two.
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max - 1).join("");
  const space = Math.max(cut.lastIndexOf(" "), cut.lastIndexOf("\n"));
  const head = space >= max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.!?—–-]+$/u, "")}…`;
}

/** The text of an HTML fragment (a summary, a comment), shortened to `max` characters. */
export function htmlExcerpt(html: string, max: number, opts: { paragraphs?: boolean } = {}) {
  return excerpt(htmlToPlainText(html), max, opts);
}

/** About what search engines show of a `<meta name="description">`. */
export const META_DESCRIPTION_LENGTH = 160;
