/**
 * The review's done-criterion, on the real server process: killed with SIGKILL (no chance to
 * save anything), its search-index cache file then damaged, it starts again and serves the
 * same listings as before, which agree with the database.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import SQLite from "better-sqlite3";
import { freePort } from "./served.ts";

const root = new URL("../..", import.meta.url).pathname;

interface Server {
  child: ChildProcess;
  output: () => string;
}

async function start(dataDir: string, port: number): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FANFOLD_DATA_DIR: dataDir,
    FANFOLD_DEMO: "true",
    FANFOLD_DEMO_WORKS: "30",
    // One process, as this test was written for: killing it kills the whole server.
    FANFOLD_WORKERS: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  delete env.FANFOLD_SECRET;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`server did not answer /healthz:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return { child, output: () => out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function kill9(server: Server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, "exit");
  server.child.kill("SIGKILL");
  await exited;
}

/** The total and the page's work ids, as a guest sees them. */
async function listing(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const total = /\d+ - \d+ of ([\d,]+) Works?/.exec(html)?.[1];
  const ids = [...html.matchAll(/<a href="\/works\/(\d+)">/g)].map((m) => Number(m[1]));
  return { total: Number(total?.replace(/,/g, "")), ids };
}

const PATHS = ["/works", "/works?sort=kudos", "/works?sort=hits&page=2", "/works?kudos_from=1"];

test("kill -9, a damaged cache file, a restart: the listings come back right", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fanfold-restart-"));
  const port = await freePort();
  let server: Server | null = null;
  try {
    server = await start(dataDir, port);
    const before = [];
    for (const path of PATHS) before.push(await listing(port, path));
    assert.ok(before[0]!.total > 0 && before[0]!.ids.length > 0, "the demo archive lists works");
    await kill9(server);

    // The cache written at start-up, damaged where the counts and dates are.
    const [cache] = readdirSync(dataDir).filter((f) => /^search-docs-.*\.bin$/.test(f));
    assert.ok(cache, `a cache file in ${readdirSync(dataDir).join(", ")}`);
    const file = join(dataDir, cache);
    const bytes = readFileSync(file);
    bytes.fill(0xff, bytes.length >> 2, (bytes.length >> 2) + 64);
    writeFileSync(file, bytes);

    server = await start(dataDir, port);
    assert.match(server.output(), /search index: cache .* not used \(damaged/);
    const after = [];
    for (const path of PATHS) after.push(await listing(port, path));
    assert.deepEqual(after, before);

    // And they are the database's: every visible posted work, most kudos first.
    const db = new SQLite(join(dataDir, "fanfold.db"), { readonly: true });
    try {
      const visible = db
        .prepare("select count(*) as n from works where posted = 1 and restricted = 0")
        .get() as { n: number };
      assert.equal(after[0]!.total, visible.n);
      const kudos = db.prepare("select kudos from work_stats where work_id = ?");
      const counts = after[1]!.ids.map(
        (id) => (kudos.get(id) as { kudos: number } | undefined)?.kudos ?? 0,
      );
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => b - a),
        "kudos sort by the database",
      );
      const most = db
        .prepare(
          "select max(s.kudos) as k from work_stats s join works w on w.id = s.work_id where w.posted = 1 and w.restricted = 0",
        )
        .get() as { k: number };
      assert.equal(counts[0], most.k);
    } finally {
      db.close();
    }
  } finally {
    if (server) await kill9(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
