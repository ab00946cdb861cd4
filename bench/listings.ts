/**
 * What one listing page costs the server (issue 16): CPU time per request (the process's own,
 * from process.cpuUsage, steadier than wall time on a shared machine) and SQL statements per
 * request, for a tag listing (20 blurbs, 7 facets) and a filtered listing (one tag included,
 * two excluded, sorted by kudos), through Fastify's inject on an existing archive.
 *
 *   node --import tsx bench/listings.ts --target sqlite:/path/fanfold.db \
 *     --target postgres://postgres@127.0.0.1:5432/bench [--before-rev REV] \
 *     [--requests 300] [--rounds 3] [--cpu-prof DIR]
 *
 * --cpu-prof writes one .cpuprofile per variant and archive, of the measured requests only.
 *
 * Each variant (this tree, and with --before-rev that commit's code, sharing node_modules)
 * runs in a child process of its own; the parent interleaves their rounds, so both see the
 * same machine load, and prints per-request CPU p50/p95 and the ratio old/new.
 */
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as AppModule from "../src/app.ts";
import type * as ConfigModule from "../src/core/config.ts";
import type * as DbModule from "../src/core/db/index.ts";
import type { Db } from "../src/core/db/index.ts";
import type * as RateLimitModule from "../src/core/http/rate-limit.ts";
import { tagUrlName } from "../src/tags/names.ts";
import { numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const argValues = (name: string) =>
  argv.flatMap((a, i) => (a === `--${name}` && argv[i + 1] ? [argv[i + 1]!] : []));

interface Pages {
  tag: string;
  filtered: string;
}

type Command = { run: keyof Pages; n: number } | { profile: string } | { stop: true };
type Reply =
  | { ready: true; pages: Pages; startupMs: number }
  | { ran: keyof Pages; cpuMs: number[]; sql: number; status: number };

// --- the child: one archive, one tree ------------------------------------------------------

async function child(tree: string, spec: string) {
  const at = (path: string) => join(tree, path);
  const { buildApp } = (await import(at("src/app.ts"))) as typeof AppModule;
  const { loadConfig } = (await import(at("src/core/config.ts"))) as typeof ConfigModule;
  const { openDb } = (await import(at("src/core/db/index.ts"))) as typeof DbModule;
  const { memoryRateLimiter } = (await import(
    at("src/core/http/rate-limit.ts")
  )) as typeof RateLimitModule;
  const t0 = performance.now();
  const target = spec.startsWith("postgres")
    ? { kind: "postgres" as const, url: spec }
    : { kind: "sqlite" as const, file: spec.replace(/^sqlite:/, "") };
  const config = loadConfig({
    ...process.env,
    ...(target.kind === "sqlite"
      ? { FANFOLD_DATA_DIR: dirname(target.file), DATABASE_URL: undefined }
      : { DATABASE_URL: target.url, FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "h8-")) }),
    LOG_LEVEL: "silent",
    FANFOLD_SECRET: "bench-secret-bench-secret-bench-secret",
    FANFOLD_DEMO: "false",
  });
  let statements = 0;
  const handle = openDb(target, { onQuery: () => void statements++ });
  const deps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(),
    now: Date.now,
  };
  const app = await buildApp(deps, { logger: false, textBackfill: false });
  await app.ready();
  const startupMs = performance.now() - t0;
  const pages = await choosePages(handle.db);
  const send = (reply: Reply) => process.send!(reply);
  send({ ready: true, pages, startupMs });
  let profiler: Session | null = null;
  let profileFile = "";
  process.on("message", (command: Command) => {
    void (async () => {
      if ("profile" in command) {
        // Requests only: start-up and warm-up stay out of the profile.
        profiler = new Session();
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
        profileFile = command.profile;
        return;
      }
      if ("stop" in command) {
        if (profiler) {
          const { profile } = await profiler.post("Profiler.stop");
          mkdirSync(dirname(profileFile), { recursive: true });
          writeFileSync(profileFile, JSON.stringify(profile));
        }
        await app.close();
        await handle.close();
        process.exit(0);
      }
      const url = pages[command.run];
      const cpuMs: number[] = [];
      let status = 200;
      const sql0 = statements;
      for (let i = 0; i < command.n; i++) {
        const c0 = process.cpuUsage();
        const res = await app.inject({ method: "GET", url });
        const c = process.cpuUsage(c0);
        cpuMs.push((c.user + c.system) / 1000);
        if (res.statusCode !== 200 && status === 200) {
          status = res.statusCode;
          console.error(res.body.slice(0, 2000));
        }
      }
      send({ ran: command.run, cpuMs, sql: (statements - sql0) / command.n, status });
    })();
  });
}

