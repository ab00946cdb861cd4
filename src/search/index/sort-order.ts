/**
 * Sort orders for the browse index: per sort key, the work ids in ascending (key, id) order,
 * built by radix sort and then kept up to date through a small sorted delta; and selection of
 * one page from a result's members when walking an order would be slower.
 */
import type { RoaringBitmap32 as Bitmap } from "roaring";

export type Cmp = (a: number, b: number) => number;

const IN_DELTA = 1;
const REMOVED = 2;

/** How one sort key compares works and sorts them all at once. */
export interface SortKeys {
  /** Total order: key ascending, then id ascending. */
  readonly cmp: Cmp;
  /** Sorts ids (given in ascending id order) by cmp. */
  sortAll(ids: Int32Array): void;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/**
 * Stable LSD radix sort of `ids` by unsigned multi-word keys (`words[w][i]` belongs to
 * `ids[i]`, most significant word first), 16 bits a pass. Passes where every key has the
 * same digit are skipped.
 */
export function radixSort(ids: Int32Array, words: Uint32Array[], carryAll = false): void {
  const n = ids.length;
  if (n < 2) return;
  let srcIds: Int32Array = ids;
  let dstIds: Int32Array = new Int32Array(n);
  let src: Uint32Array[] = words;
  let dst: Uint32Array[] = words.map(() => new Uint32Array(n));
  const hist = new Int32Array(65_536);
  for (let w = words.length - 1; w >= 0; w--) {
    for (let shift = 0; shift <= 16; shift += 16) {
      const key = src[w]!;
      hist.fill(0);
      for (let i = 0; i < n; i++) hist[(key[i]! >>> shift) & 0xffff]!++;
      if (hist[(key[0]! >>> shift) & 0xffff] === n) continue;
      let sum = 0;
      for (let d = 0; d < 65_536; d++) {
        const c = hist[d]!;
        hist[d] = sum;
        sum += c;
      }
      // Only this word and the more significant ones are still needed (unless the caller
      // wants every word in the final order).
      const keep = carryAll ? words.length : w + 1;
      const carried = src.slice(0, keep);
      const carriedTo = dst.slice(0, keep);
      for (let i = 0; i < n; i++) {
        const p = hist[(key[i]! >>> shift) & 0xffff]!++;
        dstIds[p] = srcIds[i]!;
        for (let x = 0; x < keep; x++) carriedTo[x]![p] = carried[x]![i]!;
      }
      [srcIds, dstIds] = [dstIds, srcIds];
      [src, dst] = [dst, src];
    }
  }
  if (srcIds !== ids) {
    ids.set(srcIds);
    if (carryAll) words.forEach((w, x) => w.set(src[x]!));
  }
}

export class IntKeys implements SortKeys {
  readonly cmp: Cmp;
  constructor(private readonly values: () => Int32Array) {
    this.cmp = (a, b) => {
      const v = values();
      return v[a]! - v[b]! || a - b;
    };
  }
  sortAll(ids: Int32Array): void {
    const v = this.values();
    const word = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) word[i] = (v[ids[i]!]! ^ 0x80000000) >>> 0;
    radixSort(ids, [word]);
  }
}

export class FloatKeys implements SortKeys {
  readonly cmp: Cmp;
  constructor(private readonly values: () => Float64Array) {
    this.cmp = (a, b) => {
      const v = values();
      return v[a]! - v[b]! || a - b;
    };
  }
  sortAll(ids: Int32Array): void {
    const v = this.values();
    const hi = new Uint32Array(ids.length);
    const lo = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      f64[0] = v[ids[i]!]! || 0; // -0 sorts as 0, as the comparator has it
      let h = f64Words[HI]!;
      let l = f64Words[LO]!;
      if (h & 0x80000000) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else {
        h = (h | 0x80000000) >>> 0;
      }
      hi[i] = h;
      lo[i] = l;
    }
    radixSort(ids, [hi, lo]);
  }
}

/** Runs shorter than this are sorted by comparison (a radix pass costs 64K buckets). */
const STRING_RADIX_MIN = 4_096;
/** 32-bit words of packed characters per radix round. */
const STRING_WORDS = 3;

