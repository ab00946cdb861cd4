/**
 * Reading-page benchmark (issue 6): what engagement costs a work page. Two servers on one
 * archive (a fresh SQLite file, or a scratch PostgreSQL schema at FANFOLD_BENCH_PG_URL) — one with engagement (kudos, comments, bookmarks, subscriptions, history,
 * reading position, hits, counts on the page), one without — are asked for the same random
 * work pages, interleaved, over real sockets:
 *   off/guest   the work page with works, tags and search only
 *   on/guest    the same page with engagement (hit recorded, kudos and comments shown)
 *   on/reader   a logged-in reader (history and hit written, bookmark/subscribe state read)
 * plus leaving kudos (POST), SQL statements per page and how many of them write. Figures are
 * p50/p95/p99 in ms and ratios against off/guest, and the process's CPU time per request
 * (client and server share the process; their difference is what engagement costs), from one
 * run (the machine is noisy: compare side by side). `--show-sql` prints one page's statements
 * of each kind.
 *
 *   node --import tsx bench/reading.ts [--engine sqlite|postgres] [--works 20000]
 *     [--requests 600] [--seed 3] [--show-sql]
 */
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/core/config.ts";
import { memoryRateLimiter } from "../src/core/http/rate-limit.ts";
import type { AppDeps } from "../src/core/http/route.tsx";
import { Random } from "../src/demo/random.ts";
import { loadDemoCorpus } from "../src/demo/seed.ts";
import { ensureFixedTags } from "../src/tags/queries.ts";
import { benchDb, engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const WORKS = numberArg(argv, "works", 20_000);
const REQUESTS = numberArg(argv, "requests", 600);
const SEED = numberArg(argv, "seed", 3);
const CHEAP = { memoryCost: 256, timeCost: 1 };
const SHOW_SQL = argv.includes("--show-sql");
const WRITES = /^\s*(insert|update|delete)\b/i;

/** A browser stand-in over fetch: cookies and the CSRF token of the last page. */
class Session {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}
  private remember(res: Response, body: string) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      this.cookies.set(k!, v ?? "");
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
  }
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async get(path: string) {
    const res = await fetch(this.base + path, { headers: { cookie: this.header() } });
    const body = await res.text();
    this.remember(res, body);
    return { status: res.status, body };
  }
  async post(path: string, form: Record<string, string>) {
    const res = await fetch(this.base + path, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: this.header(),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ _csrf: this.csrf, ...form }).toString(),
    });
    const body = await res.text();
    this.remember(res, body);
    return { status: res.status, body };
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-reading-bench-"));
  const queries = { count: 0, writes: 0, log: null as string[] | null };
  const [engine] = engines(argv);
  const handle = await benchDb(engine!, {
    onQuery: (text) => {
      queries.count++;
      if (WRITES.test(text)) queries.writes++;
      queries.log?.push(text);
    },
  });
  await ensureFixedTags(handle.db, Date.now());
  const t0 = performance.now();
  await loadDemoCorpus(handle.db, handle.engine, {
    works: WORKS,
    users: Math.max(12, Math.round(WORKS / 20)),
    bodies: "short",
    seed: SEED,
    passwordHashCost: CHEAP,
  });
  console.log(
    `archive (${handle.engine}): ${WORKS.toLocaleString("en-US")} works (short bodies) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const config = {
    ...loadConfig({ FANFOLD_DATA_DIR: dir, LOG_LEVEL: "silent", FANFOLD_DEMO: "false" }),
    passwordHashCost: CHEAP,
    // The benchmark's readers click faster than any person: no rate limits in the way.
    rateLimits: {
      comments: { limit: 1e9, windowMs: 60_000 },
      kudos: { limit: 1e9, windowMs: 60_000 },
      bookmarks: { limit: 1e9, windowMs: 60_000 },
      signups: { limit: 1e9, windowMs: 60_000 },
    },
  };
  const deps = (): AppDeps => ({
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(),
    now: Date.now,
  });
  const on = await buildApp(deps(), { logger: false, textBackfill: false });
  const off = await buildApp(deps(), { logger: false, textBackfill: false, engagement: false });
  await on.listen({ port: 0, host: "127.0.0.1" });
  await off.listen({ port: 0, host: "127.0.0.1" });
  const url = (app: typeof on) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // Works guests may open (restricted ones ask them to log in).
  const ids = (
    await handle.db
      .selectFrom("works")
      .select("id")
      .where("posted", "=", 1)
      .where("restricted", "=", 0)
      .execute()
  ).map((row) => row.id);
  const r = new Random(SEED);
  const pick = () => ids[Math.floor(r.next() * ids.length)]!;

  // Readers: sign up through the page, then give every work a history of engagement on a
  // sample (kudos, a comment, a bookmark), so pages have something to show.
  const readers: Session[] = [];
  for (let i = 0; i < 8; i++) {
    const s = new Session(url(on));
    await s.get("/signup");
    const login = `bench_reader_${i}`;
    const res = await s.post("/signup", {
      login,
      email: `${login}@example.org`,
      password: "a bench password of some length",
      password_confirmation: "a bench password of some length",
      terms_of_service: "1",
    });
    if (res.status !== 303) throw new Error(`sign-up failed: ${res.status}`);
    await s.get("/");
    readers.push(s);
  }
  const seeded = new Set<number>();
  const kudosLatency: number[] = [];
  for (let i = 0; i < 300; i++) {
    const id = pick();
    seeded.add(id);
    const s = readers[i % readers.length]!;
    await s.get(`/works/${id}?view_adult=true`);
    const t = performance.now();
    const res = await s.post(`/works/${id}/kudos`, { return_to: `/works/${id}` });
    kudosLatency.push(performance.now() - t);
    if (res.status !== 303 && res.status !== 422 && res.status !== 403)
      throw new Error(`kudos: ${res.status} ${res.body.slice(0, 200)}`);
    if (i % 3 === 0)
      await s.post(`/works/${id}/comments`, { comment_content: `Comment ${i}: yay.` });
    if (i % 5 === 0) await s.post(`/works/${id}/bookmarks`, { notes: "", tags: "bench" });
  }

  const kinds = ["off/guest", "on/guest", "on/reader"] as const;
  const samples: Record<(typeof kinds)[number], number[]> = {
    "off/guest": [],
    "on/guest": [],
    "on/reader": [],
  };
  const sql: Record<(typeof kinds)[number], number[]> = {
    "off/guest": [],
    "on/guest": [],
    "on/reader": [],
  };
  const writes: Record<(typeof kinds)[number], number[]> = {
    "off/guest": [],
    "on/guest": [],
    "on/reader": [],
  };
  const cpu: Record<(typeof kinds)[number], number[]> = {
    "off/guest": [],
    "on/guest": [],
    "on/reader": [],
  };
  const guestOff = new Session(url(off));
  const guestOn = new Session(url(on));
  const seededIds = [...seeded];
  // Warm-up: caches, JIT.
  for (let i = 0; i < 50; i++) {
    await guestOff.get(`/works/${pick()}?view_adult=true`);
    await guestOn.get(`/works/${pick()}?view_adult=true`);
  }
  for (let i = 0; i < REQUESTS; i++) {
    // Half the pages are works with kudos and comments, half any work.
    const id = i % 2 === 0 ? seededIds[i % seededIds.length]! : pick();
    const path = `/works/${id}?view_adult=true`;
    const order = [...kinds].sort(() => r.next() - 0.5);
    for (const kind of order) {
      const session =
        kind === "off/guest" ? guestOff : kind === "on/guest" ? guestOn : readers[i % 8]!;
      const before = queries.count;
      const wrote = queries.writes;
      if (SHOW_SQL && i === 1) queries.log = [];
      const c = process.cpuUsage();
      const t = performance.now();
      const res = await session.get(path);
      samples[kind].push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu[kind].push((used.user + used.system) / 1000);
      sql[kind].push(queries.count - before);
      writes[kind].push(queries.writes - wrote);
      if (res.status !== 200) throw new Error(`${kind} ${path}: ${res.status}`);
      if (queries.log) {
        console.log(`\n${kind} ${path}: ${queries.log.length} statements`);
        for (const text of queries.log) console.log(`  ${text.replace(/\s+/g, " ").slice(0, 160)}`);
        queries.log = null;
      }
    }
  }

  const base = percentiles(samples["off/guest"]);
  const f = (x: number) => x.toFixed(2).padStart(7);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `\nwork page, ${REQUESTS} requests each (ms)      p50     p95     p99   ratio p50/p95   SQL/page (writes)   CPU ms p50 / mean`,
  );
  for (const kind of kinds) {
    const p = percentiles(samples[kind]);
    const c = percentiles(cpu[kind]);
    console.log(
      `  ${kind.padEnd(34)} ${f(p.p50)} ${f(p.p95)} ${f(p.p99)}   ${(p.p50 / base.p50).toFixed(2)} / ${(p.p95 / base.p95).toFixed(2)}   ${mean(sql[kind]).toFixed(1).padStart(8)} (${mean(writes[kind]).toFixed(2)})   ${f(c.p50)} / ${mean(cpu[kind]).toFixed(2)}`,
    );
  }
  const k = percentiles(kudosLatency);
  console.log(
    `\nleave kudos (POST, ${k.n} requests): p50 ${k.p50.toFixed(2)} p95 ${k.p95.toFixed(2)} p99 ${k.p99.toFixed(2)} ms`,
  );
  await on.close();
  await off.close();
  await handle.close();
}

await main();
