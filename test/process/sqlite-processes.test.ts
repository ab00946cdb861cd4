/**
 * Several worker processes write one SQLite file (src/serve/): a transaction that reads and
 * then writes must wait for another process's write, not fail with SQLITE_BUSY (which a
 * deferred BEGIN gives, busy_timeout or not: see src/core/db/sqlite-immediate.ts).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const PER_PROCESS = 500;

test("two processes' read-then-write transactions on one SQLite file all commit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-sqlite-processes-"));
  const file = join(dir, "db.sqlite");
  try {
    const setup = new SQLite(file);
    setup.pragma("journal_mode = WAL");
    setup.exec("create table counter (id integer primary key, n integer not null)");
    setup.close();
    const writer = () =>
      run(
        process.execPath,
        ["--import", "tsx", "test/process/sqlite-writer.ts", file, String(PER_PROCESS), "2"],
        { cwd: root },
      ).then(({ stdout }) => (JSON.parse(stdout) as { failures: string[] }).failures);
    const [a, b] = await Promise.all([writer(), writer()]);
    assert.deepEqual([...a, ...b], [], "no transaction failed");
    const check = new SQLite(file, { readonly: true });
    const { n } = check.prepare("select count(*) as n from counter").get() as { n: number };
    check.close();
    assert.equal(n, 2 * PER_PROCESS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
