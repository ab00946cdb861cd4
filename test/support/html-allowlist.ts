/**
 * Holds HTML that reaches a page to the sanitizer's own allowlist, the way a browser would read
 * it. Two readings must agree and both pass:
 *
 * - a strict one: the whole string must be in the form the sanitizer writes (tags with
 *   double-quoted attributes, `<`, `>` and `&` only as markup or `&amp; &lt; &gt; &quot;`).
 *   For a string in that form every HTML tokenizer, a browser's included, finds exactly the
 *   same tags and attributes, as long as no element switches it out of its data state (raw text
 *   such as `<xmp>` or `<noscript>`, or `<svg>`): none of those is on the allowlist;
 * - htmlparser2, the parser the sanitizer itself uses.
 */
import { Parser } from "htmlparser2";
import { SANITIZER_ALLOWLIST as ALLOW } from "../../src/core/text/sanitize.ts";

interface StartTag {
  name: string;
  attribs: Record<string, string>;
}

const CANONICAL =
  /<([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"<>]*")*)(?: \/)?>|<\/([a-z][a-z0-9]*)>|&(?:amp|lt|gt|quot);|[^<>&]+/y;
const ATTRIBUTE = / ([a-z][a-z0-9-]*)="([^"]*)"/g;
const ENTITY: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/** Start tags as the strict form reads them, or where the string leaves that form. */
function strictTags(html: string): StartTag[] | string {
  const tags: StartTag[] = [];
  for (let at = 0; at < html.length; at = CANONICAL.lastIndex) {
    CANONICAL.lastIndex = at;
    const m = CANONICAL.exec(html);
    if (!m)
      return `not in the sanitizer's form at ${at}: ${JSON.stringify(html.slice(at, at + 40))}`;
    const [, name, attrs = ""] = m;
    if (name === undefined) continue;
    const attribs: Record<string, string> = {};
    for (const [, attr = "", raw = ""] of attrs.matchAll(ATTRIBUTE)) {
      attribs[attr] ??= raw.replace(/&(?:amp|lt|gt|quot);/g, (e) => ENTITY[e]!);
    }
    tags.push({ name, attribs });
  }
  return tags;
}

function parsedTags(html: string): StartTag[] {
  const tags: StartTag[] = [];
  const parser = new Parser(
    { onopentag: (name, attribs) => tags.push({ name, attribs: { ...attribs } }) },
    { decodeEntities: true },
  );
  parser.end(html);
  return tags;
}

/** The scheme a browser would see (WHATWG URL parsing strips C0/space at the ends, tab/LF/CR inside). */
export function urlScheme(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "").replace(/[\t\n\r]/g, "");
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase() ?? null;
}

function tagProblems({ name, attribs }: StartTag, id: RegExp | null): string[] {
  if (!ALLOW.tags.includes(name)) return [`element <${name}>`];
  const found: string[] = [];
  const allowed = [...(ALLOW.attributes["*"] ?? []), ...(ALLOW.attributes[name] ?? [])];
  for (const [attr, value] of Object.entries(attribs)) {
    if (attr === "id" && id?.test(value)) continue;
    if (!allowed.includes(attr)) found.push(`${attr}=${JSON.stringify(value)} on <${name}>`);
    const scheme = ALLOW.urlAttributes.includes(attr) ? urlScheme(value) : null;
    if (scheme !== null && !(ALLOW.schemesByTag[name] ?? ALLOW.schemes).includes(scheme)) {
      found.push(`${scheme}: in ${attr} on <${name}>`);
    }
  }
  return found;
}

/**
 * Everything that breaks the allowlist in `html`; empty when it is safe. `id`: the ids a
 * post-processing step may add (none when null); they must also be unique.
 */
export function allowlistProblems(html: string, id: RegExp | null = null): string[] {
  const strict = strictTags(html);
  if (typeof strict === "string") return [strict];
  const parsed = parsedTags(html);
  const found = strict.flatMap((t) => tagProblems(t, id));
  if (JSON.stringify(parsed) !== JSON.stringify(strict)) {
    found.push("htmlparser2 reads other tags than the strict form does");
  }
  const ids = strict.flatMap((t) => (t.attribs.id === undefined ? [] : [t.attribs.id]));
  if (new Set(ids).size !== ids.length) found.push("repeated ids");
  return found;
}

/** The start tags of `html` as a browser reads them (for comparing two outputs). */
export function startTags(html: string): StartTag[] {
  const strict = strictTags(html);
  if (typeof strict === "string") throw new Error(strict);
  return strict;
}
