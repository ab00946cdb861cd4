/**
 * The counts readers see: on the work page's stats block and on blurbs (kudos, comments,
 * bookmarks, hits), less what users the reader muted contributed; kept right when a chapter
 * is deleted with its comments; and sortable in listings through the search index.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

/** The stats a page shows for one work: `dd.kudos` etc. inside that work's stats list. */
function stats(html: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of html.matchAll(
    /<dd class="(comments|kudos|bookmarks|hits)">(?:<a [^>]*>)?([\d,]+)/g,
  )) {
    out[m[1]!] = Number(m[2]!.replace(/,/g, ""));
  }
  return out;
}

/** The blurb of one work in a listing. */
function blurb(html: string, workId: number): string {
  const start = html.indexOf(`<li class="work blurb group" id="work_${workId}">`);
  assert.ok(start >= 0, `work ${workId} listed`);
  const next = html.indexOf('<li class="work blurb group"', start + 1);
  return html.slice(start, next < 0 ? html.indexOf("</ol>", start) : next);
}

describeEachEngine("engagement counts", (engine) => {
  let t: TestApp;
  let workId = 0;
  let otherId = 0;
  let chapter2 = 0;
  const writer = () => new Client(t.app);
  let author: Client;
  let fan: Client;
  let critic: Client;
  let reader: Client;

  before(async () => {
    t = await createTestApp(engine);
    author = writer();
    await author.signUp("count_author");
    const res = await author.post("/works", workForm({ title: "Counted", freeforms: "Counting" }));
    workId = workIdFrom(res.headers.location);
    const second = await author.post(`/works/${workId}/chapters`, {
      chapter_title: "Two",
      text: "The second chapter, with words enough.",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 300));
    chapter2 = Number(/chapters\/(\d+)/.exec(second.headers.location ?? "")?.[1]);
    const other = await author.post("/works", workForm({ title: "Quiet", freeforms: "Counting" }));
    otherId = workIdFrom(other.headers.location);

    fan = new Client(t.app);
    await fan.signUp("count_fan");
    critic = new Client(t.app);
    await critic.signUp("count_critic");
    reader = new Client(t.app);
    await reader.signUp("count_reader");

    for (const c of [fan, critic]) {
      assert.equal((await c.post(`/works/${workId}/kudos`)).statusCode, 303);
      const comment = await c.post(`/works/${workId}/comments`, {
        comment_content: `A comment by ${c === fan ? "the fan" : "the critic"}.`,
      });
      assert.equal(comment.statusCode, 303, comment.body.slice(0, 300));
      const bookmark = await c.post(`/works/${workId}/bookmarks`, { notes: "", tags: "" });
      assert.equal(bookmark.statusCode, 303, bookmark.body.slice(0, 300));
      await c.get(`/works/${workId}`);
    }
    // The critic's second comment is on chapter 2.
    const onChapter = await critic.post(`/works/${workId}/comments`, {
      comment_content: "On the second chapter.",
      chapter_id: String(chapter2),
    });
    assert.equal(onChapter.statusCode, 303, onChapter.body.slice(0, 300));
    // A guest leaves kudos and reads.
    const guest = new Client(t.app);
    assert.equal((await guest.post(`/works/${workId}/kudos`)).statusCode, 303);
    await guest.get(`/works/${workId}`);
    // Pages record hits in memory; a server writes them within a second.
    await t.flushHits();
  });

  after(() => t.close());

  test("the work page and blurbs show kudos, comments, bookmarks and hits", async () => {
    const page = await reader.get(`/works/${workId}`);
    assert.deepEqual(stats(page.body.slice(page.body.indexOf('<dl class="stats">'))), {
      comments: 3,
      kudos: 3,
      bookmarks: 2,
      hits: 3,
    });
    await t.flushHits();
    const listing = await reader.get("/tags/Counting/works");
    assert.deepEqual(stats(blurb(listing.body, workId)), {
      comments: 3,
      kudos: 3,
      bookmarks: 2,
      hits: 4,
    });
    // Nothing yet on the other work: hits only (zero comments and bookmarks are not shown).
    assert.deepEqual(stats(blurb(listing.body, otherId)), { hits: 0 });
  });

  test("a reader who muted the critic sees counts without the critic", async () => {
    const muter = new Client(t.app);
    await muter.signUp("count_muter");
    const muted = await muter.post("/preferences/exclusions/users", { login: "count_critic" });
    assert.equal(muted.statusCode, 303);
    const listing = await muter.get("/tags/Counting/works");
    const mine = stats(blurb(listing.body, workId));
    assert.equal(mine.kudos, 2);
    assert.equal(mine.comments, 1);
    assert.equal(mine.bookmarks, 1);
    // Everyone else still sees them.
    const theirs = stats(blurb((await reader.get("/tags/Counting/works")).body, workId));
    assert.equal(theirs.kudos, 3);
    assert.equal(theirs.comments, 3);
  });

  test("listings sort by kudos and filter by counts", async () => {
    const byKudos = await reader.get("/works?sort=kudos&dir=desc&include_tags=Counting");
    const order = [...byKudos.body.matchAll(/id="work_(\d+)_title"/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, [workId, otherId]);
    const many = await reader.get("/works?include_tags=Counting&kudos_from=2");
    assert.deepEqual(
      [...many.body.matchAll(/id="work_(\d+)_title"/g)].map((m) => Number(m[1])),
      [workId],
    );
  });

  test("deleting a chapter takes its comments out of the count", async () => {
    const deleted = await author.post(`/works/${workId}/chapters/${chapter2}/delete`);
    assert.equal(deleted.statusCode, 303, deleted.body.slice(0, 300));
    await t.drainJobs();
    const row = await t.deps.db
      .selectFrom("work_stats")
      .select(["comments", "kudos", "bookmarks"])
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { comments: 2, kudos: 3, bookmarks: 2 });
  });

  test("deleting a work removes everyone's subscriptions to it", async () => {
    assert.equal((await reader.post(`/works/${otherId}/subscriptions`)).statusCode, 303);
    const before = await t.deps.db
      .selectFrom("subscriptions")
      .select("id")
      .where("target_type", "=", "work")
      .where("target_id", "=", otherId)
      .execute();
    assert.equal(before.length, 1);
    const deleted = await author.post(`/works/${otherId}/delete`);
    assert.equal(deleted.statusCode, 303, deleted.body.slice(0, 300));
    await t.drainJobs();
    const after = await t.deps.db
      .selectFrom("subscriptions")
      .select("id")
      .where("target_type", "=", "work")
      .where("target_id", "=", otherId)
      .execute();
    assert.equal(after.length, 0);
  });
});
