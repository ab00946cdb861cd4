/**
 * Tags as dense slots, numbered as the index first meets them: per slot the tag id, its type
 * and how many works carry it, and one roaring bitmap of those works (filters intersect
 * them, facets test against them). Slots, not tag ids, index the tag pool's lists and the
 * facet lists, so that both stay small and dense whatever the database's ids.
 */
import roaring from "roaring";
import type { RoaringBitmap32 as Bitmap } from "roaring";
import { FACET_TYPES, type IndexTagType } from "./browse-types.ts";
import { MAX_TAGS_PER_WORK, type TagPool } from "./tag-pool.ts";

const { RoaringBitmap32 } = roaring;

/** Type codes: facet types are 1..FACET_TYPES.length, in FACET_TYPES order. */
export const NO_TYPE = 0;
export const MEDIA = 8;

export function typeCode(type: IndexTagType): number {
  return type === "media" ? MEDIA : FACET_TYPES.indexOf(type) + 1;
}

export function isFacet(code: number): boolean {
  return code >= 1 && code <= FACET_TYPES.length;
}

/** Batches of new works up to this size are added work by work rather than grouped by tag. */
const SMALL_BATCH = 64;

export class TagSlots {
  private readonly slotOf = new SlotMap();
  /** By slot. */
  tag = new Int32Array(1024);
  type = new Uint8Array(1024);
  count = new Int32Array(1024);
  readonly bitmaps: Bitmap[] = [];
  /** Slots in use. */
  size = 0;

  constructor(tagTypes: ReadonlyMap<number, IndexTagType>) {
    for (const [tagId, type] of tagTypes) {
      const slot = this.slotFor(tagId); // may grow `type`: index it afterwards
      this.type[slot] = typeCode(type);
    }
  }

  get(tagId: number): number | undefined {
    return this.slotOf.get(tagId);
  }

  /** The tag's slot, made (untyped, on no works) if the tag is new. */
  slotFor(tagId: number): number {
    let slot = this.slotOf.get(tagId);
    if (slot !== undefined) return slot;
    if (!Number.isSafeInteger(tagId)) throw new RangeError(`bad tag id ${tagId}`);
    slot = this.size++;
    if (slot >= this.tag.length) {
      const size = this.tag.length * 2;
      this.tag = grownInt32(this.tag, size);
      const type = new Uint8Array(size);
      type.set(this.type);
      this.type = type;
      this.count = grownInt32(this.count, size);
    }
    this.slotOf.set(tagId, slot);
    this.tag[slot] = tagId;
    this.type[slot] = NO_TYPE;
    this.bitmaps.push(new RoaringBitmap32());
    return slot;
  }

  /** A work's tags as sorted, distinct slots (new tags get one). */
  slotsOf(tagIds: readonly number[]): Int32Array {
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

  /** Adds new works (ids ascending) to their tags' bitmaps and counts. */
  addWorks(ids: Int32Array, pool: TagPool): void {
    if (ids.length <= SMALL_BATCH) {
      // The usual case between two searches: one `add` per tag.
      for (let k = 0; k < ids.length; k++) this.addWork(ids[k]!, pool.read(ids[k]!));
    } else {
      this.addGrouped(ids, pool);
    }
  }

  addWork(id: number, slots: Int32Array): void {
    for (let i = 0; i < slots.length; i++) {
      this.bitmaps[slots[i]!]!.add(id);
      this.count[slots[i]!]!++;
    }
  }

  removeWork(id: number, slots: Int32Array): void {
    for (let i = 0; i < slots.length; i++) {
      this.bitmaps[slots[i]!]!.remove(id);
      this.count[slots[i]!]!--;
    }
  }

  /** Moves a work from the tags it had (`before`) to those it has (both sorted). */
  retagWork(id: number, before: Int32Array, after: Int32Array): void {
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const a = i < before.length ? before[i]! : Infinity;
      const b = j < after.length ? after[j]! : Infinity;
      if (a === b) {
        i++;
        j++;
      } else if (a < b) {
        this.bitmaps[a]!.remove(id);
        this.count[a]!--;
        i++;
      } else {
        this.bitmaps[b]!.add(id);
        this.count[b]!++;
        j++;
      }
    }
  }

  /** Many new works (a bulk load): grouped by tag (counting sort), one `addMany` per tag. */
  private addGrouped(ids: Int32Array, pool: TagPool): void {
    const n = ids.length;
    const slots = this.size;
    const starts = new Int32Array(slots + 1);
    const offs = new Int32Array(n);
    for (let k = 0; k < n; k++) offs[k] = pool.offsets[ids[k]!]!;
    // Counted in place (no list per work: a bulk load adds a million at once): first how
    // many works each slot has, then each work's slots one list at a time.
    const scratch = new Int32Array(Math.max(slots, MAX_TAGS_PER_WORK));
    pool.count(offs, 0, n, starts.subarray(1), scratch, 0);
    for (let s = 0; s < slots; s++) starts[s + 1]! += starts[s]!;
    const grouped = new Uint32Array(starts[slots]!);
    const fill = starts.slice(0, slots);
    const seen = new Int32Array(slots);
    for (let k = 0; k < n; k++) {
      const len = pool.count(offs, k, k + 1, seen, scratch, 0);
      for (let i = 0; i < len; i++) {
        const s = scratch[i]!;
        grouped[fill[s]!++] = ids[k]!;
        seen[s] = 0;
      }
    }
    for (let s = 0; s < slots; s++) {
      const from = starts[s]!;
      const to = starts[s + 1]!;
      if (to > from) {
        this.bitmaps[s]!.addMany(grouped.subarray(from, to));
        this.count[s]! += to - from;
      }
    }
  }
}

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

function grownInt32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(a.subarray(0, Math.min(a.length, size)));
  return next;
}
