/**
 * Import speed of the AO3 data dump (`fanfold import-ao3-dump`, src/import/ao3-dump/): the
 * sample in ../shared/data/ao3-otw-dump-sample (1,999 tags, 999 works) and a synthetic works
 * CSV of `--works` rows (default 100,000) drawn from the sample's distributions — tags per
 * work, which tag ids (so as many resolve as in the sample), word counts, restricted share —
 * against the sample's tags. Each run imports into a fresh database; p50/p95 over the runs.
 *
 *   node --import tsx bench/ao3-dump.ts [--engine sqlite,postgres] [--works 100000]
 *        [--runs 5] [--big-runs 3]
 */
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importAo3Dump, type Ao3DumpSummary } from "../src/import/ao3-dump/import.ts";
import { benchDb, engines, numberArg, percentiles } from "./support.ts";

const SAMPLE = join(import.meta.dirname, "../../shared/data/ao3-otw-dump-sample");
const TAGS = join(SAMPLE, "tags-20210226.head.csv");
const WORKS = join(SAMPLE, "works-20210226.sample.csv");
if (!existsSync(TAGS) || !existsSync(WORKS)) {
  console.log(`SKIPPED: ${SAMPLE} is absent (the bench needs ../shared/data).`);
  process.exit(0);
}
const bigWorks = numberArg(process.argv, "works", 100_000);
const runs = numberArg(process.argv, "runs", 5);
const bigRuns = numberArg(process.argv, "big-runs", 3);

/** A seeded generator (mulberry32), so every run reads the same file. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows` works with the sample's distributions, written next to it in a temporary directory. */
function syntheticWorks(rows: number): string {
  const sample = readFileSync(WORKS, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(","));
  const fixed = new Set(["9", "10", "11", "12", "13", "14", "16", "17", "18", "19", "20"]);
  fixed.add("21").add("22").add("23").add("24").add("116").add("2246");
  // Every non-fixed tag reference in the sample, repeats kept: drawing from it keeps the
  // share of popular tags and of ids the tags file resolves.
  const pool = sample.flatMap((r) => r[5]!.split("+").filter((id) => !fixed.has(id)));
  const r = random(14);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const days = ["2/24/2021", "2/25/2021", "2/26/2021"];
  const lines = ["creation date,language,restricted,complete,word_count,tags"];
  for (let i = 0; i < rows; i++) {
    // Tag count and its fixed tags (rating, warnings, categories) from one sample row, the
    // others drawn from the pool; the word count from another row.
    const shape = pick(sample)[5]!.split("+");
    const own = shape.filter((id) => fixed.has(id));
    const tags = new Set(own);
    while (tags.size < shape.length) tags.add(pick(pool));
    lines.push(
      [
        pick(days),
        "en",
        r() < 16 / 999 ? "TRUE" : "FALSE",
        "TRUE",
        pick(sample)[4],
        [...tags].join("+"),
      ].join(","),
    );
  }
  const file = join(mkdtempSync(join(tmpdir(), "fanfold-ao3-dump-bench-")), "works.csv");
  writeFileSync(file, `${lines.join("\r\n")}\r\n`);
  return file;
}

const per = (count: number, ms: number) => count / (ms / 1000);
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

async function measure(engine: "sqlite" | "postgres", worksFile: string, n: number) {
  const tagMs: number[] = [];
  const workMs: number[] = [];
  const totals: number[] = [];
  let last: Ao3DumpSummary | null = null;
  for (let i = 0; i < n; i++) {
    const h = await benchDb(engine);
    try {
      const t0 = performance.now();
      last = await importAo3Dump(h.db, engine, { tagsFile: TAGS, worksFile, batch: 1000 });
      totals.push(performance.now() - t0);
      tagMs.push(last.tags.ms);
      workMs.push(last.works!.ms);
    } finally {
      await h.close();
    }
  }
  // Percentiles of the time each pass took, as rates: "p95" is the slow end.
  const t = percentiles(tagMs);
  const w = percentiles(workMs);
  const all = percentiles(totals);
  const s = last!;
  const works = s.works!;
  console.log(
    `  tags/s p50 ${fmt(per(s.tags.rows, t.p50))} p95 ${fmt(per(s.tags.rows, t.p95))} | works/s p50 ${fmt(per(works.imported, w.p50))} p95 ${fmt(per(works.imported, w.p95))} | whole import p50 ${(all.p50 / 1000).toFixed(2)} s p95 ${(all.p95 / 1000).toFixed(2)} s, of which final ANALYZE ${(s.finishMs / 1000).toFixed(2)} s | ${n} run${n === 1 ? "" : "s"}`,
  );
  console.log(
    `  (${fmt(works.imported)} works, ${fmt(works.tagRefs - works.unresolvedTagRefs)} of ${fmt(works.tagRefs)} tag references resolved, ${fmt(s.tags.synonyms.linked)} synonyms linked; with few runs p95 is the slowest)`,
  );
}

const big = syntheticWorks(bigWorks);
for (const engine of engines(process.argv)) {
  console.log(`[${engine}] the sample: 1,999 tags, 999 works`);
  await measure(engine, WORKS, runs);
  console.log(`[${engine}] synthetic: ${fmt(bigWorks)} works with the sample's distributions`);
  await measure(engine, big, bigRuns);
}
