/**
 * The browse index (issue 5): every posted work held in memory so that a listing — filter,
 * sort, page, total and exact facet counts — is answered in a few milliseconds at a million
 * works, with no database round trip. This class keeps its parts in step and answers searches:
 *
 * - Tags as dense slots, each with a roaring bitmap of its works (tag-slots.ts), and each
 *   work's tags as a delta-coded list in one 16-bit pool (tag-pool.ts).
 * - Typed columns by work id, and bitmaps of works by flag and by language (work-columns.ts).
 * - Filters: includes are intersected smallest first, excludes and (for guests) restricted
 *   works subtracted, then the flag bitmaps applied (work-columns.ts); range filters scan the
 *   result's members against the columns.
 * - Sort orders (sort-order.ts): per key, ids in (key, id) order, radix-sorted, then kept
 *   current through a small sorted delta. A page is found by walking the order and testing
 *   membership in the result, or, when the walk would be longer than the result, by
 *   selecting the page from the result's members.
 * - Facets, exact (facets.ts): small results walk their works' tag lists; larger ones test
 *   candidate tags in decreasing order of an upper bound kept current as works change.
 * - New works are buffered and applied in one batch before the next search (a bulk load
 *   costs one `addMany` per tag); edits and removals apply at once.
 *
 * Pure and synchronous: the loader (index-queries.ts) feeds it WorkDocs and tag types; what it
 * takes and answers is declared in browse-types.ts. Work ids are used as array indexes, so
 * they should be dense (database ids are).
 */
import roaring from "roaring";
import type { RoaringBitmap32 as Bitmap } from "roaring";
import {
  DEFAULT_TUNING,
  SORT_KEYS,
  type BrowseIndexTuning,
  type BrowseQuery,
  type BrowseResult,
  type IndexTagType,
  type PrepareTimings,
  type SortKey,
  type WorkDoc,
} from "./browse-types.ts";
import type { DocColumns } from "./doc-cache.ts";
import { FacetCache } from "./facet-cache.ts";
import { emptyFacets, FacetCounter } from "./facets.ts";
import {
  FloatKeys,
  IntKeys,
  selectPage,
  SortOrder,
  StringKeys,
  type SortKeys,
} from "./sort-order.ts";
import { TagPool } from "./tag-pool.ts";
import { TagSlots, typeCode } from "./tag-slots.ts";
import { checkDoc, WorkColumns } from "./work-columns.ts";

const { RoaringBitmap32 } = roaring;

// Paging's cost model (measured on the 2-core target at 1M works, see bench/browse-index.ts):
// a walk step is one native `has` call; selecting from members is a comparison or two.
const WALK_STEP_NS = 50;
const SELECT_MEMBER_NS = 8;

export class BrowseIndex {
  private readonly tuning: BrowseIndexTuning;
  private readonly slots: TagSlots;
  private readonly works = new WorkColumns();
  private readonly pool = new TagPool();
  private readonly orders: Record<SortKey, SortOrder>;
  private readonly facets: FacetCounter;
  private readonly facetCache = new FacetCache();
  /** Set while a write changes only counts, which leaves cached facets valid. */
  private countsOnly = false;

  // New works whose set memberships are not yet applied (see flush).
  private pending = new Int32Array(256);
  private pendingLen = 0;

  constructor(
    tagTypes: ReadonlyMap<number, IndexTagType>,
    tuning: Partial<BrowseIndexTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.slots = new TagSlots(tagTypes);
    const works = this.works;
    const present = () => works.present;
    const cap = () => this.tuning.deltaCap;
    const order = (keys: SortKeys) => new SortOrder(keys, present, cap);
    this.orders = {
      revised: order(new FloatKeys(() => works.revised)),
      published: order(new FloatKeys(() => works.published)),
      title: order(new StringKeys(() => works.title)),
      creator: order(new StringKeys(() => works.creator)),
      words: order(new IntKeys(() => works.words)),
      kudos: order(new IntKeys(() => works.kudos)),
      hits: order(new IntKeys(() => works.hits)),
      comments: order(new IntKeys(() => works.comments)),
      bookmarks: order(new IntKeys(() => works.bookmarks)),
    };
    this.facets = new FacetCounter(this.tuning, this.slots, this.pool, works);
  }

  /** Works in the index (restricted ones included). */
  get size(): number {
    return this.works.size;
  }

