import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { bumpCounts } from "../../src/engagement/counters/queries.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

/** The visible text of an HTML fragment (tags dropped, spaces folded). */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/** The kudos section of a reading page. */
const kudosSection = (html: string) =>
  /<section id="kudos"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
const givers = (html: string) =>
  textOf(/data-kudos-summary[^>]*>([\s\S]*?)<\/p>/.exec(kudosSection(html))?.[1] ?? "");
const shownCount = (html: string) =>
  Number(/data-kudos-count[^>]*>\((\d[\d,]*)\)/.exec(html)?.[1]?.replace(/,/g, "") ?? NaN);

async function kudosRows(t: TestApp, workId: number) {
  return t.handle.db.selectFrom("kudos").selectAll().where("work_id", "=", workId).execute();
}
async function storedCount(t: TestApp, workId: number) {
  const row = await t.handle.db
    .selectFrom("work_stats")
    .select("kudos")
    .where("work_id", "=", workId)
    .executeTakeFirst();
  return row?.kudos ?? 0;
}

/** A logged-in client for a new account. */
async function reader(t: TestApp, login: string) {
  const c = new Client(t.app);
  await c.signUp(login);
  return c;
}

/** Posts the kudos form as a page would (a guest's honeypot left empty). */
const kudos = (c: Client, workId: number, form: Record<string, string> = {}) =>
  c.post(`/works/${workId}/kudos`, { return_to: `/works/${workId}`, website: "", ...form });

/** What kudos.js sends: the same form, asking for JSON. */
async function kudosJson(c: Client, workId: number) {
  const body = new URLSearchParams({ _csrf: await c.token(), return_to: `/works/${workId}` });
  return c.app.inject({
    method: "POST",
    url: `/works/${workId}/kudos`,
    payload: body.toString(),
    headers: {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    },
    remoteAddress: c.ip,
  });
}

