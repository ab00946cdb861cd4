/**
 * Prepared statements reused (issue 16, H5): the same guest work pages from two servers in
 * one process on one archive, interleaved, one opening the database as before (SQLite: every
 * statement compiled anew; PostgreSQL: unnamed statements, parsed and planned per call), the
 * other as now (SQLite: the statement cache; PostgreSQL: named SELECTs). Pages go through
 * Fastify's inject, so the figures are what the page costs the server: the process's CPU
 * time per page (`process.cpuUsage()`), wall time, and on PostgreSQL the CPU of each
 * server's one backend (`/proc/PID/stat`, 10 ms ticks: a total over all pages).
 *
 *   node --import tsx bench/statements.ts [--engine sqlite|postgres] [--works 10000]
 *     [--requests 1000] [--only old|new] [--profile FILE]
 *
 * `--only` runs one server; `--profile` writes a CPU profile of the measured pages (not the
 * archive's loading) and prints the shares of statement compiling, Kysely, pg and GC in it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/core/config.ts";
import { openDb, type DbHandle, type DbTarget } from "../src/core/db/index.ts";
import { prepared, type Params } from "../src/core/db/prepared.ts";
import { memoryRateLimiter } from "../src/core/http/rate-limit.ts";
import { Random } from "../src/demo/random.ts";
import { loadDemoCorpus } from "../src/demo/seed.ts";
import { ensureFixedTags } from "../src/tags/queries.ts";
import { benchDb, engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const WORKS = numberArg(argv, "works", 10_000);
const REQUESTS = numberArg(argv, "requests", 1_000);
const ONLY = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
const PROFILE = argv.includes("--profile") ? argv[argv.indexOf("--profile") + 1] : undefined;
const CHEAP = { memoryCost: 256, timeCost: 1 };
const PG_URL = process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

/** Shares of a CPU profile's busy samples: where a page's time goes. */
function profileShares(nodes: ProfileNode[]): Record<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inclusive = (n: ProfileNode): number =>
    (n.hitCount ?? 0) + (n.children ?? []).reduce((a, c) => a + inclusive(byId.get(c)!), 0);
  let busy = 0;
  const shares = { "better-sqlite3 prepare": 0, kysely: 0, "pg (+ pg-protocol)": 0, GC: 0 };
  const walk = (n: ProfileNode, inPrepare: boolean) => {
    const { functionName, url } = n.callFrame;
    const hits = n.hitCount ?? 0;
    if (functionName !== "(idle)") busy += hits;
    if (url.includes("/kysely/")) shares.kysely += hits;
    if (/\/node_modules\/pg(-protocol)?\//.test(url)) shares["pg (+ pg-protocol)"] += hits;
    if (functionName === "(garbage collector)") shares.GC += hits;
    // better-sqlite3's own prepare (the native call under it has no URL of its own).
    const prepare = !inPrepare && functionName === "prepare" && url.includes("better-sqlite3");
    if (prepare) shares["better-sqlite3 prepare"] += inclusive(n);
    for (const c of n.children ?? []) walk(byId.get(c)!, inPrepare || prepare);
  };
  walk(nodes[0]!, false);
  return Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, v / busy]));
}

