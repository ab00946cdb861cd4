/**
 * The browse index (src/search/index/browse-index.ts) on a synthetic archive: build time and memory,
 * then listing queries (filter + sort + page + total + 7 facets), then edits and new works
 * interleaved with queries.
 *
 *   node --import tsx bench/browse-index.ts [--works 1000000] [--queries 1000] [--seed 1]
 *     [--tuning '{"facetStrategy":"walk"}'] [--no-facets]
 *
 * Corpus (seeded, Zipf popularity): 5 ratings, 6 warnings, 6 categories, 20 fandoms (each
 * with its own 100 characters and 100 relationships), 20,000 freeforms, 8 media (a fandom's
 * metatag, not a facet); 1–40 tags a work. Queries: 1–3 includes drawn by popularity (tags of
 * a random work, so they meet), 0–3 excludes drawn by popularity, a rating half the time,
 * every sort key in turn (usual direction 80% of the time), pages 1–5 of 20, guests half the
 * time, facets on. Self-contained (no database, no bench/support.ts) so RSS is the index's.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import roaring from "roaring";
import { BrowseIndex } from "../src/search/index/browse-index.ts";
import {
  SORT_KEYS,
  type BrowseIndexTuning,
  type BrowseQuery,
  type IndexTagType,
  type WorkDoc,
} from "../src/search/index/browse-types.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const WORKS = arg("works", 1_000_000);
const QUERIES = arg("queries", 1_000);
const SEED = arg("seed", 1);
const tuningAt = process.argv.indexOf("--tuning");
const TUNING = (
  tuningAt >= 0 ? JSON.parse(process.argv[tuningAt + 1] ?? "{}") : {}
) as Partial<BrowseIndexTuning>;
const FACETS = !process.argv.includes("--no-facets");

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** sfc32, seeded through splitmix32. */
function random(seed: number) {
  const split = () => {
    seed = (seed + 0x9e3779b9) | 0;
    let z = seed;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
  };
}
const rng = random(SEED);

