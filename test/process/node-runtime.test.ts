/**
 * The Node.js versions Fanfold names (README, package.json `engines`) and the versions its
 * dependency tree accepts must agree, and the suite must run on one of them: on an older
 * machine the postinstall script (scripts/runtime.mjs) brings Node.js from the npm registry.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import semver from "semver";

const root = new URL("../..", import.meta.url).pathname;
const readJson = (path: string) => JSON.parse(readFileSync(root + path, "utf8")) as unknown;

const pkg = readJson("package.json") as {
  engines: { node: string };
  fanfold: { runtime: string };
  scripts: Record<string, string>;
};
const supported = pkg.engines.node;

test("the suite runs on a Node.js that package.json's engines accept", () => {
  assert.ok(
    semver.satisfies(process.versions.node, supported),
    `running on Node.js ${process.versions.node}, outside "${supported}": run the suite with ` +
      "`npm test` (npm scripts use the Node.js that `npm install` brings on older machines)",
  );
});

test("the Node.js brought on older machines is one of the supported versions", () => {
  assert.ok(semver.satisfies(pkg.fanfold.runtime, supported), pkg.fanfold.runtime);
});

test("CI runs the suite on Node 24, a line engines accept", () => {
  const ci = readFileSync(root + ".ci/run", "utf8");
  const line = /^export FANFOLD_RUNTIME="\$\{FANFOLD_RUNTIME:-(\d+)\}"$/m.exec(ci)?.[1];
  assert.equal(line, "24", ".ci/run sets FANFOLD_RUNTIME=24 before npm ci");
  assert.ok(semver.satisfies(`${line}.0.0`, supported), `${line} outside "${supported}"`);
});

test("under FANFOLD_RUNTIME (CI) the suite runs on the Node.js line asked for", (t) => {
  const requested = process.env.FANFOLD_RUNTIME;
  if (!requested) return t.skip("FANFOLD_RUNTIME is not set (CI sets it)");
  const running = process.versions.node;
  assert.ok(
    running === requested || running.startsWith(`${requested}.`),
    `FANFOLD_RUNTIME=${requested} but the suite runs on Node.js ${running}`,
  );
});

test("npm start and npm run fanfold run compiled JavaScript, not a TypeScript loader", () => {
  assert.equal(pkg.scripts.start, "node scripts/start.mjs");
  assert.equal(pkg.scripts.fanfold, "node scripts/start.mjs --cli");
});

test("the README names the supported Node.js versions as package.json does", () => {
  const readme = readFileSync(root + "README.md", "utf8");
  assert.ok(readme.includes(`\`${supported}\``), `README should quote engines "${supported}"`);
});

test("every installed package accepts every Node.js version Fanfold supports", () => {
  const lock = readJson("package-lock.json") as {
    packages: Record<string, { version?: string; engines?: unknown; optional?: boolean }>;
  };
  const disagreeing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "") continue;
    // Old packages sometimes give engines as an array of strings; only the object form binds npm.
    const engines = entry.engines as { node?: unknown } | undefined;
    const wanted = typeof engines?.node === "string" ? engines.node : undefined;
    if (!wanted) continue;
    // subset(a, b): every version in a satisfies b. An unparseable range counts as disagreeing.
    let agrees = false;
    try {
      agrees = semver.subset(supported, wanted, { includePrerelease: false });
    } catch {
      agrees = false;
    }
    if (!agrees)
      disagreeing.push(
        `${path.replace(/^.*node_modules\//, "")}@${entry.version} wants "${wanted}"`,
      );
  }
  assert.deepEqual(disagreeing, [], `packages that refuse part of "${supported}"`);
});
