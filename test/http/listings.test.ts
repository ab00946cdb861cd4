import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("work listings over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  const ids: number[] = [];
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("prolific");
    for (let i = 1; i <= 23; i++) {
      t.clock.now += 60_000;
      const res = await writer.post(
        "/works",
        workForm({
          title: `Story ${i}`,
          freeforms: i % 2 ? "Odd Tag, Mark Sloan/Lexie Grey" : "Even Tag",
          fandoms: "Listing Fandom",
        }),
      );
      ids.push(workIdFrom(res.headers.location));
    }
  });
  after(() => t.close());

  test("/works pages by 20, newest first, with the total", async () => {
    const guest = new Client(t.app);
    const first = await guest.get("/works");
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /1 - 20 of 23 Works/);
    const titles = [...first.body.matchAll(/<a href="\/works\/\d+">(Story \d+)<\/a>/g)].map(
      (m) => m[1],
    );
    assert.equal(titles.length, 20);
    assert.equal(titles[0], "Story 23");
    assert.equal(titles[19], "Story 4");
    assert.match(first.body, /<a href="\/works\?page=2" rel="next">/);
    const second = await guest.get("/works?page=2");
    assert.match(second.body, /21 - 23 of 23 Works/);
    const rest = [...second.body.matchAll(/<a href="\/works\/\d+">(Story \d+)<\/a>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(rest, ["Story 3", "Story 2", "Story 1"]);
    const beyond = await guest.get("/works?page=9");
    assert.equal(beyond.statusCode, 200);
    assert.doesNotMatch(beyond.body, /Story \d+/);
  });

  test("ties in date are broken by id, so the order is stable", async () => {
    const same = await createTestApp(engine);
    try {
      const c = new Client(same.app);
      await c.signUp("same_time");
      for (const title of ["Tie A", "Tie B", "Tie C"]) await c.post("/works", workForm({ title }));
      const page = await c.get("/works");
      const titles = [...page.body.matchAll(/>(Tie [ABC])<\/a>/g)].map((m) => m[1]);
      assert.deepEqual(titles, ["Tie C", "Tie B", "Tie A"]);
    } finally {
      await same.close();
    }
  });

  test("tag pages list the tag's works, with AO3's escapes for / in addresses", async () => {
    const guest = new Client(t.app);
    const odd = await guest.get("/tags/Odd%20Tag/works");
    assert.equal(odd.statusCode, 200);
    assert.match(odd.body, /12 Works in Odd Tag/);
    const slash = await guest.get("/tags/Mark%20Sloan*s*Lexie%20Grey/works");
    assert.equal(slash.statusCode, 200);
    assert.match(slash.body, /12 Works in Mark Sloan\/Lexie Grey/);
    const fandom = await guest.get("/tags/Listing%20Fandom/works?page=2");
    assert.match(fandom.body, /21 - 23 of 23 Works in Listing Fandom/);
    const caseInsensitive = await guest.get("/tags/odd%20tag/works");
    assert.match(caseInsensitive.body, /12 Works in Odd Tag/);
    assert.equal((await guest.get("/tags/No%20Such%20Tag/works")).statusCode, 404);
    const rating = await guest.get("/tags/General%20Audiences/works");
    assert.match(rating.body, /of 23 Works in General Audiences/);
  });

  test("author pages list the author's works", async () => {
    const guest = new Client(t.app);
    const user = await guest.get("/users/prolific");
    assert.equal(user.statusCode, 200);
    assert.match(user.body, /Recent works \(23 in all\)/);
    const works = await guest.get("/users/prolific/works?page=2");
    assert.match(works.body, /21 - 23 of 23 Works by prolific/);
    const pseud = await guest.get("/users/prolific/pseuds/prolific");
    assert.match(pseud.body, /of 23 Works by prolific/);
    assert.equal((await guest.get("/users/nobody_here_at_all/works")).statusCode, 404);
  });

  test("the home page shows the newest works", async () => {
    const home = await new Client(t.app).get("/");
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Newest works/);
    assert.match(home.body, /Story 23/);
    assert.match(home.body, /Browse all 23 works/);
  });

  test("listing pages run the same number of queries for 2 works as for 20 (no N+1)", async () => {
    const small = await createTestApp(engine);
    try {
      const c = new Client(small.app);
      await c.signUp("counter");
      for (let i = 0; i < 2; i++) await c.post("/works", workForm({ title: `Few ${i}` }));
      const guest = new Client(small.app);
      await guest.get("/works");
      await small.services.follower?.idle(); // the text index works in the background
      let before = small.queries.count;
      await guest.get("/works");
      const few = small.queries.count - before;
      for (let i = 0; i < 18; i++) await c.post("/works", workForm({ title: `More ${i}` }));
      await guest.get("/works"); // the search index catches up with the new works once
      await small.services.follower?.idle();
      before = small.queries.count;
      await guest.get("/works");
      const many = small.queries.count - before;
      assert.equal(many, few);
      before = small.queries.count;
      await guest.get("/tags/Fluff/works");
      const tagPage = small.queries.count - before;
      assert.ok(tagPage <= few + 1, `tag page ran ${tagPage} queries`);
    } finally {
      await small.close();
    }
  });

  test("healthz answers 200 with the engine", async () => {
    const res = await t.app.inject({ method: "GET", url: "/healthz" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: "ok", database: engine });
  });

  test("pages carry a strict Content-Security-Policy and no inline script", async () => {
    const res = await new Client(t.app).get(`/works/${ids[0]}`);
    assert.match(String(res.headers["content-security-policy"]), /script-src 'self'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)|style=/, "no inline script or style");
    const css = await t.app.inject({
      method: "GET",
      url: /href="(\/assets\/site\.css\?v=\w+)"/.exec(res.body)![1]!,
    });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers["cache-control"]), /immutable/);
  });
});