/** Draws 0..n-1 with P(k) ∝ 1 / (k + 1)^s. */
function zipf(n: number, s = 1.0) {
  const cum = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cum[k] = sum += 1 / Math.pow(k + 1, s);
  return () => {
    const x = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (cum[m]! < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
}

// --- tags -----------------------------------------------------------------------------------
const types = new Map<number, IndexTagType>();
let nextTag = 1;
const band = (type: IndexTagType, n: number) => {
  const ids = Array.from({ length: n }, () => nextTag++);
  for (const id of ids) types.set(id, type);
  return ids;
};
const RATINGS = band("rating", 5);
const WARNINGS = band("warning", 6);
const CATEGORIES = band("category", 6);
const FANDOMS = band("fandom", 20);
const MEDIA = band("media", 8);
const PER_FANDOM = 100;
const CHARACTERS = band("character", FANDOMS.length * PER_FANDOM);
const RELATIONSHIPS = band("relationship", FANDOMS.length * PER_FANDOM);
const FREEFORMS = band("freeform", 20_000);

const pickRating = zipf(RATINGS.length, 0.8);
const pickWarning = zipf(WARNINGS.length, 1.2);
const pickCategory = zipf(CATEGORIES.length, 1.0);
const pickFandom = zipf(FANDOMS.length, 1.0);
const pickInFandom = zipf(PER_FANDOM, 1.0);
const pickFreeform = zipf(FREEFORMS.length, 1.0);
const pickCreator = zipf(100_000, 0.7);
const pickKudos = zipf(5_000, 1.1);
const LANGS = ["en", "es", "fr", "de", "zh", "ru", "pt-BR", "it", "ja", "pl"];
const SYLLABLES = ["ka", "lo", "mi", "the ", "an", "shi", "ver", "dra", "no", "ru", "el", "a "];
const YEAR = 365 * 86_400_000;
const START = Date.UTC(2010, 0, 1);

function makeDoc(id: number): WorkDoc {
  const tags = new Set<number>();
  tags.add(RATINGS[pickRating()]!);
  tags.add(WARNINGS[pickWarning()]!);
  if (rng.chance(0.3)) tags.add(WARNINGS[pickWarning()]!);
  tags.add(CATEGORIES[pickCategory()]!);
  if (rng.chance(0.2)) tags.add(CATEGORIES[pickCategory()]!);
  const fandoms = [pickFandom()];
  if (rng.chance(0.1)) fandoms.push(pickFandom());
  for (const f of fandoms) {
    tags.add(FANDOMS[f]!);
    tags.add(MEDIA[f % MEDIA.length]!);
  }
  const target = 1 + rng.int(40);
  while (tags.size < target) {
    const f = fandoms[rng.int(fandoms.length)]!;
    const x = rng.next();
    if (x < 0.25) tags.add(CHARACTERS[f * PER_FANDOM + pickInFandom()]!);
    else if (x < 0.4) tags.add(RELATIONSHIPS[f * PER_FANDOM + pickInFandom()]!);
    else tags.add(FREEFORMS[pickFreeform()]!);
  }
  const published = START + Math.floor(rng.next() * 15 * YEAR);
  const chapters = rng.chance(0.5) ? 1 : 2 + rng.int(49);
  const titleWords = 1 + rng.int(4);
  let title = "";
  for (let k = 0; k < titleWords * 2; k++) title += SYLLABLES[rng.int(SYLLABLES.length)];
  const kudos = pickKudos();
  return {
    id,
    tagIds: [...tags],
    fandomCount: fandoms.length,
    restricted: rng.chance(0.15),
    complete: chapters === 1 || rng.chance(0.5),
    chapters,
    words: chapters * (200 + rng.int(5_000)),
    language: rng.chance(0.9) ? "en" : LANGS[1 + rng.int(LANGS.length - 1)]!,
    revisedAt: published + (chapters > 1 ? Math.floor(rng.next() * YEAR) : 0),
    publishedAt: published,
    titleKey: title.trim() + " " + id.toString(36),
    creatorKey: `creator ${pickCreator()}`,
    kudos,
    hits: kudos * (5 + rng.int(50)),
    comments: Math.floor(kudos / (1 + rng.int(10))),
    bookmarks: Math.floor(kudos / (2 + rng.int(10))),
  };
}

// --- build ----------------------------------------------------------------------------------
const mb = (n: number) => `${(n / 1_048_576).toFixed(0)} MB`;
function memory(label: string) {
  gc();
  gc();
  const m = process.memoryUsage();
  console.log(
    `${label}: rss ${mb(m.rss)}, JS heap ${mb(m.heapUsed)} (of ${mb(m.heapTotal)}), ` +
      `array buffers ${mb(m.arrayBuffers)}, ` +
      `roaring ${mb(roaring.getRoaringUsedMemory())}`,
  );
}
memory("before");
console.log(
  `works ${WORKS.toLocaleString("en")}, tags ${types.size.toLocaleString("en")}, ` +
    `tuning ${JSON.stringify(TUNING)}, facets ${FACETS ? "on" : "off"}`,
);

const index = new BrowseIndex(types, TUNING);
const reservoir: (readonly number[])[] = []; // every 20th work's tags, for drawing query tags
let genMs = 0;
let upsertMs = 0;
const CHUNK = 10_000;
for (let from = 1; from <= WORKS; from += CHUNK) {
  const t0 = performance.now();
  const docs: WorkDoc[] = [];
  for (let id = from; id < Math.min(WORKS + 1, from + CHUNK); id++) docs.push(makeDoc(id));
  const t1 = performance.now();
  for (const d of docs) index.upsert(d);
  upsertMs += performance.now() - t1;
  for (let k = 0; k < docs.length; k += 20) reservoir.push(docs[k]!.tagIds);
  genMs += t1 - t0;
}
const prep = index.prepare();
const orderMs = Object.values(prep.orders).reduce((s, x) => s + x, 0);
console.log(
  `build: upserts ${upsertMs.toFixed(0)} ms + flush ${prep.flush.toFixed(0)} ms + ` +
    `sort orders ${orderMs.toFixed(0)} ms + facet lists ${prep.facetLists.toFixed(0)} ms ` +
    `= ${(upsertMs + prep.flush + orderMs + prep.facetLists).toFixed(0)} ms ` +
    `(generating the corpus: ${genMs.toFixed(0)} ms, not counted)`,
);
console.log(
  "  sort order rebuilds: " +
    SORT_KEYS.map((k) => `${k} ${(prep.orders[k] ?? 0).toFixed(0)} ms`).join(", "),
);
memory("built");
{
  gc();
  const again = index.prepare({ rebuild: true });
  console.log(
    "rebuild (after GC): " +
      SORT_KEYS.map((k) => `${k} ${(again.orders[k] ?? 0).toFixed(0)} ms`).join(", ") +
      `, facet lists ${again.facetLists.toFixed(0)} ms`,
  );
}

// --- queries --------------------------------------------------------------------------------
/** A random work's tags (drawing a tag from one is drawing by popularity). */
const sampleWork = () => reservoir[rng.int(reservoir.length)]!;

function makeQuery(i: number, ranges = false): { q: BrowseQuery; loggedIn: boolean } {
  const work = sampleWork().filter((t) => types.get(t) !== "rating");
  const include = new Set<number>();
  const nInclude = 1 + rng.int(3);
  while (include.size < Math.min(nInclude, work.length)) include.add(work[rng.int(work.length)]!);
  if (rng.chance(0.5)) include.add(RATINGS[pickRating()]!);
  const exclude = new Set<number>();
  const nExclude = rng.int(4);
  for (let k = 0; k < nExclude; k++) {
    const other = sampleWork();
    const t = other[rng.int(other.length)]!;
    if (!include.has(t)) exclude.add(t);
  }
  const sort = SORT_KEYS[i % SORT_KEYS.length]!;
  const usual = sort !== "title" && sort !== "creator";
  return {
    q: {
      include: [...include],
      exclude: [...exclude],
      sort,
      descending: rng.chance(0.8) ? usual : !usual,
      page: 1 + rng.int(5),
      pageSize: 20,
      facets: FACETS,
      ...(ranges ? { words: { min: 1_000 * (1 + rng.int(20)) } } : {}),
      ...(ranges && rng.chance(0.5)
        ? { revised: { from: START + Math.floor(rng.next() * 10 * YEAR) } }
        : {}),
    },
    loggedIn: rng.chance(0.5),
  };
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] ?? NaN };
}
const fmt = (p: ReturnType<typeof percentiles>) =>
  `p50 ${p.p50.toFixed(2)} ms, p95 ${p.p95.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, ` +
  `max ${p.max.toFixed(2)} ms`;

