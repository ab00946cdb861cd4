/**
 * What engagement adds to a series page (issue 15), through works/series/page-addons.ts: the
 * Bookmark Series (or Edit Bookmark) link, the Subscribe button (a log-in link for guests,
 * nothing for the series' creators), and the bookmark count in the series' stats.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork, type FactoryUser } from "../support/factories.ts";
import { buildSeries, buildSeriesBookmark } from "../support/factories-series-reading.ts";

describeEachEngine("series page add-ons", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let readerUser: FactoryUser;
  let seriesId: number;

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const author = await buildUser(db, { login: "addon_writer", password: TEST_PASSWORD });
    readerUser = await buildUser(db, { login: "addon_reader", password: TEST_PASSWORD });
    writer = new Client(t.app);
    await writer.logIn("addon_writer");
    reader = new Client(t.app);
    await reader.logIn("addon_reader");
    const { workId } = await buildWork(db, { pseudId: author.pseudId, title: "Add-on Part" });
    seriesId = (await buildSeries(db, { pseudId: author.pseudId, workIds: [workId] })).seriesId;
  });
  after(() => t.close());

  test("a guest: a log-in link to subscribe, Bookmark Series, and a count of none", async () => {
    const page = await new Client(t.app).get(`/series/${seriesId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Log in to subscribe/);
    assert.match(page.body, new RegExp(`href="/series/${seriesId}/bookmarks/new">Bookmark Series`));
    assert.match(page.body, /<dt class="bookmarks">Bookmarks:<\/dt><dd class="bookmarks">0<\/dd>/);
  });

  test("a reader subscribes and bookmarks from the page; the count follows", async () => {
    const before = await reader.get(`/series/${seriesId}`);
    assert.match(before.body, new RegExp(`action="/series/${seriesId}/subscriptions"`));
    assert.match(before.body, />Subscribe</);
    const subscribed = await reader.post(`/series/${seriesId}/subscriptions`, {
      return_to: `/series/${seriesId}`,
    });
    assert.equal(subscribed.headers.location, `/series/${seriesId}`);
    const id = await buildSeriesBookmark(t.handle.db, seriesId, readerUser);
    const after = await reader.get(`/series/${seriesId}`);
    assert.match(after.body, />Unsubscribe</);
    assert.match(after.body, new RegExp(`href="/bookmarks/${id}/edit">Edit Bookmark`));
    assert.match(
      after.body,
      new RegExp(`<dd class="bookmarks"><a href="/series/${seriesId}/bookmarks">1</a></dd>`),
    );
  });

  test("the series' creator gets no Subscribe button", async () => {
    const page = await writer.get(`/series/${seriesId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, new RegExp(`action="/series/${seriesId}/subscriptions"`));
    assert.doesNotMatch(page.body, /Log in to subscribe/);
  });
});
