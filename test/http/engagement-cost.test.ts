/**
 * What engagement costs a logged-in reader's work page (issue 16): the reader's state on the
 * work — history preference, reading row, bookmark, subscriptions, blocks — is one statement
 * that still answers each part right; the kudos sentence and the page of comment threads are
 * one statement each, and a work with no kudos counted (work_stats, kept in each kudos'
 * transaction) needs no kudos statement at all.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("engagement cost of a work page", (engine) => {
  let t: TestApp;
  let author: Client;
  let reader: Client;
  let workId = 0;

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("cost_author");
    reader = new Client(t.app);
    await reader.signUp("cost_reader");
    workId = workIdFrom(
      (await author.post("/works", workForm({ title: "Costed" }))).headers.location,
    );
    const comment = await author.post(`/works/${workId}/comments`, { comment_content: "Hello." });
    assert.equal(comment.statusCode, 303, comment.body.slice(0, 300));
  });
  after(() => t.close());

  /** The page's statements that read each table (from or join it, subqueries too). */
  async function statementsOf(client: Client) {
    t.queries.log = [];
    const res = await client.get(`/works/${workId}`);
    const log = t.queries.log;
    t.queries.log = undefined;
    assert.equal(res.statusCode, 200);
    const reading = (table: string) =>
      log.filter((s) => /^\s*select/i.test(s) && new RegExp(`(from|join) "${table}"`, "i").test(s));
    return { body: res.body, reading };
  }

  test("the reader's state is one statement, and each part of it shows right", async () => {
    const first = await statementsOf(reader);
    const reading = first.reading;
    let body = first.body;
    // (The comments below ask separately which of their writers blocked the reader.)
    const [state, ...others] = reading("readings");
    assert.deepEqual(others, []);
    for (const table of ["bookmarks", "subscriptions", "blocked_users"])
      assert.ok(reading(table).includes(state!), `${table} is read with the reading row`);
    for (const table of ["bookmarks", "subscriptions"])
      assert.deepEqual(reading(table), [state], table);
    assert.match(body, />Bookmark</);
    assert.match(body, /Subscribe to cost_author/);
    assert.match(body, /Mark for Later/);
    assert.match(body, /Kudos ♥/);

    assert.equal(
      (await reader.post(`/works/${workId}/bookmarks`, { notes: "", tags: "" })).statusCode,
      303,
    );
    assert.equal((await reader.post(`/works/${workId}/subscriptions`)).statusCode, 303);
    assert.equal((await reader.post("/users/cost_author/subscriptions")).statusCode, 303);
    assert.equal((await reader.post(`/works/${workId}/mark_for_later`)).statusCode, 303);
    ({ body } = await statementsOf(reader));
    assert.match(body, /Edit Bookmark/);
    assert.match(body, /Unsubscribe from cost_author/);
    assert.match(body, />Unsubscribe</);
    assert.match(body, /Mark as Read/);
    assert.match(body, /Kudos ♥/);

    const blocked = await author.post("/preferences/blocked", { login: "cost_reader" });
    assert.equal(blocked.statusCode, 303, blocked.body.slice(0, 300));
    ({ body } = await statementsOf(reader));
    assert.doesNotMatch(body, /Kudos ♥/, "no kudos button");
    assert.match(body, /Edit Bookmark/, "a blocked reader still bookmarks");
  });

  test("no kudos counted yet: the page does not ask for the kudos sentence", async () => {
    const { body, reading } = await statementsOf(new Client(t.app));
    assert.deepEqual(reading("kudos"), []);
    assert.doesNotMatch(body, /left kudos on this work/);
    assert.match(body, /Kudos ♥/);
  });

  test("the kudos sentence and the page of comment threads are one statement each", async () => {
    assert.equal((await new Client(t.app).post(`/works/${workId}/kudos`)).statusCode, 303);
    const guest = new Client(t.app);
    const { body, reading } = await statementsOf(guest);
    assert.equal(reading("kudos").length, 1, reading("kudos").join("\n"));
    assert.match(body, /1 guest left kudos on this work!/);
    const counts = reading("comments").filter((s) => /count\(/i.test(s));
    assert.equal(counts.length, 1, counts.join("\n"));
    assert.match(body, /Hello\./);
  });

  test("no comments counted: a guest's page does not ask for threads; the creator's still shows the queue", async () => {
    const moderated = workIdFrom(
      (await author.post("/works", workForm({ title: "Held", moderated_comments: "1" }))).headers
        .location,
    );
    const commenter = new Client(t.app);
    await commenter.signUp("cost_commenter");
    const held = await commenter.post(`/works/${moderated}/comments`, {
      comment_content: "Waiting for approval.",
    });
    assert.equal(held.statusCode, 303, held.body.slice(0, 300));
    const page = async (client: Client) => {
      t.queries.log = [];
      const res = await client.get(`/works/${moderated}`);
      const log = t.queries.log;
      t.queries.log = undefined;
      assert.equal(res.statusCode, 200);
      return { body: res.body, threads: log.filter((s) => /from "comments"/i.test(s)) };
    };
    const guest = await page(new Client(t.app));
    assert.deepEqual(guest.threads, [], "a pending comment is not counted: nothing to ask");
    assert.match(guest.body, /Comments \(0\)/);
    assert.doesNotMatch(guest.body, /Waiting for approval\./);
    const creator = await page(author);
    assert.ok(creator.threads.length > 0);
    assert.match(creator.body, /Waiting for approval\./);
  });
});
