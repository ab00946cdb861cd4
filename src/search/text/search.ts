/**
 * The text side of a listing: the reader's query parsed, matched against the full-text
 * index once its follower has caught up with the change log, and passages for the page's
 * works.
 */
import type { Engine, Queryable } from "../../core/db/index.ts";
import type { TextSearcher } from "../listings/find-works.ts";
import type { TextFollower } from "./follower.ts";
import { parseTextQuery } from "./query.ts";
import { searchWorkText } from "./search-queries.ts";
import { workSnippets } from "./snippet-queries.ts";
import type { Snippet } from "./snippet.ts";

/** How long a text search waits for the index to take in recent changes. */
const FRESHNESS_WAIT_MS = 1_000;

export function textSearcher(
  db: Queryable,
  engine: Engine,
  follower: TextFollower,
): {
  search: TextSearcher;
  snippets: (query: string, ids: readonly number[]) => Promise<Map<number, Snippet>>;
} {
  return {
    async search(query) {
      const parsed = parseTextQuery(query);
      if (!parsed.ok) return parsed;
      // So that a reader finds what they just wrote.
      await follower.upToDate(FRESHNESS_WAIT_MS);
      const hits = await searchWorkText(db, engine, parsed.query);
      return { ok: true, ids: hits.ids, scores: hits.scores };
    },
    async snippets(query, ids) {
      const parsed = parseTextQuery(query);
      if (!parsed.ok) return new Map();
      return workSnippets(db, engine, parsed.query, ids);
    },
  };
}
