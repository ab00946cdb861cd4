/**
 * Rate limits: the Redis limiter shared by app processes (two limiters on one Redis count
 * together; windows expire), the route chain's per-account-and-address rule, and login
 * throttling on both engines with both limiters.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test, type TestContext } from "node:test";
import {
  memoryRateLimiter,
  redisRateLimiter,
  type RateLimiter,
} from "../../src/core/http/rate-limit.ts";
import { loadConfig } from "../../src/core/config.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { skipUnless } from "../support/skip.ts";

const redisUrl = process.env.FANFOLD_TEST_REDIS_URL;
const REDIS_NEEDED = "Redis tests need FANFOLD_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)";
const testPrefix = () => `fanfold-test:${randomBytes(6).toString("hex")}:`;

/** `undo` takes back one hit, never below zero, within the same window. */
async function checkUndo(limiter: RateLimiter) {
  await limiter.hit("u", 2, 60_000);
  await limiter.hit("u", 2, 60_000);
  assert.equal((await limiter.peek("u", 2)).allowed, false);
  await limiter.undo("u");
  assert.equal((await limiter.peek("u", 2)).allowed, true);
  assert.equal((await limiter.hit("u", 2, 60_000)).allowed, true);
  assert.equal((await limiter.hit("u", 2, 60_000)).allowed, false);
  // Never below zero: three undos of a count of one leave room for two, not four.
  await limiter.undo("v");
  await limiter.hit("v", 2, 60_000);
  for (let i = 0; i < 3; i++) await limiter.undo("v");
  assert.equal((await limiter.hit("v", 2, 60_000)).allowed, true);
  assert.equal((await limiter.hit("v", 2, 60_000)).allowed, true);
  assert.equal((await limiter.hit("v", 2, 60_000)).allowed, false);
}

test("memory rate limiter: undo takes back one hit", async () => {
  await checkUndo(memoryRateLimiter());
});

describe("Redis rate limiter", () => {
  test("two processes count together, and the window expires", async (t) => {
    if (skipUnless(t, redisUrl !== undefined, REDIS_NEEDED)) return;
    const prefix = testPrefix();
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
      await checkUndo(a);
      // Undo keeps the window: the key still expires.
      await a.hit("short-undo", 1, 150);
      await a.hit("short-undo", 1, 150);
      await a.undo("short-undo");
      await new Promise((r) => setTimeout(r, 250));
      assert.equal((await b.peek("short-undo", 1)).retryAfter, 0);
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
        terms_of_service: "1",
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
        terms_of_service: "1",
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

/**
 * Login throttling, on both engines and with both limiters. Attempts are counted before the
 * password is checked, per account (whatever name or case was typed) and, for failures only,
 * per address.
 */
describeEachEngine("login throttling", (engine) => {
  for (const kind of ["memory", "redis"] as const) {
    describe(`${kind} limiter`, () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(engine);
        if (kind === "redis" && redisUrl) t.deps.limiter = redisRateLimiter(redisUrl, testPrefix());
      });
      after(async () => {
        if (kind === "redis") await t.deps.limiter.close();
        await t.close();
      });
      const skipped = (tc: TestContext) =>
        kind === "redis" && skipUnless(tc, redisUrl !== undefined, REDIS_NEEDED);
      const attempt = async (login: string, password: string, ip?: string) =>
        (await new Client(t.app, ip).post("/login", { login, password })).statusCode;

      test("40 parallel wrong passwords: 10 are checked, the rest refused unchecked", async (tc) => {
        if (skipped(tc)) return;
        await new Client(t.app).signUp("parallel_target");
        const guessers = Array.from({ length: 40 }, () => new Client(t.app));
        await Promise.all(guessers.map((c) => c.token()));
        const results = await Promise.all(
          guessers.map((c, i) =>
            c.post("/login", { login: "parallel_target", password: `wrong guess ${i}` }),
          ),
        );
        const count = (status: number) => results.filter((r) => r.statusCode === status).length;
        // 401 comes only after a password check, so exactly the limit was checked.
        assert.equal(count(401), 10);
        assert.equal(count(429), 30);
        assert.match(
          results.find((r) => r.statusCode === 429)!.body,
          /Too many login attempts. Please wait 15 minutes/,
        );
        assert.equal(await attempt("parallel_target", TEST_PASSWORD), 429);
      });

      test("username, e-mail and any case of them share one account's allowance", async (tc) => {
        if (skipped(tc)) return;
        await new Client(t.app).signUp("Shared_Key");
        const names = [
          "Shared_Key",
          "shared_key@example.org",
          "SHARED_KEY",
          "Shared_Key@EXAMPLE.org",
        ];
        for (let i = 0; i < 10; i++) {
          assert.equal(await attempt(names[i % names.length]!, `wrong ${i}`), 401, `attempt ${i}`);
        }
        assert.equal(await attempt("shared_key", TEST_PASSWORD), 429);
        assert.equal(await attempt("SHARED_KEY@example.org", TEST_PASSWORD), 429);
        // Names of no account are limited alike (by the typed name, in any case), so a
        // refusal does not tell whether an account exists.
        for (let i = 0; i < 10; i++) {
          const name = i % 2 ? "Ghost_Writer" : "ghost_writer";
          assert.equal(await attempt(name, `wrong ${i}`), 401, `attempt ${i}`);
        }
        assert.equal(await attempt("GHOST_WRITER", "still wrong"), 429);
      });

      test("an address counts failures only: 60 readers behind one address all log in", async (tc) => {
        if (skipped(tc)) return;
        await new Client(t.app).signUp("nat_reader");
        const ip = "10.50.0.1";
        for (let i = 0; i < 60; i++) {
          assert.equal(await attempt("nat_reader", TEST_PASSWORD, ip), 303, `login ${i + 1}`);
        }
      });

      test("an address past 50 failures is refused even the right password; logging in does not clear it", async (tc) => {
        if (skipped(tc)) return;
        await new Client(t.app).signUp("nat_victim");
        const ip = "10.60.0.1";
        for (let i = 0; i < 49; i++) {
          assert.equal(
            await attempt(`stranger_${i}`, "wrong password", ip),
            401,
            `failure ${i + 1}`,
          );
        }
        // One's own successful login takes back only its own attempt.
        assert.equal(await attempt("nat_victim", TEST_PASSWORD, ip), 303);
        assert.equal(await attempt("stranger_x", "wrong password", ip), 401);
        assert.equal(await attempt("stranger_y", "wrong password", ip), 429);
        assert.equal(await attempt("nat_victim", TEST_PASSWORD, ip), 429);
        // Other addresses are not affected.
        assert.equal(await attempt("nat_victim", TEST_PASSWORD), 303);
      });
    });
  }
});
