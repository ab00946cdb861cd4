/**
 * The app's job kinds: each schema takes what its enqueuer sends and the rows older versions
 * queued; and, checked by `npm run typecheck`, a wrong kind or payload does not compile.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Queryable } from "../db/index.ts";
import { enqueue, enqueueMany, jobKinds } from "./kinds.ts";
import type { JobRunner } from "./runner.ts";

const { schemas } = jobKinds;

test("a work.deleted event queued before it carried more than the id still parses", () => {
  assert.deepEqual(schemas["work.deleted"].parse({ workId: 3 }), {
    workId: 3,
    creators: [],
    fandoms: [],
  });
});

test("payloads are checked when the job runs: ids are positive whole numbers", () => {
  assert.ok(schemas["chapter.posted"].safeParse({ workId: 1, chapterId: 2 }).success);
  assert.ok(!schemas["chapter.posted"].safeParse({ workId: 1 }).success);
  assert.ok(!schemas["notification.email"].safeParse({ notificationId: "7" }).success);
  assert.ok(!schemas["work.posted"].safeParse({ workId: 0 }).success);
  assert.ok(schemas["kudos.digest"].safeParse(null).success, "recurring jobs carry null");
});

// Never called: these lines are here for the type checker, which must refuse each marked one.
function wrongJobsDoNotCompile(db: Queryable, runner: JobRunner) {
  // @ts-expect-error: work.posted needs its workId
  void enqueue(db, { kind: "work.posted", payload: {} }, 0);
  // @ts-expect-error: ids are numbers
  void enqueue(db, { kind: "chapter.posted", payload: { workId: "1", chapterId: 2 } }, 0);
  // @ts-expect-error: a payload is required unless the kind carries none
  void enqueue(db, { kind: "notification.email" }, 0);
  // @ts-expect-error: no such kind
  void enqueue(db, { kind: "work.posed", payload: { workId: 1 } }, 0);
  void enqueueMany(
    db,
    [
      { kind: "work.posted", payload: { workId: 1 } },
      // @ts-expect-error: one wrong job in a batch is enough (a recurring kind carries null)
      { kind: "hits.prune", payload: 1 },
    ],
    0,
  );
  runner.register("work.posted", async (payload) => {
    // @ts-expect-error: a work.posted handler receives no chapterId
    void payload.chapterId;
  });
  // @ts-expect-error: a handler must take its own kind's payload
  runner.register("chapter.deleted", async (payload: { notificationId: number }) => void payload);
  // @ts-expect-error: every() runs only kinds without a payload
  runner.every("work.posted", 60_000, async () => {});
  // What compiles: a kind with its payload, a recurring kind without one.
  void enqueue(db, { kind: "chapter.posted", payload: { workId: 1, chapterId: 2 } }, 0);
  void enqueue(db, { kind: "kudos.digest" }, 0);
  runner.every("hits.prune", 60_000, async (_payload, { now }) => void now);
}

test("the type checks above are in a function the test never calls", () => {
  assert.equal(typeof wrongJobsDoNotCompile, "function");
});
