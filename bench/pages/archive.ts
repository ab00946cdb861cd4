/**
 * The page benchmark's archives: generated once per engine, size, seed and schema (by the
 * `fanfold generate` command of the tree whose schema is oldest), readied by
 * prepare-archive.ts, text-indexed with `fanfold index-text`, and kept in
 * `artifacts/bench-archives/` (PostgreSQL: a database `bench_pages_<works>_s<seed>_m<n>`).
 * Servers never run on the kept archive: each gets a copy (a file copy; PostgreSQL's
 * `create database … template`), so runs start alike and old code never meets a newer schema.
 */
import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { Engine } from "../../src/core/db/index.ts";
import { processTree } from "./server.ts";

export interface PageTargets {
  work: { id: number; title: string; words: number };
  tag: { id: number; name: string };
  include: { id: number; name: string };
  exclude: { id: number; name: string }[];
  login: string;
  password: string;
}

export interface Archive {
  engine: Engine;
  key: string;
  dir: string;
  /** PostgreSQL: the kept database's name. */
  database?: string;
  targets: PageTargets;
}

/** A copy of an archive for one server: its environment, and ways to look inside. */
export interface ArchiveCopy {
  env: Record<string, string>;
  /** Empties the full-text index, as after a bulk load: the server refills it at start. */
  clearTextIndex(): Promise<void>;
  /** Works with a current text entry, and posted works. */
  textIndexProgress(): Promise<{ indexed: number; works: number }>;
  /** PostgreSQL: the CPU time (ms) of each backend connected to the copy, by process id. */
  databaseCpuMs?: () => Promise<Map<number, number>>;
  drop(): Promise<void>;
}

const ROOT = resolve("artifacts/bench-archives");

/** Migrations in a tree: the schema an archive made by it has. */
export function migrationCount(tree: string): number {
  return readdirSync(join(tree, "src/core/db/migrations")).filter(
    (f) => /^\d{4}-\d\d-\d\dT\d{4}-.+\.ts$/.test(f) && !f.includes(".test."),
  ).length;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(pgUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `npm run fanfold -- ARGS` (or another command) in `tree`; resolves with its stdout. */
function run(
  tree: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, {
      cwd: tree,
      env: { ...process.env, FANFOLD_DEMO: "false", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      for (const line of c.toString().split("\n")) if (line.trim()) log(`    ${line.trim()}`);
    });
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.once("error", fail);
    child.once("exit", (code) =>
      code === 0 ? ok(out) : fail(new Error(`${command} ${args.join(" ")}: exit ${code}\n${err}`)),
    );
  });
}

export interface ArchiveOptions {
  engine: Engine;
  works: number;
  seed: number;
  /** The tree whose `fanfold generate` makes it (the one with the oldest schema). */
  tree: string;
  fresh: boolean;
  pgUrl: string;
  log: (line: string) => void;
}

/** The kept archive, made (generated, readied, indexed) when missing or `fresh`. */
export async function ensureArchive(o: ArchiveOptions): Promise<Archive> {
  const key = `${o.engine}-${o.works}-s${o.seed}-m${migrationCount(o.tree)}`;
  const dir = join(ROOT, key);
  const dataDir = join(dir, "data");
  const database = o.engine === "postgres" ? `bench_pages_${key.slice(9).replace(/-/g, "_")}` : "";
  const env: Record<string, string> = { FANFOLD_DATA_DIR: dataDir };
  if (database) env.DATABASE_URL = withDatabase(o.pgUrl, database);
  const generated = join(dir, "generated");
  const targetsFile = join(dir, "targets.json");
  if (o.fresh || !existsSync(generated)) {
    o.log(`  generating ${key} (a few minutes; kept for later runs)…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    if (database)
      await admin(o.pgUrl, async (c) => {
        await c.query(`drop database if exists ${database} with (force)`);
        await c.query(`create database ${database}`);
      });
    const args = ["--works", String(o.works), "--bodies", "full", "--seed", String(o.seed)];
    await run(o.tree, "npm", ["run", "--silent", "fanfold", "--", "generate", ...args], env, o.log);
    writeFileSync(generated, new Date().toISOString());
  }
  if (!existsSync(targetsFile)) {
    o.log(`  readying ${key}: a 5,000-word work, a canonical fandom, filters, a text index…`);
    const script = resolve("bench/pages/prepare-archive.ts");
    const out = await run(
      o.tree,
      "npx",
      ["node", "--import", "tsx", script, o.tree],
      env,
      () => {},
    );
    await run(o.tree, "npm", ["run", "--silent", "fanfold", "--", "index-text"], env, o.log);
    const last = out.trim().split("\n").pop() ?? "";
    writeFileSync(targetsFile, last);
  }
  const targets = JSON.parse(readFileSync(targetsFile, "utf8")) as PageTargets;
  return { engine: o.engine, key, dir, ...(database ? { database } : {}), targets };
}

/** A copy of the archive named `label`, for one server. */
export async function copyArchive(
  archive: Archive,
  label: string,
  pgUrl: string,
): Promise<ArchiveCopy> {
  const slug = label.replace(/[^a-z0-9]+/gi, "_").toLowerCase();
  const dataDir = join(ROOT, "runs", `${archive.key}-${slug}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const kept = join(archive.dir, "data");
  for (const f of readdirSync(kept))
    if (f === "secret" || /^fanfold\.db(-wal)?$/.test(f))
      copyFileSync(join(kept, f), join(dataDir, f));
  if (archive.engine === "sqlite") {
    const file = join(dataDir, "fanfold.db");
    const open = () => new Database(file, { timeout: 30_000 });
    return {
      env: { FANFOLD_DATA_DIR: dataDir },
      clearTextIndex: async () => {
        const db = open();
        db.exec("delete from work_text_state; delete from work_text_meta; delete from work_text;");
        db.close();
      },
      textIndexProgress: async () => {
        const db = open();
        const count = (q: string) => (db.prepare(q).get() as { n: number }).n;
        const progress = {
          indexed: count("select count(*) as n from work_text_state"),
          works: count("select count(*) as n from works where posted = 1"),
        };
        db.close();
        return progress;
      },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `${archive.database}_${slug}`.slice(0, 63);
  await admin(pgUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name} template ${archive.database}`);
  });
  const url = withDatabase(pgUrl, name);
  const inCopy = <T>(fn: (c: pg.Client) => Promise<T>) => admin(url, fn);
  return {
    env: { FANFOLD_DATA_DIR: dataDir, DATABASE_URL: url },
    clearTextIndex: () =>
      inCopy(async (c) => {
        await c.query("truncate work_text_state, work_text_meta, work_text");
      }),
    textIndexProgress: () =>
      inCopy(async (c) => {
        const count = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
        return {
          indexed: await count("select count(*) as n from work_text_state"),
          works: await count("select count(*) as n from works where posted = 1"),
        };
      }),
    databaseCpuMs: () =>
      admin(pgUrl, async (c) => {
        const { rows } = await c.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = $1",
          [name],
        );
        return new Map(rows.map((r) => [r.pid, processTree(r.pid)[0]?.cpuMs ?? 0]));
      }),
    drop: async () => {
      await admin(pgUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