function run(label: string, n: number, between?: () => void, ranges = false) {
  const times: number[] = [];
  const totals: number[] = [];
  const bySize = { small: [] as number[], mid: [] as number[], large: [] as number[] };
  for (let i = 0; i < n; i++) {
    between?.();
    const { q, loggedIn } = makeQuery(i, ranges);
    const t0 = performance.now();
    const r = index.search(q, loggedIn);
    const ms = performance.now() - t0;
    times.push(ms);
    totals.push(r.total);
    (r.total <= 3_000 ? bySize.small : r.total <= 60_000 ? bySize.mid : bySize.large).push(ms);
  }
  console.log(`${label}: ${fmt(percentiles(times))}`);
  const t = percentiles(totals);
  console.log(
    `  result sizes: p50 ${t.p50.toLocaleString("en")}, p95 ${t.p95.toLocaleString("en")}, ` +
      `max ${t.max.toLocaleString("en")}; empty ${totals.filter((x) => x === 0).length}`,
  );
  for (const [k, v] of Object.entries(bySize)) {
    if (v.length) console.log(`  ${k} results (${v.length}): ${fmt(percentiles(v))}`);
  }
}

run("warm-up", 200);
run(`${QUERIES} queries`, QUERIES);
run(
  `${QUERIES} queries with a words range (half with a revised range too)`,
  QUERIES,
  undefined,
  true,
);

// --- writes ---------------------------------------------------------------------------------
const editTimes: number[] = [];
let nextId = WORKS + 1;
run(`${QUERIES} queries, each after an edit or a new work`, QUERIES, () => {
  const t0 = performance.now();
  if (rng.chance(0.5)) index.upsert(makeDoc(1 + rng.int(WORKS)));
  else index.upsert(makeDoc(nextId++));
  editTimes.push(performance.now() - t0);
});
console.log(`  upsert: ${fmt(percentiles(editTimes))}`);
memory("after writes");
