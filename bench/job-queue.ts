/**
 * Job-queue benchmark (load review, "the queue fell minutes behind"): a server process
 * (`src/main.ts`, as deployed) under mixed load over HTTP on 127.0.0.1 — readers opening work
 * pages, leaving kudos and comments — while authors with a few hundred subscribers each post
 * chapters, and every notification is mailed to a local SMTP sink that accepts at most
 * `--smtp-rate` messages a second, each after `--smtp-latency` ms. It reports, per engine:
 *   chapter → inbox   from a chapter's POST response until all its subscribers' inbox entries
 *                     exist (p50/p95/max, s); a chapter not told by the end of the run counts
 *                     with its wait so far, and the figures are then lower bounds (≥)
 *   mail drain        messages the sink accepted per second while mail was queued, against the
 *                     sink's rate; the backlog left when the load stopped
 *   pages             reader requests' p50/p95 (ms), for context: "before" falls behind and
 *                     never writes most inbox entries, so it does less work than "after"
 * Each engine runs twice on a fresh database, side by side: "before" and "after" (this tree,
 * FANFOLD_JOB_CONCURRENCY=4). "before" is this tree made to behave as the old queue did — one
 * job at a time, oldest first (a trigger zeroes every job's priority), a new SMTP connection per
 * message (`SMTP_URL=…?pool=false`) — or, with `--before-rev REV`, that commit's own code.
 *
 *   npm run bench:jobs -- [--engine sqlite,postgres] [--seconds 30] [--clients 150]
 *     [--think 1000] [--authors 6] [--subscribers 300] [--chapter-every 4] [--smtp-rate 50]
 *     [--smtp-latency 20] [--tail 15] [--concurrency 4] [--before-rev REV]
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import pg from "pg";
import { signUp } from "../src/accounts/commands.ts";
import { openDb, type DbHandle, type Engine } from "../src/core/db/index.ts";
import { workForm } from "../test/support/app.ts";
import { engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const SECONDS = numberArg(argv, "seconds", 30);
const CLIENTS = numberArg(argv, "clients", 150);
const AUTHORS = numberArg(argv, "authors", 6);
const SUBSCRIBERS = numberArg(argv, "subscribers", 300);
const CHAPTER_EVERY_S = numberArg(argv, "chapter-every", 4);
const THINK_MS = numberArg(argv, "think", 1000);
const SMTP_RATE = numberArg(argv, "smtp-rate", 50);
const SMTP_LATENCY_MS = numberArg(argv, "smtp-latency", 20);
const TAIL_S = numberArg(argv, "tail", 15);
const CONCURRENCY = numberArg(argv, "concurrency", 4);
const WORKS_EACH = 5;
const BEFORE_REV = argv.includes("--before-rev") ? argv[argv.indexOf("--before-rev") + 1] : "";
const PG_URL = process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD = "a bench password of some length";
const CHEAP = { memoryCost: 256, timeCost: 1 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An SMTP server that accepts `rate` messages a second overall, each after `latency` ms. It
 * runs in a worker thread, so the load generator's busy event loop does not slow it down.
 */
async function smtpSink(rate: number, latency: number) {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SINK_THREAD, { eval: true, workerData: { rate, latency, counter } });
  const port = await new Promise<number>((ok, fail) => {
    worker.once("message", ok);
    worker.once("error", fail);
  });
  return {
    port,
    get accepted() {
      return Atomics.load(counter, 0);
    },
    close: () => worker.terminate().then(() => undefined),
  };
}

/** The sink's thread (plain CommonJS: worker threads do not load TypeScript). */
const SINK_THREAD = `
  const { parentPort, workerData: { rate, latency, counter } } = require("node:worker_threads");
  const { SMTPServer } = require(${JSON.stringify(createRequire(import.meta.url).resolve("smtp-server"))});
  let next = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false, closeTimeout: 100,
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        const now = performance.now();
        next = Math.max(now + latency, next + 1000 / rate);
        setTimeout(() => { Atomics.add(counter, 0, 1); callback(); }, next - now);
      });
    },
  });
  server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.server.address().port));
`;

type Form = Record<string, string | string[] | undefined>;

