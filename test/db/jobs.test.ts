/**
 * The database job queue: a job exists exactly when the transaction that enqueued it commits;
 * a worker that dies mid-job leaves a lease that runs out, and another worker runs the job
 * again; failures are retried with backoff and given up after the last attempt; two workers
 * never run one job at once; recurring jobs queue their next run; a worker runs up to its
 * concurrency at once, lowest priority first; a payload its kind's schema refuses fails at once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { CompiledQuery, sql } from "kysely";
import { z } from "zod";
import { defineJobs } from "../../src/core/jobs/define.ts";
import { claimJob, insertJob, nextDueJob } from "../../src/core/jobs/job-queries.ts";
import { backoffMs, JobRunner } from "../../src/core/jobs/runner.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";

const T0 = Date.UTC(2026, 11, 1, 12);

/** The kinds these tests queue, each with the payload it carries (null: none). */
const testJobs = defineJobs({
  "t.rollback": z.object({ n: z.number() }),
  "t.crash": z.object({ mail: z.string() }),
  "t.fail": z.null(),
  "t.unique": z.null(),
  "t.race": z.number(),
  "t.every": z.null(),
  "t.latch": z.number(),
  "t.order": z.string(),
  "t.slow": z.null(),
  "t.quick": z.null(),
  "t.mail": z.null(),
  "t.inbox": z.null(),
  "t.cheap": z.null(),
  "t.short": z.null(),
  "t.closing": z.null(),
  "t.bulk": z.number().nullable(),
  "t.plan": z.null(),
  "t.typed": z.object({ n: z.number() }),
  "t.typed-every": z.null(),
});
const { enqueue, enqueueMany } = testJobs;

