/**
 * Tag autocomplete from an in-memory index of canonical tags and their synonyms: prefix
 * match on any word, accent- and case-insensitive, ranked by whole-name prefix, then by
 * use. Each search first asks the change log (one indexed read) whether tags were wrangled
 * since the index was built, so every process answers from current tags.
 */
import { latestChange } from "../core/db/changes.ts";
import type { Queryable } from "../core/db/index.ts";
import type { TagType } from "../core/db/schema.ts";
import { autocompleteRows } from "./wrangling-queries.ts";

export type AutocompleteType = Extract<
  TagType,
  "fandom" | "relationship" | "character" | "freeform"
>;

export interface Suggestion {
  id: number;
  name: string;
  /** For a synonym: the canonical tag it stands for. */
  canonical?: string;
  uses: number;
}

interface Entry extends Suggestion {
  folded: string;
  canonicalId: number;
}

interface TypeIndex {
  entries: Entry[];
  /** Every word of every entry, sorted, with the entry it came from. */
  words: string[];
  owners: Int32Array;
}

export const MAX_SUGGESTIONS = 15;
const REBUILD_EVERY_MS = 5 * 60_000;

/** Lower case, accents removed, punctuation as spaces: "Éowyn (Tolkien)" → "eowyn tolkien". */
export function foldForSearch(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function build(
  rows: Awaited<ReturnType<typeof autocompleteRows>>,
): Map<AutocompleteType, TypeIndex> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const uses = new Map<number, number>();
  for (const r of rows) {
    const canonical = r.merger_id ?? r.id;
    uses.set(canonical, (uses.get(canonical) ?? 0) + r.taggings_count);
  }
  const out = new Map<AutocompleteType, TypeIndex>();
  const pending = new Map<AutocompleteType, { entries: Entry[]; pairs: [string, number][] }>();
  for (const r of rows) {
    const canonicalId = r.merger_id ?? r.id;
    const canonical = r.merger_id === null ? undefined : byId.get(r.merger_id);
    if (r.merger_id !== null && !canonical) continue;
    const type = r.type as AutocompleteType;
    const bucket = pending.get(type) ?? { entries: [], pairs: [] };
    pending.set(type, bucket);
    const entry: Entry = {
      id: r.id,
      name: r.name,
      ...(canonical ? { canonical: canonical.name } : {}),
      uses: uses.get(canonicalId) ?? 0,
      folded: foldForSearch(r.name),
      canonicalId,
    };
    const index = bucket.entries.push(entry) - 1;
    for (const word of new Set(entry.folded.split(" "))) if (word) bucket.pairs.push([word, index]);
  }
  for (const [type, { entries, pairs }] of pending) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.set(type, {
      entries,
      words: pairs.map((p) => p[0]),
      owners: Int32Array.from(pairs.map((p) => p[1])),
    });
  }
  return out;
}

function lowerBound(words: string[], key: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((words[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TagAutocomplete {
  private index = new Map<AutocompleteType, TypeIndex>();
  private seenChange = -1;
  private builtAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
  ) {}

  /** Catches up with the change log; rebuilds every 5 minutes anyway so use counts stay fresh. */
  private async fresh() {
    const latest = await latestChange(this.db, "tag");
    if (latest === this.seenChange && this.now() - this.builtAt < REBUILD_EVERY_MS) return;
    this.refreshing ??= (async () => {
      try {
        this.index = build(await autocompleteRows(this.db));
        this.builtAt = this.now();
        this.seenChange = latest;
      } finally {
        this.refreshing = null;
      }
    })();
    await this.refreshing;
  }

  /** Forgets the index (tests, and after a bulk load). */
  invalidate() {
    this.seenChange = -1;
  }

  async search(type: AutocompleteType, term: string): Promise<Suggestion[]> {
    await this.fresh();
    return this.searchNow(type, term);
  }

  searchNow(type: AutocompleteType, term: string): Suggestion[] {
    const index = this.index.get(type);
    const wanted = foldForSearch(term);
    if (!index || !wanted) return [];
    const first = wanted.split(" ")[0] as string;
    const seen = new Set<number>();
    const found: Entry[] = [];
    for (let i = lowerBound(index.words, first); i < index.words.length; i++) {
      if (!(index.words[i] as string).startsWith(first)) break;
      const owner = index.owners[i] as number;
      if (seen.has(owner)) continue;
      seen.add(owner);
      const entry = index.entries[owner] as Entry;
      if (` ${entry.folded}`.includes(` ${wanted}`)) found.push(entry);
    }
    const tier = (e: Entry) => (e.folded.startsWith(wanted) ? 0 : 1);
    found.sort(
      (a, b) =>
        tier(a) - tier(b) ||
        b.uses - a.uses ||
        (a.canonical === undefined ? 0 : 1) - (b.canonical === undefined ? 0 : 1) ||
        a.name.localeCompare(b.name),
    );
    const out: Suggestion[] = [];
    const offered = new Set<number>();
    for (const e of found) {
      // One line per canonical tag: a synonym only when its canonical is not already offered.
      if (offered.has(e.canonicalId)) continue;
      offered.add(e.canonicalId);
      out.push({
        id: e.id,
        name: e.name,
        ...(e.canonical ? { canonical: e.canonical } : {}),
        uses: e.uses,
      });
      if (out.length === MAX_SUGGESTIONS) break;
    }
    return out;
  }
}
