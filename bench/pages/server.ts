/**
 * A server as a user starts it (`npm start` in a tree), and what its whole process tree costs:
 * CPU time (utime + stime of every descendant, from /proc, so one process, a cluster of
 * workers or worker threads all count) and resident memory per process.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const PAGE_BYTES = Number(execFileSync("getconf", ["PAGESIZE"]).toString().trim()) || 4096;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in ms: reaped children's time stays counted. */
  cpuMs: number;
  rssBytes: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: fields follow the last ")".
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0);
    return {
      pid,
      ppid: Number(f[1]),
      cpuMs: (ticks * 1000) / CLOCK_TICKS,
      rssBytes: Number(f[21]) * PAGE_BYTES,
    };
  } catch {
    return null; // gone since the directory was listed
  }
}

/** `root` and every process below it. */
export function processTree(root: number): ProcStat[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== null);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const rootStat = all.find((s) => s.pid === root);
  const tree = rootStat ? [rootStat] : [];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
  return tree;
}

function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return args
      .map((a) => (a.includes("/") ? a.slice(a.lastIndexOf("/") + 1) : a))
      .join(" ")
      .slice(0, 60);
  } catch {
    return "?";
  }
}

/** A free TCP port on 127.0.0.1 (several workers must all be told the same one). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => ok(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RunningServer {
  base: string;
  /** The line it printed when it began listening (says the engine, maybe the workers). */
  runningLine: string;
  cpuMs: () => number;
  memory: () => { totalMb: number; processes: { pid: number; command: string; rssMb: number }[] };
  /** The last lines it printed (for errors and log messages). */
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerSpec {
  cwd: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  label: string;
  /** The CPUs it (and every process it starts) may run on: taskset's list, e.g. "0". */
  cpus?: string | undefined;
  /** Seconds to wait for it to answer (a first start builds dist/ and the browse index). */
  timeoutS?: number;
}

/**
 * Starts the server, waits for "Fanfold is running at", then for `/readyz` to answer 200
 * (or, on code without it, for `/` to answer at all).
 */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const port = await freePort();
  const [command, args] = spec.cpus
    ? ["taskset", ["-c", spec.cpus, spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child: ChildProcess = spawn(command, args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stopping it reaches npm and what npm started.
    detached: true,
  });
  const pid = child.pid!;
  let tail = "";
  let runningLine = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-20_000);
    runningLine ||= /Fanfold is running at [^\n]*/.exec(tail)?.[0] ?? "";
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once("exit", () => {
      exited = true;
      r();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (spec.timeoutS ?? 300) * 1000;
  const fail = (why: string) => new Error(`${spec.label}: ${why}\n${tail.slice(-4000)}`);
  while (!runningLine) {
    if (exited) throw fail("the server exited before it was running");
    if (Date.now() > deadline) throw fail("no 'Fanfold is running at' line in time");
    await sleep(100);
  }
  for (let probe = "/readyz"; ; await sleep(200)) {
    if (exited) throw fail("the server exited while starting");
    if (Date.now() > deadline) throw fail(`${probe} did not answer in time`);
    const status = await fetch(base + probe).then(
      (r) => r.arrayBuffer().then(() => r.status),
      () => 0,
    );
    if (probe === "/readyz" && status === 404) probe = "/";
    else if (status === 200) break;
  }

  const tree = () => processTree(pid);
  const server: RunningServer = {
    base,
    runningLine,
    cpuMs: () => tree().reduce((sum, s) => sum + s.cpuMs, 0),
    memory: () => {
      const processes = tree().map((s) => ({
        pid: s.pid,
        command: commandOf(s.pid),
        rssMb: s.rssBytes / 2 ** 20,
      }));
      return { totalMb: processes.reduce((sum, p) => sum + p.rssMb, 0), processes };
    },
    output: () => tail,
    stop: async () => {
      running.delete(server);
      if (exited) return;
      const pids = tree().map((s) => s.pid);
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const stopped = await Promise.race([exit.then(() => true), sleep(15_000).then(() => false)]);
      // What did not stop in time (ours: started by this run, named by id) is killed.
      for (const p of stopped ? [] : pids) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await exit;
      // Workers in a group of their own may outlive npm for a moment: wait for them.
      for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    },
  };
  running.add(server);
  return server;
}

const running = new Set<RunningServer>();

/** Stops every server still running (an interrupted benchmark leaves none behind). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
