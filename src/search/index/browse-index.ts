/**
 * The browse index (issue 5): every posted work held in memory so that a listing — filter,
 * sort, page, total and exact facet counts — is answered in a few milliseconds at a million
 * works, with no database round trip.
 *
 * - One roaring bitmap per folded tag, plus bitmaps of all works, restricted works, complete,
 *   single-chapter and crossover works, and one per language. Includes are intersected
 *   smallest first, excludes and (for guests) restricted works subtracted, then the flag
 *   bitmaps applied; range filters scan the result's members against typed arrays.
 * - Typed arrays indexed by work id for the sortable and range-filtered attributes; each
 *   work's tags as dense slots, delta-coded in one 16-bit pool (half the cache lines of
 *   plain ints — walking tag lists is bound by cache misses).
 * - Sort orders (sort-order.ts): per key, ids in (key, id) order, radix-sorted, then kept
 *   current through a small sorted delta. A page is found by walking the order and testing
 *   membership in the result, or, when the walk would be longer than the result, by
 *   selecting the page from the result's members.
 * - Facets, exact: results up to `facetWalkMax` (and loose mid-sized ones) walk their works'
 *   tag lists; larger ones test candidate tags with `andCardinality` in decreasing order of
 *   an upper bound, stopping once no candidate left can reach the top ten. The bound is the
 *   tag's co-occurrence count with the smallest included "anchor" tag (any tag on at least
 *   `anchorMin` works keeps such counts, facet-lists.ts) — the result lies within it —
 *   tightened by the other included anchors, else the tag's global count. All candidate
 *   lists are kept sorted by count as works change, so writes never invalidate them.
 * - New works are buffered and applied in one batch before the next search (a bulk load
 *   costs one `addMany` per tag); edits and removals apply at once.
 *
 * Pure and synchronous: the loader (src/search/index/index-queries.ts) feeds it WorkDocs and tag
 * types. Work ids are used as array indexes, so they should be dense (database ids are).
 */
import roaring from "roaring";
import type { RoaringBitmap32 as Bitmap } from "roaring";
import { CoTable, CountList, IntMap, offer, TOP, type FacetCount } from "./facet-lists.ts";
import {
  FloatKeys,
  IntKeys,
  selectPage,
  SortOrder,
  StringKeys,
  type SortKeys,
} from "./sort-order.ts";

const { RoaringBitmap32 } = roaring;

