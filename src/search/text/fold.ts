/**
 * Words as the text index sees them, shared by indexing, querying and snippets on both engines:
 * the database never splits or folds text itself (PostgreSQL gets ready-made lexemes, SQLite's
 * FTS5 gets folded words separated by spaces), so the two engines cannot disagree about what a
 * word is.
 *
 * A word is a run of letters, digits and combining marks; each CJK ideograph or kana is a word
 * of its own (no spaces separate them), so "東京" is searched as the phrase "東 京". Folding
 * lowercases, removes accents ("Éowyn" → "eowyn", "й" → "и") and compatibility forms ("ﬁ" →
 * "fi"), but keeps the marks that are letters' vowels in Indic scripts, and kana's dakuten.
 */

const CJK = String.raw`[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]`;
// Built from a string: the TypeScript target does not accept a `v` regex literal.
// A word starts with a letter or digit: a lone mark (an emoji's variation selector) is not one.
const WORD_SOURCE = String.raw`[[\p{L}\p{N}]&&${CJK}]\p{M}*|[[\p{L}\p{N}]--${CJK}][[\p{L}\p{N}\p{M}]--${CJK}]*`;
const WORD_RE = new RegExp(WORD_SOURCE, "gv");

/** Accents: the combining diacritical mark blocks (not Indic vowel signs or kana marks). */
// eslint-disable-next-line no-misleading-character-class -- lone marks, removed one by one
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Longer words are cut to this many characters (in documents and queries alike). Bounds one
 * PostgreSQL body part of 4,000 words to well under tsvector's 1 MB of lexemes.
 */
export const MAX_WORD_LENGTH = 50;

/** Lower case, without accents or compatibility forms; may contain separators ("℃" → "°c"). */
export function foldText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .toLowerCase() // first, so that "İ" → "i̇" loses its dot below
    .normalize("NFKD")
    .replace(DIACRITICS, "")
    .normalize("NFC")
    .toLowerCase() // again: NFKD can yield capitals ("𝐀" → "A")
    .replace(/ς/g, "σ"); // final sigma, which toLowerCase chooses by position
}

function cut(word: string): string {
  if (word.length <= MAX_WORD_LENGTH) return word;
  const end = /[\ud800-\udbff]/.test(word[MAX_WORD_LENGTH - 1] ?? "")
    ? MAX_WORD_LENGTH - 1
    : MAX_WORD_LENGTH;
  return word.slice(0, end);
}

// Most words recur, and folding a non-ASCII word costs two normalizations: remember them.
const cache = new Map<string, string | string[]>();
const CACHE_MAX = 100_000;

/** The folded words of one raw word (usually one; folding can split it: "½" → "1", "2"). */
function foldWord(raw: string): string | string[] {
  if (ASCII.test(raw)) return cut(raw.toLowerCase());
  let folded = cache.get(raw);
  if (folded === undefined) {
    const parts = foldText(raw).match(WORD_RE) ?? [];
    folded = parts.length === 1 ? cut(parts[0]) : parts.map(cut);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(raw, folded);
  }
  return folded;
}

/** ASCII letters and digits, or runs holding other characters (handled word by word). */
const CHUNK_RE = /[a-z0-9\u0080-\uffff]+/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The folded words of a text, in order: the same as `wordsAt(text).map((w) => w.word)`, twice
 * as fast (indexing spends most of its time here and in converting HTML).
 */
export function words(text: string): string[] {
  const chunks = text.toLowerCase().match(CHUNK_RE) ?? [];
  const out: string[] = [];
  for (const chunk of chunks) {
    if (!NON_ASCII.test(chunk)) {
      out.push(chunk.length > MAX_WORD_LENGTH ? cut(chunk) : chunk);
      continue;
    }
    for (const raw of chunk.match(WORD_RE) ?? []) {
      const folded = foldWord(raw);
      if (typeof folded === "string") out.push(folded);
      else for (const w of folded) out.push(w);
    }
  }
  return out;
}

export interface WordAt {
  /** The folded word. */
  word: string;
  /** Where the raw word lies in the text (several folded words may share one raw word). */
  start: number;
  end: number;
}

/** The folded words of a text with their places, for highlighting. */
export function wordsAt(text: string): WordAt[] {
  const out: WordAt[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const folded = foldWord(m[0]);
    const start = m.index;
    const end = start + m[0].length;
    if (typeof folded === "string") out.push({ word: folded, start, end });
    else for (const word of folded) out.push({ word, start, end });
  }
  return out;
}

/** True for words that are one CJK character (matched inside runs, without word boundaries). */
export function isCjkWord(word: string): boolean {
  return CJK_START.test(word);
}
const CJK_START = new RegExp(String.raw`^${CJK}`, "v");

/**
 * Every character that folds to `ch` (a single folded character), for finding words in raw
 * HTML without converting it first: "e" → e, E, é, É, ê, ē… Built once, from the scripts whose
 * letters carry accents.
 */
export function variantsOf(ch: string): string[] {
  if (!variants) variants = buildVariants();
  return variants.get(ch) ?? [ch];
}
let variants: Map<string, string[]> | undefined;

function buildVariants(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const ranges: [number, number][] = [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
    [0xb2, 0xb3], // superscript two, three
    [0xb9, 0xb9],
    [0xc0, 0x24f], // Latin-1 supplement, Latin extended A and B
    [0x370, 0x3ff], // Greek
    [0x400, 0x52f], // Cyrillic
    [0x1e00, 0x1fff], // Latin extended additional (Vietnamese), Greek extended
    [0xff10, 0xff19], // fullwidth digits and letters
    [0xff21, 0xff3a],
    [0xff41, 0xff5a],
  ];
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      const folded = foldText(ch);
      if (folded.length !== 1 || !/[\p{L}\p{N}]/u.test(folded)) continue;
      const list = map.get(folded) ?? [folded];
      if (!list.includes(ch)) list.push(ch);
      map.set(folded, list);
    }
  }
  return map;
}