export class StringKeys implements SortKeys {
  readonly cmp: Cmp;
  constructor(private readonly values: () => string[]) {
    this.cmp = (a, b) => {
      const v = values();
      const x = v[a]!;
      const y = v[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    };
  }

  sortAll(ids: Int32Array): void {
    this.sortRun(ids, 0);
  }

  /**
   * Sorts `ids`, whose keys share their first `depth` characters and are in id order among
   * equal keys. Strings are scattered in the heap, so each is read once per round: the next
   * characters are mapped to dense, order-preserving codes (end of string = 0) and packed
   * into STRING_WORDS words, which a stable radix sort orders; runs sharing all of them whose
   * keys go on are sorted one round deeper.
   */
  private sortRun(ids: Int32Array, depth: number): void {
    const n = ids.length;
    if (n < 2) return;
    if (n < STRING_RADIX_MIN) {
      ids.sort(this.cmp);
      return;
    }
    const v = this.values();
    // The characters used next decide the code width (15 fit at 6 bits): read 16 per key.
    const MAX = 16;
    const chars = new Uint16Array(n * MAX);
    const seen = new Uint8Array(65_536);
    for (let i = 0; i < n; i++) {
      const s = v[ids[i]!]!;
      const end = Math.min(s.length, depth + MAX);
      for (let k = depth; k < end; k++) {
        const c = s.charCodeAt(k);
        chars[i * MAX + k - depth] = c;
        seen[c] = 1;
      }
    }
    const code = new Uint32Array(65_536);
    let symbols = 0;
    for (let c = 0; c < 65_536; c++) if (seen[c]) code[c] = ++symbols;
    const bits = Math.max(1, Math.ceil(Math.log2(symbols + 1)));
    const perWord = Math.floor(32 / bits);
    const width = Math.min(MAX, perWord * STRING_WORDS);
    // STRING_WORDS words of codes, then 1 when the key goes on past them: a key ending right
    // there is a prefix of one going on, so the flag sorts them correctly too.
    const words: Uint32Array[] = [];
    for (let w = 0; w <= STRING_WORDS; w++) words.push(new Uint32Array(n));
    const goesOn = words[STRING_WORDS]!;
    const scale = 2 ** bits;
    for (let i = 0; i < n; i++) {
      const len = v[ids[i]!]!.length - depth;
      goesOn[i] = len > width ? 1 : 0;
      for (let w = 0; w < STRING_WORDS; w++) {
        let word = 0;
        for (let j = 0; j < perWord; j++) {
          const k = w * perWord + j;
          word = word * scale + (k < len && k < width ? code[chars[i * MAX + k]!]! : 0);
        }
        words[w]![i] = word;
      }
    }
    radixSort(ids, words, true);
    const next = depth + width;
    let start = 0;
    for (let i = 1; i <= n; i++) {
      if (i < n && sameWords(words, i - 1, i)) continue;
      // Runs of keys ending within the round are equal keys, already in id order.
      if (i - start > 1 && goesOn[start] === 1) this.sortRun(ids.subarray(start, i), next);
      start = i;
    }
  }
}

function sameWords(words: Uint32Array[], i: number, j: number): boolean {
  for (const w of words) if (w[i] !== w[j]) return false;
  return true;
}

/**
 * Work ids in ascending (key, id) order: a sorted base plus a sorted delta of works added or
 * re-keyed since the base was built. `stale[id]` is IN_DELTA for a work in the delta and
 * REMOVED for a removed one: either way its base entry, if any, is out of date, so walks skip
 * it and the next merge drops it.
 */
export class SortOrder {
  private base: Int32Array = new Int32Array(0);
  private baseLen = 0;
  private delta = new Int32Array(16);
  private deltaLen = 0;
  private stale: Uint8Array = new Uint8Array(0);
  built = false;

  constructor(
    readonly keys: SortKeys,
    private readonly present: () => Uint8Array,
    private readonly deltaCap: () => number,
  ) {}

  grow(capacity: number): void {
    const next = new Uint8Array(capacity);
    next.set(this.stale);
    this.stale = next;
  }

  invalidate(): void {
    if (!this.built) return;
    this.built = false;
    this.base = new Int32Array(0);
    this.baseLen = 0;
    this.deltaLen = 0;
  }

  rebuild(all: Bitmap): void {
    this.invalidate();
    const u = all.toUint32Array();
    const ids = new Int32Array(u.buffer, u.byteOffset, u.length); // ids < 2^31
    this.keys.sortAll(ids);
    this.base = ids;
    this.baseLen = ids.length;
    this.stale.fill(0);
    this.built = true;
  }

  /** The work is new, or its key changed (the key arrays already hold the new value). */
  changed(id: number): void {
    if (!this.built) return;
    if (this.stale[id] === IN_DELTA) this.dropFromDelta(id);
    const cmp = this.keys.cmp;
    let lo = 0;
    let hi = this.deltaLen;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (cmp(this.delta[m]!, id) < 0) lo = m + 1;
      else hi = m;
    }
    if (this.deltaLen === this.delta.length) {
      const next = new Int32Array(this.delta.length * 2);
      next.set(this.delta);
      this.delta = next;
    }
    this.delta.copyWithin(lo + 1, lo, this.deltaLen);
    this.delta[lo] = id;
    this.deltaLen++;
    this.stale[id] = IN_DELTA;
    if (this.deltaLen > this.deltaCap()) this.merge();
  }

