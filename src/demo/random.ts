/**
 * A small, fast, seeded PRNG (sfc32, seeded through splitmix32) with the helpers the demo
 * corpus generator needs. Deterministic across platforms: only 32-bit integer arithmetic.
 */

/** splitmix32 step: a well-mixed 32-bit value from an arbitrary 32-bit state. */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Cumulative weight table for repeated weighted draws by binary search. */
export class WeightTable {
  readonly cdf: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    if (weights.length === 0) throw new Error("WeightTable needs at least one weight");
    this.cdf = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0;
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`invalid weight at ${i}: ${w}`);
      sum += w;
      this.cdf[i] = sum;
    }
    if (sum <= 0) throw new Error("WeightTable needs a positive total weight");
    this.total = sum;
  }

  get length(): number {
    return this.cdf.length;
  }

  /** Index of the first entry whose cumulative weight exceeds u·total (u in [0,1)). */
  indexAt(u: number): number {
    const target = u * this.total;
    const cdf = this.cdf;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const zipfTables = new Map<number, Map<number, WeightTable>>();

/** The (cached) table for P(k) ∝ 1/(k+1)^s, k = 0..n-1. */
export function zipfTable(n: number, s: number): WeightTable {
  let byN = zipfTables.get(s);
  if (byN === undefined) {
    byN = new Map();
    zipfTables.set(s, byN);
  }
  let table = byN.get(n);
  if (table === undefined) {
    const w = new Float64Array(n);
    for (let k = 0; k < n; k++) w[k] = 1 / Math.pow(k + 1, s);
    table = new WeightTable(w);
    byN.set(n, table);
  }
  return table;
}

export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  /**
   * Restarts the generator from (seed, stream). Different streams of one seed are
   * independent sequences; the generator uses one stream per work.
   */
  reseed(seed: number, stream = 0): this {
    let s = mix32((seed | 0) ^ 0x5bd1e995) ^ Math.imul(stream | 0, 0x9e3779b9);
    s = (s + 0x9e3779b9) | 0;
    this.a = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.b = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.c = mix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.d = mix32(s) | 1;
    for (let i = 0; i < 12; i++) this.uint32();
    return this;
  }

  /** sfc32: next uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new Error(`int(${min}, ${max}): empty range`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error("pick from an empty array");
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** One item, with probability proportional to its weight (linear scan: for short lists). */
  weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length === 0 || items.length !== weights.length) {
      throw new Error("weightedPick needs equally long, non-empty items and weights");
    }
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** An index drawn from a precomputed weight table (binary search). */
  weighted(table: WeightTable): number {
    return table.indexAt(this.next());
  }

  /** Zipf-distributed index in [0, n): P(k) ∝ 1/(k+1)^s. Tables are cached per (n, s). */
  zipfIndex(n: number, s = 1): number {
    if (n <= 1) return 0;
    return zipfTable(n, s).indexAt(this.next());
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal deviate with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = t;
    }
    return arr;
  }

  /** k distinct items (by position) in random order, without copying large arrays for small k. */
  sample<T>(arr: readonly T[], k: number): T[] {
    const n = arr.length;
    const m = Math.max(0, Math.min(k, n));
    if (m * 4 < n) {
      const seen = new Set<number>();
      const out: T[] = [];
      while (out.length < m) {
        const i = Math.floor(this.next() * n);
        if (seen.has(i)) continue;
        seen.add(i);
        out.push(arr[i] as T);
      }
      return out;
    }
    const copy = arr.slice();
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(this.next() * (n - i));
      const t = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = t;
    }
    copy.length = m;
    return copy;
  }
}

export function createRandom(seed: number, stream = 0): Random {
  return new Random(seed, stream);
}
