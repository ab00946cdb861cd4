/**
 * Reading and writing sanitized HTML token by token, for the steps that change it after the
 * sanitizer (paragraph ids, dropping empty paragraphs). Markup is never edited as a string: a
 * regular expression cannot tell `<p title=" id=">` from an id attribute, a parser can.
 *
 * `readHtml` parses as the sanitizer does (htmlparser2, entities decoded, every element closed,
 * implied end tags included). `startTag`, `endTag` and `escapeText` write as the sanitizer writes
 * (attributes double-quoted with `& < > "` escaped, text with `& < >` escaped, void elements as
 * `<br />`), so re-writing sanitizer output token by token gives back the same string. That form
 * is also what keeps the result safe whatever it was given: no text or attribute value can open a
 * tag or an attribute. Comments, doctypes and CDATA have no writer (the sanitizer keeps none).
 */
import { Parser, type Handler } from "htmlparser2";

export type Attributes = Record<string, string>;

/** One pass over `html`; close events arrive for every element, in nesting order. */
export function readHtml(html: string, handler: Partial<Handler>): void {
  new Parser(handler, { decodeEntities: true }).end(html);
}

/** Elements that have no end tag (the HTML void elements). */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);
/** Names written as they are; anything else (never in sanitizer output) is left out. */
const NAME = /^[a-z][a-z0-9-]*$/;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const TEXT_SPECIAL = /[&<>]/;
const ATTRIBUTE_SPECIAL = /[&<>"]/;
const escape = (ch: string) => ESCAPES[ch]!;

export const escapeText = (s: string): string =>
  TEXT_SPECIAL.test(s) ? s.replace(/[&<>]/g, escape) : s;

const escapeAttribute = (s: string): string =>
  ATTRIBUTE_SPECIAL.test(s) ? s.replace(/[&<>"]/g, escape) : s;

export function startTag(name: string, attribs: Attributes): string {
  if (!NAME.test(name)) return "";
  let tag = `<${name}`;
  for (const [attr, value] of Object.entries(attribs)) {
    if (NAME.test(attr)) tag += ` ${attr}="${escapeAttribute(value)}"`;
  }
  return VOID.has(name) ? `${tag} />` : `${tag}>`;
}

export function endTag(name: string): string {
  return NAME.test(name) && !VOID.has(name) ? `</${name}>` : "";
}