/** CPU seconds a process has used (user + system), from 10 ms ticks. */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const [engine] = engines(argv);
  const archive = await benchDb(engine!);
  await ensureFixedTags(archive.db, Date.now());
  const t0 = performance.now();
  await loadDemoCorpus(archive.db, archive.engine, {
    works: WORKS,
    users: Math.max(12, Math.round(WORKS / 20)),
    bodies: "short",
    seed: 3,
    passwordHashCost: CHEAP,
  });
  console.log(
    `archive (${engine}): ${WORKS.toLocaleString("en-US")} works in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const target: DbTarget =
    engine === "sqlite"
      ? {
          kind: "sqlite",
          file: (
            await sql<{
              file: string;
            }>`select file from pragma_database_list where name = 'main'`.execute(archive.db)
          ).rows[0]!.file,
        }
      : {
          kind: "postgres",
          url: PG_URL,
          schema: (await sql<{ s: string }>`select current_schema() as s`.execute(archive.db))
            .rows[0]!.s,
        };
  const ids = (
    await archive.db
      .selectFrom("works")
      .select("id")
      .where("posted", "=", 1)
      .where("restricted", "=", 0)
      .execute()
  ).map((row) => row.id);

  const config = loadConfig({ LOG_LEVEL: "silent", FANFOLD_DEMO: "false" });
  const variants = (["old", "new"] as const).filter((v) => !ONLY || ONLY === v);
  const servers = await Promise.all(
    variants.map(async (variant) => {
      const fresh = variant === "new";
      // One PostgreSQL connection each (pages are asked one at a time): its backend's CPU.
      const handle: DbHandle = openDb(target, {
        statementCache: fresh,
        namedStatements: fresh,
        poolSize: 1,
      });
      const app = await buildApp(
        {
          db: handle.db,
          engine: handle.engine,
          config: { ...config, passwordHashCost: CHEAP },
          limiter: memoryRateLimiter(),
          now: Date.now,
        },
        { logger: false, textBackfill: false },
      );
      await app.ready();
      const backend =
        engine === "postgres"
          ? (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)).rows[0]!
              .pid
          : undefined;
      return { variant, handle, app, backend, cpu: [] as number[], wall: [] as number[] };
    }),
  );

  const r = new Random(7);
  const page = async (s: (typeof servers)[number], id: number, record: boolean) => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const res = await s.app.inject({ method: "GET", url: `/works/${id}?view_adult=true` });
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (res.statusCode !== 200) throw new Error(`${s.variant} /works/${id}: ${res.statusCode}`);
    if (record) {
      s.cpu.push((used.user + used.system) / 1000);
      s.wall.push(wall);
    }
  };
  for (let i = 0; i < 200; i++) for (const s of servers) await page(s, ids[i % ids.length]!, false);
  const backendStart = servers.map((s) => (s.backend ? processCpu(s.backend) : 0));
  const profiler = PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
    await profiler.post("Profiler.start");
  }
  for (let i = 0; i < REQUESTS; i++) {
    const id = ids[Math.floor(r.next() * ids.length)]!;
    const order = r.next() < 0.5 ? servers : [...servers].reverse();
    for (const s of order) await page(s, id, true);
  }

  if (profiler && PROFILE) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(PROFILE, JSON.stringify(profile));
    const shares = profileShares(profile.nodes);
    console.log(`\nprofile of the measured pages (${servers.map((s) => s.variant).join(", ")}):`);
    for (const [what, share] of Object.entries(shares))
      console.log(`  ${what.padEnd(24)} ${(share * 100).toFixed(1)} %`);
  }

  const f = (x: number) => x.toFixed(3).padStart(7);
  console.log(
    `\nguest work page, ${REQUESTS} each (ms)   CPU p50  CPU p95  CPU mean   wall p50 p95 p99` +
      (engine === "postgres" ? "   backend CPU/page" : ""),
  );
  const base = servers[0]!;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  servers.forEach((s, i) => {
    const c = percentiles(s.cpu);
    const w = percentiles(s.wall);
    const backend = s.backend
      ? `   ${(((processCpu(s.backend) - backendStart[i]!) / REQUESTS) * 1000).toFixed(3)}`
      : "";
    console.log(
      `  ${s.variant.padEnd(34)} ${f(c.p50)}  ${f(c.p95)}  ${f(mean(s.cpu))}   ${f(w.p50)} ${f(w.p95)} ${f(w.p99)}${backend}`,
    );
  });
  if (servers.length === 2) {
    const [o, n] = servers.map((s) => percentiles(s.cpu));
    console.log(
      `  new/old CPU: p50 ${(n!.p50 / o!.p50).toFixed(2)}, p95 ${(n!.p95 / o!.p95).toFixed(2)}, mean ${(mean(servers[1]!.cpu) / mean(base.cpu)).toFixed(2)}`,
    );
  }
  for (const s of servers) {
    const stats = s.handle.statementStats?.();
    if (stats)
      console.log(
        `  ${s.variant}: statements compiled ${stats.prepared}, reused ${stats.reused}, cached ${stats.size}`,
      );
  }
  for (const s of servers) {
    await s.app.close();
    await s.handle.close();
  }
  if (!ONLY) await queryBuilding(archive, ids);
  await archive.close();
}

/** One work-page-like query, built by Kysely per call or by prepared(): CPU per call. */
async function queryBuilding(archive: DbHandle, ids: number[]) {
  const columns = ["id", "title", "summary_html", "language", "word_count"] as const;
  const built = (id: number) =>
    archive.db
      .selectFrom("works")
      .innerJoin("creatorships", "creatorships.work_id", "works.id")
      .select(columns.map((c) => `works.${c}` as const))
      .select("creatorships.pseud_id")
      .where("works.id", "=", id)
      .where("works.posted", "=", 1)
      .executeTakeFirst();
  const once = prepared((db, p: Params<{ id: number }>) =>
    db
      .selectFrom("works")
      .innerJoin("creatorships", "creatorships.work_id", "works.id")
      .select(columns.map((c) => `works.${c}` as const))
      .select("creatorships.pseud_id")
      .where("works.id", "=", p("id"))
      .where("works.posted", "=", 1),
  );
  const cpu = { built: 0, prepared: 0 };
  const CALLS = 2_000;
  for (let round = 0; round < 6; round++) {
    for (const kind of round % 2
      ? (["built", "prepared"] as const)
      : (["prepared", "built"] as const)) {
      const start = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) {
        const id = ids[(i * 7919) % ids.length]!;
        await (kind === "built" ? built(id) : once.executeTakeFirst(archive.db, { id }));
      }
      const used = process.cpuUsage(start);
      if (round > 0) cpu[kind] += used.user + used.system;
    }
  }
  const per = (us: number) => (us / (5 * CALLS)).toFixed(1);
  console.log(
    `\none query (works ⋈ creatorships by id), CPU per call: Kysely built ${per(cpu.built)} µs,` +
      ` prepared() ${per(cpu.prepared)} µs (${(cpu.prepared / cpu.built).toFixed(2)})`,
  );
}

await main();
