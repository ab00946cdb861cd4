/**
 * PostgreSQL's side of the text index, as text: tsvector literals (positions and weights) for
 * a work's entry and the tsquery text a query becomes. The SQL that stores and searches them
 * is in postgres-text-queries.ts.
 *
 * A tsvector keeps at most 16,383 positions and 256 positions per lexeme, and at most 1 MB of
 * lexemes; a work may have 60 chapters of 510,000 characters. So the body is split into parts
 * of at most PART_WORDS words, each a row of its own: phrases stay exact inside a part (words
 * cut to MAX_WORD_LENGTH keep a part under 4,000 × 50 characters of lexemes), and a word
 * matches wherever it is. A phrase spanning two parts is not found.
 *
 * Every word is a run of letters, digits and marks (fold.ts), so quoting it is complete
 * escaping: it cannot contain a quote, a backslash or an operator.
 */
import type { WorkTextSource } from "./documents.ts";
import { words } from "./fold.ts";
import type { TextClause, TextField } from "./query.ts";

const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;
/** Words per body part; small enough that most words keep all their positions (≤ 256). */
export const PART_WORDS = 4_000;
const WEIGHTS = ["D", "C", "B", "A"] as const;
type Weight = 0 | 1 | 2 | 3;

/** Collects lexemes with positions (each position tagged with a weight) into tsvector text. */
class TsvectorBuilder {
  private readonly lexemes = new Map<string, number[]>();
  private position = 0;
  words = 0;

  /** Adds a text's words after a gap, so phrases never join two texts. */
  add(found: readonly string[], weight: Weight) {
    this.position++;
    for (const w of found) {
      this.position = Math.min(this.position + 1, MAX_POSITION);
      const list = this.lexemes.get(w);
      const entry = this.position * 4 + weight;
      if (!list) this.lexemes.set(w, [entry]);
      else if (list.length < MAX_POSITIONS_PER_LEXEME && list[list.length - 1] !== entry) {
        list.push(entry);
      }
    }
    this.words += found.length;
  }

  toString(): string {
    const out: string[] = [];
    for (const [lexeme, entries] of this.lexemes) {
      const positions = entries.map((e) => {
        const w = (e & 3) as Weight;
        return w === 0 ? String(e >> 2) : `${e >> 2}${WEIGHTS[w]}`;
      });
      // Lexemes are letters, digits and marks only: nothing to escape inside the quotes.
      out.push(`'${lexeme}':${positions.join(",")}`);
    }
    return out.join(" ");
  }
}

/** The metadata row: title A, tags B, creators C, summary and notes D. */
export function tsMetaDocument(src: WorkTextSource): string {
  const b = new TsvectorBuilder();
  b.add(words(src.title), 3);
  for (const t of src.tags) b.add(words(t), 2);
  for (const c of src.creators) b.add(words(c), 1);
  for (const n of src.notes) b.add(words(n), 0);
  return b.toString();
}

/** The body rows: parts of at most PART_WORDS words, each its own tsvector. */
export function tsBodyDocuments(src: WorkTextSource): string[] {
  const parts: string[] = [];
  let b = new TsvectorBuilder();
  for (const text of src.chapters.flat()) {
    let found = words(text);
    while (found.length > 0) {
      const room = PART_WORDS - b.words;
      if (room <= 0) {
        parts.push(b.toString());
        b = new TsvectorBuilder();
        continue;
      }
      b.add(found.length > room ? found.slice(0, room) : found, 0);
      found = found.length > room ? found.slice(room) : [];
    }
  }
  if (b.words > 0) parts.push(b.toString());
  return parts;
}

/**
 * The weights of the metadata tsvector. Creators get their own letter so that `author:` can
 * be told from `tag:`; the body lives in other rows (all weight D).
 */
const TS_WEIGHT: Record<Exclude<TextField, "text">, string> = {
  title: "A",
  tag: "B",
  author: "C",
  summary: "D",
};

const tsLexeme = (w: string, weight: string) => `'${w}'${weight ? `:${weight}` : ""}`;

/** A tsquery (text form) for the body rows. */
export function tsBody(c: TextClause): string {
  return c.words.map((w) => tsLexeme(w, "")).join(" <-> ");
}

/** A tsquery (text form) for the metadata row. */
export function tsMeta(c: TextClause): string {
  const weight = c.field === null || c.field === "text" ? "" : TS_WEIGHT[c.field];
  return c.words.map((w) => tsLexeme(w, weight)).join(" <-> ");
}

/**
 * A tsquery (text form) for "matched in the title, tags or summary" (weights A, B, D), what
 * ranks a work higher; null for an `author:` clause, which never does.
 */
export function tsTier(c: TextClause): string | null {
  if (c.field === "author") return null;
  const weight = c.field === null || c.field === "text" ? "ABD" : TS_WEIGHT[c.field];
  return c.words.map((w) => tsLexeme(w, weight)).join(" <-> ");
}

/** tsquery alternatives: `a | b`. */
export const tsAny = (parts: string[]) => parts.map((p) => `(${p})`).join(" | ");
