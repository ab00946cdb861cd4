/**
 * `npm start` as production runs it (scripts/start.mjs): on a copy of the source tree it
 * builds dist/, serves a scratch SQLite archive from the compiled JavaScript with no
 * TypeScript loader in the server process, and finds what it reads beside its source
 * (static assets, the editor's browser source, the PDF fonts), with its cluster workers
 * (src/serve/*-main.ts) started from dist/ too. SIGTERM stops it all with status 0. A second
 * start with nothing changed does not build again; a changed source file does, and the
 * change is what runs.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openScratchDb } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";
import { freePort } from "./served.ts";

const repo = new URL("../..", import.meta.url).pathname;
/** What the build reads; node_modules is linked, not copied. */
const TREE = ["src", "scripts", "package.json", "package-lock.json", "tsconfig.json"];

let scratch = "";
let dataDir = "";
let workId = 0;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "fanfold-prod-"));
  for (const path of TREE) cpSync(join(repo, path), join(scratch, path), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(scratch, "node_modules"));
  dataDir = join(scratch, "data");
  mkdirSync(dataDir);
  const handle = await openScratchDb("sqlite", { sqliteFile: join(dataDir, "fanfold.db") });
  try {
    const work = await buildWork(handle.db, {
      title: "Compiled and Served",
      text: "A chapter read from the built server.",
    });
    workId = work.workId;
  } finally {
    await handle.close();
  }
});

/** Every start.mjs launched, so a failed test leaves no server behind. */
const launched: ChildProcess[] = [];

