/**
 * The tag pool: each work's tags as sorted, distinct slots (tag-slots.ts), delta-coded in one
 * 16-bit pool — half the cache lines of plain ints, and walking tag lists (facet counts,
 * co-occurrence tables) is bound by cache misses.
 *
 * A list is its word count, then one entry per slot: its distance from the previous slot (the
 * first from -1), or, for a distance of ESCAPE or more, ESCAPE and the slot's two halves. A
 * rewritten or dropped list stays behind as garbage until the pool is compacted.
 *
 * There is one decoder, `count`, shaped as the hottest loop needs it (the facet walk: count
 * every tag of many works); reading a list is counting it alone. Decoding into a buffer
 * first, or through per-entry helper functions, made facet walks 12–40% slower.
 */

/** A list's word count must fit 16 bits: at worst three words a slot. */
export const MAX_TAGS_PER_WORK = 20_000;
const ESCAPE = 0xffff;

export class TagPool {
  /** By work id: where the work's list starts in `words`, or -1. */
  offsets = new Int32Array(0);
  words = new Uint16Array(1024);
  private length = 0;
  private garbage = 0;
  /** By slot, zeros between reads: `read`'s counts, longer than any slot written. */
  private seen = new Int32Array(1024);

  /** Makes room for work ids below `capacity`. */
  grow(capacity: number): void {
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.offsets.subarray(0, Math.min(this.offsets.length, capacity)));
    this.offsets = next;
  }

  /** Writes the work's list (sorted, distinct slots), replacing any it had. */
  write(id: number, slots: Int32Array): void {
    this.drop(id); // a compaction below then need not keep the old list
    let size = 0;
    let prev = -1;
    for (let i = 0; i < slots.length; i++) {
      size += slots[i]! - prev >= ESCAPE ? 3 : 1;
      prev = slots[i]!;
    }
    if (this.length + size + 1 > this.words.length) {
      if (this.garbage > this.length / 2) this.compact();
      if (this.length + size + 1 > this.words.length) {
        const next = new Uint16Array(
          Math.max(this.length + size + 1, Math.ceil(this.words.length * 1.5)),
        );
        next.set(this.words.subarray(0, this.length));
        this.words = next;
      }
    }
    if (prev >= this.seen.length)
      this.seen = new Int32Array(Math.max(prev + 1, this.seen.length * 2));
    const words = this.words;
    let o = this.length;
    this.offsets[id] = o;
    words[o++] = size;
    prev = -1;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const d = s - prev;
      if (d >= ESCAPE) {
        words[o++] = ESCAPE;
        words[o++] = s >>> 16;
        words[o++] = s & 0xffff;
      } else {
        words[o++] = d;
      }
      prev = s;
    }
    this.length = o;
  }

  /** Forgets the work's list, if it has one. */
  drop(id: number): void {
    const off = this.offsets[id]!;
    if (off < 0) return;
    this.garbage += 1 + this.words[off]!;
    this.offsets[id] = -1;
  }

  /**
   * The decoder: counts the slots of the lists at `offs[from..to)` (entries of `offsets`) into
   * `counts`, by slot. A slot counted for the first time (from 0) is appended to `touched` at
   * `nTouched`; returns the new length of `touched`. Counting one list into zeros appends the
   * list itself (its slots are distinct), which is how lists are read.
   */
  count(
    offs: Int32Array,
    from: number,
    to: number,
    counts: Int32Array,
    touched: Int32Array,
    nTouched: number,
  ): number {
    const words = this.words;
    for (let k = from; k < to; k++) {
      const off = offs[k]!;
      const end = off + 1 + words[off]!;
      let s = -1;
      for (let p = off + 1; p < end; p++) {
        const d = words[p]!;
        if (d === ESCAPE) {
          s = (words[p + 1]! << 16) | words[p + 2]!;
          p += 2;
        } else {
          s += d;
        }
        if (counts[s]!++ === 0) touched[nTouched++] = s;
      }
    }
    return nTouched;
  }

  /** The work's slots, in a new array (for writes: the hot loops count in place). */
  read(id: number): Int32Array {
    const out = new Int32Array(this.words[this.offsets[id]!]!);
    const seen = this.seen;
    const n = this.count(this.offsets, id, id + 1, seen, out, 0);
    for (let i = 0; i < n; i++) seen[out[i]!] = 0;
    return out.subarray(0, n);
  }

  /**
   * Appends the work's slots to `out` at `at` (growing it as needed); returns `out` (perhaps
   * a new array) and where the slots end. No array per work: the cache writes a million.
   */
  readInto(id: number, out: Int32Array, at: number): [Int32Array, number] {
    const off = this.offsets[id]!;
    if (at + this.words[off]! > out.length) {
      const next = new Int32Array(Math.max(at + this.words[off]!, out.length * 2));
      next.set(out.subarray(0, at));
      out = next;
    }
    const seen = this.seen;
    const end = this.count(this.offsets, id, id + 1, seen, out, at);
    for (let i = at; i < end; i++) seen[out[i]!] = 0;
    return [out, end];
  }

  /**
   * Loads the first and the 32nd word of the lists at `offs[0..n)`: the loads are independent,
   * so their cache misses overlap, and decoding then finds the lists in cache. Returns a sum
   * the caller keeps, so that the loads are not optimised away.
   */
  touch(offs: Int32Array, n: number): number {
    const words = this.words;
    const last = this.length - 1;
    let sink = 0;
    for (let k = 0; k < n; k++) sink += words[offs[k]!]! + words[Math.min(offs[k]! + 31, last)]!;
    return sink;
  }

  /** Compacts, with a little room to spare, if the pool is over 1.25 times its live lists. */
  trim(): void {
    if (this.words.length > (this.length - this.garbage) * 1.25) this.compact(1.1);
  }

  /** Rewrites the pool with only the live lists, in work id order (`slack` spare). */
  private compact(slack = 1.5): void {
    const live = this.length - this.garbage;
    const next = new Uint16Array(Math.max(1024, Math.ceil(live * slack)));
    const { offsets, words } = this;
    let n = 0;
    for (let id = 0; id < offsets.length; id++) {
      const off = offsets[id]!;
      if (off < 0) continue;
      const size = 1 + words[off]!;
      next.set(words.subarray(off, off + size), n);
      offsets[id] = n;
      n += size;
    }
    this.words = next;
    this.length = n;
    this.garbage = 0;
  }
}
