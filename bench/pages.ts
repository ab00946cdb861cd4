/**
 * What a page costs the server, over HTTP, as deployed (issue 16). For each engine: a kept
 * archive of `--works` generated works with bodies (bench/pages/archive.ts), the server
 * started as a user starts it (`npm start`, NODE_ENV=production, demo off) on a copy of it,
 * and a bare Fastify hello (bench/hello-server.ts) beside it. autocannon drives each page at
 * `--connections` for `--duration` s, rounds interleaved (hello, work, tag, filtered,
 * logged-in, hello, work, …) after a warm-up round, and the table shows per page: req/s,
 * p50/p95/p99 (ms, over every response of every round), the server's CPU per request (its
 * whole process tree's utime+stime from /proc over the run ÷ responses: steadier than req/s
 * on a shared machine, and right for any number of workers), p99/p50, and responses that
 * were not 2xx (a page answering 4xx/5xx is not a measurement: the run says so).
 *
 *   npm run bench:pages -- [--engine sqlite,postgres] [--works 10000] [--seed 1]
 *     [--duration 10] [--rounds 3] [--connections 32] [--workers N] [--backfill]
 *     [--backfill-max 300] [--before-rev REV] [--fresh] [--json FILE]
 *     [--tool autocannon|wrk] [--pin]
 *
 * Pages (guest unless said): a single-chapter work of about 5,000 words; the tag listing of
 * the fandom most works carry (20 blurbs, facets); the same listing with its most common
 * user tag included and the next two excluded, by kudos; the work page again, logged in
 * through the real form. --before-rev REV runs the same pages on that commit's code too (its
 * own `npm start`, on its own copy of the same archive), interleaved, and prints new/old
 * ratios. --backfill adds the stall scenario: the work page's latency while the server
 * refills the full-text index of every work (emptied first, as after a bulk load), beside
 * the rounds' work page (no backfill), for at most --backfill-max s. --workers N passes
 * FANFOLD_WORKERS=N. Results go to artifacts/bench/pages-<engine>.json (--json FILE: one file
 * for all engines).
 *
 * The load tool shares the machine with the server: autocannon runs in this Node process and
 * costs as much CPU as a light server, so on two cores the server's CPU per request is
 * inflated by the contention. `--tool wrk` (Debian's `wrk`) is a C program a fraction of that
 * weight; `--pin` puts the servers (every process they start) on CPU 0 and the load tool on
 * CPU 1 (taskset), the closest this machine comes to a load generator on another host. Pin
 * with one worker (--workers 1): two workers on one CPU measure the CPU, not the server.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { tagUrlName } from "../src/tags/names.ts";
import {
  copyArchive,
  ensureArchive,
  migrationCount,
  type Archive,
  type ArchiveCopy,
} from "./pages/archive.ts";
import { checkPage, load, logIn, type LoadRun } from "./pages/load.ts";
import { startServer, stopAll, type RunningServer } from "./pages/server.ts";
import { engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const stringArg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const WORKS = numberArg(argv, "works", 10_000);
const SEED = numberArg(argv, "seed", 1);
const DURATION_S = numberArg(argv, "duration", 10);
const ROUNDS = numberArg(argv, "rounds", 3);
const CONNECTIONS = numberArg(argv, "connections", 32);
const WORKERS = stringArg("workers");
const BEFORE_REV = stringArg("before-rev");
const JSON_FILE = stringArg("json");
const FRESH = argv.includes("--fresh");
const BACKFILL = argv.includes("--backfill");
const TOOL = stringArg("tool") === "wrk" ? "wrk" : "autocannon";
const PIN = argv.includes("--pin");
/** With --pin: where the servers run, and where the load tool runs. */
const SERVER_CPUS = PIN ? "0" : undefined;
const LOAD_CPUS = PIN ? "1" : undefined;
// autocannon runs in this process: pin every thread of it (the servers are started pinned).
if (PIN && TOOL === "autocannon")
  execFileSync("taskset", ["-a", "-p", "-c", LOAD_CPUS!, String(process.pid)], { stdio: "ignore" });
