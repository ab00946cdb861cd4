/**
 * Load on one page, and the server's own CPU time over the run; plus logging in through the
 * real form. Two load tools: autocannon (from npm, in this process: every response's latency
 * and status kept) or Debian's wrk (a separate C process, much lighter, which can be pinned
 * to a core of its own with taskset: its latencies come back as 1,000 quantiles per run).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

export interface LoadRun {
  requests: number;
  seconds: number;
  /** Response times, ms. */
  latencies: number[];
  statuses: Record<string, number>;
  /** Socket errors and timeouts (no response at all). */
  errors: number;
  /** The server tree's CPU time over the run, ms. */
  cpuMs: number;
  /** PostgreSQL's backends' CPU time over the run, ms (null: SQLite, in the server). */
  databaseCpuMs: number | null;
}

export interface LoadSpec {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Per-request timeout, s (a stall must show as a latency, not vanish as an error). */
  timeoutS?: number;
  cpuMs: () => number;
  databaseCpuMs?: (() => Promise<Map<number, number>>) | undefined;
  /** Resolves when the run should end early (the stall scenario's backfill is done). */
  until?: Promise<unknown>;
  /** Which load tool; wrk must be installed (`apt-get install wrk`). */
  tool?: "autocannon" | "wrk";
  /** wrk only: the CPUs it may run on (taskset's list, e.g. "1"). */
  cpus?: string | undefined;
}

export async function load(spec: LoadSpec): Promise<LoadRun> {
  if (spec.tool === "wrk") return loadWithWrk(spec);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const database = spec.databaseCpuMs && (await databaseSampler(spec.databaseCpuMs));
  const cpuBefore = spec.cpuMs();
  const started = performance.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((ok, fail) => {
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        timeout: spec.timeoutS ?? 10,
        headers: spec.headers ?? {},
      },
      (err: unknown, result: autocannon.Result) => (err ? fail(toError(err)) : ok(result)),
    );
  });
  instance!.on("response", (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  void spec.until?.then(() => instance!.stop());
  const result = await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = spec.cpuMs() - cpuBefore;
  const databaseCpuMs = database ? await database.stop() : null;
  return {
    requests: latencies.length,
    seconds,
    latencies,
    statuses,
    errors: result.errors + result.timeouts,
    cpuMs,
    databaseCpuMs,
  };
}

const QUANTILES = 1000;

/** wrk's report: counts on one line, then its latency quantiles (µs). */
const WRK_REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("fanfold-wrk ", summary.requests, " ", e.status, " ", e.connect + e.read + e.write + e.timeout, "\\n")
  local q = {}
  for i = 1, ${QUANTILES} do q[i] = latency:percentile((i - 0.5) * 100 / ${QUANTILES}) end
  io.write("fanfold-wrk-latency ", table.concat(q, " "), "\\n")
end
`;

let wrkScript: string | undefined;

async function loadWithWrk(spec: LoadSpec): Promise<LoadRun> {
  wrkScript ??= join(mkdtempSync(join(tmpdir(), "fanfold-wrk-")), "report.lua");
  writeFileSync(wrkScript, WRK_REPORT);
  const headers = Object.entries(spec.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const wrkArgs = [
    ...[
      "-t1",
      `-c${spec.connections}`,
      `-d${spec.seconds}s`,
      `--timeout`,
      `${spec.timeoutS ?? 10}s`,
    ],
    ...headers,
    ...["-s", wrkScript, spec.url],
  ];
  const [command, args] = spec.cpus
    ? ["taskset", ["-c", spec.cpus, "wrk", ...wrkArgs]]
    : ["wrk", wrkArgs];
  const database = spec.databaseCpuMs && (await databaseSampler(spec.databaseCpuMs));
  const cpuBefore = spec.cpuMs();
  const started = performance.now();
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  // wrk prints its report on SIGINT too, so ending early keeps what was measured.
  void spec.until?.then(() => child.kill("SIGINT"));
  const code = await new Promise<number | null>((ok, fail) => {
    child.once("error", fail);
    child.once("close", ok);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = spec.cpuMs() - cpuBefore;
  const databaseCpuMs = database ? await database.stop() : null;
  const counts = /fanfold-wrk (\d+) (\d+) (\d+)/.exec(out);
  const quantiles = /fanfold-wrk-latency ([\d. ]+)/.exec(out);
  if (!counts || !quantiles) throw new Error(`wrk (exit ${code}) printed no report:\n${out}`);
  const requests = Number(counts[1]);
  const non2xx = Number(counts[2]);
  // Each quantile stands for an equal share of the run's responses, so rounds of different
  // sizes still weigh by their responses when their latencies are pooled.
  const copies = Math.max(1, Math.round(requests / QUANTILES));
  const latencies = quantiles[1]!
    .trim()
    .split(" ")
    .flatMap((us) => Array<number>(copies).fill(Number(us) / 1000));
  return {
    requests,
    seconds,
    latencies,
    statuses: { "2xx": requests - non2xx, ...(non2xx ? { "non-2xx": non2xx } : {}) },
    errors: Number(counts[3]),
    cpuMs,
    databaseCpuMs,
  };
}

/**
 * The database backends' CPU time from now until `stop`, sampled every second: a pool closes
 * idle connections and opens others, and a backend's time is read while it lives (one that
 * appears during the run counts from zero; the last second of one that ends is lost).
 */
async function databaseSampler(read: () => Promise<Map<number, number>>) {
  const baseline = await read();
  const last = new Map(baseline);
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const [pid, ms] of await read()) last.set(pid, ms);
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await loop;
      for (const [pid, ms] of await read()) last.set(pid, ms);
      let total = 0;
      for (const [pid, ms] of last) {
        const before = baseline.get(pid) ?? 0;
        total += ms >= before ? ms - before : ms; // less than before: a new process, same id
      }
      return total;
    },
  };
}

const toError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/**
 * Logs in as a reader would: the log-in page (its CSRF token and cookie), then AO3's form
 * `POST /users/login`. Returns the Cookie header a logged-in reader sends.
 */
export async function logIn(base: string, login: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await fetch(`${base}/users/login`);
  remember(page);
  const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error("the log-in page carries no authenticity_token");
  const res = await fetch(`${base}/users/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({
      authenticity_token: token,
      "user[login]": login,
      "user[password]": password,
    }).toString(),
  });
  remember(res);
  await res.arrayBuffer();
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`logging in as ${login} answered ${res.status}`);
  return header();
}

/** Fetches a page once and checks it is the page meant (200, and a text it must show). */
export async function checkPage(
  url: string,
  headers: Record<string, string>,
  mustShow: string,
): Promise<number> {
  const res = await fetch(url, { headers, redirect: "manual" });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  if (!body.includes(mustShow)) throw new Error(`${url} does not show "${mustShow}"`);
  return body.length;
}
