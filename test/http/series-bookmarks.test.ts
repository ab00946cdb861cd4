/**
 * Bookmarks of series (issue 15): the form at AO3's address, one bookmark per reader per
 * series, the bookmark in the user's bookmarks (a series blurb beside work blurbs), the
 * series' own bookmarks and count, privacy, and who may not — guests, other users, and
 * readers from whom every work of the series is hidden.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { seriesBookmarkCount } from "../../src/engagement/bookmarks/series-queries.ts";
import { setCollectionFlagsIn } from "../../src/works/commands.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildBookmark, buildUser, buildWork, type FactoryUser } from "../support/factories.ts";
import { buildSeries, buildSeriesBookmark } from "../support/factories-series-reading.ts";

describeEachEngine("series bookmarks", (engine) => {
  let t: TestApp;
  let writer: FactoryUser;
  let fan: FactoryUser;
  let other: FactoryUser;
  let fanClient: Client;
  let otherClient: Client;
  const series: Record<string, number> = {};
  const works: Record<string, number> = {};

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    writer = await buildUser(db, { login: "saga_writer" });
    fan = await buildUser(db, { login: "saga_fan", password: TEST_PASSWORD });
    other = await buildUser(db, { login: "saga_other", password: TEST_PASSWORD });
    fanClient = new Client(t.app);
    await fanClient.logIn("saga_fan");
    otherClient = new Client(t.app);
    await otherClient.logIn("saga_other");
    const work = async (key: string, fields: Record<string, string> = {}) => {
      works[key] = (
        await buildWork(db, {
          pseudId: writer.pseudId,
          title: key,
          fandoms: "Saga Fandom",
          now: t.clock.now,
          ...fields,
        })
      ).workId;
      return works[key];
    };
    await work("Lamp One", { expected_chapters: "1" });
    await work("Lamp Two", { expected_chapters: "3" });
    await work("Members Only", { restricted: "1" });
    await work("Unfinished Draft", { action: "draft" });
    await work("Anonymous Part");
    await setCollectionFlagsIn(
      db,
      works["Anonymous Part"]!,
      { anonymous: true, unrevealed: false },
      t.clock.now,
    );
    const make = async (key: string, workKeys: string[]) => {
      series[key] = (
        await buildSeries(db, {
          pseudId: writer.pseudId,
          title: key,
          summary: `All about ${key}.`,
          workIds: workKeys.map((k) => works[k]!),
        })
      ).seriesId;
    };
    await make("Lamplight Saga", ["Lamp One", "Lamp Two"]);
    await make("Members Saga", ["Members Only"]);
    await make("Draft Saga", ["Unfinished Draft"]);
    await make("Anonymous Saga", ["Anonymous Part"]);
  });
  after(() => t.close());

  const rowsOf = (userId: number, seriesId: number) =>
    t.handle.db
      .selectFrom("bookmarks")
      .select(["id", "work_id", "work_ref", "series_id", "private", "rec"])
      .where("user_id", "=", userId)
      .where("series_id", "=", seriesId)
      .execute();

  test("the form, saving, the bookmark's page, and one bookmark per reader", async () => {
    const id = series["Lamplight Saga"]!;
    const form = await fanClient.get(`/series/${id}/bookmarks/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`action="/series/${id}/bookmarks"`));
    assert.match(form.body, new RegExp(`Bookmark <a href="/series/${id}">Lamplight Saga</a>`));
    assert.match(form.body, /Recommend this series to others/);

    const saved = await fanClient.post(`/series/${id}/bookmarks`, {
      notes: "Reread <b>every</b> winter.",
      tags: "Comfort Reads, Lamps",
      rec: "1",
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const [row] = await rowsOf(fan.id, id);
    assert.equal(saved.headers.location, `/bookmarks/${row!.id}`);
    assert.deepEqual(
      { work: row!.work_id, ref: row!.work_ref, rec: row!.rec },
      { work: null, ref: 0, rec: 1 },
    );

    const shown = await new Client(t.app).get(`/bookmarks/${row!.id}`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, new RegExp(`<li class="series blurb group" id="series_${id}">`));
    assert.match(shown.body, /All about Lamplight Saga/);
    assert.match(shown.body, /Bookmarked by/);
    assert.match(shown.body, /Comfort Reads/);
    assert.match(shown.body, /Reread <b>every<\/b> winter/);
    assert.doesNotMatch(shown.body, /This has been deleted/);

    const again = await fanClient.get(`/series/${id}/bookmarks/new`);
    assert.match(again.body, /You have already bookmarked this series/);
    assert.match(again.body, new RegExp(`href="/bookmarks/${row!.id}/edit"`));
    const twice = await fanClient.post(`/series/${id}/bookmarks`, { notes: "second" });
    assert.equal(twice.statusCode, 422);
    assert.match(twice.body, /You have already bookmarked this series/);
    assert.equal((await rowsOf(fan.id, id)).length, 1);

    // Edited and deleted at the work bookmarks' addresses.
    const edit = await fanClient.get(`/bookmarks/${row!.id}/edit`);
    assert.match(edit.body, new RegExp(`Edit bookmark for <a href="/series/${id}">`));
    const edited = await fanClient.post(`/bookmarks/${row!.id}`, {
      notes: "Now private.",
      tags: "Lamps",
      private: "1",
    });
    assert.equal(edited.statusCode, 303);
    assert.equal((await rowsOf(fan.id, id))[0]!.private, 1);
    assert.equal((await new Client(t.app).get(`/bookmarks/${row!.id}`)).statusCode, 404);
    assert.equal((await fanClient.get(`/bookmarks/${row!.id}`)).statusCode, 200);
    const deleted = await fanClient.post(`/bookmarks/${row!.id}/delete`);
    assert.equal(deleted.statusCode, 303);
    assert.deepEqual(await rowsOf(fan.id, id), []);
  });

  test("the user's bookmarks list series blurbs beside work blurbs, with their filters", async () => {
    const id = series["Lamplight Saga"]!;
    await buildSeriesBookmark(t.handle.db, id, fan, { tags: "Sagas", rec: "1" }, t.clock.now);
    await buildBookmark(t.handle.db, works["Lamp One"]!, { by: fan, tags: "Singles" });
    const page = await new Client(t.app).get("/users/saga_fan/bookmarks");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /2 Bookmarks/);
    const blurb = new RegExp(
      `<li class="series blurb group" id="series_${id}">[\\s\\S]*?` +
        `<a href="/series/${id}">Lamplight Saga</a> by <a rel="author" href="/users/saga_writer/pseuds/saga_writer">saga_writer</a>` +
        `[\\s\\S]*?Saga Fandom[\\s\\S]*?<dd class="works">2</dd>` +
        `[\\s\\S]*?<dd class="complete">No</dd>[\\s\\S]*?Bookmarked by`,
    );
    assert.match(page.body, blurb);
    assert.match(page.body, /<li class="work blurb group"/);
    const tagged = await new Client(t.app).get("/users/saga_fan/bookmarks?tag=Sagas");
    assert.match(tagged.body, /1 Bookmark tagged “Sagas”/);
    assert.match(tagged.body, /class="series blurb group"/);
    assert.doesNotMatch(tagged.body, /class="work blurb group"/);
    const recs = await new Client(t.app).get("/users/saga_fan/bookmarks?recs=1");
    assert.match(recs.body, /1 Bookmark \(recs only\)/);
  });

  test("a series' bookmarks and its count: public ones only", async () => {
    const id = series["Lamplight Saga"]!;
    await buildSeriesBookmark(t.handle.db, id, other, { private: "1" }, t.clock.now);
    const third = await buildUser(t.handle.db);
    await buildSeriesBookmark(t.handle.db, id, third, { tags: "Lamps" }, t.clock.now);
    assert.equal(await seriesBookmarkCount(t.handle.db, id), 2);
    const page = await new Client(t.app).get(`/series/${id}/bookmarks`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /2 Bookmarks/);
    assert.match(page.body, /Bookmarks of Lamplight Saga/);
    assert.match(
      page.body,
      new RegExp(`<dd class="bookmarks"><a href="/series/${id}/bookmarks">2</a>`),
    );
    assert.doesNotMatch(page.body, /saga_other/);
    const own = await otherClient.get(`/series/${id}/bookmarks`);
    assert.match(own.body, /3 Bookmarks/);
    assert.match(own.body, /Private bookmark/);
    const tagged = await new Client(t.app).get(`/series/${id}/bookmarks?tag=Lamps`);
    assert.match(tagged.body, /1 Bookmark tagged “Lamps”/);
  });

  test("who may not: guests, other users, and readers who see none of its works", async () => {
    const id = series["Lamplight Saga"]!;
    const guest = new Client(t.app);
    const form = await guest.get(`/series/${id}/bookmarks/new`);
    assert.equal(form.statusCode, 303);
    assert.equal(
      form.headers.location,
      `/login?return_to=${encodeURIComponent(`/series/${id}/bookmarks/new`)}`,
    );
    assert.equal((await guest.post(`/series/${id}/bookmarks`, { notes: "x" })).statusCode, 401);

    const [mine] = await rowsOf(other.id, id);
    assert.equal((await fanClient.get(`/bookmarks/${mine!.id}/edit`)).statusCode, 404, "private");
    const theirs = await buildSeriesBookmark(t.handle.db, id, await buildUser(t.handle.db));
    assert.equal((await fanClient.get(`/bookmarks/${theirs}/edit`)).statusCode, 403);
    assert.equal((await fanClient.post(`/bookmarks/${theirs}/delete`)).statusCode, 403);

    // A series of one restricted work: logged-in readers only.
    const members = series["Members Saga"]!;
    assert.equal((await guest.get(`/series/${members}/bookmarks`)).statusCode, 404);
    assert.equal((await fanClient.get(`/series/${members}/bookmarks`)).statusCode, 200);
    const membersBookmark = await buildSeriesBookmark(t.handle.db, members, fan);
    assert.equal((await guest.get(`/bookmarks/${membersBookmark}`)).statusCode, 404);
    const fanList = await guest.get("/users/saga_fan/bookmarks");
    assert.doesNotMatch(fanList.body, /Members Saga/);
    assert.match((await otherClient.get("/users/saga_fan/bookmarks")).body, /Members Saga/);

    // Drafts and anonymous works are part of no series a reader may see.
    for (const key of ["Draft Saga", "Anonymous Saga"]) {
      const hidden = series[key]!;
      assert.equal((await fanClient.get(`/series/${hidden}/bookmarks/new`)).statusCode, 404, key);
      const res = await fanClient.post(`/series/${hidden}/bookmarks`, { notes: "x" });
      assert.equal(res.statusCode, 404, key);
      assert.equal((await guest.get(`/series/${hidden}/bookmarks`)).statusCode, 404, key);
    }
    assert.equal((await fanClient.get("/series/999999/bookmarks/new")).statusCode, 404);
  });

  test("deleting a series takes its bookmarks and their tags with it", async () => {
    const { seriesId } = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "Short-Lived",
      workIds: [works["Lamp One"]!],
    });
    const id = await buildSeriesBookmark(t.handle.db, seriesId, fan, { tags: "Gone Soon" });
    await t.handle.db.deleteFrom("series").where("id", "=", seriesId).execute();
    const left = await t.handle.db
      .selectFrom("bookmark_tags")
      .select("bookmark_id")
      .where("bookmark_id", "=", id)
      .execute();
    assert.deepEqual(left, []);
    assert.deepEqual(await rowsOf(fan.id, seriesId), []);
    assert.equal((await fanClient.get(`/bookmarks/${id}`)).statusCode, 404);
  });
});