export const SORT_KEYS = [
  "revised",
  "published",
  "title",
  "creator",
  "words",
  "kudos",
  "hits",
  "comments",
  "bookmarks",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const FACET_TYPES = [
  "rating",
  "warning",
  "category",
  "fandom",
  "relationship",
  "character",
  "freeform",
] as const;
export type FacetType = (typeof FACET_TYPES)[number];
export type IndexTagType = FacetType | "media";

/** One work as the index sees it. */
export interface WorkDoc {
  /** Work id: a positive integer below 2^31. */
  id: number;
  /** Folded tag ids (work_filter_tags): canonical tags and their metatags. */
  tagIds: readonly number[];
  /** Fandom tags the author typed (a crossover has more than one). */
  fandomCount: number;
  /** Visible to logged-in viewers only. */
  restricted: boolean;
  complete: boolean;
  chapters: number;
  words: number;
  language: string;
  /** Epoch milliseconds. */
  revisedAt: number;
  publishedAt: number;
  /** Folded sort keys, compared by UTF-16 code unit. */
  titleKey: string;
  creatorKey: string;
  kudos: number;
  hits: number;
  comments: number;
  bookmarks: number;
}

/** Inclusive bounds; a missing bound is open. */
export interface CountRange {
  min?: number;
  max?: number;
}
export interface TimeRange {
  from?: number;
  to?: number;
}

export interface BrowseQuery {
  /** Tags that must all be present (folded). */
  include: readonly number[];
  /** Tags none of which may be present; exclusion beats inclusion. */
  exclude: readonly number[];
  /** true: complete works only; false: works in progress only. */
  complete?: boolean;
  /** true: one-chapter works only; false: works of more than one chapter only. */
  singleChapter?: boolean;
  /** "only": more than one fandom typed; "exclude": at most one. */
  crossover?: "only" | "exclude";
  language?: string;
  words?: CountRange;
  revised?: TimeRange;
  published?: TimeRange;
  kudos?: CountRange;
  hits?: CountRange;
  comments?: CountRange;
  bookmarks?: CountRange;
  /** Optional candidate set (works by one creator, full-text hits, …); null means all. */
  restrict?: readonly number[] | null;
  /** Works never to show (by muted creators, …). */
  excludeWorks?: readonly number[];
  sort: SortKey;
  /** When given, the page is ordered by it instead (higher first, ties by id ascending):
   * relevance of a text search. `sort` and `descending` are then ignored. */
  score?: (workId: number) => number;
  /** Descending walks the order from the end: key descending, ties by id descending. */
  descending: boolean;
  /** 1-based. */
  page: number;
  pageSize: number;
  facets: boolean;
}

export type { FacetCount };
export type Facets = Record<FacetType, FacetCount[]>;

export interface BrowseResult {
  /** The page's work ids, in order. */
  ids: number[];
  /** Works matching (visible to the viewer). */
  total: number;
  /** Top ten tags per type among the matching works: count descending, then tag id ascending. */
  facets: Facets;
}

export interface PrepareTimings {
  flush: number;
  orders: Partial<Record<SortKey, number>>;
  facetLists: number;
}

/** Strategy thresholds; the defaults suit 10^4–10^6 works. Tests force each path. */
export interface BrowseIndexTuning {
  /** "auto" picks by estimated cost; the others force one path (for tests and benchmarks). */
  pageStrategy: "auto" | "walk" | "select";
  facetStrategy: "auto" | "walk" | "bounded";
  /** Results up to this size count facets by walking their works' tag lists. */
  facetWalkMax: number;
  /** Results up to this size are walked too when smaller than `facetWalkRatio` of the
   * smallest included anchor (or of the index): their bounds are too loose to test fast.
   * They also fall back to walking when bounded testing runs over budget. */
  facetWalkFallbackMax: number;
  facetWalkRatio: number;
  /** Tags on at least this many works keep co-occurrence counts (dropped below half), which
   * bound facet counts when the tag is included. Only speed depends on it. */
  anchorMin: number;
  /** Works added or re-keyed since a sort order was built, kept aside before merging. */
  deltaCap: number;
  /** Batches of new works up to this size update sort orders and facet lists in place;
   * larger batches (bulk loads) mark them for a rebuild on first use. */
  incrementalMax: number;
}

export const DEFAULT_TUNING: BrowseIndexTuning = {
  pageStrategy: "auto",
  facetStrategy: "auto",
  facetWalkMax: 7_500,
  facetWalkFallbackMax: 30_000,
  facetWalkRatio: 0.3,
  anchorMin: 10_000,
  deltaCap: 4_096,
  incrementalMax: 2_048,
};

// Cost model (measured on the 2-core target at 1M works, see bench/browse-index.ts): a walk
// step is one native `has` call; selecting from members is a comparison or two; walking a
// work's tag list costs ~130 ns (cache misses); one `andCardinality` of a tag against a
// result of n works (array containers), ~5 µs + 0.6 ns · n.
const WALK_STEP_NS = 50;
const SELECT_MEMBER_NS = 8;
const FACET_WALK_WORK_NS = 130;
const TEST_NS = 5_000;
const TEST_MEMBER_NS = 0.6;

const NO_TYPE = 0;
const MEDIA = 8;

const F_RESTRICTED = 1;
const F_COMPLETE = 2;
const F_SINGLE = 4;
const F_CROSSOVER = 8;

const MAX_ID = 2 ** 31 - 1;
/** Pending batches up to this size are applied work by work rather than grouped by tag. */
const SMALL_FLUSH = 64;
const MAX_TAGS_PER_WORK = 20_000; // a list's word count must fit 16 bits
/** In the tag pool, a delta this large or larger is written as ESCAPE, high half, low half. */
const ESCAPE = 0xffff;

/**
 * Tag id → slot. Tag ids are database ids, dense from 1: an array beats a Map by several
 * times when a million works are loaded (ids past `DENSE_MAX` fall back to a Map).
 */
class SlotMap {
  private dense = new Int32Array(1024).fill(-1);
  private readonly sparse = new Map<number, number>();

  get(tagId: number): number | undefined {
    if (tagId >= 0 && tagId < this.dense.length) {
      const slot = this.dense[tagId]!;
      return slot < 0 ? undefined : slot;
    }
    return this.sparse.get(tagId);
  }

  has(tagId: number): boolean {
    return this.get(tagId) !== undefined;
  }

  set(tagId: number, slot: number): void {
    if (tagId >= 0 && tagId < DENSE_MAX && Number.isInteger(tagId)) {
      if (tagId >= this.dense.length) {
        const next = new Int32Array(
          Math.min(DENSE_MAX, Math.max(tagId + 1, this.dense.length * 2)),
        );
        next.fill(-1);
        next.set(this.dense);
        this.dense = next;
      }
      this.dense[tagId] = slot;
    } else {
      this.sparse.set(tagId, slot);
    }
  }
}
const DENSE_MAX = 1 << 26;

function typeCode(type: IndexTagType): number {
  return type === "media" ? MEDIA : FACET_TYPES.indexOf(type) + 1;
}

function emptyFacets(): Facets {
  return {
    rating: [],
    warning: [],
    category: [],
    fandom: [],
    relationship: [],
    character: [],
    freeform: [],
  };
}

// ---------------------------------------------------------------------------------------
// The index

interface RangeFilter {
  values: Int32Array | Float64Array;
  lo: number;
  hi: number;
}

export class BrowseIndex {
  private readonly tuning: BrowseIndexTuning;

  // Tags, as dense slots.
  private readonly slotOfTag = new SlotMap();
  private slotTag = new Int32Array(1024);
  private slotType = new Uint8Array(1024);
  private slotCount = new Int32Array(1024);
  private bitmaps: Bitmap[] = [];
  private slots = 0;

  // Work sets.
  private readonly all = new RoaringBitmap32();
  private readonly restricted = new RoaringBitmap32();
  private readonly completeSet = new RoaringBitmap32();
  private readonly singleSet = new RoaringBitmap32();
  private readonly crossoverSet = new RoaringBitmap32();
  private readonly languageOf = new Map<string, number>();
  private languageSets: Bitmap[] = [];

  // Columns, indexed by work id.
  private capacity = 0;
  private present = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private lang = new Uint16Array(0);
  private words = new Int32Array(0);
  private chapters = new Int32Array(0);
  private kudos = new Int32Array(0);
  private hits = new Int32Array(0);
  private comments = new Int32Array(0);
  private bookmarks = new Int32Array(0);
  private revised = new Float64Array(0);
  private published = new Float64Array(0);
  private title: string[] = [];
  private creator: string[] = [];
  private creatorKeys = new Map<string, string>();
  private creatorKeysLimit = 1024;

  // Tag lists (see writeTags): at pool[tagOff[id]], a word count, then the sorted slots as
  // 16-bit deltas — half the cache lines of plain slots, which is what a facet walk pays for.
  private tagOff = new Int32Array(0);
  private pool = new Uint16Array(1024);
  private poolLen = 0;
  private poolGarbage = 0;

  // New works whose set memberships are not yet applied (see flush).
  private pending = new Int32Array(256);
  private pendingLen = 0;
  private count = 0;

  private readonly orders: Record<SortKey, SortOrder>;

  // Facet candidate lists, built on first use and then kept up to date.
  private facetListsReady = false;
  private globalPos = new IntMap();
  private globalLists: CountList[] = [];
  /** By slot: co-occurrence counts of anchor tags. */
  private tables: (CoTable | undefined)[] = [];

  // Scratch space.
  private scratch = new Uint32Array(0);
  private scratch2 = new Uint32Array(0);
  private slotScratch = new Int32Array(1024);
  private touched = new Int32Array(1024);
  private walkOffs = new Int32Array(128);
  /** Keeps the walk's touching loads from being optimised away. */
  private sink = 0;

  constructor(
    tagTypes: ReadonlyMap<number, IndexTagType>,
    tuning: Partial<BrowseIndexTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    for (const [tagId, type] of tagTypes) {
      const slot = this.slotFor(tagId); // may grow slotType: index it afterwards
      this.slotType[slot] = typeCode(type);
    }
    const present = () => this.present;
    const cap = () => this.tuning.deltaCap;
    const order = (keys: SortKeys) => new SortOrder(keys, present, cap);
    this.orders = {
      revised: order(new FloatKeys(() => this.revised)),
      published: order(new FloatKeys(() => this.published)),
      title: order(new StringKeys(() => this.title)),
      creator: order(new StringKeys(() => this.creator)),
      words: order(new IntKeys(() => this.words)),
      kudos: order(new IntKeys(() => this.kudos)),
      hits: order(new IntKeys(() => this.hits)),
      comments: order(new IntKeys(() => this.comments)),
      bookmarks: order(new IntKeys(() => this.bookmarks)),
    };
  }

  /** Works in the index (restricted ones included). */
  get size(): number {
    return this.count;
  }

  // --- writes -----------------------------------------------------------------------------

  /** Adds a work, or replaces it. Visible to the next search. */
  upsert(doc: WorkDoc): void {
    checkDoc(doc);
    const id = doc.id;
    this.reserveWorks(id);
    const slots = this.slotsOf(doc.tagIds);
    if (this.present[id] === 1) {
      this.flush(); // it may be pending
      this.replace(id, doc, slots);
      return;
    }
    this.present[id] = 1;
    this.count++;
    this.writeColumns(id, doc);
    this.writeTags(id, slots);
    if (this.pendingLen === this.pending.length) {
      const next = new Int32Array(this.pending.length * 2);
      next.set(this.pending);
      this.pending = next;
    }
    this.pending[this.pendingLen++] = id;
  }

  remove(workId: number): void {
    if (!(workId >= 0 && workId < this.capacity) || this.present[workId] !== 1) return;
    this.flush();
    const slots = this.tagsOf(workId);
    if (this.facetListsReady) this.countFacets(slots, -1);
    for (const s of slots) {
      this.bitmaps[s]!.remove(workId);
      this.slotCount[s]!--;
    }
    if (this.facetListsReady) this.reviewAnchors(slots);
    this.all.remove(workId);
    this.restricted.remove(workId);
    this.completeSet.remove(workId);
    this.singleSet.remove(workId);
    this.crossoverSet.remove(workId);
    this.languageSets[this.lang[workId]!]?.remove(workId);
    this.present[workId] = 0;
    this.count--;
    this.poolGarbage += 1 + this.pool[this.tagOff[workId]!]!;
    this.tagOff[workId] = -1;
    for (const key of SORT_KEYS) this.orders[key].removed(workId);
  }

  /** Every work as the index holds it (sort keys already folded), in id order. */
  *docs(): Generator<WorkDoc> {
    this.flush();
    const languages = this.languageNames();
    for (let id = 0; id < this.capacity; id++) {
      if (this.present[id] === 1) yield this.docAt(id, languages);
    }
  }

  /** One work as the index holds it. */
  doc(workId: number): WorkDoc | undefined {
    if (!(workId >= 0 && workId < this.capacity) || this.present[workId] !== 1) return undefined;
    this.flush();
    return this.docAt(workId, this.languageNames());
  }

  /** New engagement counts for a work (kudos, hits …); false when the index lacks the work. */
  setCounts(workId: number, counts: Pick<WorkDoc, "kudos" | "hits" | "comments" | "bookmarks">) {
    const doc = this.doc(workId);
    if (!doc) return false;
    if (
      doc.kudos === counts.kudos &&
      doc.hits === counts.hits &&
      doc.comments === counts.comments &&
      doc.bookmarks === counts.bookmarks
    )
      return true;
    this.upsert({ ...doc, ...counts });
    return true;
  }

  private languageNames(): string[] {
    const languages: string[] = [];
    for (const [name, code] of this.languageOf) languages[code] = name;
    return languages;
  }

  private docAt(id: number, languages: string[]): WorkDoc {
    const flags = this.flags[id]!;
    return {
      id,
      tagIds: Array.from(this.tagsOf(id), (slot) => this.slotTag[slot]!),
      fandomCount: flags & F_CROSSOVER ? 2 : 1,
      restricted: (flags & F_RESTRICTED) !== 0,
      complete: (flags & F_COMPLETE) !== 0,
      chapters: this.chapters[id]!,
      words: this.words[id]!,
      language: languages[this.lang[id]!] ?? "",
      revisedAt: this.revised[id]!,
      publishedAt: this.published[id]!,
      titleKey: this.title[id]!,
      creatorKey: this.creator[id]!,
      kudos: this.kudos[id]!,
      hits: this.hits[id]!,
      comments: this.comments[id]!,
      bookmarks: this.bookmarks[id]!,
    };
  }

  /** Whether the index knows the tag (has a type for it). */
  hasTag(tagId: number): boolean {
    return this.slotOfTag.has(tagId);
  }

  /** Works whose folded set holds the tag, as the index has them now. */
  worksWithTag(tagId: number): number[] {
    this.flush();
    const slot = this.slotOfTag.get(tagId);
    return slot === undefined ? [] : this.bitmaps[slot]!.toArray();
  }

  /** A tag's type changed (or a new tag): moves it between facet lists. */
  setTagType(tagId: number, type: IndexTagType): void {
    const slot = this.slotFor(tagId);
    const before = this.slotType[slot]!;
    const after = typeCode(type);
    if (before === after) return;
    this.flush();
    this.slotType[slot] = after;
    if (!this.facetListsReady) return;
    const count = this.slotCount[slot]!;
    if (isFacet(before)) this.globalLists[before]!.delete(slot);
    if (isFacet(after)) this.globalLists[after]!.insert(slot, count);
    const bitmap = this.bitmaps[slot]!;
    this.tables.forEach((table, anchor) => {
      if (!table) return;
      const together = isFacet(before)
        ? (table.lists[before]?.delete(slot) ?? 0)
        : bitmap.andCardinality(this.bitmaps[anchor]!);
      if (isFacet(after)) table.list(after).insert(slot, together);
    });
  }

  /**
   * Applies pending writes and builds every sort order and facet list now rather than on first
   * use (call after a bulk load); `rebuild` builds them afresh even if up to date. Returns what
   * each step took, in ms (0 when already built).
   */
  prepare(options: { rebuild?: boolean } = {}): PrepareTimings {
    const t0 = performance.now();
    this.flush();
    if (options.rebuild) {
      for (const key of SORT_KEYS) this.orders[key].invalidate();
      this.dropFacetLists();
    }
    const timings: PrepareTimings = { flush: performance.now() - t0, orders: {}, facetLists: 0 };
    for (const key of SORT_KEYS) {
      const t = performance.now();
      if (!this.orders[key].built) this.orders[key].rebuild(this.all);
      timings.orders[key] = performance.now() - t;
    }
    const t1 = performance.now();
    if (this.pool.length > (this.poolLen - this.poolGarbage) * 1.25) this.compactPool(1.1);
    this.ensureFacetLists();
    timings.facetLists = performance.now() - t1;
    return timings;
  }

  // --- search -----------------------------------------------------------------------------

  search(q: BrowseQuery, viewerLoggedIn: boolean): BrowseResult {
    if (!Number.isSafeInteger(q.page) || q.page < 1) throw new RangeError("page must be ≥ 1");
    if (!Number.isSafeInteger(q.pageSize) || q.pageSize < 1) {
      throw new RangeError("pageSize must be ≥ 1");
    }
    this.flush();
    const includeSlots: number[] = [];
    for (const tagId of q.include) {
      const slot = this.slotOfTag.get(tagId);
      if (slot === undefined || this.slotCount[slot] === 0) {
        return { ids: [], total: 0, facets: emptyFacets() };
      }
      if (!includeSlots.includes(slot)) includeSlots.push(slot);
    }
    const result = this.match(q, includeSlots, viewerLoggedIn);
    try {
      const total = result.size;
      const ids = total === 0 ? [] : this.page(result, total, q);
      const facets =
        q.facets && total > 0 ? this.facets(result, total, includeSlots) : emptyFacets();
      return { ids, total, facets };
    } finally {
      result.dispose();
    }
  }

  /** The visible works matching the query, as a new bitmap (the caller disposes it). */
  private match(q: BrowseQuery, includeSlots: number[], loggedIn: boolean): Bitmap {
    const owned: Bitmap[] = [];
    const sets = includeSlots.map((s) => this.bitmaps[s]!);
    if (q.restrict) {
      const restrict = new RoaringBitmap32(q.restrict);
      owned.push(restrict);
      sets.push(restrict, this.all);
    }
    sets.sort((a, b) => a.size - b.size);
    let r: Bitmap;
    if (sets.length === 0) r = this.all.clone();
    else if (sets.length === 1) r = sets[0]!.clone();
    else {
      r = RoaringBitmap32.and(sets[0]!, sets[1]!);
      for (let k = 2; k < sets.length && !r.isEmpty; k++) r.andInPlace(sets[k]!);
    }
    for (const b of owned) b.dispose();

    if (q.excludeWorks && q.excludeWorks.length > 0 && !r.isEmpty) {
      const hidden = new RoaringBitmap32(q.excludeWorks);
      r.andNotInPlace(hidden);
      hidden.dispose();
    }
    for (const tagId of q.exclude) {
      if (r.isEmpty) return r;
      const slot = this.slotOfTag.get(tagId);
      if (slot !== undefined) r.andNotInPlace(this.bitmaps[slot]!);
    }
    if (!loggedIn) r.andNotInPlace(this.restricted);
    if (q.complete === true) r.andInPlace(this.completeSet);
    else if (q.complete === false) r.andNotInPlace(this.completeSet);
    if (q.singleChapter === true) r.andInPlace(this.singleSet);
    else if (q.singleChapter === false) r.andNotInPlace(this.singleSet);
    if (q.crossover === "only") r.andInPlace(this.crossoverSet);
    else if (q.crossover === "exclude") r.andNotInPlace(this.crossoverSet);
    if (q.language !== undefined) {
      const code = this.languageOf.get(q.language);
      if (code === undefined) r.clear();
      else r.andInPlace(this.languageSets[code]!);
    }

    const ranges: RangeFilter[] = [];
    const range = (values: Int32Array | Float64Array, lo?: number, hi?: number) => {
      if (lo !== undefined || hi !== undefined) {
        ranges.push({ values, lo: lo ?? -Infinity, hi: hi ?? Infinity });
      }
    };
    range(this.words, q.words?.min, q.words?.max);
    range(this.revised, q.revised?.from, q.revised?.to);
    range(this.published, q.published?.from, q.published?.to);
    range(this.kudos, q.kudos?.min, q.kudos?.max);
    range(this.hits, q.hits?.min, q.hits?.max);
    range(this.comments, q.comments?.min, q.comments?.max);
    range(this.bookmarks, q.bookmarks?.min, q.bookmarks?.max);
    if (ranges.length === 0 || r.isEmpty) return r;
    return this.scanRanges(r, ranges);
  }

  /** Keeps the members whose attributes fall in every range (one pass over the result). */
  private scanRanges(r: Bitmap, ranges: RangeFilter[]): Bitmap {
    const members = r.toUint32Array(this.scratch);
    const out = this.scratch2;
    let kept = 0;
    next: for (let i = 0; i < members.length; i++) {
      const id = members[i]!;
      for (const f of ranges) {
        const v = f.values[id]!;
        if (v < f.lo || v > f.hi) continue next;
      }
      out[kept++] = id;
    }
    if (kept === members.length) return r;
    r.dispose();
    return new RoaringBitmap32(out.subarray(0, kept));
  }

  private page(result: Bitmap, total: number, q: BrowseQuery): number[] {
    const skip = (q.page - 1) * q.pageSize;
    if (skip >= total) return [];
    const take = Math.min(q.pageSize, total - skip);
    const score = q.score;
    if (score) {
      const members = result.toUint32Array(this.scratch);
      return selectPage(members, (a, b) => score(b) - score(a) || a - b, skip, take);
    }
    const order = this.orders[q.sort];
    const strategy = this.tuning.pageStrategy;
    // A walk visits about (skip + take) · n / total entries, one `has` each; selecting looks
    // at every member once.
    const walkSteps = ((skip + take) * this.count) / total;
    const walk =
      strategy === "walk" ||
      (strategy === "auto" && walkSteps * WALK_STEP_NS < total * SELECT_MEMBER_NS);
    if (walk) {
      if (!order.built) order.rebuild(this.all);
      // Results clustered at the far end of the order can make a walk much longer than the
      // estimate: give up and select instead.
      const budget = strategy === "walk" ? Infinity : 4 * walkSteps + 2_000;
      const ids = order.walk(result, q.descending, skip, take, budget);
      if (ids) return ids;
    }
    const cmp = order.keys.cmp;
    const members = result.toUint32Array(this.scratch);
    return selectPage(members, q.descending ? (a, b) => cmp(b, a) : cmp, skip, take);
  }

  private facets(result: Bitmap, total: number, includeSlots: number[]): Facets {
    const { facetStrategy, facetWalkMax, facetWalkFallbackMax, facetWalkRatio } = this.tuning;
    const auto = facetStrategy === "auto";
    if (facetStrategy === "walk" || (auto && total <= facetWalkMax)) {
      return this.walkFacets(result);
    }
    this.ensureFacetLists();
    let budget = Infinity;
    if (auto && total <= facetWalkFallbackMax) {
      let anchor = this.count;
      for (const s of includeSlots) {
        if (this.tables[s]) anchor = Math.min(anchor, this.slotCount[s]!);
      }
      if (total < anchor * facetWalkRatio) return this.walkFacets(result);
      budget = Math.max(32, (total * FACET_WALK_WORK_NS) / (TEST_NS + total * TEST_MEMBER_NS));
    }
    return this.boundedFacets(result, total, includeSlots, budget) ?? this.walkFacets(result);
  }

  /** Counts every tag of every matching work. */
  private walkFacets(result: Bitmap): Facets {
    const members = result.toUint32Array(this.scratch);
    const counts = this.slotScratch;
    const touched = this.touched;
    const { pool, tagOff } = this;
    let nTouched = 0;
    // In blocks: gather the lists' positions, touch each list (sparse results only), then
    // count. The first loops' loads are independent, so their cache misses overlap and the
    // counting finds the lists in cache (2–5x faster for sparse results at 1M works).
    const sparse = members.length * 10 < this.count;
    const offs = this.walkOffs;
    const block = offs.length;
    const last = this.poolLen - 1;
    let sink = 0;
    for (let from = 0; from < members.length; from += block) {
      const n = Math.min(members.length - from, block);
      for (let k = 0; k < n; k++) offs[k] = tagOff[members[from + k]!]!;
      if (sparse) {
        for (let k = 0; k < n; k++) sink += pool[offs[k]!]! + pool[Math.min(offs[k]! + 31, last)]!;
      }
      for (let k = 0; k < n; k++) {
        const off = offs[k]!;
        const end = off + 1 + pool[off]!;
        let s = -1;
        for (let p = off + 1; p < end; p++) {
          const d = pool[p]!;
          if (d === ESCAPE) {
            s = (pool[p + 1]! << 16) | pool[p + 2]!;
            p += 2;
          } else {
            s += d;
          }
          if (counts[s]!++ === 0) touched[nTouched++] = s;
        }
      }
    }
    this.sink = sink;
    const facets = emptyFacets();
    const tops = FACET_TYPES.map((t) => facets[t]);
    for (let k = 0; k < nTouched; k++) {
      const s = touched[k]!;
      const type = this.slotType[s]!;
      if (isFacet(type)) offer(tops[type - 1]!, this.slotTag[s]!, counts[s]!);
      counts[s] = 0;
    }
    return facets;
  }

  /**
   * Tests candidate tags in decreasing order of an upper bound on their count in the result —
   * co-occurrence with the smallest included anchor (the result lies within it), else the
   * global count — tightened by the other included anchors, stopping once the bound falls
   * below the tenth best count. Null when over `budget` tests.
   */
  private boundedFacets(
    result: Bitmap,
    total: number,
    includeSlots: number[],
    budget: number,
  ): Facets | null {
    const anchors = includeSlots
      .filter((s) => this.tables[s] !== undefined)
      .sort((a, b) => this.slotCount[a]! - this.slotCount[b]!)
      .map((s) => this.tables[s]!);
    const primary = anchors[0];
    const others = anchors.slice(1);
    const facets = emptyFacets();
    let tests = 0;
    for (let type = 1; type <= FACET_TYPES.length; type++) {
      const list = primary ? primary.lists[type] : this.globalLists[type];
      if (!list) continue;
      const top = facets[FACET_TYPES[type - 1]!];
      const { slots, counts, len } = list;
      for (let i = 0; i < len; i++) {
        let bound = Math.min(counts[i]!, total);
        if (top.length === TOP && bound < top[TOP - 1]!.count) break;
        const s = slots[i]!;
        if (primary) bound = Math.min(bound, this.slotCount[s]!);
        for (const o of others) bound = Math.min(bound, o.count(s, type));
        if (bound === 0) continue;
        if (top.length === TOP) {
          const last = top[TOP - 1]!;
          if (bound < last.count || (bound === last.count && this.slotTag[s]! > last.tagId)) {
            continue;
          }
        }
        if (++tests > budget) return null;
        const c = this.bitmaps[s]!.andCardinality(result);
        if (c > 0) offer(top, this.slotTag[s]!, c);
      }
    }
    return facets;
  }

  // --- internals --------------------------------------------------------------------------

  private slotFor(tagId: number): number {
    let slot = this.slotOfTag.get(tagId);
    if (slot !== undefined) return slot;
    if (!Number.isSafeInteger(tagId)) throw new RangeError(`bad tag id ${tagId}`);
    slot = this.slots++;
    if (slot >= this.slotTag.length) {
      const size = this.slotTag.length * 2;
      this.slotTag = grownInt32(this.slotTag, size);
      this.slotType = grownUint8(this.slotType, size);
      this.slotCount = grownInt32(this.slotCount, size);
      this.slotScratch = new Int32Array(size);
      this.touched = new Int32Array(size);
    }
    this.slotOfTag.set(tagId, slot);
    this.slotTag[slot] = tagId;
    this.slotType[slot] = NO_TYPE;
    this.bitmaps.push(new RoaringBitmap32());
    return slot;
  }

  /** The work's tags as sorted, distinct slots. */
  private slotsOf(tagIds: readonly number[]): Int32Array {
    if (tagIds.length > MAX_TAGS_PER_WORK) throw new RangeError("too many tags on one work");
    const slots = new Int32Array(tagIds.length);
    for (let i = 0; i < tagIds.length; i++) slots[i] = this.slotFor(tagIds[i]!);
    // Insertion sort: lists are short, and TypedArray#sort's per-call cost dominated loads.
    if (slots.length <= 64) {
      for (let i = 1; i < slots.length; i++) {
        const v = slots[i]!;
        let j = i - 1;
        while (j >= 0 && slots[j]! > v) {
          slots[j + 1] = slots[j]!;
          j--;
        }
        slots[j + 1] = v;
      }
    } else {
      slots.sort();
    }
    let n = 0;
    for (let i = 0; i < slots.length; i++)
      if (i === 0 || slots[i] !== slots[i - 1]) slots[n++] = slots[i]!;
    return slots.subarray(0, n);
  }

  private reserveWorks(id: number): void {
    if (id < this.capacity) return;
    const size = Math.max(id + 1, Math.ceil(this.capacity * 1.5), 1024);
    this.present = grownUint8(this.present, size);
    this.flags = grownUint8(this.flags, size);
    const lang = new Uint16Array(size);
    lang.set(this.lang);
    this.lang = lang;
    this.words = grownInt32(this.words, size);
    this.chapters = grownInt32(this.chapters, size);
    this.kudos = grownInt32(this.kudos, size);
    this.hits = grownInt32(this.hits, size);
    this.comments = grownInt32(this.comments, size);
    this.bookmarks = grownInt32(this.bookmarks, size);
    const revised = new Float64Array(size);
    revised.set(this.revised);
    this.revised = revised;
    const published = new Float64Array(size);
    published.set(this.published);
    this.published = published;
    for (let i = this.capacity; i < size; i++) {
      this.title.push("");
      this.creator.push("");
    }
    this.tagOff = grownInt32(this.tagOff, size);
    this.scratch = new Uint32Array(size);
    this.scratch2 = new Uint32Array(size);
    for (const key of SORT_KEYS) this.orders[key].grow(size);
    this.capacity = size;
  }

  private languageCode(language: string): number {
    let code = this.languageOf.get(language);
    if (code === undefined) {
      code = this.languageSets.length;
      if (code > 0xffff) throw new RangeError("too many languages");
      this.languageOf.set(language, code);
      this.languageSets.push(new RoaringBitmap32());
    }
    return code;
  }

  private writeColumns(id: number, doc: WorkDoc): void {
    this.flags[id] =
      (doc.restricted ? F_RESTRICTED : 0) |
      (doc.complete ? F_COMPLETE : 0) |
      (doc.chapters === 1 ? F_SINGLE : 0) |
      (doc.fandomCount > 1 ? F_CROSSOVER : 0);
    this.lang[id] = this.languageCode(doc.language);
    this.words[id] = doc.words;
    this.chapters[id] = doc.chapters;
    this.kudos[id] = doc.kudos;
    this.hits[id] = doc.hits;
    this.comments[id] = doc.comments;
    this.bookmarks[id] = doc.bookmarks;
    this.revised[id] = doc.revisedAt;
    this.published[id] = doc.publishedAt;
    this.title[id] = doc.titleKey;
    this.creator[id] = this.intern(doc.creatorKey);
  }

  /** One string per creator key, however many works it has (rows bring fresh copies). The
   * table forgets keys no work uses when it grows past twice the keys in use. */
  private intern(key: string): string {
    let kept = this.creatorKeys.get(key);
    if (kept === undefined) {
      if (this.creatorKeys.size >= this.creatorKeysLimit) {
        this.creatorKeys = new Map();
        for (let id = 0; id < this.capacity; id++) {
          if (this.present[id] === 1) this.creatorKeys.set(this.creator[id]!, this.creator[id]!);
        }
        this.creatorKeysLimit = Math.max(1024, this.creatorKeys.size * 2);
      }
      this.creatorKeys.set(key, key);
      kept = key;
    }
    return kept;
  }

  /**
   * Appends the work's sorted, distinct slots to the pool: the number of words that follow,
   * then each slot's distance from the previous one (the first from -1), a distance of ESCAPE
   * or more being written as ESCAPE and the slot's two halves.
   */
  private writeTags(id: number, slots: Int32Array): void {
    let words = 0;
    let prev = -1;
    for (const s of slots) {
      words += s - prev >= ESCAPE ? 3 : 1;
      prev = s;
    }
    if (this.poolLen + words + 1 > this.pool.length) {
      if (this.poolGarbage > this.poolLen / 2) this.compactPool();
      if (this.poolLen + words + 1 > this.pool.length) {
        const next = new Uint16Array(
          Math.max(this.poolLen + words + 1, Math.ceil(this.pool.length * 1.5)),
        );
        next.set(this.pool.subarray(0, this.poolLen));
        this.pool = next;
      }
    }
    const pool = this.pool;
    let o = this.poolLen;
    this.tagOff[id] = o;
    pool[o++] = words;
    prev = -1;
    for (const s of slots) {
      const d = s - prev;
      if (d >= ESCAPE) {
        pool[o++] = ESCAPE;
        pool[o++] = s >>> 16;
        pool[o++] = s & 0xffff;
      } else {
        pool[o++] = d;
      }
      prev = s;
    }
    this.poolLen = o;
  }

  /** The work's slots, decoded (for writes; the hot loops decode in place). */
  private tagsOf(id: number): Int32Array {
    const pool = this.pool;
    const off = this.tagOff[id]!;
    const end = off + 1 + pool[off]!;
    const out = new Int32Array(pool[off]!);
    let n = 0;
    let s = -1;
    for (let p = off + 1; p < end; p++) {
      const d = pool[p]!;
      if (d === ESCAPE) {
        s = (pool[p + 1]! << 16) | pool[p + 2]!;
        p += 2;
      } else {
        s += d;
      }
      out[n++] = s;
    }
    return out.subarray(0, n);
  }

  /** Rewrites the pool without the lists of removed and replaced works (`slack` spare). */
  private compactPool(slack = 1.5): void {
    const live = this.poolLen - this.poolGarbage;
    const next = new Uint16Array(Math.max(1024, Math.ceil(live * slack)));
    let n = 0;
    for (let id = 0; id < this.capacity; id++) {
      const off = this.tagOff[id]!;
      if (this.present[id] !== 1 || off < 0) continue;
      const words = 1 + this.pool[off]!;
      next.set(this.pool.subarray(off, off + words), n);
      this.tagOff[id] = n;
      n += words;
    }
    this.pool = next;
    this.poolLen = n;
    this.poolGarbage = 0;
  }

  /** Replaces a work already applied to every set. */
  private replace(id: number, doc: WorkDoc, slots: Int32Array): void {
    const oldSlots = this.tagsOf(id);
    if (!sameSlots(oldSlots, slots)) {
      if (this.facetListsReady) this.countFacets(oldSlots, -1);
      let i = 0;
      let j = 0;
      while (i < oldSlots.length || j < slots.length) {
        const a = i < oldSlots.length ? oldSlots[i]! : Infinity;
        const b = j < slots.length ? slots[j]! : Infinity;
        if (a === b) {
          i++;
          j++;
        } else if (a < b) {
          this.bitmaps[a]!.remove(id);
          this.slotCount[a]!--;
          i++;
        } else {
          this.bitmaps[b]!.add(id);
          this.slotCount[b]!++;
          j++;
        }
      }
      this.poolGarbage += 1 + this.pool[this.tagOff[id]!]!;
      this.tagOff[id] = -1; // a compaction inside writeTags need not keep the old list
      this.writeTags(id, slots);
      if (this.facetListsReady) {
        this.countFacets(slots, 1);
        this.reviewAnchors(oldSlots);
        this.reviewAnchors(slots);
      }
    }

    const oldLang = this.lang[id]!;
    const before = {
      revised: this.revised[id]!,
      published: this.published[id]!,
      title: this.title[id]!,
      creator: this.creator[id]!,
      words: this.words[id]!,
      kudos: this.kudos[id]!,
      hits: this.hits[id]!,
      comments: this.comments[id]!,
      bookmarks: this.bookmarks[id]!,
    } satisfies Record<SortKey, number | string>;
    this.writeColumns(id, doc);
    const flags = this.flags[id]!;
    setMember(this.restricted, id, (flags & F_RESTRICTED) !== 0);
    setMember(this.completeSet, id, (flags & F_COMPLETE) !== 0);
    setMember(this.singleSet, id, (flags & F_SINGLE) !== 0);
    setMember(this.crossoverSet, id, (flags & F_CROSSOVER) !== 0);
    if (this.lang[id] !== oldLang) {
      this.languageSets[oldLang]!.remove(id);
      this.languageSets[this.lang[id]!]!.add(id);
    }
    const after: Record<SortKey, number | string> = {
      revised: doc.revisedAt,
      published: doc.publishedAt,
      title: doc.titleKey,
      creator: doc.creatorKey,
      words: doc.words,
      kudos: doc.kudos,
      hits: doc.hits,
      comments: doc.comments,
      bookmarks: doc.bookmarks,
    };
    for (const key of SORT_KEYS) {
      if (!Object.is(before[key], after[key])) this.orders[key].changed(id);
    }
  }

  /** Applies pending new works to the bitmaps, sort orders and facet lists, in batches. */
  private flush(): void {
    const n = this.pendingLen;
    if (n === 0) return;
    const ids = this.pending.subarray(0, n).sort();
    const asU32 = new Uint32Array(ids.buffer, ids.byteOffset, n);
    if (n <= SMALL_FLUSH) this.addTagsOneByOne(ids);
    else this.addTagsGrouped(ids);
    this.all.addMany(asU32);
    const byFlag = (flag: number, set: Bitmap) => {
      const members = ids.filter((id) => (this.flags[id]! & flag) !== 0);
      if (members.length > 0) set.addMany(new Uint32Array(members.buffer, 0, members.length));
    };
    byFlag(F_RESTRICTED, this.restricted);
    byFlag(F_COMPLETE, this.completeSet);
    byFlag(F_SINGLE, this.singleSet);
    byFlag(F_CROSSOVER, this.crossoverSet);
    const byLang = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const code = this.lang[ids[k]!]!;
      const list = byLang.get(code);
      if (list) list.push(ids[k]!);
      else byLang.set(code, [ids[k]!]);
    }
    for (const [code, members] of byLang) this.languageSets[code]!.addMany(members);

    const incremental = n <= this.tuning.incrementalMax;
    for (const key of SORT_KEYS) {
      const order = this.orders[key];
      if (!order.built) continue;
      if (incremental) for (let k = 0; k < n; k++) order.changed(ids[k]!);
      else order.invalidate();
    }
    if (this.facetListsReady) {
      if (incremental) {
        const lists = Array.from(ids, (id) => this.tagsOf(id));
        for (const list of lists) this.countFacets(list, 1);
        // Then tables for tags that have just become anchors (they count the batch already).
        for (const list of lists)
          for (const slot of list) if (!this.tables[slot]) this.reviewAnchor(slot);
      } else {
        this.dropFacetLists();
      }
    }
    this.pendingLen = 0;
  }

  /** A few new works (the usual case between two searches): one `add` per tag. */
  private addTagsOneByOne(ids: Int32Array): void {
    for (const id of ids) {
      for (const slot of this.tagsOf(id)) {
        this.bitmaps[slot]!.add(id);
        this.slotCount[slot]!++;
      }
    }
  }

  /** Many new works (a bulk load): grouped by tag (counting sort), one `addMany` per tag. */
  private addTagsGrouped(ids: Int32Array): void {
    const n = ids.length;
    const starts = new Int32Array(this.slots + 1);
    const pool = this.pool;
    // Decoding in place (no list per work: a bulk load flushes a million at once).
    const eachSlot = (visit: (slot: number, k: number) => void) => {
      for (let k = 0; k < n; k++) {
        const off = this.tagOff[ids[k]!]!;
        const end = off + 1 + pool[off]!;
        let slot = -1;
        for (let p = off + 1; p < end; p++) {
          const d = pool[p]!;
          if (d === ESCAPE) {
            slot = (pool[p + 1]! << 16) | pool[p + 2]!;
            p += 2;
          } else {
            slot += d;
          }
          visit(slot, k);
        }
      }
    };
    eachSlot((slot) => starts[slot + 1]!++);
    for (let s = 0; s < this.slots; s++) starts[s + 1]! += starts[s]!;
    const grouped = new Uint32Array(starts[this.slots]!);
    const fill = starts.slice(0, this.slots);
    eachSlot((slot, k) => (grouped[fill[slot]!++] = ids[k]!));
    for (let s = 0; s < this.slots; s++) {
      const from = starts[s]!;
      const to = starts[s + 1]!;
      if (to > from) {
        this.bitmaps[s]!.addMany(grouped.subarray(from, to));
        this.slotCount[s]! += to - from;
      }
    }
  }

  /** Adds (+1) or takes away (-1) one work's tags from the facet candidate lists. */
  private countFacets(slots: Int32Array, delta: 1 | -1): void {
    for (const f of slots) {
      const table = this.tables[f];
      if (!table) continue;
      for (const s of slots) {
        const type = this.slotType[s]!;
        if (!isFacet(type)) continue;
        if (delta > 0) table.list(type).inc(s);
        else table.lists[type]?.dec(s);
      }
    }
    for (const s of slots) {
      const type = this.slotType[s]!;
      if (!isFacet(type)) continue;
      if (delta > 0) this.globalLists[type]!.inc(s);
      else this.globalLists[type]!.dec(s);
    }
  }

  private reviewAnchors(slots: Int32Array): void {
    for (const s of slots) this.reviewAnchor(s);
  }

  /** Starts counting for a tag grown to an anchor; stops for one shrunk well below. */
  private reviewAnchor(slot: number): void {
    const count = this.slotCount[slot]!;
    const min = this.tuning.anchorMin;
    if (this.tables[slot]) {
      if (count * 2 < min) this.tables[slot] = undefined;
    } else if (count >= min && count > 0) {
      this.tables[slot] = this.buildCoTable(slot);
    }
  }

  private dropFacetLists(): void {
    this.facetListsReady = false;
    this.globalPos = new IntMap();
    this.globalLists = [];
    this.tables = [];
  }

  private ensureFacetLists(): void {
    if (this.facetListsReady) return;
    this.globalPos = new IntMap();
    this.globalLists = [];
    const byType: number[][] = [];
    for (let type = 0; type <= MEDIA; type++) byType.push([]);
    for (let s = 0; s < this.slots; s++) byType[this.slotType[s]!]!.push(s);
    for (let type = 1; type <= FACET_TYPES.length; type++) {
      this.globalLists[type] = CountList.from(this.globalPos, byType[type]!, this.slotCount);
    }
    this.tables = [];
    for (let s = 0; s < this.slots; s++) this.reviewAnchor(s);
    this.facetListsReady = true;
  }

  /** Counts the tags on the anchor's works. */
  private buildCoTable(anchor: number): CoTable {
    const members = this.bitmaps[anchor]!.toUint32Array(this.scratch);
    const counts = this.slotScratch;
    const touched = this.touched;
    let nTouched = 0;
    const pool = this.pool;
    for (let i = 0; i < members.length; i++) {
      const off = this.tagOff[members[i]!]!;
      const end = off + 1 + pool[off]!;
      let s = -1;
      for (let p = off + 1; p < end; p++) {
        const d = pool[p]!;
        if (d === ESCAPE) {
          s = (pool[p + 1]! << 16) | pool[p + 2]!;
          p += 2;
        } else {
          s += d;
        }
        if (counts[s]!++ === 0) touched[nTouched++] = s;
      }
    }
    const byType: number[][] = [];
    for (let type = 0; type <= MEDIA; type++) byType.push([]);
    for (let k = 0; k < nTouched; k++) byType[this.slotType[touched[k]!]!]!.push(touched[k]!);
    let facetTags = 0;
    for (let type = 1; type <= FACET_TYPES.length; type++) facetTags += byType[type]!.length;
    const table = new CoTable(facetTags);
    for (let type = 1; type <= FACET_TYPES.length; type++) {
      if (byType[type]!.length > 0) {
        table.lists[type] = CountList.from(table.pos, byType[type]!, counts);
      }
    }
    for (let k = 0; k < nTouched; k++) counts[touched[k]!] = 0;
    return table;
  }
}

