import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const chapterIds = (html: string, workId: number) => [
  ...new Set(
    [...html.matchAll(new RegExp(`/works/${workId}/chapters/(\\d+)(?:/edit)?"`, "g"))].map((m) =>
      Number(m[1]),
    ),
  ),
];

describeEachEngine("reading works over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("storyteller");
  });
  after(() => t.close());

  async function post(overrides = {}) {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    return workIdFrom(res.headers.location);
  }

  test("Mature, Explicit and Not Rated works ask first (200, same URL); General and Teen do not", async () => {
    for (const rating of ["Mature", "Explicit", "Not Rated"]) {
      const id = await post({ rating, text: "Behind the gate text." });
      const guest = new Client(t.app);
      const res = await guest.get(`/works/${id}`);
      assert.equal(res.statusCode, 200, rating);
      assert.match(res.body, /This work could have adult content/);
      assert.match(res.body, new RegExp(`href="/works/${id}\\?view_adult=true"[^>]*>Proceed`));
      assert.match(res.body, />No, Go Back</);
      assert.doesNotMatch(res.body, /Behind the gate text/);
    }
    for (const rating of ["General Audiences", "Teen And Up Audiences"]) {
      const id = await post({ rating, text: "Open to all text." });
      const res = await new Client(t.app).get(`/works/${id}`);
      assert.match(res.body, /Open to all text/, rating);
    }
  });

  test("Proceed shows the work and is remembered for the session", async () => {
    const id = await post({ rating: "Explicit", text: "Explicit chapter text." });
    const guest = new Client(t.app);
    const res = await guest.get(`/works/${id}?view_adult=true`);
    assert.match(res.body, /Explicit chapter text/);
    const later = await guest.get(`/works/${id}`);
    assert.match(later.body, /Explicit chapter text/);
    const fresh = new Client(t.app);
    assert.match((await fresh.get(`/works/${id}`)).body, /could have adult content/);
  });

  test("a reader can turn the gate off in preferences; creators never see it", async () => {
    const id = await post({ rating: "Mature", text: "Mature chapter text." });
    assert.match((await writer.get(`/works/${id}`)).body, /Mature chapter text/);
    const reader = new Client(t.app);
    await reader.signUp("grown_up");
    assert.match((await reader.get(`/works/${id}`)).body, /could have adult content/);
    const saved = await reader.post("/users/grown_up/preferences", { view_adult: "1" });
    assert.equal(saved.statusCode, 303);
    assert.match((await reader.get(`/works/${id}`)).body, /Mature chapter text/);
    await reader.post("/users/grown_up/preferences", {});
    assert.match((await reader.get(`/works/${id}`)).body, /could have adult content/);
  });

  test("restricted works: guests are sent to log in and never see them listed or counted", async () => {
    const before = await new Client(t.app).get("/works");
    const countBefore = Number(
      /(\d+) Works?</.exec(before.body)?.[1] ?? /of (\d+) Works/.exec(before.body)?.[1],
    );
    const id = await post({
      title: "Members Only Story",
      restricted: "1",
      freeforms: "Members Tag",
    });
    const guest = new Client(t.app);
    // As on AO3 (#11): to the login page, which says why, and back here afterwards.
    const res = await guest.get(`/works/${id}`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `/users/login?restricted=true&return_to=%2Fworks%2F${id}`);
    assert.doesNotMatch(res.body, /Members Only Story/);
    for (const path of [
      "/",
      "/works",
      "/users/storyteller",
      "/users/storyteller/works",
      "/tags/Members%20Tag/works",
      `/works/${id}/navigate`,
    ]) {
      assert.doesNotMatch((await guest.get(path)).body, /Members Only Story/, path);
    }
    const after = await guest.get("/works");
    const countAfter = Number(
      /(\d+) Works?</.exec(after.body)?.[1] ?? /of (\d+) Works/.exec(after.body)?.[1],
    );
    assert.equal(countAfter, countBefore);
    // A tag carried only by works a guest may not see does not exist for guests.
    const tagPage = await guest.get("/tags/Members%20Tag/works");
    assert.equal(tagPage.statusCode, 404);
    assert.doesNotMatch(tagPage.body, /Members Only Story/);
    const member = new Client(t.app);
    await member.signUp("member_reader");
    assert.match((await member.get(`/works/${id}`)).body, /Members Only Story/);
    assert.match((await member.get("/tags/Members%20Tag/works")).body, /1 Work in Members Tag/);
  });

  test("chapters: add, navigate, index, entire work, drafts, reorder, delete", async () => {
    const id = await post({
      title: "Three Parts",
      chapter_title: "Beginnings",
      text: "First chapter text.",
      expected_chapters: "3",
    });
    let res = await writer.post(`/works/${id}/chapters`, {
      chapter_title: "Middles",
      text: "Second chapter text.",
      notes: "Chapter two notes",
      action: "post",
    });
    assert.equal(res.statusCode, 303);
    res = await writer.post(`/works/${id}/chapters`, {
      chapter_title: "Ends",
      text: "Third chapter draft.",
      action: "draft",
    });
    assert.equal(res.statusCode, 303);
    const authorIndex = await writer.get(`/works/${id}/navigate`);
    const [c1, c2, c3] = chapterIds(authorIndex.body, id);
    assert.ok(c1 && c2 && c3);

    const guest = new Client(t.app);
    const first = await guest.get(`/works/${id}`);
    assert.match(first.body, /<dd class="chapters">2\/3<\/dd>/);
    assert.match(first.body, /Chapter 1<\/a>: Beginnings/);
    assert.match(first.body, /First chapter text/);
    assert.doesNotMatch(first.body, /Second chapter text/);
    assert.match(
      first.body,
      new RegExp(`<a href="/works/${id}/chapters/${c2}">Next Chapter →</a>`),
    );
    assert.match(first.body, new RegExp(`href="/works/${id}\\?view_full_work=true">Entire Work`));
    assert.doesNotMatch(first.body, /Ends/, "draft chapter title hidden");

    const second = await guest.get(`/works/${id}/chapters/${c2}`);
    assert.match(second.body, /Second chapter text/);
    assert.match(second.body, /Chapter two notes/);
    assert.match(second.body, /<div class="chapter" id="chapter-2">/);
    assert.match(second.body, new RegExp(`← Previous Chapter`));
    assert.doesNotMatch(second.body, /Next Chapter/);
    assert.equal(
      (await guest.get(`/works/${id}/chapters/${c3}`)).statusCode,
      404,
      "draft chapter 404 for readers",
    );
    assert.match((await writer.get(`/works/${id}/chapters/${c3}`)).body, /Third chapter draft/);

    const nav = await guest.get(`/works/${id}/navigate`);
    assert.match(nav.body, /Chapter Index for/);
    assert.match(nav.body, />1\. Beginnings</);
    assert.match(nav.body, />2\. Middles</);
    assert.doesNotMatch(nav.body, /Ends/);

    const full = await guest.get(`/works/${id}?view_full_work=true`);
    assert.match(
      full.body,
      /id="chapter-1".*First chapter text.*id="chapter-2".*Second chapter text/s,
    );
    assert.doesNotMatch(full.body, /Third chapter draft/);

    res = await writer.post(`/works/${id}/chapters/${c3}/post`);
    assert.equal(res.statusCode, 303);
    const done = await guest.get(`/works/${id}`);
    assert.match(done.body, /<dd class="chapters">3\/3<\/dd>/);
    assert.match(done.body, /<dt class="status">Completed:<\/dt>/);

    res = await writer.post(`/works/${id}/chapters/manage`, {
      [`position_${c1}`]: "3",
      [`position_${c2}`]: "1",
      [`position_${c3}`]: "2",
    });
    assert.equal(res.statusCode, 303);
    const reordered = await guest.get(`/works/${id}?view_full_work=true`);
    assert.match(reordered.body, /Second chapter text.*Third chapter draft.*First chapter text/s);
    assert.match(reordered.body, /Chapter 1<\/a>: Middles/);

    const confirm = await writer.get(`/works/${id}/chapters/${c2}/confirm_delete`);
    assert.match(confirm.body, /Delete Chapter 1: Middles/);
    res = await writer.post(`/works/${id}/chapters/${c2}/delete`);
    assert.equal(res.statusCode, 303);
    const after = await guest.get(`/works/${id}?view_full_work=true`);
    assert.doesNotMatch(after.body, /Second chapter text/);
    assert.match(after.body, /<dd class="chapters">2\/3<\/dd>/);
  });

  test("the last chapter cannot be deleted", async () => {
    const id = await post({ title: "One Shot" });
    const page = await writer.get(`/works/${id}`);
    const [c1] = chapterIds(page.body, id);
    const res = await writer.post(`/works/${id}/chapters/${c1}/delete`);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /at least one chapter/);
    assert.equal((await writer.get(`/works/${id}`)).statusCode, 200);
  });

  test("editing a chapter keeps the text on a failed save and updates the word count", async () => {
    const id = await post({ title: "Editable", text: "one two three four" });
    const [c1] = chapterIds((await writer.get(`/works/${id}`)).body, id);
    const bad = await writer.post(`/works/${id}/chapters/${c1}`, {
      text: "tiny",
      chapter_title: "Kept title",
      action: "post",
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /value="Kept title"/);
    const ok = await writer.post(`/works/${id}/chapters/${c1}`, {
      text: "one two three four five six",
      chapter_title: "",
      action: "post",
    });
    assert.equal(ok.statusCode, 303);
    assert.match((await writer.get(`/works/${id}`)).body, /<dd class="words">6<\/dd>/);
  });

  test("in-progress works show n/? and Updated", async () => {
    const id = await post({ title: "Ongoing", expected_chapters: "" });
    t.clock.now += 86_400_000;
    await writer.post(`/works/${id}/chapters`, { text: "Next part of the story.", action: "post" });
    const page = await new Client(t.app).get(`/works/${id}`);
    assert.match(page.body, /<dd class="chapters">2\/\?<\/dd>/);
    assert.match(
      page.body,
      /<dt class="status">Updated:<\/dt><dd class="status">2026-11-2\d<\/dd>/,
    );
  });

  test("hostile markup in any field is neutralised", async () => {
    const refused = await writer.post("/works", workForm({ freeforms: "<b>tag</b>" }));
    assert.equal(refused.statusCode, 422, "a tag with < is refused");
    const ok = await post({
      title: "<script>alert(1)</script>",
      summary: '<img src=x onerror="alert(1)">',
      notes: '<a href="javascript:alert(1)">click</a>',
      text: '<p onclick="alert(1)">Text <b>bold</b></p><script>alert(2)</script><iframe src="//evil"></iframe>',
    });
    const page = await writer.get(`/works/${ok}`);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(
      page.body,
      /<h2 class="title heading">&lt;script(>|&gt;)alert\(1\)&lt;\/script(>|&gt;)<\/h2>/,
    );
    assert.doesNotMatch(page.body, /onerror|onclick|javascript:|<iframe/);
    assert.match(page.body, /<b>bold<\/b>/);
  });
});
