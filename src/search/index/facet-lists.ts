/**
 * Facet candidate lists for the browse index: tags with their counts kept sorted by count as
 * works come and go (globally per type, and per anchor tag as co-occurrence counts), which
 * give the upper bounds the bounded facet search walks down; and the top-ten collector.
 */

export const TOP = 10;

export interface FacetCount {
  tagId: number;
  count: number;
}

/** Keeps `top` the best ten by (count desc, tagId asc). */
export function offer(top: FacetCount[], tagId: number, count: number): void {
  if (top.length === TOP) {
    const last = top[TOP - 1]!;
    if (count < last.count || (count === last.count && tagId > last.tagId)) return;
    top.pop();
  }
  let i = top.length;
  while (i > 0) {
    const prev = top[i - 1]!;
    if (prev.count > count || (prev.count === count && prev.tagId < tagId)) break;
    i--;
  }
  top.splice(i, 0, { tagId, count });
}

/** Non-negative int → int, open addressing with linear probing, at most 3/4 full (a fifth of
 * a Map's size). */
export class IntMap {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  /** Sized for `expected` keys without rehashing. */
  constructor(expected = 0) {
    let capacity = 8;
    while (capacity * 3 < expected * 4 + 4) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.vals = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
  }

  /** The value, or -1. */
  get(key: number): number {
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key) return this.vals[i]!;
      if (k === -1) return -1;
    }
  }

  set(key: number, value: number): void {
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key) {
        this.vals[i] = value;
        return;
      }
      if (k === -1) {
        this.keys[i] = key;
        this.vals[i] = value;
        if (++this.size * 4 > (this.mask + 1) * 3) this.rehash((this.mask + 1) * 2);
        return;
      }
    }
  }

  delete(key: number): void {
    let i = this.slot(key);
    for (; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key) break;
      if (k === -1) return;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    for (let j = (i + 1) & this.mask; ; j = (j + 1) & this.mask) {
      const k = this.keys[j]!;
      if (k === -1) break;
      const home = this.slot(k);
      if ((j - home) & this.mask) {
        if (((j - home) & this.mask) >= ((j - i) & this.mask)) {
          this.keys[i] = k;
          this.vals[i] = this.vals[j]!;
          i = j;
        }
      }
    }
    this.keys[i] = -1;
    this.size--;
  }

  private rehash(capacity: number): void {
    const { keys, vals } = this;
    this.keys = new Int32Array(capacity).fill(-1);
    this.vals = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i]! !== -1) this.set(keys[i]!, vals[i]!);
  }
}

/**
 * Tag slots with their counts, kept sorted by count descending as counts move by one: an
 * increment swaps the slot with the first of its count run, a decrement with the last.
 * Several lists may share one position map (a slot belongs to one list of a table).
 */
export class CountList {
  slots = new Int32Array(4);
  counts = new Int32Array(4);
  len = 0;

  constructor(private readonly pos: IntMap) {}

  private reserve(n: number): void {
    if (n <= this.slots.length) return;
    const size = Math.max(n, Math.ceil(this.slots.length * 1.5) + 4);
    const slots = new Int32Array(size);
    slots.set(this.slots);
    const counts = new Int32Array(size);
    counts.set(this.counts);
    this.slots = slots;
    this.counts = counts;
  }

  private swap(i: number, j: number): void {
    if (i === j) return;
    const a = this.slots[i]!;
    const b = this.slots[j]!;
    this.slots[i] = b;
    this.slots[j] = a;
    this.pos.set(b, i);
    this.pos.set(a, j);
  }

  inc(slot: number): void {
    const i = this.pos.get(slot);
    if (i < 0) {
      this.reserve(this.len + 1);
      this.slots[this.len] = slot;
      this.counts[this.len] = 1;
      this.pos.set(slot, this.len++);
      return;
    }
    const c = this.counts[i]!;
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.counts[m]! > c) lo = m + 1;
      else hi = m;
    }
    this.swap(i, lo);
    this.counts[lo] = c + 1;
  }

  dec(slot: number): void {
    const i = this.pos.get(slot);
    if (i < 0) return;
    const c = this.counts[i]!;
    let lo = i;
    let hi = this.len - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >>> 1;
      if (this.counts[m]! < c) hi = m - 1;
      else lo = m;
    }
    this.swap(i, lo);
    this.counts[lo] = c - 1;
    if (c === 1) {
      this.pos.delete(slot);
      this.len--;
    }
  }

  /** Inserts at the sorted place (O(len); for rare type changes). */
  insert(slot: number, count: number): void {
    if (count <= 0) return;
    this.reserve(this.len + 1);
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.counts[m]! >= count) lo = m + 1;
      else hi = m;
    }
    this.slots.copyWithin(lo + 1, lo, this.len);
    this.counts.copyWithin(lo + 1, lo, this.len);
    this.len++;
    for (let k = lo + 1; k < this.len; k++) this.pos.set(this.slots[k]!, k);
    this.slots[lo] = slot;
    this.counts[lo] = count;
    this.pos.set(slot, lo);
  }

  /** Removes the slot (O(len)); returns its count. */
  delete(slot: number): number {
    const i = this.pos.get(slot);
    if (i < 0) return 0;
    const c = this.counts[i]!;
    this.slots.copyWithin(i, i + 1, this.len);
    this.counts.copyWithin(i, i + 1, this.len);
    this.len--;
    for (let k = i; k < this.len; k++) this.pos.set(this.slots[k]!, k);
    this.pos.delete(slot);
    return c;
  }

  /** A list from unordered (slot, count) pairs. */
  static from(pos: IntMap, slots: number[], counts: Int32Array): CountList {
    const list = new CountList(pos);
    // Sorted natively as count · 2^21 + slot (exact below 2^53), else by comparison.
    const packed = new Float64Array(slots.length);
    let n = 0;
    let small = true;
    for (const s of slots) {
      if (counts[s]! <= 0) continue;
      if (s >= 2 ** 21 || counts[s]! >= 2 ** 31) small = false;
      packed[n++] = counts[s]! * 2 ** 21 + s;
    }
    const order = small
      ? Array.from(packed.subarray(0, n).sort(), (x) => x % 2 ** 21)
      : slots.filter((s) => counts[s]! > 0).sort((a, b) => counts[a]! - counts[b]!);
    list.reserve(order.length);
    for (let i = order.length - 1; i >= 0; i--) {
      const s = order[i]!;
      list.slots[list.len] = s;
      list.counts[list.len] = counts[s]!;
      pos.set(s, list.len++);
    }
    return list;
  }
}

/** Co-occurrence counts of one anchor tag: per facet type, the tags on its works. */
export class CoTable {
  readonly pos: IntMap;

  /** `expected`: about how many tags it will count. */
  constructor(expected = 0) {
    this.pos = new IntMap(expected);
  }

  readonly lists: (CountList | undefined)[] = [];

  list(type: number): CountList {
    let l = this.lists[type];
    if (!l) this.lists[type] = l = new CountList(this.pos);
    return l;
  }

  /** Works carrying both the anchor and the slot (of the given type). */
  count(slot: number, type: number): number {
    const i = this.pos.get(slot);
    return i < 0 ? 0 : this.lists[type]!.counts[i]!;
  }
}