/** A browser over fetch, from an address of its own (the server trusts X-Forwarded-For). */
class Session {
  private cookies = new Map<string, string>();
  private csrf = "";
  constructor(
    private readonly base: string,
    private readonly ip: string,
  ) {}
  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { cookie, "x-forwarded-for": this.ip, ...extra };
  }
  private remember(res: Response, body: string) {
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(";")[0]!.split("=");
      this.cookies.set(k!, v ?? "");
    }
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? this.csrf;
  }
  async get(path: string) {
    const res = await fetch(this.base + path, { headers: this.headers() });
    const body = await res.text();
    this.remember(res, body);
    return res.status;
  }
  async post(path: string, form: Form) {
    const params = new URLSearchParams({ _csrf: this.csrf });
    for (const [k, v] of Object.entries(form))
      for (const one of [v ?? []].flat()) params.append(k, one);
    const res = await fetch(this.base + path, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: params.toString(),
    });
    this.remember(res, await res.text());
    return { status: res.status, location: res.headers.get("location") ?? "" };
  }
  async logIn(login: string) {
    await this.get("/login");
    await this.post("/login", { login, password: PASSWORD });
    await this.get("/");
  }
}

/** A fresh database: a SQLite file, or a new PostgreSQL database on the bench server. */
async function freshDatabase(
  engine: Engine,
): Promise<{ env: Record<string, string>; open: () => DbHandle; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "fanfold-jobs-bench-"));
  if (engine === "sqlite")
    return {
      env: { FANFOLD_DATA_DIR: dataDir },
      open: () => openDb({ kind: "sqlite", file: join(dataDir, "fanfold.db") }),
      drop: () => Promise.resolve(),
    };
  const name = `fanfold_jobs_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { FANFOLD_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    open: () => openDb({ kind: "postgres", url: url.toString() }),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Starts `src/main.ts` of `tree`; resolves with its address once it listens. */
function startServer(tree: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: tree,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "error",
      FANFOLD_DEMO: "false",
      FANFOLD_TRUST_PROXY: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise<{ base: string; child: ChildProcess }>((ok, fail) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /running at http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) ok({ base: `http://127.0.0.1:${port}`, child });
    });
    child.once("exit", (code) => fail(new Error(`server exited (${code}): ${out}`)));
  });
}

/** Old behaviour on this tree: every job inserted at priority 0, so claims go oldest first. */
async function fifoTrigger(h: DbHandle) {
  if (h.engine === "sqlite") {
    await sql`create trigger bench_fifo after insert on jobs begin update jobs set priority = 0 where id = new.id; end`.execute(
      h.db,
    );
    return;
  }
  await sql`create function bench_fifo() returns trigger language plpgsql as $$ begin new.priority := 0; return new; end $$`.execute(
    h.db,
  );
  await sql`create trigger bench_fifo before insert on jobs for each row execute function bench_fifo()`.execute(
    h.db,
  );
}

interface Variant {
  name: string;
  tree: string;
  env: Record<string, string>;
  /** Appended to SMTP_URL (nodemailer reads options from its query). */
  smtpQuery: string;
  fifo: boolean;
}

