/**
 * Snippets: a passage of about 30 words around the best match, as plain text parts with the
 * searched words flagged (the view escapes the text and wraps hits in <mark>). Built here from
 * the stored HTML, never from engine output, identically for both engines.
 *
 * Converting a whole chapter to text is slow (~15 MB/s), so the stored HTML is first scanned
 * with a regular expression that accepts every accented and cased spelling of the searched
 * words (fold.ts `variantsOf`), and only a small window around the best candidate is converted
 * (by `windowText`, 50 times faster than sanitize-html for this) and checked exactly with the
 * index's own words.
 */
import { isCjkWord, variantsOf, wordsAt, type WordAt } from "./fold.ts";
import type { TextClause, TextField, TextQuery } from "./query.ts";

export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface Snippet {
  parts: SnippetPart[];
  /** Where the passage is, when worth saying: "Chapter 3", "Summary"… */
  where?: string;
}

/** Which clauses may match a kind of text: chapter text, or the summary and notes. */
export type SnippetField = Extract<TextField, "text" | "summary">;

export const SNIPPET_WORDS = 30;
const CONTEXT_BEFORE = 8;
/** HTML characters converted around a candidate match. */
const WINDOW_BEFORE = 300;
const WINDOW_AFTER = 700;
/** Candidate matches looked at per text before giving up on it. */
const MAX_CANDIDATES = 64;
const MAX_WINDOWS = 4;

/**
 * The scanning patterns use no Unicode property classes: those take milliseconds to compile,
 * per query, against microseconds to run (seen). Word boundaries are checked in JS
 * (candidatesIn), and between a phrase's words only tags, entities, spaces and common
 * punctuation may stand (a rarer separator only costs the snippet, never the match).
 */
const SEPARATOR = String.raw`[\s!-%'-/:;=?@\[-\x60{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f]`;
const between = (required: boolean) => `(?:<[^>]*>|&#?\\w+;|${SEPARATOR})${required ? "+" : "*"}`;

