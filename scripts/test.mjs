// Runs every *.test.ts(x) under src/, test/ and e2e/ with Node's own test runner.
// `node --test` alone finds no .ts files and exits 0 having run nothing, so we list
// the files ourselves and fail loudly when there are none.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["src", "test", "e2e"];
// `--fast` leaves out the slow tier (`*.slow.test.ts`: property and scale tests) while working;
// `npm test` without it, as CI runs it, takes everything.
const fast = process.argv.includes("--fast");
const filter = process.argv.slice(2).filter((arg) => arg !== "--fast");

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((root) => collect(root, []))
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .filter((f) => !fast || !/\.slow\.test\.tsx?$/.test(f))
  .sort();
if (files.length === 0) {
  console.error("No test files found.");
  process.exit(1);
}

const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    `--test-concurrency=${process.env.FANFOLD_TEST_CONCURRENCY ?? 2}`,
    ...files,
  ],
  { stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
