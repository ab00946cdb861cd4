/**
 * One process or several (issue 16, "every core"): the same work page driven on a server with
 * `--workers 1` and one with `--workers 2`, each on its own demo archive (the same generated
 * content), started as `npm start` starts it (scripts/start.mjs: dist/, NODE_ENV=production).
 * Rounds alternate between the two after a warm-up; per worker count it prints req/s,
 * p50/p95/p99, the whole process tree's CPU per request, RSS per process and in total, and
 * how long after a write's response its job ran when another worker served the write.
 *
 *   npx node --import tsx bench/workers.ts [--engine sqlite|postgres] [--workers 1,2]
 *     [--demo-works 200] [--duration 10] [--rounds 3] [--connections 32]
 *
 * PostgreSQL: a scratch database per server on FANFOLD_BENCH_PG_URL.
 */
import { load, type LoadRun } from "./pages/load.ts";
import { startServer, type RunningServer } from "./pages/server.ts";
import { engines, numberArg, percentiles } from "./support.ts";
import { MAIL_LOG_PREFIX } from "../src/accounts/recovery/mail.ts";
import { scratchArchive, Visitor, type Archive } from "../test/process/served.ts";

const argv = process.argv.slice(2);
const [ENGINE] = engines(argv);
const listArg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return (i >= 0 ? (argv[i + 1] ?? fallback) : fallback).split(",").map(Number);
};
const WORKERS = listArg("workers", "1,2");
const DEMO_WORKS = numberArg(argv, "demo-works", 200);
const DURATION_S = numberArg(argv, "duration", 10);
const ROUNDS = numberArg(argv, "rounds", 3);
const CONNECTIONS = numberArg(argv, "connections", 32);
const PG_URL = process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const root = new URL("..", import.meta.url).pathname;

interface Subject {
  workers: number;
  archive: Archive;
  server: RunningServer;
  runs: LoadRun[];
}

async function start(workers: number): Promise<Subject> {
  const archive = await scratchArchive(ENGINE === "postgres" ? PG_URL : undefined);
  const server = await startServer({
    cwd: root,
    command: process.execPath,
    args: ["scripts/start.mjs", "--workers", String(workers)],
    env: {
      ...(archive.env as Record<string, string>),
      FANFOLD_DATA_DIR: archive.dataDir,
      FANFOLD_DEMO: "true",
      FANFOLD_DEMO_WORKS: String(DEMO_WORKS),
      // Which worker served a write, for the job-delay figures.
      FANFOLD_TEST_EXPOSE_PID: "1",
      LOG_LEVEL: "info",
    },
    label: `${workers} worker(s)`,
  });
  console.log(`  ${server.runningLine}`);
  return { workers, archive, server, runs: [] };
}

/** Reset requests for distinct accounts: ms from each response to its mail job's log line. */
async function jobDelays(subject: Subject) {
  const duty = Number(/Workers \(pid\): (\d+) \(duties\)/.exec(subject.server.output())?.[1]);
  const port = Number(new URL(subject.server.base).port);
  const delays: { ms: number; otherWorker: boolean }[] = [];
  // The form's own limit is 10 an hour per address.
  for (const [i, login] of (await subject.archive.logins()).slice(0, 10).entries()) {
    const guest = new Visitor(port);
    await guest.get("/users/password/new");
    // Connections go to the workers in turn: every other POST to the next one.
    if (i % 2 === 1) await guest.get("/healthz");
    const asked = await guest.post("/users/password/new", { login });
    const answeredAt = Date.now();
    if (asked.status !== 303) throw new Error(`reset request answered ${asked.status}`);
    for (let i = 0; i < 200; i++) {
      const line = subject.server
        .output()
        .split("\n")
        .find((l) => l.includes(MAIL_LOG_PREFIX) && l.includes(`To: ${login}@`));
      if (line) {
        const at = (JSON.parse(line) as { time: number }).time;
        delays.push({ ms: at - answeredAt, otherWorker: asked.pid !== duty });
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  return delays;
}

const subjects: Subject[] = [];
try {
  console.log(`${ENGINE}: a work page, ${WORKERS.join(" vs ")} workers, ${DEMO_WORKS} demo works`);
  for (const n of WORKERS) subjects.push(await start(n));
  const listing = await fetch(`${subjects[0]!.server.base}/works`).then((r) => r.text());
  const workPath = /href="(\/works\/\d+)"/.exec(listing)?.[1];
  if (!workPath) throw new Error("no work in the demo archive's listing");
  const run = (s: Subject, seconds: number) =>
    load({
      url: s.server.base + workPath,
      connections: CONNECTIONS,
      seconds,
      cpuMs: s.server.cpuMs,
    });
  for (const s of subjects) await run(s, 3);
  for (let round = 0; round < ROUNDS; round++)
    for (const s of subjects) s.runs.push(await run(s, DURATION_S));

  console.log(
    `\n${workPath}, ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION_S} s, interleaved`,
  );
  console.log("workers | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | not 2xx");
  const rates = new Map<number, number>();
  for (const s of subjects) {
    const requests = s.runs.reduce((sum, r) => sum + r.requests, 0);
    const seconds = s.runs.reduce((sum, r) => sum + r.seconds, 0);
    const cpu = s.runs.reduce((sum, r) => sum + r.cpuMs, 0);
    const bad = s.runs.reduce(
      (sum, r) =>
        sum +
        r.errors +
        Object.entries(r.statuses)
          .filter(([code]) => !code.startsWith("2"))
          .reduce((n, [, count]) => n + count, 0),
      0,
    );
    const codes = new Map<string, number>();
    for (const r of s.runs) {
      if (r.errors) codes.set("no answer", (codes.get("no answer") ?? 0) + r.errors);
      for (const [code, n] of Object.entries(r.statuses))
        if (!code.startsWith("2")) codes.set(code, (codes.get(code) ?? 0) + n);
    }
    const p = percentiles(s.runs.flatMap((r) => r.latencies));
    rates.set(s.workers, requests / seconds);
    console.log(
      `${s.workers} | ${(requests / seconds).toFixed(0)} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} | ${p.p99.toFixed(1)} | ${(cpu / requests).toFixed(3)} | ${bad} ${JSON.stringify(Object.fromEntries(codes))}`,
    );
  }
  const [a, b] = WORKERS;
  if (a !== undefined && b !== undefined)
    console.log(`req/s ${b} workers ÷ ${a}: ${(rates.get(b)! / rates.get(a)!).toFixed(2)}`);

  console.log("\nRSS after the runs (MB)");
  for (const s of subjects) {
    const memory = s.server.memory();
    const list = memory.processes
      .filter((p) => p.rssMb > 20)
      .map((p) => `${p.command.split(" ").slice(-3).join(" ")}: ${p.rssMb.toFixed(0)}`);
    console.log(`${s.workers} worker(s): total ${memory.totalMb.toFixed(0)}; ${list.join("; ")}`);
  }

  for (const s of subjects.filter((x) => x.workers > 1)) {
    const delays = await jobDelays(s);
    for (const other of [false, true]) {
      const ms = delays.filter((d) => d.otherWorker === other).map((d) => d.ms);
      if (ms.length === 0) continue;
      const p = percentiles(ms);
      console.log(
        `\n${s.workers} workers: a job committed by a write served by ${other ? "another worker" : "the worker with the duties"} ran ${p.p50} ms (p50) / ${p.max} ms (max) after the response (n=${p.n})`,
      );
    }
  }
} finally {
  for (const s of subjects) {
    await s.server.stop();
    await s.archive.drop();
  }
}
