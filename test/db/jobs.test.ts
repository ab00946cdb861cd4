/**
 * The database job queue: a job exists exactly when the transaction that enqueued it commits;
 * a worker that dies mid-job leaves a lease that runs out, and another worker runs the job
 * again; failures are retried with backoff and given up after the last attempt; two workers
 * never run one job at once; recurring jobs queue their next run.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { claimJob } from "../../src/core/jobs/job-queries.ts";
import { backoffMs, enqueue, JobRunner } from "../../src/core/jobs/runner.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";

const T0 = Date.UTC(2026, 11, 1, 12);

describeEachEngine("job queue", (engine) => {
  let h: DbHandle;
  const clock = { now: T0 };
  const runner = (leaseMs = 60_000) => new JobRunner(h.db, { now: () => clock.now, leaseMs });

  before(async () => {
    h = await openTestDb(engine);
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
    for (const r of [a, b]) r.register("t.race", async (n) => void seen.push(n as number));
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
});
