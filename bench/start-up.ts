/**
 * Start-up of the production server, before and after the build step (issue 16): the same
 * source tree, copied to a scratch directory, started on the same demo archive as
 *   tsx        node --import tsx src/main.ts          (what `npm start` ran before)
 *   compiled   node scripts/start.mjs, dist/ fresh    (`npm start` now: stamp check, then
 *                                                      node --enable-source-maps dist/main.js)
 *   build      node scripts/start.mjs, dist/ removed  (the first start after a change)
 * interleaved, `--runs` rounds. For each: wall time until `/` answers 200, CPU time of the
 * whole process tree until then (from /proc: live processes plus reaped children; steadier
 * than wall time on a shared machine) and RSS of the server processes once ready (the
 * start.mjs wrapper's own RSS apart). Linux only (/proc).
 *
 *   node --import tsx bench/start-up.ts [--runs 3] [--workers 1] [--demo-works 200]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const RUNS = numberArg(argv, "runs", 3);
const WORKERS = numberArg(argv, "workers", 1);
const DEMO_WORKS = numberArg(argv, "demo-works", 200);
const repo = new URL("..", import.meta.url).pathname;
const TICKS = 100; // USER_HZ: /proc's clock ticks per second on Linux

const tree = mkdtempSync(join(tmpdir(), "fanfold-startup-"));
for (const path of ["src", "scripts", "package.json", "package-lock.json", "tsconfig.json"])
  cpSync(join(repo, path), join(tree, path), { recursive: true });
symlinkSync(join(repo, "node_modules"), join(tree, "node_modules"));
const dataDir = join(tree, "data");
mkdirSync(dataDir);

const VARIANTS = {
  tsx: ["--import", "tsx", "src/main.ts"],
  compiled: ["scripts/start.mjs"],
  build: ["scripts/start.mjs"],
} as const;
type Variant = keyof typeof VARIANTS;

interface Proc {
  pid: number;
  ppid: number;
  cpuTicks: number;
  childTicks: number;
  rssKb: number;
  argv: string[];
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) in parentheses.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return {
      pid,
      ppid: Number(f[1]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      childTicks: Number(f[13]) + Number(f[14]),
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
      argv: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean),
    };
  } catch {
    return null; // ended meanwhile
  }
}

function descendants(root: number): Proc[] {
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const proc = readProc(pid);
    if (!proc) continue;
    found.push(proc);
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    } catch {
      // ended meanwhile
    }
    if (children) queue.push(...children.split(/\s+/).map(Number));
  }
  return found;
}

async function untilServing(port: number, child: ChildProcess, output: () => string) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).status === 200) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

let nextPort = 3990;

async function startOnce(variant: Variant, demo = false) {
  if (variant === "build") rmSync(join(tree, "dist"), { recursive: true, force: true });
  const port = nextPort++;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FANFOLD_DATA_DIR: dataDir,
    FANFOLD_DEMO: demo ? "true" : "false",
    FANFOLD_DEMO_WORKS: String(DEMO_WORKS),
    FANFOLD_WORKERS: String(WORKERS),
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  };
  delete env.NODE_ENV;
  delete env.NODE_OPTIONS;
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [...VARIANTS[variant]], {
    cwd: tree,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  await untilServing(port, child, () => out);
  const wallMs = performance.now() - started;
  const procs = descendants(child.pid!);
  const cpuMs = (procs.reduce((t, p) => t + p.cpuTicks + p.childTicks, 0) * 1000) / TICKS;
  const isWrapper = (p: Proc) => p.argv.some((a) => a.endsWith("scripts/start.mjs"));
  const node = (p: Proc) => p.argv[0] === process.execPath;
  const serverRssMb =
    procs.filter((p) => node(p) && !isWrapper(p)).reduce((t, p) => t + p.rssKb, 0) / 1024;
  const wrapperRssMb = procs.filter(isWrapper).reduce((t, p) => t + p.rssKb, 0) / 1024;
  // Stop as Ctrl-C would, and wait for every process of the tree to end.
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGINT");
  await exited;
  for (let waited = 0; procs.some((p) => readProc(p.pid)); waited += 50) {
    if (waited > 10_000) for (const p of procs) if (readProc(p.pid)) process.kill(p.pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 50));
  }
  return { wallMs, cpuMs, serverRssMb, wrapperRssMb, built: /built dist\//.test(out) };
}

try {
  console.log(`scratch tree ${tree}; seeding ${DEMO_WORKS} demo works …`);
  await startOnce("compiled", true);
  const results = new Map<Variant, Awaited<ReturnType<typeof startOnce>>[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const r = await startOnce(variant);
      if ((variant === "build") !== r.built && variant !== "tsx")
        throw new Error(`${variant}: expected ${variant === "build" ? "a" : "no"} build`);
      results.set(variant, [...(results.get(variant) ?? []), r]);
    }
  }
  const fmt = (xs: number[]) => {
    const p = percentiles(xs);
    return (
      `${Math.round(p.p50)}`.padStart(6) +
      ` (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`
    );
  };
  console.log(
    `\nstart-up to the first page, ${WORKERS} worker(s), ${RUNS} runs, ${DEMO_WORKS} demo works; ` +
      "p50 (min–max)",
  );
  console.log(
    "variant    wall ms               CPU ms                server RSS MB   wrapper RSS MB",
  );
  const tsxCpu = percentiles(results.get("tsx")!.map((r) => r.cpuMs)).p50;
  for (const [variant, rs] of results) {
    const cpu = rs.map((r) => r.cpuMs);
    console.log(
      variant.padEnd(10) +
        fmt(rs.map((r) => r.wallMs)).padEnd(22) +
        `${fmt(cpu)} ×${(percentiles(cpu).p50 / tsxCpu).toFixed(2)}`.padEnd(22) +
        fmt(rs.map((r) => r.serverRssMb)).padEnd(16) +
        fmt(rs.map((r) => r.wrapperRssMb)),
    );
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
}
