/**
 * The reader's search text (issue 5): words, "exact phrases", -left-out words and phrases, and
 * field prefixes (`title:`, `author:`, `summary:`, `tag:`, `text:`). Every word found must be
 * in the work, each in some field. Nothing the reader types is ever passed to an engine as
 * syntax: words are folded (fold.ts) to letters and digits and quoted (sqlite-fts5.ts,
 * postgres-tsvector.ts), so `*`, `^`, `(`, `:`, `NEAR`, `AND`, `OR` and unbalanced quotes are
 * only ever punctuation or plain words.
 */
import { words } from "./fold.ts";

export const TEXT_FIELDS = ["title", "author", "summary", "tag", "text"] as const;
/** `summary` covers the work's summary and notes; `text` the chapters (with their notes). */
export type TextField = (typeof TEXT_FIELDS)[number];

export interface TextClause {
  /** Folded words; more than one is a phrase (the words in this order, next to each other). */
  words: string[];
  /** Where the words must be; null: anywhere. */
  field: TextField | null;
}

export interface TextQuery {
  /** Each must match. Never empty. */
  include: TextClause[];
  /** None may match. */
  exclude: TextClause[];
}

export type ParsedTextQuery = { ok: true; query: TextQuery } | { ok: false; message: string };

export const MAX_QUERY_LENGTH = 1_000;
/** Bounds the SQL a query becomes (each clause is a set operation on both engines). */
export const MAX_CLAUSES = 20;
export const MAX_PHRASE_WORDS = 32;

const FIELD_NAMES: Record<string, TextField> = {
  title: "title",
  author: "author",
  by: "author",
  creator: "author",
  pseud: "author",
  summary: "summary",
  notes: "summary",
  tag: "tag",
  tags: "tag",
  text: "text",
  body: "text",
  chapter: "text",
};
const FIELD_PREFIX = /([A-Za-z]+):(?=\S)/y;
const QUOTES = /["“”„«»]/;

/** Reads the reader's search text. Never throws; refuses with a message the page can show. */
export function parseTextQuery(input: string): ParsedTextQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    return {
      ok: false,
      message: `Search text can be at most ${MAX_QUERY_LENGTH.toLocaleString("en-US")} characters long.`,
    };
  }
  const include: TextClause[] = [];
  const exclude: TextClause[] = [];
  const seen = new Set<string>();
  let i = 0;
  const n = input.length;
  const space = (c: string | undefined) => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (space(input[i])) i++;
    if (i >= n) break;
    let negated = false;
    while (input[i] === "-" || input[i] === "+" || input[i] === "−") {
      if (input[i] !== "+") negated = true;
      i++;
    }
    let field: TextField | null = null;
    FIELD_PREFIX.lastIndex = i;
    const prefix = FIELD_PREFIX.exec(input);
    const name = prefix?.[1]!.toLowerCase() ?? "";
    // Own keys only: `constructor:x` is two words, not a field.
    const named = Object.hasOwn(FIELD_NAMES, name) ? FIELD_NAMES[name] : undefined;
    if (prefix && named) {
      field = named;
      i = FIELD_PREFIX.lastIndex;
    }
    let text: string;
    if (QUOTES.test(input[i] ?? "")) {
      // A phrase runs to the next quote, or to the end when it is never closed.
      let end = i + 1;
      while (end < n && !QUOTES.test(input[end]!)) end++;
      text = input.slice(i + 1, end);
      i = end + 1;
    } else {
      let end = i;
      while (end < n && !space(input[end])) end++;
      text = input.slice(i, end);
      i = end;
    }
    const found = words(text);
    if (found.length === 0) continue;
    if (found.length > MAX_PHRASE_WORDS) {
      return { ok: false, message: `A phrase can have at most ${MAX_PHRASE_WORDS} words.` };
    }
    const key = `${negated ? "-" : "+"}${field ?? ""}:${found.join(" ")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (negated ? exclude : include).push({ words: found, field });
  }
  if (include.length + exclude.length > MAX_CLAUSES) {
    return {
      ok: false,
      message: `Search for at most ${MAX_CLAUSES} words and phrases at a time.`,
    };
  }
  if (include.length === 0) {
    return {
      ok: false,
      message:
        exclude.length > 0
          ? "Add a word to search for: words with a minus only leave works out."
          : "Type a word to search for.",
    };
  }
  return { ok: true, query: { include, exclude } };
}

const clauseText = (c: TextClause) => {
  const body = c.words.length > 1 ? `"${c.words.join(" ")}"` : c.words[0]!;
  return c.field ? `${c.field}:${body}` : body;
};

/** The query as it was understood, in the syntax it was typed in ("cafe -tea title:"a b""). */
export function formatTextQuery(query: TextQuery): string {
  return [...query.include.map(clauseText), ...query.exclude.map((c) => `-${clauseText(c)}`)].join(
    " ",
  );
}

/** The words and phrases the reader looked for (left-out ones excluded), e.g. to highlight. */
export function positiveWords(query: TextQuery): string[] {
  return [...new Set(query.include.map((c) => c.words.join(" ")))];
}

/** Whether a clause can match the work's metadata (title, creators, tags, summary, notes). */
export const inMeta = (c: TextClause) => c.field !== "text";
/** Whether a clause can match chapters. */
export const inBody = (c: TextClause) => c.field === null || c.field === "text";
