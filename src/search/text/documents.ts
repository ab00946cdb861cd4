/**
 * What a work's entry in the text index is made from, for both engines. Each engine's module
 * turns it into its own documents from the same folded words (fold.ts): sqlite-fts5.ts into
 * FTS5 column values (BREAK between texts), postgres-tsvector.ts into tsvector literals with
 * positions and weights (the body split into parts).
 *
 * Two documents per work, so that a tag rename rebuilds only the small one:
 * - meta: title, creators, tags, summary and notes;
 * - body: every posted chapter's title, summary, notes, text and end notes.
 */

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
