/**
 * Browse benchmark (issue 5): a fixed, seeded mix of realistic filtered listings — 1–3
 * included tags taken from a real work (so results are not empty), 0–3 excluded popular
 * tags, a rating filter, every sort in turn, both directions, mostly page 1 — with all 7
 * facets, timed three ways on an existing archive:
 *   index   the browse index alone (filter + sort + page + total + exact facets)
 *   listing findWorks: the index plus the SQL around it (tag names, muted works)
 *   http    GET over a real socket: the whole rendered HTML page
 * plus start-up time (process start to app ready, index built) and server RSS.
 *
 *   node --import tsx bench/browse.ts --target sqlite:/path/fanfold.db \
 *     --target postgres://postgres@127.0.0.1:5432/bench1m [--queries 1000] [--seed 7]
 *
 * Each target runs in a child process of its own, so start-up and RSS are the server's.
 * `--no-cache` deletes the target's search-index cache first: start-up then scans the tables,
 * as the first start after a bulk load or a restore does.
 * Make archives with `npm run fanfold -- generate --works 1000000 --bodies none`.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/core/config.ts";
import { openDb, type DbTarget } from "../src/core/db/index.ts";
import { memoryRateLimiter } from "../src/core/http/rate-limit.ts";
import { GUEST } from "../src/core/viewer.ts";
import { Random } from "../src/demo/random.ts";
import { SORT_KEYS, type BrowseQuery } from "../src/search/index/browse-types.ts";
import { docCacheFile, type WorkCatalog } from "../src/search/index/catalog.ts";
import { findWorks } from "../src/search/listings/find-works.ts";
import { parseWorkSearch } from "../src/search/listings/work-search-params.ts";
import { numberArg, percentiles } from "./support.ts";

interface Query {
  url: string;
  index: BrowseQuery;
}

const argv = process.argv.slice(2);
const one = argv.indexOf("--one");

function parseTarget(spec: string): DbTarget {
  if (spec.startsWith("postgres")) return { kind: "postgres", url: spec };
  return { kind: "sqlite", file: spec.replace(/^sqlite:/, "") };
}

async function makeQueries(
  db: ReturnType<typeof openDb>["db"],
  n: number,
  seed: number,
): Promise<Query[]> {
  const r = new Random(seed);
  const bounds = await db
    .selectFrom("works")
    .select((eb) => [eb.fn.min("id").as("lo"), eb.fn.max("id").as("hi")])
    .executeTakeFirstOrThrow();
  const lo = Number(bounds.lo);
  const hi = Number(bounds.hi);
  const popular = await db
    .selectFrom("tags")
    .select(["id", "type"])
    .where("type", "in", ["freeform", "warning", "relationship", "character"])
    .where("merger_id", "is", null)
    .orderBy("taggings_count", "desc")
    .limit(60)
    .execute();
  const ratings = await db
    .selectFrom("tags")
    .select(["id", "name"])
    .where("type", "=", "rating")
    .execute();
  const explicit = ratings.find((t) => t.name === "Explicit")!.id;
  const types = new Map(
    (await db.selectFrom("tags").select(["id", "type"]).execute()).map((t) => [t.id, t.type]),
  );
  const queries: Query[] = [];
  while (queries.length < n) {
    const workId = r.int(lo, hi);
    const tags = (
      await db
        .selectFrom("work_filter_tags")
        .select("tag_id")
        .where("work_id", "=", workId)
        .execute()
    ).map((t) => t.tag_id);
    const fandoms = tags.filter((t) => types.get(t) === "fandom");
    const others = tags.filter((t) =>
      ["relationship", "character", "freeform"].includes(types.get(t) ?? ""),
    );
    if (fandoms.length === 0) continue;
    const include = [fandoms[r.int(0, fandoms.length - 1)]!];
    const extra = r.int(0, 2);
    for (let k = 0; k < extra && others.length > 0; k++) {
      const t = others[r.int(0, others.length - 1)]!;
      if (!include.includes(t)) include.push(t);
    }
    const exclude: number[] = [];
    const nx = r.int(0, 3);
    for (let k = 0; k < nx; k++) {
      const t = popular[r.int(0, popular.length - 1)]!.id;
      if (!include.includes(t) && !exclude.includes(t)) exclude.push(t);
    }
    const roll = r.next();
    if (roll < 0.5) include.push(ratings[r.int(0, ratings.length - 1)]!.id);
    else if (roll < 0.75 && !exclude.includes(explicit)) exclude.push(explicit);
    const sort = SORT_KEYS[queries.length % SORT_KEYS.length]!;
    const descending = r.chance(0.7);
    const page = r.chance(0.9) ? 1 : r.int(2, 5);
    const params = new URLSearchParams({
      include: include.join(","),
      sort,
      dir: descending ? "desc" : "asc",
    });
    if (exclude.length) params.set("exclude", exclude.join(","));
    if (page > 1) params.set("page", String(page));
    queries.push({
      url: `/works?${params.toString()}`,
      index: { include, exclude, sort, descending, page, pageSize: 20, facets: true },
    });
  }
  return queries;
}

async function timeAll(queries: Query[], run: (q: Query) => Promise<unknown>) {
  for (const q of queries.slice(0, 50)) await run(q); // warm-up
  const samples: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await run(q);
    samples.push(performance.now() - t);
  }
  return percentiles(samples);
}

async function child(spec: string) {
  const target = parseTarget(spec);
  // The configuration names this target, so its search-index cache file is its own.
  const config = loadConfig({
    ...process.env,
    ...(target.kind === "sqlite"
      ? { FANFOLD_DATA_DIR: dirname(target.file), DATABASE_URL: undefined }
      : { DATABASE_URL: target.url }),
    LOG_LEVEL: "silent",
    FANFOLD_SECRET: "bench-secret-bench-secret-bench-secret",
    FANFOLD_DEMO: "false",
  });
  if (argv.includes("--no-cache")) rmSync(docCacheFile(config), { force: true });
  const handle = openDb(target);
  const deps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(),
    now: Date.now,
  };
  const services: { catalog?: WorkCatalog } = {};
  // The text index is benchmarked on its own (bench/text-search.ts); building it for a
  // freshly generated archive would run in the background here and skew every figure.
  const app = await buildApp(deps, { logger: false, services, textBackfill: false });
  await app.ready();
  const startupMs = performance.now(); // since process start
  const catalog = services.catalog!;
  const rssAfterStart = process.memoryUsage().rss;
  const queries = await makeQueries(
    handle.db,
    numberArg(argv, "queries", 1000),
    numberArg(argv, "seed", 7),
  );
  let matched = 0;
  const index = await timeAll(queries, async (q) => {
    const res = await catalog.search(q.index, false);
    if (res.total > 0) matched++;
  });
  const listing = await timeAll(queries, (q) =>
    findWorks(
      { db: handle.db, catalog },
      GUEST,
      { kind: "all" },
      parseWorkSearch(Object.fromEntries(new URLSearchParams(q.url.slice(7)))),
    ),
  );
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  let bytes = 0;
  const http = await timeAll(queries, async (q) => {
    const res = await fetch(address + q.url);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${q.url}: ${res.status}`);
    bytes += body.length;
  });
  // Deep pages: page 5,000 (the last served) of every sort, over HTTP.
  const deepQueries = SORT_KEYS.flatMap((sort) =>
    ["asc", "desc"].map((dir) => `/works?sort=${sort}&dir=${dir}&page=5000`),
  );
  const deep: number[] = [];
  for (const url of deepQueries) {
    const t = performance.now();
    const res = await fetch(address + url);
    await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    deep.push(performance.now() - t);
  }
  const rss = process.memoryUsage().rss;
  await app.close();
  await handle.close();
  const result = {
    target: spec.replace(/^sqlite:/, ""),
    engine: handle.engine,
    works: catalog.stats.works,
    buildMs: Math.round(catalog.stats.buildMs),
    source: catalog.stats.source,
    startupMs: Math.round(startupMs),
    rssStartMb: Math.round(rssAfterStart / 2 ** 20),
    rssMb: Math.round(rss / 2 ** 20),
    nonEmpty: matched / (queries.length + 50), // warm-up runs count too
    pageKb: Math.round(bytes / (queries.length + 50) / 1024),
    index,
    listing,
    http,
    deepMax: Math.max(...deep),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

function parent() {
  const targets: string[] = [];
  argv.forEach((a, i) => {
    if (a === "--target" && argv[i + 1]) targets.push(argv[i + 1]!);
  });
  if (targets.length === 0) {
    console.error("Give at least one --target (sqlite:FILE or postgres://URL).");
    process.exit(2);
  }
  const rest = argv.filter((a, i) => a !== "--target" && argv[i - 1] !== "--target");
  const rows = [];
  for (const target of targets) {
    console.log(`--- ${target}`);
    const out = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/browse.ts", "--one", target, ...rest],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 2 ** 20 },
    );
    const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) {
      console.error(out.stdout);
      process.exit(1);
    }
    rows.push(JSON.parse(line.slice(7)) as Record<string, unknown>);
  }
  const f = (x: number) => x.toFixed(2);
  console.log(
    "\nengine (index from) works      start   build   RSS    | index p50/p95/p99 ms | listing p50/p95/p99 | HTTP page p50/p95/p99 | page KB, non-empty, page 5,000 max",
  );
  for (const r of rows as {
    engine: string;
    works: number;
    startupMs: number;
    buildMs: number;
    rssMb: number;
    pageKb: number;
    nonEmpty: number;
    deepMax: number;
    source: string;
    index: ReturnType<typeof percentiles>;
    listing: ReturnType<typeof percentiles>;
    http: ReturnType<typeof percentiles>;
  }[]) {
    const p = (s: ReturnType<typeof percentiles>) => `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)}`;
    console.log(
      `${`${r.engine} (${r.source === "cache" ? "cache" : "scan"})`.padEnd(17)} ${r.works.toLocaleString("en-US").padStart(9)}  ${(r.startupMs / 1000).toFixed(1).padStart(5)} s ${(r.buildMs / 1000).toFixed(1).padStart(5)} s ${String(r.rssMb).padStart(5)} MB | ${p(r.index).padEnd(20)} | ${p(r.listing).padEnd(19)} | ${p(r.http).padEnd(21)} | ${r.pageKb} KB, ${Math.round(r.nonEmpty * 100)}%, ${f(r.deepMax)} ms`,
    );
  }
}

if (one >= 0) await child(argv[one + 1]!);
else parent();
