/**
 * Rate limits: the Redis limiter shared by app processes (two limiters on one Redis count
 * together; windows expire), and the route chain's per-account-and-address rule.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { redisRateLimiter } from "../../src/core/http/rate-limit.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Client, createTestApp, TEST_PASSWORD } from "../support/app.ts";
import { skipUnless } from "../support/skip.ts";

const redisUrl = process.env.FANFOLD_TEST_REDIS_URL;

describe("Redis rate limiter", () => {
  test("two processes count together, and the window expires", async (t) => {
    if (
      skipUnless(
        t,
        redisUrl !== undefined,
        "Redis tests need FANFOLD_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)",
      )
    )
      return;
    const prefix = `fanfold-test:${randomBytes(6).toString("hex")}:`;
    const a = redisRateLimiter(redisUrl!, prefix);
    const b = redisRateLimiter(redisUrl!, prefix);
    try {
      assert.equal((await a.hit("kudos:user:1", 3, 60_000)).allowed, true);
      assert.equal((await b.hit("kudos:user:1", 3, 60_000)).allowed, true);
      assert.equal((await a.hit("kudos:user:1", 3, 60_000)).allowed, true);
      const refused = await b.hit("kudos:user:1", 3, 60_000);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfter > 0 && refused.retryAfter <= 60, String(refused.retryAfter));
      assert.equal((await a.peek("kudos:user:1", 3)).allowed, false);
      // Another key is counted apart.
      assert.equal((await a.hit("kudos:user:2", 3, 60_000)).allowed, true);
      // A short window expires on its own.
      await a.hit("short", 1, 150);
      assert.equal((await a.hit("short", 1, 150)).allowed, false);
      await new Promise((r) => setTimeout(r, 250));
      assert.equal((await b.hit("short", 1, 150)).allowed, true);
      await a.reset("kudos:user:1");
      assert.equal((await b.peek("kudos:user:1", 3)).allowed, true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("sign-up limits and the honeypot", () => {
  test("sign-ups per address follow FANFOLD_LIMIT_SIGNUPS (429 with a clear message)", async () => {
    const t = await createTestApp("sqlite", { FANFOLD_LIMIT_SIGNUPS: "2/1h" });
    try {
      const c = new Client(t.app);
      const form = (login: string) => ({
        login,
        email: `${login}@example.org`,
        password: TEST_PASSWORD,
        password_confirmation: TEST_PASSWORD,
      });
      assert.equal((await c.post("/signup", form("first_one"))).statusCode, 303);
      const other = new Client(t.app, c.ip);
      assert.equal((await other.post("/signup", form("second_one"))).statusCode, 303);
      const third = await new Client(t.app, c.ip).post("/signup", form("third_one"));
      assert.equal(third.statusCode, 429);
      assert.match(third.body, /doing that too often/);
      assert.ok(Number(third.headers["retry-after"]) > 0);
      // Another address is not affected.
      assert.equal((await new Client(t.app).post("/signup", form("fourth_one"))).statusCode, 303);
    } finally {
      await t.close();
    }
  });

  test("a filled honeypot field is refused and creates nothing", async () => {
    const t = await createTestApp();
    try {
      const res = await new Client(t.app).post("/signup", {
        login: "robot_account",
        email: "robot@example.org",
        password: TEST_PASSWORD,
        password_confirmation: TEST_PASSWORD,
        website: "http://spam.example",
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /must be left empty/);
      const user = await t.deps.db
        .selectFrom("users")
        .select("id")
        .where("login", "=", "robot_account")
        .executeTakeFirst();
      assert.equal(user, undefined);
      // The form carries the trap, hidden from people and assistive technology.
      const form = (await new Client(t.app).get("/signup")).body;
      assert.match(form, /<div class="honeypot" aria-hidden="true">/);
    } finally {
      await t.close();
    }
  });

  test("malformed limits are refused at start-up, naming the variable", () => {
    assert.throws(
      () => loadConfig({ FANFOLD_SECRET: "x".repeat(32), FANFOLD_LIMIT_KUDOS: "lots" }),
      /FANFOLD_LIMIT_KUDOS: must look like 20\/10m/,
    );
    const config = loadConfig({ FANFOLD_SECRET: "x".repeat(32), FANFOLD_LIMIT_COMMENTS: "5/2h" });
    assert.deepEqual(config.rateLimits.comments, { limit: 5, windowMs: 2 * 3_600_000 });
  });
});