  // --- writes -----------------------------------------------------------------------------

  /** Adds a work, or replaces it. Visible to the next search. */
  upsert(doc: WorkDoc): void {
    checkDoc(doc);
    if (!this.countsOnly) this.facetCache.clear();
    const id = doc.id;
    this.reserve(id);
    const slots = this.slots.slotsOf(doc.tagIds);
    if (this.works.present[id] === 1) {
      this.flush(); // it may be pending
      this.replace(id, doc, slots);
      return;
    }
    this.works.add(id, doc);
    this.pool.write(id, slots);
    if (this.pendingLen === this.pending.length) {
      const next = new Int32Array(this.pending.length * 2);
      next.set(this.pending);
      this.pending = next;
    }
    this.pending[this.pendingLen++] = id;
  }

  remove(workId: number): void {
    if (!this.works.has(workId)) return;
    this.facetCache.clear();
    this.flush();
    const slots = this.pool.read(workId);
    this.slots.removeWork(workId, slots);
    this.facets.workRemoved(slots);
    this.works.remove(workId);
    this.pool.drop(workId);
    for (const key of SORT_KEYS) this.orders[key].removed(workId);
  }

  /** Every work as the index holds it (sort keys already folded), in id order. */
  *docs(): Generator<WorkDoc> {
    this.flush();
    const languages = this.works.languageNames();
    for (let id = 0; id < this.works.capacity; id++) {
      if (this.works.present[id] === 1) yield this.docAt(id, languages);
    }
  }

  /** Every work as columns (the document cache's input): no WorkDoc per work. */
  docColumns(): DocColumns {
    this.flush();
    return this.works.docColumns(this.pool, this.slots.tag);
  }

  /** One work as the index holds it. */
  doc(workId: number): WorkDoc | undefined {
    if (!this.works.has(workId)) return undefined;
    this.flush();
    return this.docAt(workId, this.works.languageNames());
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
    this.countsOnly = true;
    try {
      this.upsert({ ...doc, ...counts });
    } finally {
      this.countsOnly = false;
    }
    return true;
  }

  /** A work's engagement counts (blurbs show them), read from the columns: no doc built. */
  countsOf(workId: number): Pick<WorkDoc, "kudos" | "hits" | "comments" | "bookmarks"> | undefined {
    if (!this.works.has(workId)) return undefined;
    const w = this.works;
    return {
      kudos: w.kudos[workId]!,
      hits: w.hits[workId]!,
      comments: w.comments[workId]!,
      bookmarks: w.bookmarks[workId]!,
    };
  }

  private docAt(id: number, languages: string[]): WorkDoc {
    const tagIds = Array.from(this.pool.read(id), (slot) => this.slots.tag[slot]!);
    return this.works.doc(id, tagIds, languages);
  }

  /** Whether the index knows the tag (has a type for it). */
  hasTag(tagId: number): boolean {
    return this.slots.get(tagId) !== undefined;
  }

  /** Works whose folded set holds the tag, as the index has them now. */
  worksWithTag(tagId: number): number[] {
    this.flush();
    const slot = this.slots.get(tagId);
    return slot === undefined ? [] : this.slots.bitmaps[slot]!.toArray();
  }

