/**
 * The guest CSRF cookie (core/http/server.tsx): made when a page carries a form (or the token
 * dispenser answers), never on a page without one, and never replaced while the browser
 * sends a valid one.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { csrfToken, newGuestBinding } from "../../src/core/http/csrf.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const csrfCookieOf = (res: { cookies: unknown[] }) =>
  (res.cookies as { name: string; value: string }[]).find((c) => c.name === "fanfold_csrf");

describeEachEngine("the guest CSRF cookie", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("a page without a form sets no cookie", async () => {
    const c = new Client(t.app);
    const res = await c.get("/no-such-page");
    assert.equal(res.statusCode, 404);
    assert.ok(!res.body.includes('name="_csrf"'));
    assert.equal(csrfCookieOf(res), undefined);
  });

  test("a page with a form sets one, and its token is bound to it", async () => {
    const c = new Client(t.app);
    const res = await c.get("/login");
    const cookie = csrfCookieOf(res);
    assert.ok(cookie, "the log-in form's page sets the cookie");
    assert.match(cookie.value, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(c.csrf, csrfToken(t.deps.config.secret, cookie.value));
  });

  test("a browser that sends a valid cookie keeps it; an invalid one is replaced", async () => {
    const c = new Client(t.app);
    const binding = newGuestBinding();
    c.cookies.set("fanfold_csrf", binding);
    const kept = await c.get("/login");
    assert.equal(csrfCookieOf(kept), undefined, "no new cookie");
    assert.equal(c.csrf, csrfToken(t.deps.config.secret, binding));

    const other = new Client(t.app);
    other.cookies.set("fanfold_csrf", "not-a-binding");
    const replaced = await other.get("/login");
    const fresh = csrfCookieOf(replaced);
    assert.ok(fresh && fresh.value !== "not-a-binding");
    assert.equal(other.csrf, csrfToken(t.deps.config.secret, fresh.value));
  });
});