const hex = (s: string) => [...s].map((ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`).join("");

function wordPattern(word: string): string {
  return [...word]
    .map((ch) => {
      const upper = ch.toUpperCase();
      const all = new Set([...variantsOf(ch), ...(upper.length === 1 ? [upper] : [])]);
      return all.size === 1 ? hex(ch) : `[${[...all].map(hex).join("")}]`;
    })
    .join("");
}

/** A phrase's words; CJK words may touch their neighbours, others need a separator. */
function phrasePattern(words: string[]): string {
  return words
    .map((w, i) => {
      if (i === 0) return wordPattern(w);
      const touching = isCjkWord(w) || isCjkWord(words[i - 1]!);
      return between(!touching) + wordPattern(w);
    })
    .join("");
}

/** Compiled patterns, shared by queries (the next page of results asks again). */
const compiled = new Map<string, RegExp>();
function compile(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    if (compiled.size >= 256) compiled.clear();
    re = new RegExp(source, "gu");
    compiled.set(source, re);
  }
  return re;
}

/** Whether a clause can match in a text of this field ("any": every clause). */
function applies(c: TextClause, field: TextField | "any"): boolean {
  return field === "any" || c.field === null || c.field === field;
}

interface Found {
  parts: SnippetPart[];
  /** Distinct clauses in the passage. */
  clauses: number;
}

/** Finds snippets of one query in many texts. */
export class SnippetFinder {
  private readonly clauses: string[][];
  private readonly scans = new Map<SnippetField, RegExp | null>();

  constructor(private readonly query: TextQuery) {
    this.clauses = query.include.map((c) => c.words);
  }

  private allowed(field: TextField | "any"): Set<number> {
    const ids = new Set<number>();
    this.query.include.forEach((c, i) => {
      if (applies(c, field)) ids.add(i);
    });
    return ids;
  }

  private scan(field: SnippetField): RegExp | null {
    if (!this.scans.has(field)) {
      const alternatives = [...this.allowed(field)].map(
        (i) => `(?<c${i}>${phrasePattern(this.clauses[i]!)})`,
      );
      this.scans.set(field, alternatives.length ? compile(alternatives.join("|")) : null);
    }
    return this.scans.get(field) ?? null;
  }

  /** The best passage of a text in stored (sanitized) HTML, or null when nothing matches. */
  find(stored: string, field: SnippetField): SnippetPart[] | null {
    const re = this.scan(field);
    if (!re) return null;
    // Accents typed as combining marks: composed first, so the patterns need not allow them.
    const html = COMBINING.test(stored) ? stored.normalize("NFC") : stored;
    const allowed = this.allowed(field);
    const ends = new Map(this.query.include.map((c, i) => [`c${i}`, c.words.at(-1)!]));
    // Look first where the most different words are close together.
    const candidates = candidatesIn(html, re, allowed.size, ends).sort(
      (a, b) => b.near - a.near || a.at - b.at,
    );
    const converted: [number, number][] = [];
    let best: Found | null = null;
    for (const cand of candidates) {
      if (converted.length >= MAX_WINDOWS || (best && best.clauses >= cand.near)) break;
      if (converted.some(([a, b]) => cand.at >= a && cand.at < b)) continue;
      const [start, end] = windowAround(html, cand.at);
      converted.push([start, end]);
      const text = windowText(html.slice(start, end));
      const found = passage(text, wordsAt(text), this.clauses, allowed, {
        cutBefore: start > 0,
        cutAfter: end < html.length,
      });
      if (found && (!best || found.clauses > best.clauses)) best = found;
      if (best && best.clauses === allowed.size) break;
    }
    return best?.parts ?? null;
  }

  /** A short plain text (a title, a summary) whole, with the searched words flagged. */
  highlight(text: string, field: TextField | "any" = "any"): SnippetPart[] {
    const hits = hitsIn(wordsAt(text), this.clauses, this.allowed(field));
    return toParts(text, 0, text.length, hits.ranges);
  }
}

/** Tags after which words never run on (htmlToPlainText's paragraph and line breaks). */
const BREAKING_TAG =
  /^(?:p|br|div|li|dt|dd|ul|ol|dl|h[1-6]|blockquote|pre|hr|table|caption|thead|tbody|tfoot|tr|td|th|figure|figcaption|details|summary|center|address)$/i;
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/**
 * The text of a piece of stored HTML, for snippets only. Stored HTML is sanitizer output,
 * where `<` and `>` only delimit tags and text holds few entities, so a regular expression
 * does: breaking tags become spaces, others vanish (`<b>ca</b>fé` stays one word).
 */
export function windowText(html: string): string {
  return html
    .replace(/<\/?([A-Za-z][A-Za-z0-9]*)[^>]*>/g, (_, name: string) =>
      BREAKING_TAG.test(name) ? " " : "",
    )
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      const code =
        name.startsWith("#x") || name.startsWith("#X")
          ? parseInt(name.slice(2), 16)
          : name.startsWith("#")
            ? parseInt(name.slice(1), 10)
            : -1;
      if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      const key = name.toLowerCase();
      return Object.hasOwn(ENTITIES, key) ? ENTITIES[key]! : entity;
    });
}

/** HTML around a position, not starting or ending inside a tag. */
function windowAround(html: string, at: number): [number, number] {
  let start = Math.max(0, at - WINDOW_BEFORE);
  let end = Math.min(html.length, at + WINDOW_AFTER);
  if (insideTag(html, start)) start = html.indexOf(">", start) + 1;
  if (end < html.length && insideTag(html, end)) end = html.lastIndexOf("<", end);
  return [start, Math.max(start, end)];
}

interface Candidate {
  at: number;
  /** Distinct clauses among the candidates that follow within a window. */
  near: number;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const COMBINING = /[\u0300-\u036f]/;

/**
 * Candidate matches: where the pattern matched on word boundaries, outside tags and entities,
 * with the clause (named group) each one is. `ends`: each clause's last word.
 */
function candidatesIn(
  html: string,
  re: RegExp,
  clauses: number,
  ends: Map<string, string>,
): Candidate[] {
  const found: { at: number; clause: string }[] = [];
  const inTag = tagTracker(html);
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (found.length < MAX_CANDIDATES && (m = re.exec(html)) !== null) {
    const at = m.index;
    const end = at + m[0].length;
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const clause = Object.entries(m.groups ?? {}).find(([, v]) => v !== undefined)?.[0] ?? "";
    // In the middle of a word (CJK words need no boundary), inside a tag (`<p>`, an href)
    // or an entity (`&amp;`): not a match. Try again one character further.
    const before = charBefore(html, at);
    const after = String.fromCodePoint(html.codePointAt(end) ?? 32);
    const midWord =
      (WORD_CHAR.test(before) && !isCjkWord(m[0])) ||
      (WORD_CHAR.test(after) && !isCjkWord(ends.get(clause) ?? ""));
    if (midWord || before === "&" || inTag(at)) {
      re.lastIndex = at + 1;
      continue;
    }
    found.push({ at, clause });
    // Enough once every clause is close together (one match, for a one-word query).
    const near = new Set<string>();
    for (let j = found.length - 1; j >= 0 && at - found[j]!.at < WINDOW_AFTER / 2; j--) {
      near.add(found[j]!.clause);
    }
    if (near.size === clauses) break;
  }
  return found.map((f, i) => {
    const near = new Set<string>();
    for (let j = i; j < found.length && found[j]!.at - f.at < WINDOW_AFTER / 2; j++) {
      near.add(found[j]!.clause);
    }
    return { at: f.at, near: near.size };
  });
}

/**
 * Whether a position lies inside a tag, for increasing positions in linear time overall
 * (sanitized HTML has `<` and `>` only as tag delimiters: text and attributes escape them).
 */
function tagTracker(html: string): (at: number) => boolean {
  let pos = 0;
  let inside = false;
  return (at) => {
    for (;;) {
      const next = html.indexOf(inside ? ">" : "<", pos);
      if (next === -1 || next >= at) {
        pos = at;
        return inside;
      }
      inside = !inside;
      pos = next + 1;
    }
  };
}

/** The whole character before position i (both halves of a surrogate pair). */
function charBefore(text: string, i: number): string {
  if (i <= 0) return "";
  const low = text.charCodeAt(i - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && i >= 2;
  return pair ? text.slice(i - 2, i) : text.slice(i - 1, i);
}

function insideTag(html: string, i: number): boolean {
  return i > 0 && html.lastIndexOf("<", i - 1) > html.lastIndexOf(">", i - 1);
}

interface Hits {
  /** Word index → the clauses matched starting there. */
  at: Map<number, number[]>;
  /** Character ranges of matched words, in order. */
  ranges: [number, number][];
}

/** Exact matches of the clauses among the words (a phrase's words must be consecutive). */
function hitsIn(found: WordAt[], clauses: string[][], allowed: Set<number>): Hits {
  const at = new Map<number, number[]>();
  const ranges: [number, number][] = [];
  for (let i = 0; i < found.length; i++) {
    for (const c of allowed) {
      const ws = clauses[c]!;
      if (i + ws.length > found.length) continue;
      if (ws.every((w, k) => found[i + k]!.word === w)) {
        at.set(i, [...(at.get(i) ?? []), c]);
        ranges.push([found[i]!.start, found[i + ws.length - 1]!.end]);
      }
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return { at, ranges };
}

/** The best SNIPPET_WORDS-word passage of a text, or null when no clause matches in it. */
export function passage(
  text: string,
  found: WordAt[],
  clauses: string[][],
  allowed: Set<number>,
  { cutBefore = false, cutAfter = false } = {},
): Found | null {
  // A window's first and last words may be cut in half: never show them.
  const first = cutBefore ? 1 : 0;
  const last = cutAfter ? found.length - 1 : found.length;
  const hits = hitsIn(found, clauses, allowed);
  let best: { from: number; clauses: number } | null = null;
  for (const i of [...hits.at.keys()].sort((a, b) => a - b)) {
    if (i < first || i >= last) continue;
    const from = Math.max(first, Math.min(i - CONTEXT_BEFORE, last - SNIPPET_WORDS));
    const inside = new Set<number>();
    for (let k = from; k < Math.min(last, from + SNIPPET_WORDS); k++) {
      for (const c of hits.at.get(k) ?? []) {
        if (k + clauses[c]!.length <= from + SNIPPET_WORDS) inside.add(c);
      }
    }
    if (!best || inside.size > best.clauses) best = { from, clauses: inside.size };
  }
  if (!best) return null;
  const to = Math.min(last, best.from + SNIPPET_WORDS);
  let startChar = found[best.from]!.start;
  let endChar = found[to - 1]!.end;
  // Keep an opening quote before, and a full stop or closing quote after.
  const punctuation = (ch: string | undefined) => ch !== undefined && /[^\s\p{L}\p{N}]/u.test(ch);
  for (let k = 0; k < 2 && punctuation(text[startChar - 1]); k++) startChar--;
  for (let k = 0; k < 3 && punctuation(text[endChar]); k++) endChar++;
  const parts = toParts(text, startChar, endChar, hits.ranges);
  if (best.from > 0 || cutBefore) prepend(parts, "… ");
  if (to < found.length || cutAfter) append(parts, " …");
  return { parts, clauses: best.clauses };
}

/** Splits text[start, end) into parts, flagging the ranges (merged when only spaces part them). */
function toParts(
  text: string,
  start: number,
  end: number,
  ranges: [number, number][],
): SnippetPart[] {
  const merged: [number, number][] = [];
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const prev = merged[merged.length - 1];
    if (prev && (a <= prev[1] || /^\s*$/.test(text.slice(prev[1], a))))
      prev[1] = Math.max(prev[1], b);
    else merged.push([Math.max(a, start), Math.min(b, end)]);
  }
  const parts: SnippetPart[] = [];
  const push = (from: number, to: number, hit: boolean) => {
    const t = text.slice(from, to).replace(/\s+/g, " ");
    if (t) parts.push({ text: t, hit });
  };
  let at = start;
  for (const [a, b] of merged) {
    push(at, a, false);
    push(a, b, true);
    at = b;
  }
  push(at, end, false);
  return parts;
}

function prepend(parts: SnippetPart[], s: string) {
  if (parts[0] && !parts[0].hit) parts[0].text = s + parts[0].text;
  else parts.unshift({ text: s, hit: false });
}

function append(parts: SnippetPart[], s: string) {
  const last = parts[parts.length - 1];
  if (last && !last.hit) last.text += s;
  else parts.push({ text: s, hit: false });
}
