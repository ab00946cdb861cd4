/**
 * SQLite's side of the text index, as text: FTS5 column values for a work's entry (folded
 * words separated by spaces) and the MATCH expressions a query becomes. The SQL that stores
 * and searches them is in sqlite-text-queries.ts.
 *
 * Every word is a run of letters, digits and marks (fold.ts), so quoting it is complete
 * escaping: it cannot contain a quote, a backslash or an operator.
 */
import type { WorkTextSource } from "./documents.ts";
import { words } from "./fold.ts";
import type { TextClause, TextField } from "./query.ts";

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

/** Columns of the FTS5 metadata table (see the work-text migration). */
const FTS_META_COLUMN: Record<Exclude<TextField, "text">, string> = {
  title: "title",
  author: "creators",
  summary: "summary_notes",
  tag: "tags",
};

const ftsPhrase = (c: TextClause) => `"${c.words.join(" ")}"`;

/** An FTS5 MATCH expression for the body table. */
export function ftsBody(c: TextClause): string {
  return ftsPhrase(c);
}

/** An FTS5 MATCH expression for the metadata table. */
export function ftsMeta(c: TextClause): string {
  if (c.field === null || c.field === "text") return ftsPhrase(c);
  return `{${FTS_META_COLUMN[c.field]}} : ${ftsPhrase(c)}`;
}

/** FTS5 alternatives: `a OR b`. */
export const ftsAny = (parts: string[]) => parts.map((p) => `(${p})`).join(" OR ");
