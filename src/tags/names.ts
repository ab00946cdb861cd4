import { limits } from "../core/limits.ts";

/** Characters AO3 refuses in tag names; commas separate tags and are never part of one. */
export const FORBIDDEN_TAG_CHARS = ["*", "<", ">", "^", "{", "}", "=", "`", "\\", "%"] as const;

/** Trims and collapses white space: what a tag is called. */
export function normalizeTagName(name: string): string {
  return name.normalize("NFC").replace(/\s+/gu, " ").trim();
}

/** What tag names are unique on: the normalized name, case-folded. */
export function tagKey(name: string): string {
  return normalizeTagName(name).toLowerCase();
}

/** Splits what an author typed into one field ("Fluff, Angst,  Hurt/Comfort") into names. */
export function splitTagList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,，、]/u)) {
    const name = normalizeTagName(part);
    if (!name || seen.has(tagKey(name))) continue;
    seen.add(tagKey(name));
    out.push(name);
  }
  return out;
}

/** A message for the author when a name cannot be a tag, else null. */
export function tagNameProblem(name: string): string | null {
  if (name.length > limits.tagName.max) {
    return `The tag "${name.slice(0, 40)}…" is too long (${limits.tagName.max} characters at most).`;
  }
  const bad = FORBIDDEN_TAG_CHARS.filter((c) => name.includes(c));
  if (bad.length)
    return `The tag "${name}" contains ${bad.join(" ")}, which can't be used in tags.`;
  return null;
}

// AO3 writes some characters in tag addresses as *x* escapes; "*" never appears in a name.
const URL_ESCAPES: [string, string][] = [
  ["/", "*s*"],
  ["&", "*a*"],
  [".", "*d*"],
  ["?", "*q*"],
  ["#", "*h*"],
];

const ESCAPE_OF = new Map(URL_ESCAPES);
const CHAR_OF = new Map(URL_ESCAPES.map(([c, e]) => [e, c]));
const ESCAPED_CHARS = /[/&.?#]/g;
const ESCAPES = /\*[sadqh]\*/g;

/** Listings link every tag of every work: the same few thousand names, escaped once each. */
const urlNames = new Map<string, string>();

export function tagUrlName(name: string): string {
  const cached = urlNames.get(name);
  if (cached !== undefined) return cached;
  const escaped = encodeURIComponent(name.replace(ESCAPED_CHARS, (c) => ESCAPE_OF.get(c) ?? c));
  if (urlNames.size >= 20_000) urlNames.clear();
  urlNames.set(name, escaped);
  return escaped;
}

// One left-to-right pass: decoding escape by escape would read "*h*q*h*" ("#q#") as "*h?h*".
export function tagNameFromUrl(segment: string): string {
  return segment.replace(ESCAPES, (e) => CHAR_OF.get(e) ?? e);
}

export const tagWorksPath = (name: string) => `/tags/${tagUrlName(name)}/works`;
