/**
 * Does the full-text backfill stall requests? Starts the server on a copy of an archive whose
 * text index was never built (`fanfold generate` leaves it so), loads a work page with
 * autocannon while the backfill runs, waits for it to finish, loads the same page again, and
 * prints p50/p99, failures and the server's CPU for both, side by side. With `--rev REV` the
 * same runs first for that git revision (a worktree): old and new code on the same data.
 *
 *   FANFOLD_DATA_DIR=/tmp/scratch FANFOLD_DEMO=false \
 *     npx node --import tsx src/cli.ts generate --works 10000 --bodies full
 *   npx node --import tsx bench/backfill-stall.ts --data /tmp/scratch [--rev HEAD] \
 *     [--seconds 10] [--connections 8]
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { cpuMsOf, readableWork, repoRoot, startCopy, worktreeAt } from "./serve-copy.ts";
import { numberArg } from "./support.ts";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const data = resolve(arg("data") ?? "");
if (!existsSync(join(data, "fanfold.db"))) {
  console.error("--data DIR: a data directory holding fanfold.db (made by `fanfold generate`)");
  process.exit(2);
}
const seconds = numberArg(argv, "seconds", 10);
const connections = numberArg(argv, "connections", 8);
const rev = arg("rev");

interface Window {
  p50: number;
  p99: number;
  rps: number;
  failed: number;
  cpuMsPerRequest: number;
}
interface Run {
  label: string;
  during: Window;
  after: Window;
  backfillMs: number;
  /** The backfill was still running when the "during" window ended. */
  overlapped: boolean;
}

async function load(url: string, pid: number): Promise<Window> {
  const cpu0 = cpuMsOf(pid);
  const r = await autocannon({ url, connections, duration: seconds });
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    failed: r.non2xx + r.errors + r.timeouts,
    cpuMsPerRequest: (cpuMsOf(pid) - cpu0) / Math.max(1, r.requests.total),
  };
}

async function runOne(label: string, root: string): Promise<Run> {
  const server = await startCopy(root, data);
  try {
    const done = server.waitFor(/text index: [\d,]+ works indexed in (\d+) ms/);
    let finished = false;
    void done.then(() => (finished = true));
    const url = `${server.base}/works/${readableWork(join(server.dataDir, "fanfold.db"))}`;
    // The first renders fill caches and compile; neither window should pay for them.
    await autocannon({ url, connections: 2, amount: 50 });
    const during = await load(url, server.pid);
    const overlapped = !finished;
    const backfillMs = Number((await done)[1]);
    const after = await load(url, server.pid);
    return { label, during, after, backfillMs, overlapped };
  } finally {
    await server.stop();
  }
}

const runs: Run[] = [];
if (rev) {
  const tree = worktreeAt(rev);
  try {
    runs.push(await runOne(rev, tree.dir));
  } finally {
    tree.remove();
  }
}
runs.push(await runOne("working tree", repoRoot));

const w = (x: Window) =>
  x.rps === 0
    ? `none served (${x.failed} timed out or failed)`
    : `${x.p50} / ${x.p99}, ${Math.round(x.rps)}/s${x.failed ? `, ${x.failed} failed` : ""}`;
console.log(
  `\nwork page, autocannon -c ${connections} for ${seconds} s while the text backfill runs, then after it`,
);
console.log("code | backfill | during: p50 / p99 ms, req/s | after: p50 / p99 ms, req/s | p99 ×");
for (const r of runs) {
  const ratio = r.during.rps === 0 ? "∞" : (r.during.p99 / Math.max(r.after.p99, 1)).toFixed(1);
  console.log(
    [
      r.label,
      `${(r.backfillMs / 1000).toFixed(1)} s`,
      w(r.during) + (r.overlapped ? "" : " (backfill ended within)"),
      `${w(r.after)}, ${r.after.cpuMsPerRequest.toFixed(2)} ms CPU/req`,
      ratio,
    ].join(" | "),
  );
}