  /** A tag's type changed (or a new tag): moves it between facet lists. */
  setTagType(tagId: number, type: IndexTagType): void {
    const slot = this.slots.slotFor(tagId);
    const before = this.slots.type[slot]!;
    const after = typeCode(type);
    if (before === after) return;
    this.facetCache.clear();
    this.flush();
    this.slots.type[slot] = after;
    this.facets.typeChanged(slot, before, after);
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
      this.facets.drop();
    }
    const timings: PrepareTimings = { flush: performance.now() - t0, orders: {}, facetLists: 0 };
    for (const key of SORT_KEYS) {
      const t = performance.now();
      if (!this.orders[key].built) this.orders[key].rebuild(this.works.all);
      timings.orders[key] = performance.now() - t;
    }
    const t1 = performance.now();
    this.pool.trim();
    this.facets.prepare();
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
      const slot = this.slots.get(tagId);
      if (slot === undefined || this.slots.count[slot] === 0) {
        return { ids: [], total: 0, facets: emptyFacets() };
      }
      if (!includeSlots.includes(slot)) includeSlots.push(slot);
    }
    const result = this.match(q, includeSlots, viewerLoggedIn);
    try {
      const total = result.size;
      const ids = total === 0 ? [] : this.page(result, total, q);
      if (!q.facets || total === 0) return { ids, total, facets: emptyFacets() };
      const key = this.facetCache.keyOf(q, includeSlots, viewerLoggedIn);
      let facets = key === null ? undefined : this.facetCache.get(key);
      if (!facets) {
        facets = this.facets.top(result, total, includeSlots);
        if (key !== null) this.facetCache.set(key, facets);
      }
      return { ids, total, facets };
    } finally {
      result.dispose();
    }
  }

  /** The visible works matching the query, as a new bitmap (the caller disposes it). */
  private match(q: BrowseQuery, includeSlots: number[], loggedIn: boolean): Bitmap {
    const { bitmaps } = this.slots;
    const owned: Bitmap[] = [];
    const sets = includeSlots.map((s) => bitmaps[s]!);
    if (q.restrict) {
      const restrict = new RoaringBitmap32(q.restrict);
      owned.push(restrict);
      sets.push(restrict, this.works.all);
    }
    sets.sort((a, b) => a.size - b.size);
    let r: Bitmap;
    if (sets.length === 0) r = this.works.all.clone();
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
      const slot = this.slots.get(tagId);
      if (slot !== undefined) r.andNotInPlace(bitmaps[slot]!);
    }
    return this.works.filter(r, q, loggedIn);
  }

  private page(result: Bitmap, total: number, q: BrowseQuery): number[] {
    const skip = (q.page - 1) * q.pageSize;
    if (skip >= total) return [];
    const take = Math.min(q.pageSize, total - skip);
    const score = q.score;
    if (score) {
      const members = result.toUint32Array(this.works.members);
      return selectPage(members, (a, b) => score(b) - score(a) || a - b, skip, take);
    }
    const order = this.orders[q.sort];
    const strategy = this.tuning.pageStrategy;
    // A walk visits about (skip + take) · n / total entries, one `has` each; selecting looks
    // at every member once.
    const walkSteps = ((skip + take) * this.works.size) / total;
    const walk =
      strategy === "walk" ||
      (strategy === "auto" && walkSteps * WALK_STEP_NS < total * SELECT_MEMBER_NS);
    if (walk) {
      if (!order.built) order.rebuild(this.works.all);
      // Results clustered at the far end of the order can make a walk much longer than the
      // estimate: give up and select instead.
      const budget = strategy === "walk" ? Infinity : 4 * walkSteps + 2_000;
      const ids = order.walk(result, q.descending, skip, take, budget);
      if (ids) return ids;
    }
    const cmp = order.keys.cmp;
    const members = result.toUint32Array(this.works.members);
    return selectPage(members, q.descending ? (a, b) => cmp(b, a) : cmp, skip, take);
  }

  // --- internals --------------------------------------------------------------------------

  private reserve(id: number): void {
    if (!this.works.reserve(id)) return;
    const capacity = this.works.capacity;
    this.pool.grow(capacity);
    for (const key of SORT_KEYS) this.orders[key].grow(capacity);
  }

  /** Replaces a work already applied to every set. */
  private replace(id: number, doc: WorkDoc, slots: Int32Array): void {
    const before = this.pool.read(id);
    if (!sameSlots(before, slots)) {
      this.slots.retagWork(id, before, slots);
      this.pool.write(id, slots);
      this.facets.workRetagged(before, slots);
    }
    for (const key of this.works.replace(id, doc)) this.orders[key].changed(id);
  }

  /** Applies pending new works to the bitmaps, sort orders and facet lists, in one batch. */
  private flush(): void {
    const n = this.pendingLen;
    if (n === 0) return;
    const ids = this.pending.subarray(0, n).sort();
    this.slots.addWorks(ids, this.pool);
    this.works.addToSets(ids);
    const incremental = n <= this.tuning.incrementalMax;
    for (const key of SORT_KEYS) {
      const order = this.orders[key];
      if (!order.built) continue;
      if (incremental) for (let k = 0; k < n; k++) order.changed(ids[k]!);
      else order.invalidate();
    }
    if (incremental) this.facets.worksAdded(ids);
    else this.facets.drop();
    this.pendingLen = 0;
  }
}

function sameSlots(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
