/**
 * Two guards of the route chain, checked over the route registry so that a route added later
 * is covered without a new case: every `auth: "user"` route refuses a guest (GET: off to log
 * in; POST: 401), and every route marked `contributes` refuses a suspended account with a 403
 * naming the date — while that account can still read and log in.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { declaredRoutes } from "../../src/core/http/route.tsx";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const DAY = 86_400_000;

/** The routes that add to the archive: adding one here is a decision, so it is listed. */
const CONTRIBUTING = [
  "GET /works/import",
  "GET /works/import/:uploadId",
  "POST /bookmarks/:id",
  "POST /collections",
  "POST /collections/:name",
  "POST /comments/:id/edit",
  "POST /series/:seriesId",
  "POST /series/:seriesId/bookmarks",
  "POST /series/:seriesId/creators",
  "POST /users/:login/invitations",
  "POST /works",
  "POST /works/:workId",
  "POST /works/:workId/bookmarks",
  "POST /works/:workId/chapters",
  "POST /works/:workId/chapters/:chapterId",
  "POST /works/:workId/chapters/:chapterId/post",
  "POST /works/:workId/collection_items",
  "POST /works/:workId/comments",
  "POST /works/:workId/kudos",
  "POST /works/:workId/post",
  "POST /works/import",
  "POST /works/import/:uploadId/confirm",
  "POST /works/import/:uploadId/preview",
];

describeEachEngine("route guards from the registry", (engine) => {
  let t: TestApp;
  let suspended: Client;
  let workId = 0;
  let chapterId = 0;

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const writer = await buildUser(db, { login: "guard_writer" });
    const posted = await buildWork(db, { pseudId: writer.pseudId, now: t.clock.now - DAY });
    workId = posted.workId;
    chapterId = posted.chapterId;
    await buildUser(db, { login: "guard_suspended" });
    suspended = new Client(t.app);
    assert.equal((await suspended.logIn("guard_suspended", "factory password")).statusCode, 303);
    await db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 3 * DAY })
      .where("login", "=", "guard_suspended")
      .execute();
  });
  after(() => t.close());

  const fill = (url: string) =>
    url
      .replace(":workId", String(workId))
      .replace(":chapterId", String(chapterId))
      .replace(":login", "guard_suspended")
      .replace(/:[a-zA-Z]+/g, "1");

  test("every logged-in-only route turns a guest away before anything else", async () => {
    const routes = declaredRoutes(t.app).filter((r) => r.auth === "user");
    assert.ok(routes.length > 60, `only ${routes.length} routes`);
    const wrong: string[] = [];
    for (const r of routes) {
      const guest = new Client(t.app);
      const res = r.method === "GET" ? await guest.get(fill(r.url)) : await guest.post(fill(r.url));
      const ok =
        r.method === "GET"
          ? res.statusCode === 303 && /^\/login\?return_to=/.test(res.headers.location ?? "")
          : res.statusCode === 401;
      if (!ok) wrong.push(`${r.method} ${r.url}: ${res.statusCode} ${res.headers.location ?? ""}`);
    }
    assert.deepEqual(wrong, []);
  });

  test("routes that add to the archive are exactly these, and refuse a suspended account", async () => {
    const routes = declaredRoutes(t.app).filter((r) => r.contributes);
    assert.deepEqual(routes.map((r) => `${r.method} ${r.url}`).sort(), CONTRIBUTING);
    for (const r of routes) {
      // Pages that only lead to adding (the import form and its preview) are refused too.
      const res =
        r.method === "GET" ? await suspended.get(fill(r.url)) : await suspended.post(fill(r.url));
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}`);
      const until = new Date(t.clock.now + 3 * DAY).toISOString().slice(0, 10);
      assert.match(res.body, new RegExp(`suspended until ${until}`), `${r.method} ${r.url}`);
    }
    // Reading is untouched.
    assert.equal((await suspended.get(`/works/${workId}`)).statusCode, 200);
    assert.equal((await suspended.get("/users/guard_suspended/preferences")).statusCode, 200);
  });

  test("the suspension ends by the clock", async () => {
    t.clock.now += 3 * DAY + 1;
    await suspended.get(`/works/${workId}`); // a fresh form token (they expire too)
    const res = await suspended.post(`/works/${workId}/kudos`);
    assert.equal(res.statusCode, 303, /<main[\s\S]*<\/main>/.exec(res.body)?.[0]);
  });
});
