/**
 * Facets, exact: the top ten tags of each type among a result's works.
 *
 * - Walk: results up to `facetWalkMax` (and loose mid-sized ones) walk their works' tag lists
 *   and count every tag.
 * - Bounded: larger ones test candidate tags with `andCardinality` in decreasing order of an
 *   upper bound, stopping once no candidate left can reach the top ten. The bound is the tag's
 *   co-occurrence count with the smallest included "anchor" tag (any tag on at least
 *   `anchorMin` works keeps such counts, facet-lists.ts) — the result lies within it —
 *   tightened by the other included anchors, else the tag's global count.
 * - Mid-sized results whose bounds are too loose to test fast fall back to walking, by an
 *   estimate first and then when testing runs over its budget.
 *
 * All candidate lists are built on first use and then kept sorted by count as works change
 * (the index reports every change to a work's tags), so writes never invalidate them.
 */
import type { RoaringBitmap32 as Bitmap } from "roaring";
import { FACET_TYPES, type BrowseIndexTuning, type Facets } from "./browse-types.ts";
import { CoTable, CountList, IntMap, offer, TOP } from "./facet-lists.ts";
import type { TagPool } from "./tag-pool.ts";
import { isFacet, MEDIA, type TagSlots } from "./tag-slots.ts";
import type { WorkColumns } from "./work-columns.ts";

// Cost model (measured on the 2-core target at 1M works, see bench/browse-index.ts): walking a
// work's tag list costs ~130 ns (cache misses); one `andCardinality` of a tag against a result
// of n works (array containers), ~5 µs + 0.6 ns · n.
const FACET_WALK_WORK_NS = 130;
const TEST_NS = 5_000;
const TEST_MEMBER_NS = 0.6;