/** A promise the test resolves when it chooses (handlers wait on it to stay "running"). */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Waits until `check()` holds; fails after a few seconds instead of hanging. */
async function until(check: () => boolean, what: string) {
  for (const start = Date.now(); !check();) {
    if (Date.now() - start > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeEachEngine("job queue", (engine) => {
  let h: DbHandle;
  const clock = { now: T0 };
  const runner = (leaseMs = 60_000, concurrency = 1) =>
    new JobRunner(h.db, testJobs, { now: () => clock.now, leaseMs, concurrency, pollMs: 60_000 });

  const statements = { count: 0 };
  before(async () => {
    h = await openTestDb(engine, { onQuery: () => void statements.count++ });
  });
  after(() => h.close());

  const jobs = (kind: string) =>
    h.db.selectFrom("jobs").selectAll().where("kind", "=", kind).orderBy("id").execute();

  test("a job exists only if the transaction that enqueued it commits", async () => {
    await assert.rejects(
      h.db.transaction().execute(async (tx) => {
        await enqueue(tx, { kind: "t.rollback", payload: { n: 1 } }, clock.now);
        throw new Error("the change failed");
      }),
    );
    await h.db.transaction().execute(async (tx) => {
      await enqueue(tx, { kind: "t.rollback", payload: { n: 2 } }, clock.now);
    });
    const seen: unknown[] = [];
    const r = runner();
    r.register("t.rollback", async (payload) => void seen.push(payload));
    assert.equal(await r.drain(), 1);
    assert.deepEqual(seen, [{ n: 2 }]);
    assert.equal((await jobs("t.rollback")).length, 0, "done jobs are deleted");
  });

  test("a worker that dies mid-job: the lease runs out and another worker runs it", async () => {
    await enqueue(h.db, { kind: "t.crash", payload: { mail: "to@example.org" } }, clock.now);
    // Worker A claims the job and "crashes" (never finishes nor fails it).
    const claimed = await claimJob(h.db, "worker-a", ["t.crash"], clock.now, 60_000);
    assert.ok(claimed);
    const ran: string[] = [];
    const b = runner();
    b.register("t.crash", async () => void ran.push("b"));
    assert.equal(await b.drain(), 0, "held by A's lease");
    clock.now += 60_001;
    assert.equal(await b.drain(), 1);
    assert.deepEqual(ran, ["b"]);
    assert.equal((await jobs("t.crash")).length, 0);
  });

  test("failures are retried with backoff, then kept as failed with the error", async () => {
    await enqueue(h.db, { kind: "t.fail", maxAttempts: 3 }, clock.now);
    const r = runner();
    let calls = 0;
    r.register("t.fail", async () => {
      calls++;
      throw new Error(`mail server down (${calls})`);
    });
    assert.equal(await r.drain(), 1);
    let [row] = await jobs("t.fail");
    assert.equal(row!.attempts, 1);
    assert.equal(row!.run_at, clock.now + backoffMs(1));
    assert.match(row!.last_error ?? "", /mail server down \(1\)/);
    assert.equal(await r.drain(), 0, "not before the backoff");
    clock.now += backoffMs(1);
    await r.drain();
    clock.now += backoffMs(2);
    await r.drain();
    [row] = await jobs("t.fail");
    assert.equal(calls, 3);
    assert.equal(row!.attempts, 3);
    assert.notEqual(row!.failed_at, null, "given up after the last attempt, and kept");
    clock.now += 7 * 3_600_000;
    assert.equal(await r.drain(), 0, "a failed job is not run again");
  });

  test("a unique key keeps one queued job; two workers never run one job twice", async () => {
    for (let i = 0; i < 3; i++)
      await enqueue(h.db, { kind: "t.unique", uniqueKey: "digest:2026-12-01" }, clock.now);
    assert.equal((await jobs("t.unique")).length, 1);
    for (let i = 0; i < 40; i++) await enqueue(h.db, { kind: "t.race", payload: i }, clock.now);
    const seen: number[] = [];
    const a = runner();
    const b = runner();
    for (const r of [a, b]) r.register("t.race", async (n) => void seen.push(n));
    const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
    assert.equal(ranA + ranB, 40);
    assert.deepEqual(
      [...seen].sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  test("a recurring job queues its next run after each run", async () => {
    const r = runner();
    let runs = 0;
    r.every("t.every", 3_600_000, async () => void runs++);
    await r.scheduleRecurring();
    await r.scheduleRecurring();
    assert.equal((await jobs("t.every")).length, 1, "one per kind, however often scheduled");
    assert.equal(await r.drain(), 0);
    clock.now += 3_600_000;
    assert.equal(await r.drain(), 1);
    const [next] = await jobs("t.every");
    assert.equal(next!.run_at, clock.now + 3_600_000);
    assert.equal(runs, 1);
  });

  test("concurrency N: N jobs run at once, none twice, across two workers", async () => {
    for (let i = 0; i < 10; i++) await enqueue(h.db, { kind: "t.latch", payload: i }, clock.now);
    const gate = latch();
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const a = runner(60_000, 3);
    const b = runner(60_000, 3);
    for (const r of [a, b])
      r.register("t.latch", async (n) => {
        started.push(n);
        most = Math.max(most, ++running);
        await gate.opened;
        running--;
      });
    const draining = Promise.all([a.drain(), b.drain()]);
    await until(() => running === 6, "six jobs running at once");
    // Held on the latch: nothing more is claimed, and no job was handed out twice.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(started.length, 6);
    assert.equal(new Set(started).size, 6);
    gate.open();
    const [ranA, ranB] = await draining;
    assert.equal(ranA + ranB, 10);
    assert.equal(most, 6, "never more than 3 per worker");
    assert.deepEqual(
      [...started].sort((x, y) => x - y),
      Array.from({ length: 10 }, (_, i) => i),
    );
    assert.equal((await jobs("t.latch")).length, 0);
  });

  test("claim order: lowest priority first, then earliest run_at, then id", async () => {
    const order: string[] = [];
    await enqueue(h.db, { kind: "t.order", payload: "mail-old", priority: 10 }, clock.now - 5);
    await enqueue(h.db, { kind: "t.order", payload: "inbox-b", priority: 0 }, clock.now);
    await enqueue(h.db, { kind: "t.order", payload: "mail-new", priority: 10 }, clock.now);
    await enqueue(h.db, { kind: "t.order", payload: "inbox-a", priority: 0 }, clock.now - 1);
    await enqueue(h.db, { kind: "t.order", payload: "inbox-c", priority: 0 }, clock.now);
    const r = runner();
    r.register("t.order", async (p) => void order.push(p));
    assert.equal(await r.drain(), 5);
    assert.deepEqual(order, ["inbox-a", "inbox-b", "inbox-c", "mail-old", "mail-new"]);
  });

  test("wake() during a long job starts newly committed jobs at once", async () => {
    const gate = latch();
    const ran: string[] = [];
    const r = runner(60_000, 2);
    r.register("t.slow", async () => {
      ran.push("slow");
      await gate.opened;
    });
    r.register("t.quick", async () => void ran.push("quick"));
    await enqueue(h.db, { kind: "t.slow" }, clock.now);
    await r.start();
    await until(() => ran.includes("slow"), "the slow job");
    await enqueue(h.db, { kind: "t.quick" }, clock.now);
    r.wake();
    // The poll interval is a minute: only wake() can have started it.
    await until(() => ran.includes("quick"), "the quick job beside the slow one");
    gate.open();
    await r.close();
    assert.equal((await jobs("t.slow")).length + (await jobs("t.quick")).length, 0);
  });

  test("one lane is kept for priority 0: mail never holds every lane", async () => {
    const gate = latch();
    let mailing = 0;
    const ran: string[] = [];
    const r = runner(60_000, 3);
    r.register("t.mail", async () => {
      mailing++;
      await gate.opened;
      mailing--;
    });
    r.register("t.inbox", async () => void ran.push("inbox"));
    for (let i = 0; i < 5; i++) await enqueue(h.db, { kind: "t.mail", priority: 10 }, clock.now);
    await r.start();
    await until(() => mailing === 2, "two mail jobs");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(mailing, 2, "the third lane waits for in-site work");
    await enqueue(h.db, { kind: "t.inbox" }, clock.now);
    r.wake();
    await until(() => ran.length === 1, "the inbox job while mail is stuck");
    gate.open();
    await until(() => mailing === 0, "the mail to finish");
    await r.close();
  });

  test("the kept lane does not look for in-site work after every email", async () => {
    for (let i = 0; i < 10; i++) await enqueue(h.db, { kind: "t.cheap", priority: 10 }, clock.now);
    const r = runner(60_000, 2);
    r.register("t.cheap", async () => {});
    const before = statements.count;
    assert.equal(await r.drain(), 10);
    // Per job a claim and a delete (SQLite claims in two statements, PostgreSQL in one), and
    // one last empty claim; not an extra empty claim for the kept lane after each.
    const perClaim = engine === "sqlite" ? 2 : 1;
    assert.equal(statements.count - before, 10 * (perClaim + 1) + 1);
  });

  test("drain() ends only when the queue is empty, not when the kept lane finds nothing", async () => {
    for (let i = 0; i < 40; i++) await enqueue(h.db, { kind: "t.short", priority: 10 }, clock.now);
    // Polling every millisecond makes the kept lane look (and find nothing) while mail runs.
    const r = new JobRunner(h.db, testJobs, { now: () => clock.now, concurrency: 2, pollMs: 1 });
    r.register("t.short", () => new Promise((resolve) => setTimeout(resolve, 2)));
    assert.equal(await r.drain(), 40);
  });

  test("close() lets running jobs finish and claims no more", async () => {
    const gate = latch();
    let runs = 0;
    const r = runner(60_000, 1);
    r.register("t.closing", async () => {
      runs++;
      await gate.opened;
    });
    for (let i = 0; i < 3; i++) await enqueue(h.db, { kind: "t.closing" }, clock.now);
    await r.start();
    await until(() => runs === 1, "the first job");
    const closed = r.close();
    gate.open();
    await closed;
    assert.equal(runs, 1);
    assert.equal((await jobs("t.closing")).length, 2, "left for the next start");
    await h.db.deleteFrom("jobs").where("kind", "=", "t.closing").execute();
  });

  test("a payload its kind's schema refuses fails at once, logged, and is not retried", async () => {
    // Rows the compiler never saw: queued by an older version of the app, or by hand.
    await insertJob(h.db, { kind: "t.typed", payload: { n: "one" } }, clock.now);
    await insertJob(h.db, { kind: "t.typed", payload: { n: 2 } }, clock.now);
    await h.db
      .insertInto("jobs")
      .values({
        kind: "t.typed",
        payload: "{n:",
        run_at: clock.now,
        max_attempts: 8,
        created_at: clock.now,
      })
      .execute();
    const logged: string[] = [];
    const r = new JobRunner(h.db, testJobs, {
      now: () => clock.now,
      pollMs: 60_000,
      log: (m) => void logged.push(m),
    });
    const seen: unknown[] = [];
    r.register("t.typed", async (payload) => void seen.push(payload));
    assert.equal(await r.drain(), 3);
    assert.deepEqual(seen, [{ n: 2 }], "the handler sees only the payload that fits");
    const failed = await jobs("t.typed");
    assert.equal(failed.length, 2);
    for (const row of failed) {
      assert.equal(row.attempts, 1, "one attempt, not the eight allowed");
      assert.notEqual(row.failed_at, null, "kept as failed at once");
    }
    assert.match(failed[0]!.last_error ?? "", /does not fit the "t\.typed" schema: .*number.*n/);
    assert.match(failed[1]!.last_error ?? "", /not JSON/);
    assert.equal(logged.length, 2);
    assert.match(
      logged[0]!,
      /^job t\.typed #\d+ failed \(attempt 1\/8\), giving up: payload does not fit/,
    );
    clock.now += 7 * 3_600_000;
    assert.equal(await r.drain(), 0, "never run again");
    await h.db.deleteFrom("jobs").where("kind", "=", "t.typed").execute();
  });

  test("a recurring job whose payload is refused is queued afresh", async () => {
    await insertJob(
      h.db,
      { kind: "t.typed-every", payload: { stale: true }, uniqueKey: "every:t.typed-every" },
      clock.now,
    );
    const r = runner();
    let runs = 0;
    r.every("t.typed-every", 3_600_000, async () => void runs++);
    assert.equal(await r.drain(), 1);
    assert.equal(runs, 0);
    const rows = await jobs("t.typed-every");
    assert.deepEqual(
      rows.map((j) => [j.failed_at !== null, j.run_at]),
      [
        [true, clock.now],
        [false, clock.now + 3_600_000],
      ],
    );
    clock.now += 3_600_000;
    assert.equal(await r.drain(), 1);
    assert.equal(runs, 1);
  });

  test("enqueueMany adds many jobs in one statement per 500, unique keys still apply", async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => ({ kind: "t.bulk" as const, payload: i }));
    const before = statements.count;
    await enqueueMany(h.db, [...many, { kind: "t.bulk", uniqueKey: "bulk-once" }], clock.now);
    assert.equal(statements.count - before, 3);
    await enqueueMany(h.db, [{ kind: "t.bulk", uniqueKey: "bulk-once" }], clock.now);
    assert.equal((await jobs("t.bulk")).length, 1_201);
    await h.db.deleteFrom("jobs").where("kind", "=", "t.bulk").execute();
  });

  test("the claim query reads jobs_claim in order, sorting nothing, however long the queue", async () => {
    const backlog = Array.from({ length: 3_000 }, (_, i) => ({
      kind: "t.plan" as const,
      priority: i % 3 === 0 ? 0 : 10,
      runAt: clock.now - (i % 100),
    }));
    await enqueueMany(h.db, backlog, clock.now);
    if (engine === "postgres") await sql`analyze jobs`.execute(h.db);
    const query = nextDueJob(h.db, ["t.plan"], clock.now).select("id").compile();
    const explain = engine === "sqlite" ? "explain query plan" : "explain";
    const plan = await h.db.executeQuery(
      CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]),
    );
    const text = plan.rows.map((row) => Object.values(row as object).join(" ")).join("\n");
    assert.match(text, /jobs_claim/, text);
    assert.doesNotMatch(text, /TEMP B-TREE|Sort/, text);
    await h.db.deleteFrom("jobs").where("kind", "=", "t.plan").execute();
  });
});
