/**
 * Sets `key` in a map kept to `max` entries: when it is full, the oldest entry goes first (a
 * Map iterates in insertion order; a cache that re-inserts on use makes that least recently
 * used). The in-memory caches of tags, blurbs, facets and tokens are bounded so.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
