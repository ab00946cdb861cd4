/**
 * Health and readiness: /healthz says the process answers and asks the database nothing;
 * /readyz is 503 naming what is not ready — the database, a migration this code has that the
 * database lacks, the browse index's first build — and 200 once all are.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/core/config.ts";
import { migrateToLatest, type DbHandle, type Engine } from "../../src/core/db/index.ts";
import { migrations } from "../../src/core/db/migrations/index.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import { createHttpServer } from "../../src/core/http/server.tsx";
import { GUEST } from "../../src/core/viewer.ts";
import { createTestApp } from "../support/app.ts";
import { describeEachEngine, openTestDb, scanningCatalog } from "../support/db.ts";

interface ReadyBody {
  status: string;
  checks: Record<string, string>;
}
const checksOf = (res: { json: () => unknown }) => (res.json() as ReadyBody).checks;

/** The HTTP core alone on this database (no domains, so no browse index of its own). */
async function probeServer(handle: DbHandle) {
  const config = loadConfig({
    FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-test-")),
    FANFOLD_SECRET: "test-secret-test-secret-test-secret-1234",
    LOG_LEVEL: "silent",
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
  return app;
}

const names = Object.keys(migrations);
const newest = names[names.length - 1]!;

describeEachEngine("health and readiness", (engine: Engine) => {
  test("/healthz answers without a database call", async () => {
    const queries = { count: 0 };
    const handle = await openTestDb(engine, { onQuery: () => void queries.count++ });
    const app = await probeServer(handle);
    try {
      const before = queries.count;
      const res = await app.inject({ method: "GET", url: "/healthz" });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: "ok", database: engine });
      assert.equal(res.headers["cache-control"], "no-store");
      assert.equal(queries.count, before, "healthz ran SQL");
    } finally {
      await app.close();
      await handle.close();
    }
  });

  test("/readyz is 503 until the browse index is built, naming it", async () => {
    const handle = await openTestDb(engine);
    const app = await probeServer(handle);
    let built!: () => void;
    app.readiness.waitFor("searchIndex", new Promise<void>((r) => (built = r)), "building");
    try {
      const building = await app.inject({ method: "GET", url: "/readyz" });
      assert.equal(building.statusCode, 503);
      assert.deepEqual(building.json(), {
        status: "not ready",
        checks: { database: "ok", migrations: "ok", searchIndex: "building" },
      });
      built();
      await new Promise((r) => setImmediate(r));
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), {
        status: "ready",
        checks: { database: "ok", migrations: "ok", searchIndex: "ok" },
      });
    } finally {
      await app.close();
      await handle.close();
    }
  });

  test("/readyz is 503 with a pending migration, naming it, and 200 once migrated", async () => {
    const handle = await openTestDb(engine, { migrateTo: names[names.length - 2]! });
    const app = await probeServer(handle);
    try {
      const pending = await app.inject({ method: "GET", url: "/readyz" });
      assert.equal(pending.statusCode, 503);
      assert.equal(checksOf(pending).database, "ok");
      assert.equal(checksOf(pending).migrations, `1 pending: ${newest}`);
      // Under the schema lock: the migrator's scan of every schema throws if another test
      // process drops its scratch schema meanwhile (seen once in CI).
      await scanningCatalog(engine, () => migrateToLatest(handle.db));
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      assert.equal(ready.statusCode, 200, ready.body);
    } finally {
      await app.close();
      await handle.close();
    }
  });

  test("/readyz is 503 when the database does not answer; /healthz stays 200", async () => {
    const handle = await openTestDb(engine);
    const app = await probeServer(handle);
    try {
      assert.equal((await app.inject({ method: "GET", url: "/readyz" })).statusCode, 200);
      await handle.close();
      const res = await app.inject({ method: "GET", url: "/readyz" });
      assert.equal(res.statusCode, 503);
      assert.equal(checksOf(res).database, "unreachable");
      assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test("the whole app reports its browse index built once it serves", async () => {
    const t = await createTestApp(engine);
    try {
      const res = await t.app.inject({ method: "GET", url: "/readyz" });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(checksOf(res), {
        database: "ok",
        migrations: "ok",
        searchIndex: "ok",
      });
    } finally {
      await t.close();
    }
  });
});