export function emptyFacets(): Facets {
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

export class FacetCounter {
  // Candidate lists, built on first use and then kept up to date.
  private ready = false;
  private globalPos = new IntMap();
  private globalLists: CountList[] = [];
  /** By slot: co-occurrence counts of anchor tags. */
  private tables: (CoTable | undefined)[] = [];

  // Scratch space for `tally`: counts by slot, the slots counted, a block of list offsets.
  private counts = new Int32Array(0);
  private touched = new Int32Array(0);
  private readonly blockOffs = new Int32Array(128);
  /** Keeps the touching loads of `tally` from being optimised away. */
  private sink = 0;

  constructor(
    private readonly tuning: BrowseIndexTuning,
    private readonly slots: TagSlots,
    private readonly pool: TagPool,
    private readonly works: WorkColumns,
  ) {}

  /** The top tags of each type among the result's works (`total` of them). */
  top(result: Bitmap, total: number, includeSlots: number[]): Facets {
    const { facetStrategy, facetWalkMax, facetWalkFallbackMax, facetWalkRatio } = this.tuning;
    const auto = facetStrategy === "auto";
    if (facetStrategy === "walk" || (auto && total <= facetWalkMax)) {
      return this.walk(result);
    }
    this.prepare();
    let budget = Infinity;
    if (auto && total <= facetWalkFallbackMax) {
      let anchor = this.works.size;
      for (const s of includeSlots) {
        if (this.tables[s]) anchor = Math.min(anchor, this.slots.count[s]!);
      }
      if (total < anchor * facetWalkRatio) return this.walk(result);
      budget = Math.max(32, (total * FACET_WALK_WORK_NS) / (TEST_NS + total * TEST_MEMBER_NS));
    }
    return this.bounded(result, total, includeSlots, budget) ?? this.walk(result);
  }

  // --- keeping the candidate lists current --------------------------------------------------

  /** Builds the candidate lists now, if they are not built. */
  prepare(): void {
    if (this.ready) return;
    const { slots } = this;
    this.globalPos = new IntMap();
    this.globalLists = [];
    const byType: number[][] = [];
    for (let type = 0; type <= MEDIA; type++) byType.push([]);
    for (let s = 0; s < slots.size; s++) byType[slots.type[s]!]!.push(s);
    for (let type = 1; type <= FACET_TYPES.length; type++) {
      this.globalLists[type] = CountList.from(this.globalPos, byType[type]!, slots.count);
    }
    this.tables = [];
    for (let s = 0; s < slots.size; s++) this.reviewAnchor(s);
    this.ready = true;
  }

  /** Forgets the candidate lists (after a bulk load): they are rebuilt on first use. */
  drop(): void {
    this.ready = false;
    this.globalPos = new IntMap();
    this.globalLists = [];
    this.tables = [];
  }

  /** New works (in the tag bitmaps and the pool already). */
  worksAdded(ids: Int32Array): void {
    if (!this.ready) return;
    const lists = Array.from(ids, (id) => this.pool.read(id));
    for (const list of lists) this.countWork(list, 1);
    // Then tables for tags that have just become anchors (they count the batch already).
    for (const list of lists)
      for (const slot of list) if (!this.tables[slot]) this.reviewAnchor(slot);
  }

  /** A work's tags changed from `before` to `after` (in the tag bitmaps and pool already). */
  workRetagged(before: Int32Array, after: Int32Array): void {
    if (!this.ready) return;
    this.countWork(before, -1);
    this.countWork(after, 1);
    this.reviewAnchors(before);
    this.reviewAnchors(after);
  }

  /** A work with these tags was removed (from the tag bitmaps already). */
  workRemoved(slots: Int32Array): void {
    if (!this.ready) return;
    this.countWork(slots, -1);
    this.reviewAnchors(slots);
  }

  /** The tag in `slot` changed type (codes, see tag-slots.ts): moves it between lists. */
  typeChanged(slot: number, before: number, after: number): void {
    if (!this.ready) return;
    const count = this.slots.count[slot]!;
    if (isFacet(before)) this.globalLists[before]!.delete(slot);
    if (isFacet(after)) this.globalLists[after]!.insert(slot, count);
    const bitmaps = this.slots.bitmaps;
    this.tables.forEach((table, anchor) => {
      if (!table) return;
      const together = isFacet(before)
        ? (table.lists[before]?.delete(slot) ?? 0)
        : bitmaps[slot]!.andCardinality(bitmaps[anchor]!);
      if (isFacet(after)) table.list(after).insert(slot, together);
    });
  }

  /** Adds (+1) or takes away (-1) one work's tags from the candidate lists. */
  private countWork(slots: Int32Array, delta: 1 | -1): void {
    const type = this.slots.type;
    for (const f of slots) {
      const table = this.tables[f];
      if (!table) continue;
      for (const s of slots) {
        const t = type[s]!;
        if (!isFacet(t)) continue;
        if (delta > 0) table.list(t).inc(s);
        else table.lists[t]?.dec(s);
      }
    }
    for (const s of slots) {
      const t = type[s]!;
      if (!isFacet(t)) continue;
      if (delta > 0) this.globalLists[t]!.inc(s);
      else this.globalLists[t]!.dec(s);
    }
  }

  private reviewAnchors(slots: Int32Array): void {
    for (const s of slots) this.reviewAnchor(s);
  }

  /** Starts counting for a tag grown to an anchor; stops for one shrunk well below. */
  private reviewAnchor(slot: number): void {
    const count = this.slots.count[slot]!;
    const min = this.tuning.anchorMin;
    if (this.tables[slot]) {
      if (count * 2 < min) this.tables[slot] = undefined;
    } else if (count >= min && count > 0) {
      this.tables[slot] = this.buildCoTable(slot);
    }
  }

  /** Counts the tags on the anchor's works. */
  private buildCoTable(anchor: number): CoTable {
    const { slots } = this;
    const nTouched = this.tally(slots.bitmaps[anchor]!.toUint32Array(this.works.members));
    const { counts, touched } = this;
    const byType: number[][] = [];
    for (let type = 0; type <= MEDIA; type++) byType.push([]);
    for (let k = 0; k < nTouched; k++) byType[slots.type[touched[k]!]!]!.push(touched[k]!);
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

  // --- the strategies ------------------------------------------------------------------------

  /** Counts every tag of every matching work. */
  private walk(result: Bitmap): Facets {
    const { slots } = this;
    const nTouched = this.tally(result.toUint32Array(this.works.members));
    const { counts, touched } = this;
    const facets = emptyFacets();
    const tops = FACET_TYPES.map((t) => facets[t]);
    for (let k = 0; k < nTouched; k++) {
      const s = touched[k]!;
      const type = slots.type[s]!;
      if (isFacet(type)) offer(tops[type - 1]!, slots.tag[s]!, counts[s]!);
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
  private bounded(
    result: Bitmap,
    total: number,
    includeSlots: number[],
    budget: number,
  ): Facets | null {
    const { count: slotCount, tag: slotTag, bitmaps } = this.slots;
    const anchors = includeSlots
      .filter((s) => this.tables[s] !== undefined)
      .sort((a, b) => slotCount[a]! - slotCount[b]!)
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
        if (primary) bound = Math.min(bound, slotCount[s]!);
        for (const o of others) bound = Math.min(bound, o.count(s, type));
        if (bound === 0) continue;
        if (top.length === TOP) {
          const last = top[TOP - 1]!;
          if (bound < last.count || (bound === last.count && slotTag[s]! > last.tagId)) {
            continue;
          }
        }
        if (++tests > budget) return null;
        const c = bitmaps[s]!.andCardinality(result);
        if (c > 0) offer(top, slotTag[s]!, c);
      }
    }
    return facets;
  }

  /**
   * Counts the tags of the works into `counts` (by slot), listing each tag counted in
   * `touched`; returns how many are listed. The caller reads the counts and sets them back to 0.
   */
  private tally(members: Uint32Array): number {
    if (this.counts.length < this.slots.size) {
      this.counts = new Int32Array(this.slots.tag.length);
      this.touched = new Int32Array(this.slots.tag.length);
    }
    const { pool, counts, touched } = this;
    const offsets = pool.offsets;
    let nTouched = 0;
    // In blocks: gather the lists' positions, touch each list (sparse results only), then
    // count. The first loops' loads are independent, so their cache misses overlap and the
    // counting finds the lists in cache (2–5x faster for sparse results at 1M works).
    const sparse = members.length * 10 < this.works.size;
    const offs = this.blockOffs;
    const block = offs.length;
    let sink = 0;
    for (let from = 0; from < members.length; from += block) {
      const n = Math.min(members.length - from, block);
      for (let k = 0; k < n; k++) offs[k] = offsets[members[from + k]!]!;
      if (sparse) sink += pool.touch(offs, n);
      nTouched = pool.count(offs, 0, n, counts, touched, nTouched);
    }
    this.sink = sink;
    return nTouched;
  }
}