function isFacet(type: number): boolean {
  return type >= 1 && type <= FACET_TYPES.length;
}

function sameSlots(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function setMember(set: Bitmap, id: number, member: boolean): void {
  if (member) set.add(id);
  else set.remove(id);
}

function grownInt32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(a.subarray(0, Math.min(a.length, size)));
  return next;
}

function grownUint8(a: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(size);
  next.set(a.subarray(0, Math.min(a.length, size)));
  return next;
}

const INT32_FIELDS = ["chapters", "words", "kudos", "hits", "comments", "bookmarks"] as const;

function checkDoc(doc: WorkDoc): void {
  if (!Number.isInteger(doc.id) || doc.id < 1 || doc.id > MAX_ID) {
    throw new RangeError(`work id must be a positive integer below 2^31, not ${doc.id}`);
  }
  for (const field of INT32_FIELDS) {
    const v = doc[field];
    if (!Number.isInteger(v) || v < 0 || v > MAX_ID) {
      throw new RangeError(`work ${doc.id}: ${field} must be a whole number ≥ 0, not ${v}`);
    }
  }
  if (!Number.isFinite(doc.revisedAt) || !Number.isFinite(doc.publishedAt)) {
    throw new RangeError(`work ${doc.id}: dates must be finite`);
  }
}
