// `npm start` and `npm run fanfold -- …`: build dist/ when the sources changed (a stamp
// check, a few ms when nothing did), then run the compiled JavaScript:
//
//   node scripts/start.mjs            →  node --enable-source-maps dist/main.js
//   node scripts/start.mjs --cli ARGS →  node --enable-source-maps dist/cli.js ARGS
//
// with NODE_ENV=production unless set; source maps make stack traces name the .ts files. The
// program runs as a child process with the same Node.js (the one npm scripts use), so
// `process.execArgv` and the command line are those of production; SIGINT/SIGTERM are
// passed on and its exit status is this process's.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfStale } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = process.argv[2] === "--cli";
const args = process.argv.slice(cli ? 3 : 2);

try {
  // The CLI's output may be piped into other tools: build messages go to stderr there.
  await buildIfStale({ root, log: cli ? console.error : console.log });
} catch (err) {
  console.error(`fanfold: the build failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}

const entry = join(root, "dist", cli ? "cli.js" : "main.js");
const child = spawn(process.execPath, ["--enable-source-maps", entry, ...args], {
  // fd 3 (the server only): a pipe whose end tells the server this process is gone, even
  // after a SIGKILL no handler sees (src/serve/parent-watch.ts).
  stdio: cli ? "inherit" : ["inherit", "inherit", "inherit", "pipe"],
  env: {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? "production",
    ...(cli ? {} : { FANFOLD_PARENT_FD: "3" }),
  },
  // The server gets its own process group: Ctrl-C in a terminal reaches it once, through
  // us, rather than twice (from the terminal and from us, and npm forwards it a third
  // time), which would cut its graceful shutdown short. The CLI stays in the terminal's
  // group: it may read the terminal (create-admin) and dies on the first signal anyway.
  detached: !cli,
});

/** When each signal was last passed on: the copies npm and the terminal send are one. */
const forwardedAt = new Map();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    const last = forwardedAt.get(signal);
    if (last !== undefined && Date.now() - last < 1000) return;
    forwardedAt.set(signal, Date.now());
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (err) => {
  console.error(`fanfold: could not start ${process.execPath}: ${err.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
});
