/**
 * The bounded request queue (core/http/overload.ts) over real sockets: with one request in
 * flight and one waiting, the next is answered 503 with Retry-After at once; the held ones
 * still complete, probes answer throughout, a request that waited too long or whose reader
 * left gives its place back, and afterwards everything is served again.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../src/core/config.ts";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { LoopPressure, RETRY_AFTER_SECONDS } from "../../src/core/http/overload.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import { createHttpServer } from "../../src/core/http/server.tsx";
import { GUEST } from "../../src/core/viewer.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";

/** The HTTP core alone, with a test-only route that answers when the test releases it. */
async function heldServer(handle: DbHandle, limits: Record<string, string>) {
  const config = loadConfig({
    FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-test-")),
    FANFOLD_SECRET: "test-secret-test-secret-test-secret-1234",
    LOG_LEVEL: "silent",
    // The event loop's lateness on a busy test machine must not shed these requests.
    FANFOLD_MAX_LOOP_DELAY_MS: "0",
    ...limits,
  });
  const deps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(),
    now: Date.now,
  };
  const app = await createHttpServer(deps, {
    resolveViewer: () => Promise.resolve({ viewer: GUEST, sessionId: null }),
    logger: false,
  });
  const held: (() => void)[] = [];
  app.get("/test/held", async () => {
    await new Promise<void>((resolve) => held.push(resolve));
    return "released";
  });
  app.get("/test/quick", async () => "quick");
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, held, url: (path: string) => `${address}${path}` };
}

async function until(what: string, condition: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describeEachEngine("overload: a bounded queue, 503 when full", (engine: Engine) => {
  let handle: DbHandle;
  let app: FastifyInstance;
  let held: (() => void)[];
  let url: (path: string) => string;

  before(async () => {
    handle = await openTestDb(engine);
    ({ app, held, url } = await heldServer(handle, {
      FANFOLD_MAX_IN_FLIGHT: "1",
      FANFOLD_MAX_QUEUED: "1",
      FANFOLD_MAX_QUEUE_MS: "60000",
    }));
  });
  after(async () => {
    // The aborted fetches leave the client's keep-alive sockets behind: do not wait for them.
    app.server.closeAllConnections();
    await app.close();
    await handle.close();
  });

  test("the third request gets 503 at once; the held two complete; then all is served", async () => {
    const first = fetch(url("/test/held"));
    await until("the first to be handled", () => held.length === 1);
    const second = fetch(url("/test/held"));
    await until("the second to wait", () => app.requestGate.stats.queued === 1);

    const page = await fetch(url("/test/quick"));
    assert.equal(page.status, 503);
    assert.equal(page.headers.get("retry-after"), String(RETRY_AFTER_SECONDS));
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await page.text(), /The archive is busy/);
    const api = await fetch(url("/test/quick"), { headers: { accept: "application/json" } });
    assert.equal(api.status, 503);
    assert.equal(api.headers.get("retry-after"), String(RETRY_AFTER_SECONDS));
    assert.deepEqual(await api.json(), {
      error: "The archive is very busy right now. Please try again in a few seconds.",
      status: 503,
    });

    // Probes are never queued or shed.
    const health = await fetch(url("/healthz"));
    assert.equal(health.status, 200);
    const ready = await fetch(url("/readyz"));
    assert.equal(ready.status, 200, await ready.text());
    const asset = await fetch(url("/favicon.ico"));
    assert.equal(asset.status, 200);

    held[0]!();
    assert.equal((await first).status, 200);
    await until("the second to be handled", () => held.length === 2);
    held[1]!();
    const done = await second;
    assert.equal(done.status, 200);
    assert.equal(await done.text(), "released");

    const again = await fetch(url("/test/quick"));
    assert.equal(again.status, 200);
    assert.equal(await again.text(), "quick");
    assert.deepEqual(app.requestGate.stats, { inFlight: 0, queued: 0, shed: 2 });
  });

  test("a reader who leaves, waiting or being served, gives the place back", async () => {
    held.length = 0;
    const serving = new AbortController();
    const first = fetch(url("/test/held"), { signal: serving.signal }).catch(() => null);
    await until("the first to be handled", () => held.length === 1);
    const waiting = new AbortController();
    const second = fetch(url("/test/held"), { signal: waiting.signal }).catch(() => null);
    await until("the second to wait", () => app.requestGate.stats.queued === 1);

    waiting.abort();
    await second;
    await until("the queue to empty", () => app.requestGate.stats.queued === 0);
    serving.abort();
    await first;
    await until("the place to be free", () => app.requestGate.stats.inFlight === 0);
    held[0]!();

    const again = await fetch(url("/test/quick"));
    assert.equal(again.status, 200);
  });
});

test("a late event loop sheds a growing share of requests, once it stays late", () => {
  let dice = 0.5;
  const pressure = new LoopPressure(0, () => dice);
  const limit = new LoopPressure(500, () => dice);
  limit.close();
  for (const p of [pressure, limit]) assert.equal(p.shouldShed(), false);
  // Two late samples may be a pause; the third is overload.
  limit.observe(900);
  limit.observe(900);
  assert.equal(limit.share, 0);
  limit.observe(900);
  assert.equal(limit.share, 0.2);
  for (let i = 0; i < 10; i++) limit.observe(900);
  assert.equal(limit.share, 0.95);
  assert.equal(limit.shouldShed(), true);
  dice = 0.99;
  assert.equal(limit.shouldShed(), false);
  limit.observe(10);
  assert.ok(Math.abs(limit.share - 0.85) < 1e-9);
  for (let i = 0; i < 20; i++) limit.observe(10);
  assert.equal(limit.share, 0);
  dice = 0;
  assert.equal(limit.shouldShed(), false);
});

describeEachEngine("overload: a request that waited too long", (engine: Engine) => {
  let handle: DbHandle;
  let app: FastifyInstance;
  let held: (() => void)[];
  let url: (path: string) => string;

  before(async () => {
    handle = await openTestDb(engine);
    ({ app, held, url } = await heldServer(handle, {
      FANFOLD_MAX_IN_FLIGHT: "1",
      FANFOLD_MAX_QUEUED: "10",
      FANFOLD_MAX_QUEUE_MS: "50",
    }));
  });
  after(async () => {
    await app.close();
    await handle.close();
  });

  test("is answered 503 rather than served late, and the held one still completes", async () => {
    const first = fetch(url("/test/held"));
    await until("the first to be handled", () => held.length === 1);
    const late = await fetch(url("/test/quick"));
    assert.equal(late.status, 503);
    assert.equal(late.headers.get("retry-after"), String(RETRY_AFTER_SECONDS));
    assert.equal(app.requestGate.stats.queued, 0);
    held[0]!();
    assert.equal((await first).status, 200);
    assert.equal((await fetch(url("/test/quick"))).status, 200);
  });
});