async function run(engine: Engine, variant: Variant) {
  const sink = await smtpSink(SMTP_RATE, SMTP_LATENCY_MS);
  const database = await freshDatabase(engine);
  const unlimited = "999999/1s";
  const { base, child } = await startServer(variant.tree, {
    ...database.env,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}/${variant.smtpQuery}`,
    FANFOLD_LIMIT_COMMENTS: unlimited,
    FANFOLD_LIMIT_KUDOS: unlimited,
    FANFOLD_LIMIT_BOOKMARKS: unlimited,
    ...variant.env,
  });
  const h = database.open();
  try {
    if (variant.fifo) await fifoTrigger(h);
    // Authors and their subscribers, straight into the database (cheap password hashes).
    const now = Date.now();
    const users: { id: number; login: string }[] = [];
    for (let i = 0; i < AUTHORS * (SUBSCRIBERS + 1); i++) {
      const login = `jb_${i}`;
      const made = await signUp(h.db, {
        login,
        email: `${login}@example.org`,
        password: PASSWORD,
        hashCost: CHEAP,
        now,
      });
      if (!made.ok) throw new Error(JSON.stringify(made.errors));
      users.push({ id: made.value.userId, login });
    }
    const authors = users.slice(0, AUTHORS);
    const fans = users.slice(AUTHORS);
    let ip = 0;
    const session = () => new Session(base, `10.0.${(++ip >> 8) & 255}.${ip & 255}`);
    // Each author posts WORKS_EACH works; chapters go to the first, readers read them all.
    const works: { id: number; author: Session }[] = [];
    for (const author of authors) {
      const s = session();
      await s.logIn(author.login);
      for (let w = 0; w < WORKS_EACH; w++) {
        await s.get("/works/new");
        const res = await s.post("/works", workForm({ title: `${author.login} work ${w}` }));
        works.push({ id: Number(/\/works\/(\d+)/.exec(res.location)?.[1]), author: s });
      }
    }
    // Subscribers follow their author from now on (the works above told nobody).
    while (
      await h.db
        .selectFrom("jobs")
        .select("id")
        .where("kind", "=", "work.posted")
        .executeTakeFirst()
    )
      await sleep(50);
    for (let a = 0; a < AUTHORS; a++) {
      const rows = fans.slice(a * SUBSCRIBERS, (a + 1) * SUBSCRIBERS).map((f) => ({
        user_id: f.id,
        target_type: "user" as const,
        target_id: authors[a]!.id,
        created_at: now,
      }));
      for (let i = 0; i < rows.length; i += 500)
        await h.db
          .insertInto("subscriptions")
          .values(rows.slice(i, i + 500))
          .execute();
    }
    const readers: Session[] = [];
    for (const fan of fans.slice(0, CLIENTS)) {
      const s = session();
      await s.logIn(fan.login);
      readers.push(s);
    }

    const stopAt = performance.now() + SECONDS * 1000;
    const pages: number[] = [];
    const chapters: { id: number; at: number; told?: number }[] = [];
    const mailQueued = async () =>
      Number(
        (
          await h.db
            .selectFrom("jobs")
            .select((eb) => eb.fn.countAll<number | string>().as("n"))
            .where("kind", "=", "notification.email")
            .where("failed_at", "is", null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const reader = async (s: Session, i: number) => {
      for (let n = i; performance.now() < stopAt; n++) {
        const work = works[(n * 7 + i) % works.length]!.id;
        const t = performance.now();
        if (n % 10 === 3) await s.post(`/works/${work}/kudos`, { return_to: `/works/${work}` });
        else if (n % 10 === 7)
          await s.post(`/works/${work}/comments`, { comment_content: `Lovely (${n}).` });
        else {
          await s.get(`/works/${work}?view_adult=true`);
          pages.push(performance.now() - t);
        }
        await sleep(THINK_MS * (0.5 + ((n * 37) % 100) / 100));
      }
    };
    const author = async (a: number) => {
      await sleep((a * CHAPTER_EVERY_S * 1000) / AUTHORS);
      for (let c = 0; performance.now() + CHAPTER_EVERY_S * 1000 < stopAt; c++) {
        const { id: workId, author: s } = works[a * WORKS_EACH]!;
        const res = await s.post(`/works/${workId}/chapters`, {
          chapter_title: `Part ${c}`,
          text: "The fog came back at dusk, as it always did.",
        });
        const id = Number(/\/chapters\/(\d+)/.exec(res.location)?.[1]);
        if (id) chapters.push({ id, at: performance.now() });
        await sleep(CHAPTER_EVERY_S * 1000);
      }
    };
    // Watches the inbox: a chapter is told when all its author's subscribers have its entry.
    // It reads rows by primary key from a little before the newest it saw (ids are taken at
    // insert, so a transaction can commit rows older than ones already read), not by chapter
    // (no index): its own load on the database stays small.
    let watching = true;
    const watcher = (async () => {
      const seen = new Set<number>();
      const perChapter = new Map<number, number>();
      let newest = 0;
      while (watching) {
        const rows = await h.db
          .selectFrom("notifications")
          .select(["id", "chapter_id"])
          .where("id", ">", newest - 1_000)
          .execute();
        const at = performance.now();
        for (const r of rows) {
          newest = Math.max(newest, r.id);
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          if (r.chapter_id !== null)
            perChapter.set(r.chapter_id, (perChapter.get(r.chapter_id) ?? 0) + 1);
        }
        for (const c of chapters)
          if (c.told === undefined && (perChapter.get(c.id) ?? 0) >= SUBSCRIBERS) c.told = at;
        await sleep(200);
      }
    })();
    // Mail drain: messages accepted per second over the seconds that began with mail queued.
    const drain = { sent: 0, seconds: 0 };
    const sampler = (async () => {
      let last = { at: performance.now(), sent: sink.accepted, queued: await mailQueued() };
      while (performance.now() < stopAt) {
        await sleep(1000);
        const now = { at: performance.now(), sent: sink.accepted, queued: await mailQueued() };
        if (last.queued > 0) {
          drain.sent += now.sent - last.sent;
          drain.seconds += (now.at - last.at) / 1000;
        }
        last = now;
      }
      return last.queued;
    })();
    await Promise.all([
      ...readers.map(reader),
      ...Array.from({ length: AUTHORS }, (_, a) => author(a)),
    ]);
    const backlog = await sampler;
    const tailEnd = performance.now() + TAIL_S * 1000;
    while (chapters.some((c) => c.told === undefined) && performance.now() < tailEnd)
      await sleep(100);
    watching = false;
    await watcher;
    const end = performance.now();
    const waits = chapters.map((c) => ((c.told ?? end) - c.at) / 1000);
    return {
      lag: percentiles(waits),
      missing: chapters.filter((c) => c.told === undefined).length,
      chapters: chapters.length,
      drain: drain.seconds > 0 ? drain.sent / drain.seconds : NaN,
      backlog,
      pages: percentiles(pages),
    };
  } finally {
    // The old queue finishes its whole backlog before it stops: give it a moment, no more.
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(kill);
    await h.close();
    await sink.close();
    await database.drop();
  }
}

/** `REV`'s files in a temporary directory, sharing this tree's node_modules. */
function checkout(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-before-"));
  execFileSync("sh", ["-c", `git archive ${rev} | tar -x -C ${dir}`]);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return dir;
}

async function main() {
  const before: Variant = BEFORE_REV
    ? {
        name: `before (${BEFORE_REV})`,
        tree: checkout(BEFORE_REV),
        env: {},
        smtpQuery: "",
        fifo: false,
      }
    : {
        name: "before (serial)",
        tree: resolve("."),
        env: { FANFOLD_JOB_CONCURRENCY: "1" },
        smtpQuery: "?pool=false",
        fifo: true,
      };
  const after: Variant = {
    name: "after",
    tree: resolve("."),
    env: { FANFOLD_JOB_CONCURRENCY: String(CONCURRENCY) },
    smtpQuery: "",
    fifo: false,
  };
  console.log(
    `${CLIENTS} readers (${THINK_MS} ms between clicks), ${AUTHORS} authors × ${SUBSCRIBERS} subscribers, a chapter per author every ${CHAPTER_EVERY_S} s, ` +
      `${SECONDS} s of load (+${TAIL_S} s tail); SMTP sink ${SMTP_RATE} msg/s, ${SMTP_LATENCY_MS} ms each`,
  );
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "—");
  for (const engine of engines(argv)) {
    const results = [];
    for (const variant of [before, after]) results.push({ variant, r: await run(engine, variant) });
    console.log(`\n${engine}`);
    for (const { variant, r } of results) {
      const ge = r.missing ? "≥ " : "";
      console.log(
        `  ${variant.name}: chapter → inbox ${ge}p50 ${f(r.lag.p50)} / p95 ${f(r.lag.p95)} / max ${f(r.lag.max)} s ` +
          `(${r.chapters} chapters, ${r.missing} not told by the end); mail ${f(r.drain, 1)}/s while queued ` +
          `= ${f((100 * r.drain) / SMTP_RATE, 0)} % of the sink's ${SMTP_RATE}/s, ${r.backlog} queued when the load stopped; ` +
          `pages p50 ${f(r.pages.p50, 1)} / p95 ${f(r.pages.p95, 1)} ms`,
      );
    }
    const [b, a] = results.map((x) => x.r);
    console.log(
      `  before/after: chapter → inbox p95 ${b!.missing ? "≥ " : ""}×${f(b!.lag.p95 / a!.lag.p95, 0)}, mail drain ×${f(a!.drain / b!.drain, 1)}`,
    );
  }
}

await main();
