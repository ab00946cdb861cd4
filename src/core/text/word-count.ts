import { htmlToPlainText } from "./sanitize.ts";

/**
 * Scripts written without spaces between words: every ideograph / kana counts as one word.
 * Script_Extensions so that the prolonged sound mark ー (Script=Common) counts as kana.
 */
const CJK = String.raw`[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]`;
/** One CJK letter or number, plus any combining marks (e.g. a dakuten) that follow it. */
const CJK_WORD = String.raw`[[\p{L}\p{N}]&&${CJK}]\p{M}*`;
/** A word starts with a letter or digit (so a stray combining mark or U+FE0F is not a word)… */
const START = String.raw`[[\p{L}\p{N}]--${CJK}]`;
/** …and continues with letters, digits and combining marks (Thai vowels, accents, viramas…). */
const CONT = String.raw`[[\p{L}\p{N}\p{M}]--${CJK}]`;
/**
 * Joiners kept inside one word when a letter or digit follows: hyphen (also U+2010 HYPHEN and
 * U+2011 NON-BREAKING HYPHEN) and apostrophes (' and ’); `.` or `,` only between digits (3.5,
 * 1,000). Dashes (– —), slashes and every other character separate words.
 */
const JOINER = String.raw`(?:[\-\u2010\u2011'\u2019]|(?<=\p{N})[.,](?=\p{N}))`;
const WORD = `${CJK_WORD}|${START}${CONT}*(?:${JOINER}${START}${CONT}*)*`;

// The `v` flag (class set operations) is supported by Node 20; built from a string because the
// TypeScript target (ES2022) does not accept a `v` regex literal.
const WORD_RE = new RegExp(WORD, "gv");

/**
 * Words in plain text. A word is a run of letters, digits and marks; hyphenated and apostrophe
 * words and decimal numbers count once; CJK ideographs, hiragana and katakana count one each.
 * Emoji and punctuation are not words.
 */
export function countWords(text: string): number {
  const re = new RegExp(WORD_RE); // own lastIndex, so concurrent/reentrant use is safe
  let count = 0;
  while (re.exec(text) !== null) count++;
  return count;
}

/** Words in an HTML fragment (its text content; markup and attributes do not count). */
export function countWordsInHtml(html: string): number {
  return countWords(htmlToPlainText(html));
}
