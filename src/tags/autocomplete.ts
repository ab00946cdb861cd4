/**
 * Tag autocomplete from an in-memory index of canonical tags and their synonyms: prefix
 * match on any word, accent- and case-insensitive, ranked by whole-name prefix, then by
 * use. Each search first asks the change log (one indexed read) whether tags were wrangled
 * since the index was built, so every process answers from current tags, and whether works
 * changed, so use counts follow within a second or so without rebuilding the index.
 *
 * Counts are kept per audience (tags/count-queries.ts): a guest is offered only tags on works
 * a guest may see, a logged-in reader also every canonical tag (the archive's vocabulary), and
 * a synonym only when works the reader may see carry it.
 */
import { performance } from "node:perf_hooks";
import type { Queryable } from "../core/db/index.ts";
import type { TagType } from "../core/db/schema.ts";
import {
  autocompleteCounts,
  autocompleteRows,
  latestTagAndWorkChanges,
} from "./autocomplete-queries.ts";
import type { Audience } from "./count-queries.ts";

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

type PerAudience<T> = Record<Audience, T>;

interface Entry {
  id: number;
  name: string;
  canonical?: string;
  folded: string;
  canonicalId: number;
  /** Uses of the canonical tag and its synonyms together. */
  uses: PerAudience<number>;
  shown: PerAudience<boolean>;
}

interface TypeIndex {
  entries: Entry[];
  /** Every word of every entry, sorted, with the entry it came from. */
  words: string[];
  owners: Int32Array;
}

interface Index {
  types: Map<AutocompleteType, TypeIndex>;
  all: Entry[];
}

type CountRow = { id: number; public_count: number; members_count: number };

export const MAX_SUGGESTIONS = 15;
const REBUILD_EVERY_MS = 5 * 60_000;
export const COUNT_EVERY_MS = 1_000;

/** Lower case, accents removed, punctuation as spaces: "Éowyn (Tolkien)" → "eowyn tolkien". */
export function foldForSearch(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function build(rows: Awaited<ReturnType<typeof autocompleteRows>>): Index {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const types = new Map<AutocompleteType, TypeIndex>();
  const all: Entry[] = [];
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
      uses: { public: 0, members: 0 },
      shown: { public: false, members: false },
      folded: foldForSearch(r.name),
      canonicalId,
    };
    all.push(entry);
    const index = bucket.entries.push(entry) - 1;
    for (const word of new Set(entry.folded.split(" "))) if (word) bucket.pairs.push([word, index]);
  }
  for (const [type, { entries, pairs }] of pending) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    types.set(type, {
      entries,
      words: pairs.map((p) => p[0]),
      owners: Int32Array.from(pairs.map((p) => p[1])),
    });
  }
  const index = { types, all };
  applyCounts(index, rows);
  return index;
}

/** Sets every entry's uses and who may be offered it, from each tag's own counts. */
function applyCounts(index: Index, rows: readonly CountRow[]) {
  const own = new Map(rows.map((r) => [r.id, r]));
  const folded = new Map<number, PerAudience<number>>();
  for (const e of index.all) {
    const r = own.get(e.id);
    const sum = folded.get(e.canonicalId) ?? { public: 0, members: 0 };
    sum.public += r?.public_count ?? 0;
    sum.members += r?.members_count ?? 0;
    folded.set(e.canonicalId, sum);
  }
  for (const e of index.all) {
    const r = own.get(e.id);
    e.uses = folded.get(e.canonicalId) ?? { public: 0, members: 0 };
    // A metatag used only through its subtags is left out for guests: finding that out
    // would walk every tag link at each rebuild, and guests lose only a shortcut.
    e.shown =
      e.canonical === undefined
        ? { public: e.uses.public > 0, members: true }
        : { public: (r?.public_count ?? 0) > 0, members: (r?.members_count ?? 0) > 0 };
  }
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
  private index: Index = { types: new Map(), all: [] };
  private seen = { tag: -1, work: -1 };
  private builtAt = 0;
  private countedAt = 0;
  private countEvery = COUNT_EVERY_MS;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Rebuilds when tags were wrangled (and every 5 minutes anyway); re-reads the counts when
   * works changed, at most once a second (or less often if that read is slow: at most 5% of
   * the time goes to it).
   */
  private async fresh() {
    const latest = await latestTagAndWorkChanges(this.db);
    const now = this.now();
    const rebuild = latest.tag !== this.seen.tag || now - this.builtAt >= REBUILD_EVERY_MS;
    const recount = latest.work !== this.seen.work && now - this.countedAt >= this.countEvery;
    if (!rebuild && !recount) return;
    this.refreshing ??= (async () => {
      try {
        if (rebuild) {
          this.index = build(await autocompleteRows(this.db));
          this.builtAt = now;
        } else {
          const started = performance.now();
          applyCounts(this.index, await autocompleteCounts(this.db));
          this.countEvery = Math.max(COUNT_EVERY_MS, 20 * (performance.now() - started));
        }
        this.seen = latest;
        this.countedAt = now;
      } finally {
        this.refreshing = null;
      }
    })();
    await this.refreshing;
  }

  /** Forgets the index (tests, and after a bulk load). */
  invalidate() {
    this.seen = { tag: -1, work: -1 };
  }

  async search(type: AutocompleteType, term: string, audience: Audience): Promise<Suggestion[]> {
    await this.fresh();
    return this.searchNow(type, term, audience);
  }

  searchNow(type: AutocompleteType, term: string, audience: Audience): Suggestion[] {
    const index = this.index.types.get(type);
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
      if (entry.shown[audience] && ` ${entry.folded}`.includes(` ${wanted}`)) found.push(entry);
    }
    const tier = (e: Entry) => (e.folded.startsWith(wanted) ? 0 : 1);
    found.sort(
      (a, b) =>
        tier(a) - tier(b) ||
        b.uses[audience] - a.uses[audience] ||
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
        uses: e.uses[audience],
      });
      if (out.length === MAX_SUGGESTIONS) break;
    }
    return out;
  }
}
