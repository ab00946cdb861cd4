/**
 * A work's entry in the text index, built in JavaScript for both engines from the same folded
 * words (fold.ts): for SQLite, FTS5 column values (folded words separated by spaces); for
 * PostgreSQL, tsvector literals with positions and weights.
 *
 * Two documents per work, so that a tag rename rebuilds only the small one:
 * - meta: title, creators, tags, summary and notes;
 * - body: every posted chapter's title, summary, notes, text and end notes.
 *
 * PostgreSQL's tsvector keeps at most 16,383 positions and 256 positions per lexeme, and at
 * most 1 MB of lexemes; a work may have 60 chapters of 510,000 characters. So the body is
 * split into parts of at most PART_WORDS words, each a row of its own: phrases stay exact
 * inside a part (words cut to MAX_WORD_LENGTH keep a part under 4,000 × 50 characters of
 * lexemes), and a word matches wherever it is. A phrase spanning two parts is not found.
 */
import { words } from "./fold.ts";

/** Bump when words or documents change meaning: every work's entry is then rebuilt. */
export const TEXT_INDEX_FORMAT = 1;

/** What one work's entry is made from, as plain text. */
export interface WorkTextSource {
  title: string;
  /** Pseud names and account logins. */
  creators: string[];
  /** Tag names as typed, and the canonical names of synonyms. */
  tags: string[];
  /** Summary, notes, end notes. */
  notes: string[];
  /** Per posted chapter, in order: its title, summary, notes, text and end notes. */
  chapters: string[][];
}

/**
 * Separates texts in an FTS5 column, so that a phrase cannot run from one tag, note or chapter
 * into the next. A private-use character: FTS5 indexes it (its tokenizer counts Co as letters),
 * while fold.ts treats it as a separator, so no query can ever contain it.
 */
export const BREAK = "\ue000";

/** Texts as folded words separated by spaces, BREAK between texts. */
export function ftsColumn(texts: readonly string[]): string {
  const parts: string[] = [];
  for (const t of texts) {
    const found = words(t);
    if (found.length === 0) continue;
    if (parts.length > 0) parts.push(BREAK);
    parts.push(found.join(" "));
  }
  return parts.join(" ");
}

export interface FtsMeta {
  title: string;
  creators: string;
  tags: string;
  summary_notes: string;
}

export function ftsMetaDocument(src: WorkTextSource): FtsMeta {
  return {
    title: ftsColumn([src.title]),
    creators: ftsColumn(src.creators),
    tags: ftsColumn(src.tags),
    summary_notes: ftsColumn(src.notes),
  };
}

export function ftsBodyDocument(src: WorkTextSource): string {
  return ftsColumn(src.chapters.flat());
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

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
