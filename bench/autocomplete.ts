/**
 * Tag autocomplete: the 36,020 AO3 freeform tags (../shared/data/ao3-freeform-tag-counts,
 * with their real counts) as canonical tags, then 10,000 random prefixes of 2–5 letters.
 * Prints p50/p95/p99 in-process and over HTTP (keep-alive, one request at a time).
 *
 *   node --import tsx bench/autocomplete.ts [--engine sqlite,postgres] [--queries 10000]
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/core/config.ts";
import { recordChanges } from "../src/core/db/changes.ts";
import { memoryRateLimiter } from "../src/core/http/rate-limit.ts";
import { decodeEntities } from "../src/demo/freeform-source.ts";
import { createRandom } from "../src/demo/random.ts";
import { foldForSearch, TagAutocomplete } from "../src/tags/autocomplete.ts";
import { normalizeTagName, tagKey, tagNameProblem } from "../src/tags/names.ts";
import { benchDb, engines, ms, numberArg, percentiles } from "./support.ts";

const file = join(
  process.cwd(),
  "..",
  "shared",
  "data",
  "ao3-freeform-tag-counts",
  "tags-2016-12.json.gz",
);
if (!existsSync(file)) {
  console.error(`Needs ${file} (the shared AO3 tag counts).`);
  process.exit(2);
}
const raw = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as Record<string, number>;
const seen = new Set<string>();
const tags: { name: string; count: number }[] = [];
for (const [rawName, count] of Object.entries(raw)) {
  const name = normalizeTagName(decodeEntities(rawName));
  if (!name || name.includes(",") || tagNameProblem(name) || seen.has(tagKey(name))) continue;
  seen.add(tagKey(name));
  tags.push({ name, count: Math.max(0, count) });
}
const queries = numberArg(process.argv, "queries", 10_000);

// Prefixes a person would type: 2–5 letters of a word from a tag, tags drawn by popularity.
const rng = createRandom(20261123);
const words = tags.flatMap((t) =>
  foldForSearch(t.name)
    .split(" ")
    .filter((w) => w.length >= 2)
    .map((w) => ({ w, c: t.count + 1 })),
);
const total = words.reduce((s, x) => s + x.c, 0);
const cumulative = new Float64Array(words.length);
words.reduce((s, x, i) => ((cumulative[i] = s + x.c), s + x.c), 0);
const prefixes = Array.from({ length: queries }, () => {
  const target = rng.float(0, total);
  let lo = 0;
  let hi = words.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  const w = (words[lo] as { w: string }).w;
  return w.slice(0, Math.min(w.length, rng.int(2, 5)));
});

console.log(
  `autocomplete bench: ${tags.length.toLocaleString("en-US")} canonical freeform tags (of ${Object.keys(raw).length.toLocaleString("en-US")} in the file), ${queries.toLocaleString("en-US")} prefixes of 2–5 letters`,
);

for (const engine of engines(process.argv)) {
  const handle = await benchDb(engine);
  try {
    const now = Date.now();
    for (let i = 0; i < tags.length; i += 2_000) {
      await handle.db
        .insertInto("tags")
        .values(
          tags.slice(i, i + 2_000).map((t) => ({
            name: t.name,
            name_key: tagKey(t.name),
            type: "freeform" as const,
            canonical: 1 as const,
            taggings_count: t.count,
            members_count: t.count,
            public_count: t.count,
            created_at: now,
          })),
        )
        .execute();
    }
    await recordChanges(handle.db, "tag", [1], now);

    const index = new TagAutocomplete(handle.db);
    let t0 = performance.now();
    await index.search("freeform", "warmup", "public");
    const buildMs = performance.now() - t0;

    const pure: number[] = [];
    const inProcess: number[] = [];
    let results = 0;
    for (const p of prefixes) {
      t0 = performance.now();
      index.searchNow("freeform", p, "public");
      pure.push(performance.now() - t0);
      t0 = performance.now();
      results += (await index.search("freeform", p, "public")).length;
      inProcess.push(performance.now() - t0);
    }

    const config = {
      ...loadConfig({
        FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-bench-")),
        LOG_LEVEL: "silent",
      }),
    };
    const app = await buildApp(
      { db: handle.db, engine, config, limiter: memoryRateLimiter(), now: Date.now },
      { logger: false },
    );
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    await fetch(`${address}/autocomplete/freeform?term=warm`).then((r) => r.arrayBuffer());
    const overHttp: number[] = [];
    for (const p of prefixes) {
      t0 = performance.now();
      const res = await fetch(`${address}/autocomplete/freeform?term=${encodeURIComponent(p)}`);
      await res.arrayBuffer();
      overHttp.push(performance.now() - t0);
    }
    await app.close();

    const line = (label: string, s: number[]) => {
      const p = percentiles(s);
      console.log(
        `  ${label.padEnd(34)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`,
      );
    };
    console.log(
      `[${engine}] index build ${buildMs.toFixed(0)} ms; ${(results / prefixes.length).toFixed(1)} suggestions per query on average`,
    );
    line("index lookup only", pure);
    line("in-process (with change-log check)", inProcess);
    line("over HTTP (keep-alive)", overHttp);
  } finally {
    await handle.close();
  }
}