  removed(id: number): void {
    if (!this.built) return;
    if (this.stale[id] === IN_DELTA) this.dropFromDelta(id);
    this.stale[id] = REMOVED;
  }

  private dropFromDelta(id: number): void {
    const at = this.delta.subarray(0, this.deltaLen).indexOf(id);
    this.delta.copyWithin(at, at + 1, this.deltaLen);
    this.deltaLen--;
  }

  /** Folds the delta into the base: drop stale and removed entries, then merge backwards. */
  merge(): void {
    const stale = this.stale;
    const cmp = this.keys.cmp;
    let base = this.base;
    let w = 0;
    for (let i = 0; i < this.baseLen; i++) {
      const id = base[i]!;
      const mark = stale[id]!;
      if (mark === 0) base[w++] = id;
      else if (mark === REMOVED) stale[id] = 0; // its only entry is gone
    }
    const total = w + this.deltaLen;
    if (base.length < total) {
      const next = new Int32Array(Math.ceil(total * 1.25) + 16);
      next.set(base.subarray(0, w));
      base = next;
    }
    let i = w - 1;
    let o = total - 1;
    for (let j = this.deltaLen - 1; j >= 0; j--) {
      const d = this.delta[j]!;
      let lo = 0;
      let hi = i + 1;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (cmp(base[m]!, d) < 0) lo = m + 1;
        else hi = m;
      }
      const after = i + 1 - lo;
      if (after > 0) {
        base.copyWithin(o - after + 1, lo, i + 1);
        o -= after;
        i = lo - 1;
      }
      base[o--] = d;
      stale[d] = 0;
    }
    this.base = base;
    this.baseLen = total;
    this.deltaLen = 0;
  }

  /**
   * The page [skip, skip + take) of the result in this order, walking base and delta
   * together; null when more than `budget` entries were visited (the caller selects instead).
   */
  walk(
    result: Bitmap,
    descending: boolean,
    skip: number,
    take: number,
    budget: number,
  ): number[] | null {
    const { base, baseLen, delta, deltaLen, stale } = this;
    const present = this.present();
    const cmp = this.keys.cmp;
    const out: number[] = [];
    let matched = 0;
    let steps = 0;
    if (!descending) {
      let i = 0;
      let j = 0;
      for (;;) {
        while (i < baseLen && stale[base[i]!] !== 0) i++;
        let id: number;
        if (j < deltaLen && (i >= baseLen || cmp(delta[j]!, base[i]!) < 0)) id = delta[j++]!;
        else if (i < baseLen) id = base[i++]!;
        else break;
        if (++steps > budget) return null;
        if (present[id] !== 1 || !result.has(id)) continue;
        if (matched++ >= skip && out.push(id) === take) break;
      }
    } else {
      let i = baseLen - 1;
      let j = deltaLen - 1;
      for (;;) {
        while (i >= 0 && stale[base[i]!] !== 0) i--;
        let id: number;
        if (j >= 0 && (i < 0 || cmp(delta[j]!, base[i]!) > 0)) id = delta[j--]!;
        else if (i >= 0) id = base[i--]!;
        else break;
        if (++steps > budget) return null;
        if (present[id] !== 1 || !result.has(id)) continue;
        if (matched++ >= skip && out.push(id) === take) break;
      }
    }
    return out;
  }
}

/** The page [skip, skip + take) of `members` ordered by `cmp`: a bounded heap, or a sort. */
export function selectPage(members: Uint32Array, cmp: Cmp, skip: number, take: number): number[] {
  const n = members.length;
  const need = skip + take;
  if (need * 4 >= n) {
    const all = Int32Array.from(members).sort(cmp);
    return Array.from(all.subarray(skip, need));
  }
  // Max-heap (by cmp) of the `need` smallest members seen so far.
  const heap = new Int32Array(need);
  let size = 0;
  const down = (x: number) => {
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && cmp(heap[c + 1]!, heap[c]!) > 0) c++;
      if (cmp(heap[c]!, x) <= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = x;
  };
  for (let k = 0; k < n; k++) {
    const x = members[k]!;
    if (size < need) {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (cmp(heap[parent]!, x) >= 0) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
      heap[i] = x;
    } else if (cmp(x, heap[0]!) < 0) {
      down(x);
    }
  }
  const sorted = heap.subarray(0, size).sort(cmp);
  return Array.from(sorted.subarray(skip, need));
}
