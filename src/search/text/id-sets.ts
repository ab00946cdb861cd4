/**
 * Sets of work ids as the text searches handle them: sorted Int32Arrays. A search may match
 * most of the archive; the queries return their ids as one comma-separated string (a JS object
 * per row costs three times the FTS5 lookup itself, seen), and sets are merged, not hashed.
 */

/** "3,1,2" → [1, 2, 3]. Empty or null: no ids. Ids are non-negative integers. */
export function parseIds(text: string | null | undefined): Int32Array {
  if (!text) return new Int32Array(0);
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) n++;
  const out = new Int32Array(n);
  let k = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[k++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  out[k] = value;
  for (let i = 1; i < n; i++) if (out[i]! < out[i - 1]!) return out.sort();
  return out;
}

/** The sorted union of two sorted sets. */
export function union(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    const v = Math.min(x, y);
    if (x === v) i++;
    if (y === v) j++;
    out[k++] = v;
  }
  return out.subarray(0, k);
}

/** Membership for ids asked in increasing order: a pointer that only moves forward. */
export function sortedMembership(set: Int32Array): (id: number) => boolean {
  let p = 0;
  return (id) => {
    while (p < set.length && set[p]! < id) p++;
    return p < set.length && set[p] === id;
  };
}