describeEachEngine("kudos over HTTP", (engine) => {
  let t: TestApp;
  let author: { id: number; login: string; pseudId: number };
  let authorClient: Client;
  const work = async (fields: Record<string, string> = {}) =>
    (await buildWork(t.handle.db, { pseudId: author.pseudId, ...fields })).workId;

  before(async () => {
    t = await createTestApp(engine);
    author = await buildUser(t.handle.db, { login: "kudos_author", password: TEST_PASSWORD });
    authorClient = new Client(t.app);
    await authorClient.logIn("kudos_author");
  });
  after(() => t.close());

  test("the reading page has a Kudos button, the list and the script; the creator gets no button", async () => {
    const id = await work({ text: "Kudos page text." });
    const page = await new Client(t.app).get(`/works/${id}`);
    const section = kudosSection(page.body);
    assert.match(section, new RegExp(`<form method="post" action="/works/${id}/kudos"`));
    assert.match(section, /<button type="submit">Kudos ♥<\/button>/);
    assert.match(section, /name="website"/, "guest form carries the honeypot");
    assert.match(section, /aria-live="polite"/);
    assert.match(section, /<script src="\/assets\/kudos\.js\?v=[0-9a-f]+" defer/);
    assert.match(givers(page.body), /Nobody has left kudos yet\./);
    assert.ok(page.body.indexOf("Kudos page text.") < page.body.indexOf('id="kudos"'));
    const own = kudosSection((await authorClient.get(`/works/${id}`)).body);
    assert.ok(own.length > 0);
    assert.doesNotMatch(own, /<button type="submit">Kudos/);
    const js = await new Client(t.app).get("/assets/kudos.js");
    assert.equal(js.statusCode, 200);
  });

  test("a registered user leaves kudos once: a thank-you, then a clear refusal", async () => {
    const id = await work();
    const alice = await reader(t, "k_alice");
    const first = await kudos(alice, id);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/works/${id}#kudos`);
    const page = await alice.get(`/works/${id}`);
    assert.match(page.body, /Thank you for leaving kudos!/);
    assert.equal(givers(page.body), "k_alice left kudos on this work!");
    assert.match(kudosSection(page.body), /<a href="\/users\/k_alice">k_alice<\/a>/);
    assert.equal(shownCount(page.body), 1);

    const again = await kudos(alice, id);
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /You have already left kudos here\. :\)/);
    assert.match(again.body, new RegExp(`href="/works/${id}">Back to the work`));
    assert.equal((await kudosRows(t, id)).length, 1);
    assert.equal(await storedCount(t, id), 1);
  });

  test("the form comes back to the chapter it was sent from, never elsewhere", async () => {
    const id = await work();
    const c = await reader(t, "k_chapter_reader");
    const res = await kudos(c, id, { return_to: `/works/${id}/chapters/5?view_adult=true` });
    assert.equal(res.headers.location, `/works/${id}/chapters/5?view_adult=true#kudos`);
    const id2 = await work();
    const off = await kudos(c, id2, { return_to: "https://evil.example/" });
    assert.equal(off.headers.location, `/works/${id2}#kudos`);
    const id3 = await work();
    const other = await kudos(c, id3, { return_to: `/works/${id3}0` });
    assert.equal(other.headers.location, `/works/${id3}#kudos`);
  });

  test("kudos on your own work are refused with a clear message and not stored", async () => {
    const id = await work();
    const res = await kudos(authorClient, id);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You can't leave kudos on your own work\./);
    assert.equal((await kudosRows(t, id)).length, 0);
    assert.equal(await storedCount(t, id), 0);
  });

  test("guests: one kudos per address per work; another address may; the address is never stored", async () => {
    const id = await work();
    const guest = new Client(t.app);
    assert.equal((await kudos(guest, id)).statusCode, 303);
    const again = await kudos(guest, id);
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /You have already left kudos here\. :\)/);
    // Same address, fresh browser (no cookies): still the same guest.
    const sameIp = new Client(t.app, guest.ip);
    assert.equal((await kudos(sameIp, id)).statusCode, 422);
    const other = new Client(t.app);
    assert.equal((await kudos(other, id)).statusCode, 303);
    // The same address may still leave kudos on another work.
    const id2 = await work();
    assert.equal((await kudos(guest, id2)).statusCode, 303);

    const rows = await kudosRows(t, id);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.user_id, null);
      assert.match(row.guest_key ?? "", /^[0-9a-f]{32}$/);
      assert.ok(!row.guest_key!.includes(guest.ip) && !row.guest_key!.includes(other.ip));
    }
    assert.equal(await storedCount(t, id), 2);
    const page = await new Client(t.app).get(`/works/${id}`);
    assert.equal(givers(page.body), "2 guests left kudos on this work!");
  });

  test("drafts: 404 for everyone else; restricted works: guests are asked to log in", async () => {
    const draft = await work({ action: "draft" });
    const user = await reader(t, "k_drafty");
    assert.equal((await kudos(user, draft)).statusCode, 404);
    assert.equal((await kudos(new Client(t.app), draft)).statusCode, 404);
    assert.equal((await kudos(new Client(t.app), 999_999)).statusCode, 404);
    assert.equal((await kudos(new Client(t.app), 99_999_999_999)).statusCode, 400);
    assert.equal((await kudosRows(t, draft)).length, 0);

    const restricted = await work({ restricted: "1" });
    const guest = await kudos(new Client(t.app), restricted);
    assert.equal(guest.statusCode, 401);
    assert.match(guest.body, /only for registered users\. Please log in to leave kudos\./);
    assert.equal((await kudos(user, restricted)).statusCode, 303);
    assert.equal((await kudosRows(t, restricted)).length, 1);
    const list = await new Client(t.app).get(`/works/${restricted}/kudos`);
    assert.equal(list.statusCode, 303);
    assert.match(list.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    assert.equal((await new Client(t.app).get(`/works/${draft}/kudos`)).statusCode, 404);
  });

  test('names, newest first, then "and N guests"', async () => {
    const id = await work();
    const alice = await reader(t, "n_alice");
    const bob = await reader(t, "n_bob");
    assert.equal((await kudos(alice, id)).statusCode, 303);
    for (let i = 0; i < 3; i++) assert.equal((await kudos(new Client(t.app), id)).statusCode, 303);
    assert.equal((await kudos(bob, id)).statusCode, 303);
    const page = await new Client(t.app).get(`/works/${id}`);
    assert.equal(givers(page.body), "n_bob, n_alice and 3 guests left kudos on this work!");
    assert.equal(shownCount(page.body), 5);
    assert.equal(await storedCount(t, id), 5);
  });

  test('long lists: the 50 newest names, then "N more users" linking to the full, paginated list', async () => {
    const id = await work();
    const db = t.handle.db;
    const now = t.clock.now;
    const users = [];
    for (let i = 0; i < 102; i++) users.push(await buildUser(db, { login: `many_${i}` }));
    // Straight into the table: this test is about the list, not the button.
    await db
      .insertInto("kudos")
      .values(users.map((u, i) => ({ work_id: id, user_id: u.id, created_at: now + i })))
      .execute();
    await bumpCounts(db, { workId: id }, { kudos: users.length }, now);
    await kudos(new Client(t.app), id);
    const page = await new Client(t.app).get(`/works/${id}`);
    const names = givers(page.body);
    assert.match(names, /^many_101, many_100, many_99, /);
    assert.match(names, /many_52 and 52 more users as well as 1 guest left kudos on this work!$/);
    assert.doesNotMatch(names, /many_51\b/);
    assert.match(
      kudosSection(page.body),
      new RegExp(`<a href="/works/${id}/kudos">52 more users</a>`),
    );

    const list = await new Client(t.app).get(`/works/${id}/kudos`);
    assert.equal(list.statusCode, 200);
    assert.match(textOf(list.body), /102 users and 1 guest left kudos on this work\./);
    assert.match(list.body, /href="\/users\/many_101"/);
    assert.match(list.body, /href="\/users\/many_2"/);
    assert.doesNotMatch(list.body, /href="\/users\/many_1"/);
    assert.match(list.body, new RegExp(`href="/works/${id}/kudos\\?page=2"`));
    const second = await new Client(t.app).get(`/works/${id}/kudos?page=2`);
    assert.match(second.body, /href="\/users\/many_1"/);
    assert.match(second.body, /href="\/users\/many_0"/);
    assert.doesNotMatch(second.body, /href="\/users\/many_2"/);
    assert.equal((await new Client(t.app).get(`/works/${id}/kudos?page=0`)).statusCode, 400);
  });

  test("a muted user is left out of names and counts for the reader who muted them only", async () => {
    const id = await work();
    const loud = await reader(t, "m_loud");
    const quiet = await reader(t, "m_quiet");
    await kudos(loud, id);
    await kudos(quiet, id);
    await kudos(new Client(t.app), id);
    const muter = await reader(t, "m_muter");
    const muted = await muter.post("/preferences/exclusions/users", { login: "m_loud" });
    assert.equal(muted.statusCode, 303);

    const mine = await muter.get(`/works/${id}`);
    assert.equal(givers(mine.body), "m_quiet and 1 guest left kudos on this work!");
    assert.equal(shownCount(mine.body), 2);
    const list = await muter.get(`/works/${id}/kudos`);
    assert.doesNotMatch(list.body, /m_loud/);
    assert.match(textOf(list.body), /1 user and 1 guest left kudos/);
    const json = (await kudosJson(muter, id)).json<{ count: number; pieces: { text: string }[] }>();
    assert.equal(json.count, 3);
    assert.ok(!json.pieces.some((p) => p.text === "m_loud"));

    const others = await new Client(t.app).get(`/works/${id}`);
    assert.equal(
      givers(others.body),
      "m_muter, m_quiet, m_loud and 1 guest left kudos on this work!",
    );
    assert.equal(shownCount(others.body), 4);
    assert.equal(await storedCount(t, id), 4);
  });

  test("the enhanced form gets JSON: the new count and list, or the refusal", async () => {
    const id = await work();
    const c = await reader(t, "j_reader");
    const res = await kudosJson(c, id);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /application\/json/);
    assert.deepEqual(res.json(), {
      message: "Thank you for leaving kudos!",
      count: 1,
      pieces: [
        { text: "j_reader", href: "/users/j_reader" },
        { text: " left kudos on this work!" },
      ],
    });
    const again = await kudosJson(c, id);
    assert.equal(again.statusCode, 422);
    assert.deepEqual(again.json(), { error: "You have already left kudos here. :)", status: 422 });
    const own = await kudosJson(authorClient, id);
    assert.equal(own.statusCode, 403);
    assert.equal(own.json<{ error: string }>().error, "You can't leave kudos on your own work.");
  });

  test("a reader the creator blocked gets no Kudos button, and both the form and kudos.js are refused", async () => {
    const id = await work();
    const c = await reader(t, "k_blocked");
    const before = kudosSection((await c.get(`/works/${id}`)).body);
    assert.match(before, /<button type="submit">Kudos ♥<\/button>/);
    assert.equal(
      (await authorClient.post("/preferences/blocked", { login: "k_blocked" })).statusCode,
      303,
    );
    const page = await c.get(`/works/${id}`);
    const section = kudosSection(page.body);
    assert.ok(section.length > 0, "the count and names are still shown");
    assert.doesNotMatch(section, /<form|Kudos ♥|kudos\.js/);
    const json = await kudosJson(c, id);
    assert.equal(json.statusCode, 403);
    assert.match(json.json<{ error: string }>().error, /its creator has blocked you/);
    const form = await kudos(c, id);
    assert.equal(form.statusCode, 403);
    assert.match(form.body, /its creator has blocked you/);
    assert.equal((await kudosRows(t, id)).length, 0);
    assert.equal(await storedCount(t, id), 0);
  });

  test("a filled honeypot is refused with 400 and nothing is stored", async () => {
    const id = await work();
    const res = await kudos(new Client(t.app), id, { website: "http://spam.example" });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /must be left empty/);
    assert.equal((await kudosRows(t, id)).length, 0);
  });

  test("without a CSRF token nothing is stored", async () => {
    const id = await work();
    const res = await new Client(t.app).post(`/works/${id}/kudos`, {}, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal((await kudosRows(t, id)).length, 0);
  });

  test("50 parallel clicks by one user: 1 kudos, count 1", async () => {
    const id = await work();
    const c = await reader(t, "p_clicker");
    await c.token();
    const results = await Promise.all(Array.from({ length: 50 }, () => kudos(c, id)));
    const codes = results.map((r) => r.statusCode).sort();
    assert.equal(codes.filter((s) => s === 303).length, 1, codes.join(","));
    assert.equal(codes.filter((s) => s === 422).length, 49, codes.join(","));
    assert.equal((await kudosRows(t, id)).length, 1);
    assert.equal(await storedCount(t, id), 1);
  });

  test("50 parallel clicks by 50 users: 50 kudos, count 50", async () => {
    const id = await work();
    const clients = [];
    for (let i = 0; i < 50; i++) {
      const u = await buildUser(t.handle.db, { login: `p_user_${i}`, password: TEST_PASSWORD });
      const c = new Client(t.app);
      assert.equal((await c.logIn(u.login)).statusCode, 303);
      await c.token();
      clients.push(c);
    }
    const results = await Promise.all(clients.map((c) => kudos(c, id)));
    assert.deepEqual(
      results.map((r) => r.statusCode),
      Array.from({ length: 50 }, () => 303),
    );
    assert.equal((await kudosRows(t, id)).length, 50);
    assert.equal(await storedCount(t, id), 50);
    const page = await new Client(t.app).get(`/works/${id}`);
    assert.equal(shownCount(page.body), 50);
  });

  test("work_stats.kudos equals the number of kudos rows for every work", async () => {
    const db = t.handle.db;
    const rows = await db
      .selectFrom("kudos")
      .select(["work_id", (eb) => eb.fn.countAll<number | string>().as("n")])
      .groupBy("work_id")
      .execute();
    assert.ok(rows.length > 5);
    for (const row of rows) assert.equal(await storedCount(t, row.work_id), Number(row.n));
  });
});

