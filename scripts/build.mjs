// The production build: esbuild bundles the server and the command line into dist/ as ES
// modules, so `npm start` runs plain JavaScript with no TypeScript loader.
//
// Why esbuild and not `tsc` emit: it is already a dependency, bundles the ~500 source files
// into a few modules in a second or two (tsc type-checks the whole tree first, and its output
// would need the assets copied beside it), and leaves every package external
// (`packages: "external"`) so native modules and node_modules load as usual.
//
// Entry points: src/main.ts and src/cli.ts, every `src/**/*-main.ts` (a module run as a process
// or thread of its own, e.g. the cluster worker src/serve/worker-main.ts) as dist/<name>.js,
// and any source file started with `new Worker(new URL("./x.ts", import.meta.url))` or
// `fork(new URL(…))`, whose URL is pointed at its output. dist/ is flat, so `import.meta.url`
// in the bundle names a file beside every entry. Files read beside the source, written
// `new URL("literal", import.meta.url)` (the static assets, the editor's browser source), are
// pointed at src/ relative to dist/, which always sits next to it.
//
// `node scripts/build.mjs` builds when stale; `--force` always builds. scripts/start.mjs
// calls buildIfStale() before every start: the check hashes the path, size and mtime of every
// input file into dist/.stamp, so an unchanged tree costs a directory walk (a few ms).
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const defaultRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The entry points every build has (`dist/main.js`, `dist/cli.js`). */
const ENTRIES = { main: "src/main.ts", cli: "src/cli.ts" };
/** Besides src/, what changes the output: dependencies, compiler settings, this script. */
const OTHER_INPUTS = ["package.json", "package-lock.json", "tsconfig.json", "scripts/build.mjs"];
const STAMP = ".stamp";

const isSource = (name) => /\.(ts|tsx|mts|js|mjs|json)$/.test(name) && !/\.test\.tsx?$/.test(name);

/** Every file under src/ that can change the bundle (tests cannot), sorted. */
function sourceFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isSource(entry.name)) out.push(path);
    }
  };
  walk(join(root, "src"));
  return out.sort();
}

/** A hash of the path, size and mtime of every input: cheap, and changes with any edit. */
export function sourceStamp(root = defaultRoot) {
  const hash = createHash("sha256");
  const inputs = [...sourceFiles(root), ...OTHER_INPUTS.map((p) => join(root, p))];
  for (const file of inputs) {
    let line = "missing";
    try {
      const s = statSync(file);
      line = `${s.size} ${s.mtimeMs}`;
    } catch {
      // A missing optional input (no package-lock.json yet) is part of the state too.
    }
    hash.update(`${relative(root, file)} ${line}\n`);
  }
  return hash.digest("hex");
}

function readStamp(distDir) {
  try {
    return readFileSync(join(distDir, STAMP), "utf8").trim();
  } catch {
    return null;
  }
}

