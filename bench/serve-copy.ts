/**
 * For benchmarks that load a running server: starts `src/main.ts` of a source tree (this one,
 * or a git revision checked out beside it) on a copy of a data directory, as a user would.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

export const repoRoot = resolve(import.meta.dirname, "..");

export interface CopyServer {
  base: string;
  pid: number;
  dataDir: string;
  /** Everything the server printed on stdout so far. */
  output: () => string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  stop: () => Promise<void>;
}

export async function startCopy(
  root: string,
  data: string,
  env: Record<string, string> = {},
): Promise<CopyServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "fanfold-copy-"));
  cpSync(data, dataDir, { recursive: true });
  const port = 3900 + Math.floor(Math.random() * 500);
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      FANFOLD_DATA_DIR: dataDir,
      FANFOLD_DEMO: "false",
      PORT: String(port),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  server.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.pattern.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (tries > 1200 || server.exitCode !== null) {
      await stop();
      throw new Error(`server did not start:\n${out}`);
    }
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pid: server.pid!,
    dataDir,
    output: () => out,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const m = pattern.exec(out);
        if (m) resolve(m);
        else waiters.push({ pattern, resolve });
      }),
    stop,
  };
}

/** Checks a revision out beside the repository (sharing node_modules); `remove` deletes it. */
export function worktreeAt(revision: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-rev-"));
  execFileSync("git", ["worktree", "add", "--detach", dir, revision], {
    cwd: repoRoot,
    stdio: "ignore",
  });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return {
    dir,
    remove: () =>
      execFileSync("git", ["worktree", "remove", "--force", dir], {
        cwd: repoRoot,
        stdio: "ignore",
      }),
  };
}

/**
 * Milliseconds of CPU a process and its living descendants (the server's workers) have used:
 * user + system time from /proc.
 */
export function cpuMsOf(pid: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]!.split(" ");
      stats.set(Number(name), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  let ticks = 0;
  const tree = new Set([pid]);
  // Parents have smaller pids than their children here, but do not rely on it: repeat.
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, s] of stats) {
      if (!tree.has(p) && tree.has(s.ppid)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  for (const p of tree) ticks += stats.get(p)?.ticks ?? 0;
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** A work page a guest reads without a notice: posted, unrestricted, General Audiences. */
export function readableWork(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db
      .prepare(
        `select w.id from works w where w.posted = 1 and w.restricted = 0
         and exists (select 1 from work_tags wt join tags t on t.id = wt.tag_id
                     where wt.work_id = w.id and t.name = 'General Audiences')
         order by w.id limit 1`,
      )
      .get() as { id: number } | undefined;
    if (!row) throw new Error("no posted General Audiences work");
    return row.id;
  } finally {
    db.close();
  }
}
