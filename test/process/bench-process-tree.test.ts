/**
 * The page benchmark (bench/pages.ts) charges a server the CPU time of its whole process
 * tree: `npm start`, what npm starts, and any workers below. A grandchild's time must count,
 * and this test process's own must not.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { processTree } from "../../bench/pages/server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a process tree's CPU time includes its grandchildren's and nothing outside it", async () => {
  // sh → node, which spins for 400 ms of CPU, then waits to be looked at.
  // CPU time, not wall time: on a busy machine 400 ms of wall time may be 50 ms of CPU.
  const spin = "while (process.cpuUsage().user < 400000); setTimeout(() => {}, 60000);";
  const root = spawn("sh", ["-c", `"${process.execPath}" -e '${spin}'; true`], {
    stdio: "ignore",
  });
  try {
    let tree = processTree(root.pid!);
    for (let i = 0; i < 600 && tree.reduce((s, p) => s + p.cpuMs, 0) < 300; i++) {
      await sleep(50);
      tree = processTree(root.pid!);
    }
    assert.equal(tree[0]?.pid, root.pid);
    assert.ok(tree.length >= 2, "the node grandchild is in the tree");
    assert.ok(!tree.some((p) => p.pid === process.pid), "the caller is not in the tree");
    const cpuMs = tree.reduce((s, p) => s + p.cpuMs, 0);
    assert.ok(cpuMs >= 300, `the tree spent ${cpuMs} ms of CPU`);
    assert.ok(
      tree.every((p) => p.rssBytes > 0 || p.pid === root.pid),
      "resident memory is read",
    );
  } finally {
    // Grandchildren first: once sh is gone they are no longer below it.
    for (const p of processTree(root.pid!).reverse()) process.kill(p.pid, "SIGKILL");
  }
});