/** The archive's most used fandom (a tag listing) and a filtered listing of freeforms. */
async function choosePages(db: Db): Promise<Pages> {
  const popular = async (type: string, limit: number) =>
    db
      .selectFrom("tags")
      .select(["id", "name"])
      .where("type", "=", type as "fandom")
      .where("merger_id", "is", null)
      .orderBy("taggings_count", "desc")
      .limit(limit)
      .execute();
  const [fandom] = await popular("fandom", 1);
  const freeforms = await popular("freeform", 3);
  if (!fandom || freeforms.length < 3) throw new Error("the archive has too few tags");
  const exclude = freeforms.slice(1).map((t) => t.id);
  return {
    tag: `/tags/${tagUrlName(fandom.name)}/works`,
    filtered: `/works?include=${freeforms[0]!.id}&exclude=${exclude.join(",")}&sort=kudos`,
  };
}

// --- the parent ------------------------------------------------------------------------------

/** `REV`'s files in a temporary directory, sharing this tree's node_modules. */
function checkout(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-before-"));
  execFileSync("sh", ["-c", `git archive ${rev} | tar -x -C ${dir}`]);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return dir;
}

interface Variant {
  name: string;
  proc: ChildProcess;
  pages: Pages;
  cpu: Record<keyof Pages, number[]>;
  sql: Record<keyof Pages, number>;
}

function start(name: string, tree: string, spec: string): Promise<Variant> {
  const proc = fork(fileURLToPath(import.meta.url), ["--child", tree, spec], {
    execArgv: ["--import", "tsx"],
    // tsx reads the tree's tsconfig.json (JSX settings) from the working directory.
    cwd: tree,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((done, fail) => {
    proc.once("error", fail);
    proc.once("message", (m: Reply) => {
      if (!("ready" in m)) return fail(new Error("unexpected message"));
      console.log(`  ${name}: ready in ${(m.startupMs / 1000).toFixed(1)} s`);
      done({
        name,
        proc,
        pages: m.pages,
        cpu: { tag: [], filtered: [] },
        sql: { tag: 0, filtered: 0 },
      });
    });
  });
}

function run(v: Variant, page: keyof Pages, n: number): Promise<void> {
  return new Promise((done, fail) => {
    v.proc.once("message", (m: Reply) => {
      if (!("ran" in m)) return fail(new Error("unexpected message"));
      if (m.status !== 200) return fail(new Error(`${v.name} ${v.pages[page]}: ${m.status}`));
      v.cpu[page].push(...m.cpuMs);
      v.sql[page] = m.sql;
      done();
    });
    v.proc.send({ run: page, n } satisfies Command);
  });
}

async function parent() {
  const targets = argValues("target");
  if (targets.length === 0) throw new Error("--target sqlite:FILE or postgres://… is required");
  const rev = argValues("before-rev")[0];
  const requests = numberArg(argv, "requests", 300);
  const rounds = numberArg(argv, "rounds", 3);
  const profDir = argValues("cpu-prof")[0];
  const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const trees = [...(rev ? [{ name: `before (${rev})`, dir: checkout(rev) }] : [])];
  trees.push({ name: "after (this tree)", dir: here });
  for (const spec of targets) {
    console.log(`\n${spec}`);
    const variants: Variant[] = [];
    for (const t of trees) variants.push(await start(t.name, t.dir, spec));
    // Warm-up (JIT, statement caches), then rounds interleaved across variants.
    for (const v of variants)
      for (const page of ["tag", "filtered"] as const) await run(v, page, 50);
    for (const v of variants) {
      v.cpu = { tag: [], filtered: [] };
      const file = `${v.name.replace(/\W+/g, "-")}-${spec.replace(/\W+/g, "-")}.cpuprofile`;
      if (profDir) v.proc.send({ profile: resolve(profDir, file) } satisfies Command);
    }
    for (let r = 0; r < rounds; r++) {
      for (const page of ["tag", "filtered"] as const) {
        for (const v of variants) await run(v, page, requests);
      }
    }
    console.log(`  ${variants[0]!.pages.tag}\n  ${variants[0]!.pages.filtered}`);
    console.log("  page      variant                     CPU/req mean  p50     p95     SQL/req");
    for (const page of ["tag", "filtered"] as const) {
      for (const v of variants) {
        const p = percentiles(v.cpu[page]);
        const mean = v.cpu[page].reduce((a, b) => a + b, 0) / v.cpu[page].length;
        console.log(
          `  ${page.padEnd(9)} ${v.name.padEnd(27)} ${mean.toFixed(3).padStart(8)} ms ${p.p50.toFixed(3)}  ${p.p95.toFixed(3)}  ${v.sql[page].toFixed(1)}`,
        );
      }
      if (variants.length === 2) {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const [b, a] = variants as [Variant, Variant];
        console.log(
          `  ${page.padEnd(9)} before/after: mean ×${(mean(b.cpu[page]) / mean(a.cpu[page])).toFixed(2)}, p50 ×${(percentiles(b.cpu[page]).p50 / percentiles(a.cpu[page]).p50).toFixed(2)}`,
        );
      }
    }
    for (const v of variants) {
      v.proc.send({ stop: true } satisfies Command);
      await new Promise((done) => v.proc.once("exit", done));
    }
  }
}

if (argv[0] === "--child") await child(argv[1]!, argv[2]!);
else await parent();
