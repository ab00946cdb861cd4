import assert from "node:assert/strict";
import { test } from "node:test";
import { SlicePacer } from "./follower.ts";

test("indexing slices stay at 5 ms on an idle loop and grow to keep a quarter of a busy one", () => {
  const pacer = new SlicePacer();
  assert.equal(pacer.budget(), 5);
  pacer.waited(0.2);
  assert.equal(pacer.budget(), 5);
  pacer.waited(60); // requests ran 60 ms: a 20 ms slice is a quarter of the 80 ms turn
  assert.equal(pacer.budget(), 20);
  pacer.waited(900); // however busy, one slice never holds the loop past 50 ms
  assert.equal(pacer.budget(), 50);
});

test("a yield measures how long requests kept indexing waiting", async () => {
  const pacer = new SlicePacer();
  setImmediate(() => {
    const until = performance.now() + 40;
    while (performance.now() < until); // a request holding the loop
  });
  await pacer.yield();
  assert.ok(pacer.budget() >= 12, `budget ${pacer.budget()}`);
});