const WARM_UP_S = Math.min(3, DURATION_S);
/** The stall scenario gives up after this long. */
const BACKFILL_MAX_S = numberArg(argv, "backfill-max", 300);
const PG_URL = process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ENGINE_ARGS = argv.includes("--engine") ? argv : [...argv, "--engine", "sqlite,postgres"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => console.log(line);

interface Variant {
  name: string;
  tree: string;
}

interface Page {
  name: string;
  path: string;
  /** The hello server's page, measured once per round, not per variant. */
  hello?: true;
  loggedIn?: true;
  /** A text the page must show (checked once before the load). */
  shows: (t: Archive["targets"]) => string;
}

/** A word of the title that HTML escaping leaves alone. */
const titleWord = (title: string) =>
  title.split(/[^A-Za-z0-9]+/).sort((a, b) => b.length - a.length)[0] ?? "";

function pagesOf(t: Archive["targets"]): Page[] {
  const tagPath = `/tags/${tagUrlName(t.tag.name)}/works`;
  const exclude = t.exclude.map((x) => x.id).join(",");
  return [
    { name: "bare Fastify hello", path: "/", hello: true, shows: () => "hello" },
    {
      name: "work page (guest)",
      path: `/works/${t.work.id}`,
      shows: (x) => titleWord(x.work.title),
    },
    { name: "tag listing", path: tagPath, shows: () => "blurb" },
    {
      name: "filtered listing",
      path: `${tagPath}?include=${t.include.id}&exclude=${exclude}&sort=kudos`,
      shows: () => "blurb",
    },
    {
      name: "work page (logged in)",
      path: `/works/${t.work.id}`,
      loggedIn: true,
      shows: (x) => x.login,
    },
  ];
}

interface Measured {
  page: string;
  variant: string;
  path: string;
  rounds: { requests: number; seconds: number; cpuMs: number; p99: number }[];
  requests: number;
  reqPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpuMsPerRequest: number;
  cpuMsPerRequestRange: [number, number];
  /** PostgreSQL's backends (null: SQLite, whose work is in the server's own CPU). */
  databaseCpuMsPerRequest: number | null;
  non2xx: Record<string, number>;
  errors: number;
}

function summarize(page: string, variant: string, path: string, runs: LoadRun[]): Measured {
  const all = runs.flatMap((r) => r.latencies);
  const p = percentiles(all);
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const cpu = runs.reduce((s, r) => s + r.cpuMs, 0);
  const perRound = runs.map((r) => r.cpuMs / Math.max(1, r.requests));
  const non2xx: Record<string, number> = {};
  for (const r of runs)
    for (const [status, n] of Object.entries(r.statuses))
      if (!status.startsWith("2")) non2xx[status] = (non2xx[status] ?? 0) + n;
  return {
    page,
    variant,
    path,
    rounds: runs.map((r) => ({
      requests: r.requests,
      seconds: r.seconds,
      cpuMs: r.cpuMs,
      p99: percentiles(r.latencies).p99,
    })),
    requests,
    reqPerS: requests / seconds,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
    max: p.max,
    cpuMsPerRequest: cpu / Math.max(1, requests),
    cpuMsPerRequestRange: [Math.min(...perRound), Math.max(...perRound)],
    databaseCpuMsPerRequest: runs.every((r) => r.databaseCpuMs !== null)
      ? runs.reduce((s, r) => s + r.databaseCpuMs!, 0) / Math.max(1, requests)
      : null,
    non2xx,
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

/** `REV`'s files in a temporary directory, sharing this tree's node_modules. */
function checkout(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-before-"));
  execFileSync("sh", ["-c", `git archive ${rev} | tar -x -C ${dir}`]);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return dir;
}

const loadLine = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`;

interface Served {
  variant: Variant;
  copy: ArchiveCopy;
  server: RunningServer;
  cookie: string;
}

function serverEnv(copy: ArchiveCopy): Record<string, string> {
  return {
    ...copy.env,
    NODE_ENV: "production",
    FANFOLD_DEMO: "false",
    ...(WORKERS ? { FANFOLD_WORKERS: WORKERS } : {}),
  };
}

async function serve(variant: Variant, copy: ArchiveCopy): Promise<RunningServer> {
  return startServer({
    cwd: variant.tree,
    command: "npm",
    args: ["start", "--silent"],
    env: serverEnv(copy),
    label: `${variant.name} server`,
    cpus: SERVER_CPUS,
  });
}

/**
 * The stall scenario on one variant: its server restarted on an emptied text index, the
 * work page under load until the index is full again (or BACKFILL_MAX_S have passed).
 */
async function backfillScenario(s: Served, archive: Archive) {
  await s.server.stop();
  await s.copy.clearTextIndex();
  const started = performance.now();
  s.server = await serve(s.variant, s.copy);
  const readyS = (performance.now() - started) / 1000;
  let progress = await s.copy.textIndexProgress();
  let watching = true;
  const finished = (async () => {
    while (watching && progress.indexed < progress.works) {
      await sleep(500);
      progress = await s.copy.textIndexProgress();
    }
  })();
  const url = `${s.server.base}/works/${archive.targets.work.id}`;
  const during = await load({
    url,
    connections: CONNECTIONS,
    seconds: BACKFILL_MAX_S,
    timeoutS: 120,
    cpuMs: s.server.cpuMs,
    databaseCpuMs: s.copy.databaseCpuMs,
    until: finished,
    tool: TOOL,
    cpus: LOAD_CPUS,
  });
  watching = false;
  await finished;
  return {
    variant: s.variant.name,
    finished: progress.indexed >= progress.works,
    indexed: progress.indexed,
    works: progress.works,
    serverReadyS: readyS,
    backfillS: (performance.now() - started) / 1000,
    during: summarize("work page during backfill", s.variant.name, url, [during]),
  };
}

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function printTable(rows: Measured[]) {
  const header = [
    pad("page", 22),
    pad("code", 18),
    lpad("req/s", 7),
    lpad("p50", 7),
    lpad("p95", 7),
    lpad("p99", 7),
    lpad("CPU ms/req", 11),
    pad(" (rounds)", 14),
    lpad("DB ms/req", 9),
    lpad("p99/p50", 8),
    lpad("non-2xx", 8),
  ].join(" ");
  log(header);
  for (const r of rows) {
    const bad = Object.entries(r.non2xx)
      .map(([s, n]) => `${n}×${s}`)
      .join(",");
    log(
      [
        pad(r.page, 22),
        pad(r.variant, 18),
        lpad(f(r.reqPerS, 0), 7),
        lpad(f(r.p50), 7),
        lpad(f(r.p95), 7),
        lpad(f(r.p99), 7),
        lpad(f(r.cpuMsPerRequest, 3), 11),
        pad(` (${f(r.cpuMsPerRequestRange[0], 3)}–${f(r.cpuMsPerRequestRange[1], 3)})`, 14),
        lpad(r.databaseCpuMsPerRequest === null ? "—" : f(r.databaseCpuMsPerRequest, 3), 9),
        lpad(f(r.p99 / r.p50), 8),
        lpad(bad || (r.errors ? "" : "0"), 8),
      ].join(" ") + (r.errors ? `  ${r.errors} errors/timeouts` : ""),
    );
  }
}

async function runEngine(engine: Archive["engine"], variants: Variant[]) {
  log(`\n== ${engine}: ${loadLine()}`);
  // The oldest schema makes the archive; newer code migrates its own copy at start-up.
  const oldest = [...variants].sort((a, b) => migrationCount(a.tree) - migrationCount(b.tree))[0]!;
  const archive = await ensureArchive({
    engine,
    works: WORKS,
    seed: SEED,
    tree: oldest.tree,
    fresh: FRESH,
    pgUrl: PG_URL,
    log,
  });
  const t = archive.targets;
  log(
    `archive ${archive.key}: work ${t.work.id} (${t.work.words.toLocaleString("en-US")} words), ` +
      `tag "${t.tag.name}", include "${t.include.name}", exclude ${t.exclude.map((x) => `"${x.name}"`).join(", ")}, reader ${t.login}`,
  );
  const pages = pagesOf(t);
  const hello = await startServer({
    cwd: resolve("."),
    command: process.execPath,
    args: ["--import", "tsx", "bench/hello-server.ts"],
    env: {},
    label: "hello server",
    cpus: SERVER_CPUS,
  });
  const served: Served[] = [];
  try {
    for (const variant of variants) {
      const copy = await copyArchive(archive, `${engine}-${variant.name}`, PG_URL);
      const started = performance.now();
      const server = await serve(variant, copy);
      log(
        `${variant.name}: ready in ${f((performance.now() - started) / 1000)} s — ${server.runningLine}`,
      );
      served.push({ variant, copy, server, cookie: await logIn(server.base, t.login, t.password) });
    }
    interface Target {
      name: string;
      base: string;
      headers: Record<string, string>;
      cpuMs: () => number;
      databaseCpuMs?: (() => Promise<Map<number, number>>) | undefined;
    }
    const targetsOf = (page: Page): Target[] =>
      page.hello
        ? [{ name: "—", base: hello.base, headers: {}, cpuMs: hello.cpuMs }]
        : served.map((s): Target => ({
            name: s.variant.name,
            base: s.server.base,
            headers: page.loggedIn ? { cookie: s.cookie } : {},
            cpuMs: s.server.cpuMs,
            databaseCpuMs: s.copy.databaseCpuMs,
          }));
    for (const page of pages)
      for (const target of targetsOf(page))
        await checkPage(target.base + page.path, target.headers, page.shows(t));

    const runs = new Map<string, LoadRun[]>();
    for (let round = 0; round <= ROUNDS; round++) {
      const warmUp = round === 0;
      log(
        warmUp ? `warm-up (${WARM_UP_S} s a page)…` : `round ${round} of ${ROUNDS}… ${loadLine()}`,
      );
      for (const page of pages)
        for (const target of targetsOf(page)) {
          const run = await load({
            url: target.base + page.path,
            headers: target.headers,
            connections: CONNECTIONS,
            seconds: warmUp ? WARM_UP_S : DURATION_S,
            cpuMs: target.cpuMs,
            databaseCpuMs: target.databaseCpuMs,
            tool: TOOL,
            cpus: LOAD_CPUS,
          });
          if (warmUp) continue;
          const key = `${page.name}\0${target.name}`;
          runs.set(key, [...(runs.get(key) ?? []), run]);
        }
    }
    const rows = [...runs].map(([key, list]) => {
      const [page = "", variant = ""] = key.split("\0");
      return summarize(page, variant, pages.find((p) => p.name === page)?.path ?? "", list);
    });
    log(
      `\n${engine}, ${WORKS.toLocaleString("en-US")} works: ${ROUNDS} rounds × ${DURATION_S} s a page, ` +
        `${CONNECTIONS} connections, ${TOOL}${PIN ? ", server on CPU 0 and load on CPU 1" : ""} ` +
        `(ms; CPU of the server's process tree per response)`,
    );
    printTable(rows);
    if (variants.length === 2) {
      const [before, after] = variants.map((v) => v.name);
      for (const page of pages.filter((p) => !p.hello)) {
        const b = rows.find((r) => r.page === page.name && r.variant === before);
        const a = rows.find((r) => r.page === page.name && r.variant === after);
        if (!a || !b) continue;
        log(
          `  ${pad(page.name, 22)} new/old: CPU per request ×${f(a.cpuMsPerRequest / b.cpuMsPerRequest, 2)}, ` +
            `req/s ×${f(a.reqPerS / b.reqPerS, 2)}, p50 ×${f(a.p50 / b.p50, 2)}, p99 ×${f(a.p99 / b.p99, 2)}`,
        );
      }
    }
    const memory = served.map((s) => ({ variant: s.variant.name, ...s.server.memory() }));
    for (const m of memory)
      log(
        `RSS ${m.variant}: ${f(m.totalMb, 0)} MB in all — ` +
          m.processes.map((p) => `${p.command} ${f(p.rssMb, 0)} MB`).join(", "),
      );
    log(`hello: ${f(hello.memory().totalMb, 0)} MB; ${loadLine()}`);

    const backfill = [];
    if (BACKFILL) {
      log(`\nstall scenario: the work page while the server refills the full-text index`);
      for (const s of served) {
        const b = await backfillScenario(s, archive);
        backfill.push(b);
        const normal = rows.find((r) => r.page === pages[1]!.name && r.variant === b.variant);
        const state = b.finished
          ? `done in ${f(b.backfillS)} s`
          : `${b.indexed.toLocaleString("en-US")} of ${b.works.toLocaleString("en-US")} works after ${f(b.backfillS)} s`;
        log(
          `  ${pad(b.variant, 18)} backfill ${state} (server ready after ${f(b.serverReadyS)} s): ` +
            `during p50 ${f(b.during.p50)} / p99 ${f(b.during.p99)} / max ${f(b.during.max)} ms ` +
            `(${b.during.requests} responses, ${f(b.during.reqPerS, 0)}/s, ${b.during.errors} errors); ` +
            `without p50 ${f(normal?.p50 ?? NaN)} / p99 ${f(normal?.p99 ?? NaN)} ms; ` +
            `p99 during/without ×${f(b.during.p99 / (normal?.p99 ?? NaN), 2)}`,
        );
      }
    }
    return {
      engine,
      archive: archive.key,
      targets: t,
      settings: { works: WORKS, rounds: ROUNDS, durationS: DURATION_S, connections: CONNECTIONS },
      servers: served.map((s) => ({ variant: s.variant.name, runningLine: s.server.runningLine })),
      pages: rows,
      memory,
      backfill,
      loadAverage: loadavg(),
    };
  } finally {
    await hello.stop();
    for (const s of served) {
      await s.server.stop();
      await s.copy.drop();
    }
  }
}

async function main() {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      log(`\n${signal}: stopping the servers…`);
      void stopAll().finally(() => process.exit(130));
    });
  const variants: Variant[] = [];
  if (BEFORE_REV) variants.push({ name: `old ${BEFORE_REV}`, tree: checkout(BEFORE_REV) });
  variants.push({ name: BEFORE_REV ? "new (this tree)" : "this tree", tree: resolve(".") });
  const results = [];
  // The old code's checkout goes when the run ends (rm does not follow node_modules' link).
  if (BEFORE_REV) process.once("exit", () => rmSync(variants[0]!.tree, { recursive: true }));
  for (const engine of engines(ENGINE_ARGS)) {
    const result = await runEngine(engine, variants);
    results.push(result);
    if (!JSON_FILE) {
      const file = resolve(`artifacts/bench/pages-${engine}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(result, null, 2));
      log(`results: ${file}`);
    }
  }
  if (JSON_FILE) {
    mkdirSync(dirname(resolve(JSON_FILE)), { recursive: true });
    writeFileSync(JSON_FILE, JSON.stringify(results, null, 2));
    log(`results: ${JSON_FILE}`);
  }
}

await main();
