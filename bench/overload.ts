/**
 * Overload: many more readers than the server can serve at once (autocannon -c 200 on a
 * work page). Prints, per code under test, how many requests were served, shed (503) or
 * timed out, and p50/p99 of the served ones and of the 503s: with the bounded queue the
 * excess is answered at once and the served ones stay bounded by the queue's wait limit.
 *
 *   npx node --import tsx bench/overload.ts --data DIR [--rev HEAD] [--connections 200] \
 *     [--seconds 20] [--timeout 10]
 *
 * DIR is an archive's data directory (e.g. the demo one `npm start` makes in ./data).
 * FANFOLD_MAX_IN_FLIGHT, FANFOLD_MAX_QUEUED and FANFOLD_MAX_QUEUE_MS pass to the server.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { cpuMsOf, readableWork, repoRoot, startCopy, worktreeAt } from "./serve-copy.ts";
import { numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const data = resolve(arg("data") ?? "");
if (!existsSync(join(data, "fanfold.db"))) {
  console.error("--data DIR: a data directory holding fanfold.db");
  process.exit(2);
}
const connections = numberArg(argv, "connections", 200);
const seconds = numberArg(argv, "seconds", 20);
const timeout = numberArg(argv, "timeout", 10);
const rev = arg("rev");

async function runOne(label: string, root: string) {
  const server = await startCopy(root, data);
  try {
    const url = `${server.base}/works/${readableWork(join(server.dataDir, "fanfold.db"))}`;
    // Warm up (the first renders compile templates and fill caches).
    await autocannon({ url, connections: 4, amount: 200 });
    const served: number[] = [];
    const shed: number[] = [];
    let other = 0;
    const cpu0 = cpuMsOf(server.pid);
    const result = await new Promise<autocannon.Result>((done, fail) => {
      const instance = autocannon({ url, connections, duration: seconds, timeout }, (err, r) =>
        err ? fail(err as Error) : done(r),
      );
      instance.on("response", (_client, status, _bytes, ms) => {
        if (status === 200) served.push(ms);
        else if (status === 503) shed.push(ms);
        else other += 1;
      });
    });
    const cpuMs = cpuMsOf(server.pid) - cpu0;
    return {
      label,
      served: percentiles(served),
      shed: percentiles(shed),
      other,
      timeouts: result.timeouts,
      errors: result.errors,
      cpuMsPerServed: cpuMs / Math.max(1, served.length),
    };
  } finally {
    await server.stop();
  }
}

const runs = [];
if (rev) {
  const tree = worktreeAt(rev);
  try {
    runs.push(await runOne(rev, tree.dir));
  } finally {
    tree.remove();
  }
}
runs.push(await runOne("working tree", repoRoot));

const f = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "—");
console.log(
  `\nwork page, autocannon -c ${connections} for ${seconds} s (client timeout ${timeout} s)`,
);
console.log(
  "code | served: n, p50 / p99 / max ms | 503: n, p50 / p99 ms | timeouts | errors | CPU ms per served",
);
for (const r of runs) {
  console.log(
    [
      r.label,
      `${f(r.served.n)}, ${f(r.served.p50)} / ${f(r.served.p99)} / ${f(r.served.max)}`,
      `${f(r.shed.n)}, ${f(r.shed.p50)} / ${f(r.shed.p99)}`,
      f(r.timeouts),
      f(r.errors + r.other),
      r.cpuMsPerServed.toFixed(2),
    ].join(" | "),
  );
}
