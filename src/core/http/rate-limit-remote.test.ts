/**
 * The cluster's shared counts: workers ask the primary's limiter over IPC (here an in-memory
 * channel pair, as the process tests in test/process/workers.test.ts do it for real).
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import {
  answerRateAsks,
  memoryRateLimiter,
  remoteRateLimiter,
  type MessageChannel,
} from "./rate-limit.ts";

/** Two ends of a channel; messages are cloned and delivered a tick later, as IPC does. */
function channelPair(): [MessageChannel, MessageChannel] {
  const a = new EventEmitter();
  const b = new EventEmitter();
  const end = (self: EventEmitter, other: EventEmitter): MessageChannel => ({
    send: (m) => setImmediate(() => other.emit("message", structuredClone(m))),
    on: (event, listener) => self.on(event, listener),
  });
  return [end(a, b), end(b, a)];
}

test("two workers' limiters count together in the primary", async () => {
  let now = 1_000_000;
  const counts = memoryRateLimiter(() => now);
  const workers = [0, 1].map(() => {
    const [worker, primary] = channelPair();
    answerRateAsks(counts, primary);
    return remoteRateLimiter(worker);
  });
  const [a, b] = workers as [(typeof workers)[0], (typeof workers)[0]];
  assert.equal((await a.hit("k", 3, 60_000)).allowed, true);
  assert.equal((await b.hit("k", 3, 60_000)).allowed, true);
  assert.equal((await a.hit("k", 3, 60_000)).allowed, true);
  const fourth = await b.hit("k", 3, 60_000);
  assert.deepEqual(fourth, { allowed: false, retryAfter: 60 });
  assert.equal((await a.peek("k", 3)).allowed, false);
  await b.undo("k");
  await b.undo("k");
  assert.equal((await a.peek("k", 3)).allowed, true);
  await a.reset("k");
  assert.deepEqual(await b.peek("k", 3), { allowed: true, retryAfter: 0 });
  now += 61_000;
  assert.equal((await b.hit("k", 1, 60_000)).allowed, true);
});

test("no answer from the primary is an error, not a silent allow", async () => {
  const [worker] = channelPair();
  const limiter = remoteRateLimiter(worker, 50);
  await assert.rejects(limiter.hit("k", 1, 1000), /no answer within 50 ms/);
});

test("malformed questions are ignored", async () => {
  const [worker, primary] = channelPair();
  answerRateAsks(memoryRateLimiter(), primary);
  const answers: unknown[] = [];
  worker.on("message", (m) => answers.push(m));
  worker.send({ fanfold: "rate-ask", id: 1, op: "hit", key: "k", limit: -1, windowMs: 5 });
  worker.send({ fanfold: "rate-ask", id: 2, op: "drop", key: "k" });
  worker.send({ fanfold: "rate-ask", id: "3", op: "reset", key: "k" });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(answers, []);
});
