/**
 * The real server as a child process (`src/main.ts`, as `npm start` runs it), for tests of the
 * process model: an HTTP client that opens a new connection per request (so the cluster hands
 * each one to the next worker) and reads which process answered (FANFOLD_TEST_EXPOSE_PID).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";

const root = new URL("../..", import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, "close");
  return port;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A database of its own: a data directory for SQLite, a scratch database on PostgreSQL. */
export interface Archive {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** Logins of the accounts (the demo's), oldest first. */
  logins(): Promise<string[]>;
  drop(): Promise<void>;
}

const LOGINS = "select login from users order by id";

export async function scratchArchive(pgUrl?: string): Promise<Archive> {
  const dataDir = mkdtempSync(join(tmpdir(), "fanfold-workers-"));
  if (!pgUrl) {
    return {
      env: {},
      dataDir,
      logins() {
        const db = new SQLite(join(dataDir, "fanfold.db"), { readonly: true });
        try {
          const rows = db.prepare(LOGINS).all() as { login: string }[];
          return Promise.resolve(rows.map((r) => r.login));
        } finally {
          db.close();
        }
      },
      drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const name = `fanfold_workers_${randomBytes(5).toString("hex")}`;
  const query = async (connectionString: string, statement: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<{ login: string }>(statement)).rows;
    } finally {
      await client.end();
    }
  };
  await query(pgUrl, `create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    dataDir,
    logins: async () => (await query(url.toString(), LOGINS)).map((r) => r.login),
    async drop() {
      await query(pgUrl, `drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Served {
  child: ChildProcess;
  port: number;
  output(): string;
  /** The pids printed at start, the one with the duties first. */
  workers: { duties: number; others: number[] };
}

/** Starts `src/main.ts --workers N` and waits for its start line. */
export async function serve(archive: Archive, workers: number): Promise<Served> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...archive.env,
    FANFOLD_DATA_DIR: archive.dataDir,
    FANFOLD_DEMO: "true",
    FANFOLD_DEMO_WORKS: "20",
    FANFOLD_TEST_EXPOSE_PID: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
  };
  if (!archive.env.DATABASE_URL) delete env.DATABASE_URL;
  delete env.FANFOLD_SECRET;
  delete env.REDIS_URL;
  delete env.FANFOLD_WORKERS;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "--workers", String(workers)],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const line = await waitFor(
    "the start line",
    () => {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
      return /^Workers \(pid\): (.*)$/m.exec(out)?.[1];
    },
    // A first start seeds the demo and builds each worker's index; CI machines are busy.
    300_000,
  );
  const pids = line
    .split(", ")
    .map((p) => ({ pid: Number(/\d+/.exec(p)![0]), duties: /duties/.test(p) }));
  return {
    child,
    port,
    output: () => out,
    workers: {
      duties: pids.find((p) => p.duties)!.pid,
      others: pids.filter((p) => !p.duties).map((p) => p.pid),
    },
  };
}

/** SIGTERM, then the exit code and how long it took. */
export async function terminate(served: Served): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  if (served.child.exitCode !== null) return { code: served.child.exitCode, ms: 0 };
  const exited = once(served.child, "exit") as Promise<[number | null]>;
  served.child.kill("SIGTERM");
  const [code] = await exited;
  return { code, ms: Date.now() - t0 };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The process that answered. */
  pid: number;
}

/** A browser: its cookies and the last CSRF token it saw; each request on a new connection. */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly port: number) {}

  get(path: string): Promise<Answer> {
    return this.send("GET", path);
  }

  /** Posts a form with the CSRF token of the page fetched last. */
  post(path: string, form: Record<string, string | string[] | undefined>): Promise<Answer> {
    const params = new URLSearchParams();
    if (this.csrf) params.append("_csrf", this.csrf);
    for (const [k, v] of Object.entries(form))
      for (const item of v === undefined ? [] : Array.isArray(v) ? v : [v]) params.append(k, item);
    return this.send("POST", path, params.toString());
  }

  private async send(method: string, path: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    };
    if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: this.port, method, path, headers, agent: false },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
              pid: Number(res.headers["x-fanfold-pid"]),
            }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    for (const cookie of answer.headers["set-cookie"] ?? []) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(answer.body)?.[1];
    if (token) this.csrf = token;
    return answer;
  }
}