/** `new URL("literal", import.meta.url)`: a file found relative to the module's own. */
const RELATIVE_URL = /\bnew\s+URL\(\s*(["'])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
/** The same, as what `new Worker(…)` or `fork(…)` runs: a source file to build as an entry. */
const SPAWNED_URL =
  /\b(?:new\s+Worker|fork)\s*\(\s*new\s+URL\(\s*(["'])(\.{1,2}\/[^"']+\.[mc]?tsx?)\1\s*,\s*import\.meta\.url\s*\)/g;
const MODULE = /\.[mc]?tsx?$/;

/** Every entry point, by output name: the fixed ones, `*-main.ts` files, spawned files. */
function entryPoints(root) {
  const entries = { ...ENTRIES };
  const spawned = new Map();
  const add = (name, file) => {
    const rel = relative(root, file).split(sep).join("/");
    if (entries[name] && entries[name] !== rel)
      throw new Error(`two entry points would build to dist/${name}.js: ${entries[name]}, ${rel}`);
    entries[name] = rel;
  };
  for (const file of sourceFiles(root)) {
    if (!MODULE.test(file)) continue;
    if (/-main\.[mc]?tsx?$/.test(file)) add(basename(file).replace(MODULE, ""), file);
    for (const match of readFileSync(file, "utf8").matchAll(SPAWNED_URL)) {
      const target = resolve(dirname(file), match[2]);
      const name = relative(join(root, "src"), target).replace(MODULE, "").split(sep).join("-");
      add(name, target);
      spawned.set(target, name);
    }
  }
  return { entries, spawned };
}

/**
 * An esbuild plugin pointing each `new URL("literal", import.meta.url)` at the source tree
 * (relative to dist/), or at the built entry when the URL is a spawned module.
 */
function sourceLocationPlugin(distDir, spawned) {
  return {
    name: "fanfold-source-location",
    setup(build) {
      build.onLoad({ filter: MODULE }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        const here = dirname(args.path);
        const literal = (path) => `new URL(${JSON.stringify(path)}, import.meta.url)`;
        const contents = text.replace(RELATIVE_URL, (call, _quote, rel) => {
          const target = resolve(here, rel);
          const built = spawned.get(target);
          if (built) return literal(`./${built}.js`);
          const fromDist = relative(distDir, target).split(sep).join("/");
          return literal(rel.endsWith("/") ? `${fromDist}/` : fromDist);
        });
        return { contents, loader: args.path.endsWith("x") ? "tsx" : "ts" };
      });
    },
  };
}

/** Builds into a scratch directory, then swaps it in for dist/ (a server may be reading it). */
export async function build({ root = defaultRoot, log = console.log } = {}) {
  const esbuild = await import("esbuild");
  const started = performance.now();
  const stamp = sourceStamp(root);
  const distDir = join(root, "dist");
  const { entries, spawned } = entryPoints(root);
  const result = await esbuild
    .build({
      absWorkingDir: root,
      entryPoints: entries,
      outdir: distDir,
      write: false,
      bundle: true,
      splitting: true,
      chunkNames: "chunk-[hash]",
      platform: "node",
      format: "esm",
      target: "node22",
      packages: "external",
      tsconfig: join(root, "tsconfig.json"),
      sourcemap: "linked",
      // Stack traces need the map's line table, not the sources' text (they stay in src/).
      sourcesContent: false,
      logLevel: "warning",
      plugins: [sourceLocationPlugin(distDir, spawned)],
    })
    // esbuild's service process would otherwise outlive the build beside the server.
    .finally(() => esbuild.stop());
  const scratch = join(root, ".tmp", `dist-${process.pid}-${Date.now()}`);
  for (const file of result.outputFiles) {
    const target = join(scratch, relative(distDir, file.path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  writeFileSync(join(scratch, STAMP), `${stamp}\n`);
  const old = join(root, ".tmp", `dist-old-${process.pid}-${Date.now()}`);
  if (existsSync(distDir)) renameSync(distDir, old);
  renameSync(scratch, distDir);
  rmSync(old, { recursive: true, force: true });
  log(
    `fanfold: built dist/ (${Object.keys(entries).join(", ")}) in ` +
      `${Math.round(performance.now() - started)} ms`,
  );
  return { built: true, entries: Object.keys(entries) };
}

/**
 * Builds unless dist/.stamp matches the inputs. One build at a time: a second starter waits
 * for the first (a lock directory holding its pid; a dead holder's lock is taken over).
 */
export async function buildIfStale({ root = defaultRoot, log = console.log } = {}) {
  const distDir = join(root, "dist");
  if (readStamp(distDir) === sourceStamp(root)) return { built: false };
  const lock = join(root, ".tmp", "build.lock");
  await acquire(lock);
  try {
    // Whoever held the lock may just have built this very tree.
    if (readStamp(distDir) === sourceStamp(root)) return { built: false };
    return await build({ root, log });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock) {
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }
    if (!holderAlive(lock) || waited > 120_000) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await sleep(100);
  }
}

function holderAlive(lock) {
  let pid;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // Just created, pid not yet written: give it a moment.
    try {
      return Date.now() - statSync(lock).mtimeMs < 5_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const force = process.argv.includes("--force");
  await (force ? build() : buildIfStale()).then((r) => {
    if (!r.built) console.log("fanfold: dist/ is up to date");
  });
}