describeEachEngine("kudos configuration", (engine) => {
  describe("guest kudos turned off", () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine, { FANFOLD_GUEST_KUDOS: "false" });
    });
    after(() => t.close());

    test("guests see a log-in link instead of the button, and their kudos are refused", async () => {
      const { workId } = await buildWork(t.handle.db);
      const guest = new Client(t.app);
      const page = await guest.get(`/works/${workId}`);
      const section = kudosSection(page.body);
      assert.doesNotMatch(section, /<button type="submit">Kudos/);
      assert.match(
        section,
        new RegExp(`href="/login\\?return_to=%2Fworks%2F${workId}">Log in to leave kudos ♥</a>`),
      );
      const res = await kudos(guest, workId);
      assert.equal(res.statusCode, 401);
      assert.match(
        res.body,
        /Guests can't leave kudos on this archive\. Please log in to leave kudos\./,
      );
      assert.equal((await kudosRows(t, workId)).length, 0);
      const user = await reader(t, "off_reader");
      assert.equal((await kudos(user, workId)).statusCode, 303);
      assert.equal(await storedCount(t, workId), 1);
    });
  });

  describe("a small rate limit", () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine, { FANFOLD_LIMIT_KUDOS: "3/1m" });
    });
    after(() => t.close());

    test("the fourth kudos in a minute gets 429 with a clear message, per account and per address", async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await buildWork(t.handle.db)).workId);
      const c = await reader(t, "rl_reader");
      for (const id of ids.slice(0, 3)) assert.equal((await kudos(c, id)).statusCode, 303);
      const limited = await kudos(c, ids[3]!);
      assert.equal(limited.statusCode, 429);
      assert.match(limited.body, /You're doing that too often/);
      assert.ok(Number(limited.headers["retry-after"]) > 0);
      assert.equal((await kudosRows(t, ids[3]!)).length, 0);
      // The same account from another address is still limited (per account).
      const elsewhere = new Client(t.app);
      elsewhere.cookies = new Map(c.cookies);
      elsewhere.csrf = c.csrf;
      assert.equal((await kudos(elsewhere, ids[4]!)).statusCode, 429);
      // A guest at the limited address is limited too (per address).
      assert.equal((await kudos(new Client(t.app, c.ip), ids[4]!)).statusCode, 429);
      // After the window, kudos are accepted again.
      t.clock.now += 61_000;
      assert.equal((await kudos(c, ids[3]!)).statusCode, 303);
    });
  });
});
