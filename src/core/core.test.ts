import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setBounded } from "./bounded-map.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { csrfMatches, csrfToken } from "./http/csrf.ts";
import { memoryRateLimiter } from "./http/rate-limit.ts";
import { definePolicy } from "./policy.ts";
import { NO_EXCLUSIONS } from "./viewer.ts";

test("configuration: defaults need nothing; the secret is generated once and kept", () => {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-config-"));
  const config = loadConfig({ FANFOLD_DATA_DIR: dir });
  assert.equal(config.port, 3000);
  assert.deepEqual(config.database, { kind: "sqlite", file: join(dir, "fanfold.db") });
  assert.ok(existsSync(join(dir, "secret")));
  assert.equal(readFileSync(join(dir, "secret"), "utf8").trim(), config.secret);
  assert.equal(loadConfig({ FANFOLD_DATA_DIR: dir }).secret, config.secret);
  assert.equal(config.secureCookies, false);
});

test("configuration: a bad value stops start-up with a message naming the variable", () => {
  assert.throws(
    () => loadConfig({ PORT: "eighty" }),
    (err: unknown) => err instanceof ConfigError && /PORT/.test(err.message),
  );
  assert.throws(
    () => loadConfig({ DATABASE_URL: "mysql://x" }),
    /DATABASE_URL: must start with postgres:\/\//,
  );
  assert.throws(() => loadConfig({ FANFOLD_SECRET: "short" }), /FANFOLD_SECRET/);
  const pg = loadConfig({
    DATABASE_URL: "postgres://u@h/db",
    FANFOLD_SECRET: "x".repeat(32),
    FANFOLD_PUBLIC_URL: "https://a.example",
  });
  assert.deepEqual(pg.database, { kind: "postgres", url: "postgres://u@h/db" });
  assert.equal(pg.secureCookies, true);
});

test("configuration: FANFOLD_JOB_CONCURRENCY defaults to 4 and takes 1 to 64", () => {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-config-"));
  assert.equal(loadConfig({ FANFOLD_DATA_DIR: dir }).jobConcurrency, 4);
  assert.equal(
    loadConfig({ FANFOLD_DATA_DIR: dir, FANFOLD_JOB_CONCURRENCY: "12" }).jobConcurrency,
    12,
  );
  for (const bad of ["0", "65", "two", "1.5"])
    assert.throws(
      () => loadConfig({ FANFOLD_DATA_DIR: dir, FANFOLD_JOB_CONCURRENCY: bad }),
      /FANFOLD_JOB_CONCURRENCY/,
    );
});

test("CSRF tokens are bound to their browser", () => {
  const token = csrfToken("secret", "binding-a");
  assert.ok(csrfMatches("secret", "binding-a", token));
  assert.equal(csrfMatches("secret", "binding-b", token), false);
  assert.equal(csrfMatches("other", "binding-a", token), false);
  assert.equal(csrfMatches("secret", "binding-a", undefined), false);
  assert.equal(csrfMatches("secret", "binding-a", ["x"]), false);
  // The same token again (kept), and never another secret's or binding's.
  assert.equal(csrfToken("secret", "binding-a"), token);
  assert.notEqual(csrfToken("other", "binding-a"), token);
  assert.notEqual(csrfToken("secret", "binding-b"), token);
  assert.equal(csrfToken("secret", "binding-a"), token);
});

test("a bounded map drops its oldest entry when full", () => {
  const map = new Map<string, number>();
  for (const [i, key] of ["a", "b", "c"].entries()) setBounded(map, key, i, 2);
  assert.deepEqual(
    [...map],
    [
      ["b", 1],
      ["c", 2],
    ],
  );
});

test("rate limiter: counts within a window, then resets", async () => {
  let now = 0;
  const limiter = memoryRateLimiter(() => now);
  for (let i = 0; i < 3; i++) assert.ok((await limiter.hit("k", 3, 1000)).allowed);
  const blocked = await limiter.hit("k", 3, 1000);
  assert.equal(blocked.allowed, false);
  assert.equal(blocked.retryAfter, 1);
  assert.equal((await limiter.peek("k", 3)).allowed, false);
  now = 1001;
  assert.ok((await limiter.hit("k", 3, 1000)).allowed);
  await limiter.reset("k");
  assert.ok((await limiter.peek("k", 3)).allowed);
});

test("policies deny by default: no user, no rule, or a rule that says no", () => {
  const policy = definePolicy<{ owner: number }, "edit">({ edit: (u, s) => u.id === s.owner });
  const user = {
    id: 7,
    login: "u",
    roles: new Set<string>(),
    viewAdult: false,
    exclusions: NO_EXCLUSIONS,
    unreadNotifications: 0,
    suspendedUntil: null,
  };
  assert.equal(policy.can(user, "edit", { owner: 7 }), true);
  assert.equal(policy.can(user, "edit", { owner: 8 }), false);
  assert.equal(policy.can(null, "edit", { owner: 7 }), false);
  assert.equal(policy.can(user, "delete" as "edit", { owner: 7 }), false);
  assert.throws(() => policy.authorize(user, "edit", { owner: 8 }), /permission/);
});