after(() => {
  for (const starter of launched) {
    if (starter.exitCode !== null || starter.signalCode !== null) continue;
    // The server runs in a process group of its own (with its cluster workers).
    if (process.platform === "linux")
      for (const pid of childrenOf(starter.pid!)) signal(-pid, "SIGKILL");
    starter.kill("SIGKILL");
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function signal(pid: number, name: NodeJS.Signals | 0) {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
}

function launch(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Started & { exited: Promise<number> } {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    FANFOLD_DATA_DIR: dataDir,
    FANFOLD_DEMO: "false",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    ...env,
  };
  // The test runner's own settings must not reach the production process.
  delete childEnv.NODE_ENV;
  delete childEnv.NODE_OPTIONS;
  delete childEnv.DATABASE_URL;
  delete childEnv.FANFOLD_SECRET;
  const child = spawn(process.execPath, [join(scratch, "scripts", "start.mjs"), ...args], {
    cwd: scratch,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  launched.push(child);
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const exited = once(child, "exit").then(([code]) => code as number);
  return { child, output: () => out, port: Number(env.PORT ?? 0), exited };
}

/** `npm start` (scripts/start.mjs) until /healthz answers. */
async function startServer() {
  const port = await freePort();
  // Two workers: the cluster's entry modules must be found in dist/ too.
  const started = launch([], { PORT: String(port), FANFOLD_WORKERS: "2" });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(`start exited ${started.child.exitCode}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no answer on /healthz:\n${started.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return started;
}

/** The child processes of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return children ? children.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** The server process start.mjs runs: its one child (esbuild's service has ended). */
function serverPid(starter: ChildProcess): number {
  const children = childrenOf(starter.pid!);
  assert.equal(children.length, 1, `children of start.mjs: ${children.join(", ")}`);
  return children[0]!;
}

const commandLine = (pid: number) =>
  readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);

const alive = (pid: number) => signal(pid, 0);

/** SIGTERM to start.mjs reaches the server, which shuts down; its exit status comes back. */
async function stop(started: Started & { exited: Promise<number> }, server: number) {
  started.child.kill("SIGTERM");
  const code = await started.exited;
  assert.equal(code, 0, `start.mjs exit status after SIGTERM:\n${started.output()}`);
  assert.equal(alive(server), false, "the server process ended with start.mjs");
}

const builtMessage = /fanfold: built dist\//;
const base = (port: number) => `http://127.0.0.1:${port}`;

test("npm start builds, then serves from dist/ without a TypeScript loader", async () => {
  const started = await startServer();
  const pid = process.platform === "linux" ? serverPid(started.child) : 0;
  assert.match(started.output(), builtMessage);

  const home = await fetch(base(started.port) + "/");
  assert.equal(home.status, 200);
  const page = await fetch(`${base(started.port)}/works/${workId}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Compiled and Served/);
  assert.match(html, /A chapter read from the built server\./);

  // Read at run time beside the source: static files, the editor bundle's input, fonts.
  const css = /\/assets\/site\.css\?v=[0-9a-f]+/.exec(html)?.[0];
  assert.ok(css, "the page links the stylesheet");
  assert.equal((await fetch(base(started.port) + css)).status, 200);
  const editor = await fetch(base(started.port) + "/assets/editor.js");
  assert.equal(editor.status, 200);
  assert.ok((await editor.text()).length > 10_000, "the editor bundle is built from its source");
  const pdf = await fetch(`${base(started.port)}/downloads/${workId}/work.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString(),
    "%PDF-",
  );

  if (pid) {
    const dist = join(scratch, "dist");
    const expected = (file: string) => [process.execPath, "--enable-source-maps", join(dist, file)];
    assert.deepEqual(commandLine(pid), expected("main.js"));
    // The cluster (src/serve/), where the tree has it: workers run their entry from dist/.
    if (existsSync(join(scratch, "src", "serve", "worker-main.ts"))) {
      const workers = childrenOf(pid).filter((child) => commandLine(child)[0] === process.execPath);
      assert.equal(workers.length, 2, "two cluster workers");
      for (const worker of workers)
        assert.deepEqual(commandLine(worker), expected("worker-main.js"));
    }
    const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    assert.ok(environ.includes("NODE_ENV=production"), "NODE_ENV=production");
    // A loader could only come in through the command line (above) or NODE_OPTIONS.
    const options = environ.find((v) => v.startsWith("NODE_OPTIONS=")) ?? "";
    assert.doesNotMatch(options, /tsx|--import|--loader|--require/);
  }
  await stop(started, pid);
});

test("a second start with nothing changed does not build; a changed source file does", async () => {
  const stamp = join(scratch, "dist", ".stamp");
  assert.ok(existsSync(stamp), "the first test built dist/");
  const builtAt = statSync(join(scratch, "dist", "main.js")).mtimeMs;

  // The command line goes through the same check as the server (`npm run fanfold -- …`),
  // and starts in a fraction of the time.
  const again = launch(["--cli", "migrate"]);
  assert.equal(await again.exited, 0, again.output());
  assert.doesNotMatch(again.output(), builtMessage);
  assert.equal(statSync(join(scratch, "dist", "main.js")).mtimeMs, builtAt);

  appendFileSync(join(scratch, "src", "cli.ts"), '\nconsole.error("changed since the build");\n');
  const changed = launch(["--cli", "migrate"]);
  assert.equal(await changed.exited, 0, changed.output());
  assert.match(changed.output(), builtMessage);
  assert.match(changed.output(), /changed since the build/);
  assert.notEqual(statSync(join(scratch, "dist", "main.js")).mtimeMs, builtAt);
});

test(
  "start.mjs killed with SIGKILL: the server and its workers stop too, freeing the port",
  {
    skip: process.platform !== "linux" && "reads /proc",
  },
  async () => {
    const started = await startServer();
    const server = serverPid(started.child);
    const workers = childrenOf(server);
    assert.ok(workers.length >= 2, "the cluster's workers run");
    started.child.kill("SIGKILL");
    await started.exited;
    const deadline = Date.now() + 30_000;
    try {
      while ([server, ...workers].some(alive)) {
        assert.ok(Date.now() < deadline, "the server outlived start.mjs by 30 s");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      // An orphan would hold the test runner's pipes open: the run would hang, not fail.
      for (const pid of [server, ...workers]) signal(pid, "SIGKILL");
    }
    await assert.rejects(fetch(`${base(started.port)}/healthz`), "nothing listens on the port");
  },
);
