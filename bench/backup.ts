/**
 * Backup and restore of a generated archive, per engine, as an operator runs them: the real
 * CLI (`fanfold generate`, then `fanfold backup FILE` and `fanfold restore FILE` into a fresh
 * data directory or database), timed from start to exit (node start-up included, about 1 s).
 *
 *   node --import tsx bench/backup.ts [--engine sqlite,postgres] [--works 100000]
 *     [--bodies none|short|full]
 *
 * PostgreSQL databases are made on FANFOLD_BENCH_PG_URL's server (default
 * postgres://postgres@127.0.0.1:5432/test) and dropped afterwards.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { readManifest } from "../src/core/backup/backup.ts";
import type { Engine } from "../src/core/db/index.ts";
import { engines, numberArg } from "./support.ts";

const argv = process.argv.slice(2);
const WORKS = numberArg(argv, "works", 100_000);
const bodiesAt = argv.indexOf("--bodies");
const BODIES = bodiesAt >= 0 ? (argv[bodiesAt + 1] ?? "none") : "none";
const PG_URL = process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const root = new URL("..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "fanfold-bench-backup-"));

interface Place {
  dataDir: string;
  url?: string;
  drop(): Promise<void>;
}

async function admin(query: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

async function analyzeOnce(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("analyze");
  } finally {
    await c.end();
  }
}

async function place(engine: Engine): Promise<Place> {
  const dataDir = mkdtempSync(join(scratch, "data-"));
  if (engine === "sqlite") return { dataDir, drop: () => Promise.resolve() };
  const name = `fanfold_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** Runs the CLI; answers the seconds it took. */
async function cli(where: Place, args: string[]): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, FANFOLD_DATA_DIR: where.dataDir };
  delete env.FANFOLD_SECRET;
  if (where.url) env.DATABASE_URL = where.url;
  else delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  if (code !== 0) throw new Error(`fanfold ${args.join(" ")} exited ${code}:\n${output}`);
  return (performance.now() - started) / 1000;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

try {
  console.log(
    `Backup and restore of a ${WORKS.toLocaleString("en-US")}-work archive (${BODIES} bodies)`,
  );
  for (const engine of engines(argv)) {
    const source = await place(engine);
    const target = await place(engine);
    try {
      // The generator recounts tag uses before it analyzes; on a server without autovacuum
      // (this machine's) the recount's plan, made without statistics, scans every work per
      // tag for hours. Analyzing as autovacuum would, every 15 s, keeps it to seconds.
      const analyze = source.url
        ? setInterval(() => void analyzeOnce(source.url!).catch(() => undefined), 15_000)
        : undefined;
      const generated = await cli(source, [
        "generate",
        "--works",
        String(WORKS),
        "--bodies",
        BODIES,
      ]).finally(() => clearInterval(analyze));
      const file = join(scratch, `${engine}.tar`);
      const backup = await cli(source, ["backup", file]);
      const restore = await cli(target, ["restore", file]);
      const manifest = await readManifest(file);
      const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
      const database =
        engine === "sqlite"
          ? statSync(join(source.dataDir, "fanfold.db")).size
          : manifest.database.bytes;
      console.log(
        `${engine.padEnd(8)} generate ${generated.toFixed(1)} s | backup ${backup.toFixed(1)} s | ` +
          `restore ${restore.toFixed(1)} s | file ${mb(statSync(file).size)} ` +
          `(${engine === "sqlite" ? "database" : "pg_dump"} ${mb(database)}) | ` +
          `${Object.keys(manifest.tables).length} tables, ${rows.toLocaleString("en-US")} rows`,
      );
    } finally {
      await source.drop();
      await target.drop();
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
