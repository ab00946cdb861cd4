/**
 * Series over HTTP (issue 15), on both engines: made and filled from the work form, shown at
 * `/series/:id` and on each work, edited, reordered and deleted by their creators only, and
 * only ever showing the works the reader may see.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { partsOf, setWorkFlags } from "../support/factories-series.ts";

const seriesIdFrom = (html: string, title: string) =>
  Number(new RegExp(`<a href="/series/(\\d+)">${title}</a>`).exec(html)?.[1]);

/** One work's blurb in a listing (empty when it is not there). */
const blurbOf = (html: string, workId: number) =>
  html
    .split('<li class="work blurb group"')
    .find((part) => part.startsWith(` id="work_${workId}"`)) ?? "";

/** The text of `<main>`, tags dropped: what a reader reads. */
const mainText = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describeEachEngine("series", (engine) => {
  let t: TestApp;
  let writer: Client;
  let other: Client;
  let guest: Client;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("series_writer");
    other = new Client(t.app);
    await other.signUp("series_other");
    guest = new Client(t.app);
  });
  after(() => t.close());

  async function post(client: Client, overrides: Record<string, string | string[]>) {
    const res = await client.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, mainText(res.body).slice(0, 500));
    return workIdFrom(res.headers.location);
  }

  test("the work form starts a series, adds to it at a part, and the pages show it", async () => {
    const form = await writer.get("/works/new");
    assert.match(form.body, /<legend>This work is part of a series<\/legend>/);
    assert.match(form.body, /<option value selected>You have no series yet<\/option>/);

    const first = await post(writer, { title: "Tide One", series_title: "The Tides" });
    const page = await guest.get(`/works/${first}`);
    const seriesId = seriesIdFrom(page.body, "The Tides");
    assert.ok(seriesId > 0, "the work page links its new series");
    assert.match(
      page.body,
      /<span class="position">Part 1 of <a href="\/series\/\d+">The Tides<\/a><\/span>/,
    );

    // The form now offers the series; a second work goes last, a third at part 1.
    const again = await writer.get("/works/new");
    assert.match(again.body, new RegExp(`<option value="${seriesId}">The Tides</option>`));
    const second = await post(writer, { title: "Tide Two", series_id: String(seriesId) });
    const zeroth = await post(writer, {
      title: "Tide Zero",
      series_id: String(seriesId),
      series_position: "1",
    });
    assert.deepEqual(await partsOf(t.handle.db, seriesId), [
      [zeroth, 1],
      [first, 2],
      [second, 3],
    ]);

    const series = await guest.get(`/series/${seriesId}`);
    assert.equal(series.statusCode, 200);
    assert.match(series.body, /<main id="main" class="series-show"/);
    const order = [...series.body.matchAll(/<li class="work blurb group" id="work_(\d+)"/g)].map(
      (m) => Number(m[1]),
    );
    assert.deepEqual(order, [zeroth, first, second], "works in the order of their parts");
    assert.match(series.body, /Part <strong>3<\/strong> of <a href="\/series\/\d+">The Tides<\/a>/);
    assert.match(series.body, /<dd class="works">3<\/dd>/);
    assert.match(series.body, /<dd class="complete">No<\/dd>/);
    assert.match(
      series.body,
      new RegExp(
        `<link rel="alternate" type="application/atom\\+xml" href="/series/${seriesId}/feed.atom"`,
      ),
      "the series' feed, for guests' feed readers",
    );

    // The user's and the pseud's series pages list it, as a series blurb.
    for (const url of [
      "/users/series_writer/series",
      "/users/series_writer/pseuds/series_writer/series",
    ]) {
      const list = await guest.get(url);
      assert.equal(list.statusCode, 200, url);
      assert.match(
        list.body,
        new RegExp(`<li class="series blurb group" id="series_${seriesId}">`),
      );
      assert.match(list.body, /1 Series by series_writer/);
    }
    // The profile links the list.
    assert.match(
      (await guest.get("/users/series_writer")).body,
      /href="\/users\/series_writer\/series"/,
    );
  });

  test("editing a work: its series listed with a remove box; removing leaves the series", async () => {
    const kept = await post(writer, { title: "Keeper", series_title: "Lonely Series" });
    const leaving = await post(writer, { title: "Leaver" });
    const seriesId = seriesIdFrom((await writer.get(`/works/${kept}`)).body, "Lonely Series");
    // An existing work joins from its edit form.
    const join = await writer.post(
      `/works/${leaving}`,
      workForm({ title: "Leaver", series_id: String(seriesId) }),
    );
    assert.equal(join.statusCode, 303, mainText(join.body).slice(0, 500));
    assert.deepEqual(await partsOf(t.handle.db, seriesId), [
      [kept, 1],
      [leaving, 2],
    ]);
    // A posted work joining a series is news for the series' subscribers (engagement); a
    // new work is announced by its own posting, so only the joining one is queued.
    const queued = await t.handle.db
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", "series.work-added")
      .execute();
    assert.deepEqual(
      queued.map((j) => JSON.parse(j.payload) as unknown),
      [{ seriesId, workId: leaving }],
    );
    await t.drainJobs();

    const edit = await writer.get(`/works/${kept}/edit`);
    assert.match(edit.body, /Part 1 of <a href="\/series\/\d+">Lonely Series<\/a>/);
    assert.match(
      edit.body,
      new RegExp(
        `<input type="checkbox" id="field-series_remove-${seriesId}" name="series_remove" value="${seriesId}"/> <label for="field-series_remove-${seriesId}">Remove from this series</label>`,
      ),
    );
    // A script that sends no series fields leaves the series alone.
    assert.equal(
      (await writer.post(`/works/${kept}`, workForm({ title: "Keeper" }))).statusCode,
      303,
    );
    assert.equal((await partsOf(t.handle.db, seriesId)).length, 2);

    const removed = await writer.post(
      `/works/${kept}`,
      workForm({ title: "Keeper", series_id: "", series_remove: String(seriesId) }),
    );
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(
      await partsOf(t.handle.db, seriesId),
      [[leaving, 1]],
      "the next work moves up",
    );
    assert.doesNotMatch((await guest.get(`/works/${kept}`)).body, /dd class="series"/);
    const out = await writer.post(
      `/works/${leaving}`,
      workForm({ title: "Leaver", series_id: "", series_remove: String(seriesId) }),
    );
    assert.equal(out.statusCode, 303);
    // Empty, it stays: a 404 to others (nothing to see), its creator's to fill or delete.
    assert.equal((await guest.get(`/series/${seriesId}`)).statusCode, 404);
    assert.equal((await other.get(`/series/${seriesId}`)).statusCode, 404);
    const own = await writer.get(`/series/${seriesId}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /This series has no works yet/);
  });

  test("the form refuses at its field: someone else's series, bad part numbers, both choices", async () => {
    const mine = await post(writer, { title: "Mine", series_title: "Not Yours" });
    const seriesId = seriesIdFrom((await writer.get(`/works/${mine}`)).body, "Not Yours");
    const works = async () =>
      Number(
        (
          await t.handle.db
            .selectFrom("works")
            .select((eb) => eb.fn.countAll<number | string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await works();
    await other.get("/works/new");
    const theirs = await other.post(
      "/works",
      workForm({ title: "Sneaky", series_id: String(seriesId) }),
    );
    assert.equal(theirs.statusCode, 403);
    assert.match(theirs.body, /Only a creator of a series can add works to it\./);
    assert.match(theirs.body, /value="Sneaky"/, "the form keeps what they typed");
    const badPart = await writer.post(
      "/works",
      workForm({ title: "Bad part", series_id: String(seriesId), series_position: "two" }),
    );
    assert.equal(badPart.statusCode, 422);
    assert.match(badPart.body, /Part number must be a whole number/);
    const both = await writer.post(
      "/works",
      workForm({ title: "Both", series_id: String(seriesId), series_title: "Another" }),
    );
    assert.equal(both.statusCode, 422);
    assert.match(both.body, /not both/);
    const unknown = await writer.post(
      "/works",
      workForm({ title: "Unknown", series_id: "999999" }),
    );
    assert.equal(unknown.statusCode, 422);
    const partAlone = await writer.post(
      "/works",
      workForm({ title: "Alone", series_position: "2" }),
    );
    assert.equal(partAlone.statusCode, 422);
    assert.equal(await works(), before, "no refused work was saved");
    assert.equal((await partsOf(t.handle.db, seriesId)).length, 1);
  });

  test("edit (title, summary, notes, order) and delete with a confirmation, by creators only", async () => {
    const a = await post(writer, { title: "Alpha", series_title: "Editable" });
    const seriesId = seriesIdFrom((await writer.get(`/works/${a}`)).body, "Editable");
    const b = await post(writer, { title: "Beta", series_id: String(seriesId) });
    const c = await post(writer, { title: "Gamma", series_id: String(seriesId) });

    const form = await writer.get(`/series/${seriesId}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="part_${c}" value="3"`));
    const saved = await writer.post(`/series/${seriesId}`, {
      title: "Edited Title",
      summary: "A <b>bold</b> summary.<script>alert(1)</script>",
      notes: "Some notes.",
      [`part_${c}`]: "1",
      [`part_${a}`]: "1",
      [`part_${b}`]: "2",
    });
    assert.equal(saved.statusCode, 303, mainText(saved.body).slice(0, 500));
    assert.deepEqual(await partsOf(t.handle.db, seriesId), [
      [c, 1],
      [a, 2],
      [b, 3],
    ]);
    const page = await guest.get(`/series/${seriesId}`);
    assert.match(page.body, /<h2 class="heading">Edited Title<\/h2>/);
    assert.match(
      page.body,
      /<dd class="summary"><blockquote class="userstuff"><p>A <b>bold<\/b> summary\.<\/p><\/blockquote><\/dd>/,
    );
    assert.doesNotMatch(page.body, /alert\(1\)/);
    assert.match(page.body, /<dd class="notes"><blockquote class="userstuff"><p>Some notes\.<\/p>/);
    assert.match(
      (await guest.get(`/works/${a}`)).body,
      /Part 2 of <a href="\/series\/\d+">Edited Title<\/a>/,
    );

    // Invalid input comes back to the form, at its field.
    const invalid = await writer.post(`/series/${seriesId}`, { title: "  ", [`part_${a}`]: "x" });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Please enter a title\./);
    assert.match(invalid.body, /Enter a part number\./);

    // Who may not: another user (403), a guest (to log in; 401 for a POST).
    assert.equal((await other.get(`/series/${seriesId}/edit`)).statusCode, 403);
    assert.equal((await other.post(`/series/${seriesId}`, { title: "Taken" })).statusCode, 403);
    assert.equal((await other.get(`/series/${seriesId}/confirm_delete`)).statusCode, 403);
    assert.equal((await other.post(`/series/${seriesId}/delete`)).statusCode, 403);
    const toLogin = await guest.get(`/series/${seriesId}/edit`);
    assert.equal(toLogin.statusCode, 303);
    assert.match(toLogin.headers.location ?? "", /^\/login\?return_to=/);
    assert.equal((await guest.post(`/series/${seriesId}/delete`)).statusCode, 401);
    assert.equal((await other.get(`/series/999999/edit`)).statusCode, 404);
    // The page offers editing to its creators only.
    assert.doesNotMatch((await other.get(`/series/${seriesId}`)).body, /Edit Series/);
    assert.match((await writer.get(`/series/${seriesId}`)).body, /Edit Series/);

    const confirm = await writer.get(`/series/${seriesId}/confirm_delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Its works stay/);
    const deleted = await writer.post(`/series/${seriesId}/delete`);
    assert.equal(deleted.statusCode, 303);
    assert.equal(deleted.headers.location, "/users/series_writer/series");
    assert.equal((await writer.get(`/series/${seriesId}`)).statusCode, 404);
    for (const id of [a, b, c]) {
      const work = await guest.get(`/works/${id}`);
      assert.equal(work.statusCode, 200, "deleting a series never deletes its works");
      assert.doesNotMatch(work.body, /dd class="series"/);
    }
  });

  test("readers see only the works they may: restricted, drafts, anonymous, unrevealed", async () => {
    const open = await post(writer, {
      title: "Open Part",
      series_title: "Mixed Company",
      complete: "1",
    });
    const seriesId = seriesIdFrom((await writer.get(`/works/${open}`)).body, "Mixed Company");
    const sid = String(seriesId);
    const members = await post(writer, { title: "Members Part", series_id: sid, restricted: "1" });
    const draft = await post(writer, { title: "Draft Part", series_id: sid, action: "draft" });
    const anon = await post(writer, { title: "Anonymous Part", series_id: sid, complete: "1" });
    const unrevealed = await post(writer, { title: "Unrevealed Part", series_id: sid });
    await setWorkFlags(t.handle.db, anon, { anonymous: true });
    await setWorkFlags(t.handle.db, unrevealed, { unrevealed: true });

    const titles = (html: string) =>
      [
        ...html.matchAll(
          /<h3 class="heading" id="work_\d+_title"><a href="\/works\/\d+">([^<]+)<\/a>/g,
        ),
      ].map((m) => m[1]);
    const asGuest = (await guest.get(`/series/${seriesId}`)).body;
    assert.deepEqual(titles(asGuest), ["Open Part"]);
    assert.match(asGuest, /<dd class="works">1<\/dd>/);
    assert.match(asGuest, /<dd class="complete">Yes<\/dd>/, "complete as far as a guest can see");
    const asOther = (await other.get(`/series/${seriesId}`)).body;
    assert.deepEqual(titles(asOther), ["Open Part", "Members Part"]);
    assert.match(asOther, /<dd class="complete">No<\/dd>/);
    const asWriter = (await writer.get(`/series/${seriesId}`)).body;
    assert.deepEqual(titles(asWriter), [
      "Open Part",
      "Members Part",
      "Draft Part",
      "Anonymous Part",
      "Unrevealed Part",
    ]);

    // The anonymous work names no series to readers (it would name its author), on its page
    // or its blurb; its creator still sees it.
    const anonPage = await other.get(`/works/${anon}?view_adult=true`);
    assert.equal(anonPage.statusCode, 200);
    assert.doesNotMatch(anonPage.body, /Mixed Company|dd class="series"/);
    const anonBlurb = blurbOf((await other.get("/works")).body, anon);
    assert.match(anonBlurb, /Anonymous Part/);
    assert.doesNotMatch(anonBlurb, /ul class="series"|Mixed Company/);
    assert.match(
      blurbOf((await writer.get("/users/series_writer/works")).body, anon),
      /ul class="series"/,
    );
    assert.match(
      (await writer.get(`/works/${anon}`)).body,
      /Part 4 of <a href="\/series\/\d+">Mixed Company<\/a>/,
    );

    // Previous/next only to works the reader may see.
    const openPage = (await other.get(`/works/${open}`)).body;
    assert.match(openPage, new RegExp(`<a class="next" href="/works/${members}">Next Work →</a>`));
    const membersPage = (await other.get(`/works/${members}`)).body;
    assert.match(
      membersPage,
      new RegExp(`<a class="previous" href="/works/${open}">← Previous Work</a>`),
    );
    assert.doesNotMatch(membersPage, /class="next"/, "nothing after it that they may see");
    const writersView = (await writer.get(`/works/${members}`)).body;
    assert.match(writersView, new RegExp(`<a class="next" href="/works/${draft}">`));

    // All hidden from a reader: a 404, however the rest is hidden.
    await writer.post(
      `/works/${open}`,
      workForm({ title: "Open Part", series_id: "", series_remove: sid, complete: "1" }),
    );
    assert.equal(
      (await guest.get(`/series/${seriesId}`)).statusCode,
      404,
      "restricted and the rest",
    );
    const restrictedOnly = await other.get(`/series/${seriesId}`);
    assert.equal(restrictedOnly.statusCode, 200, "a reader sees the restricted part");
    assert.doesNotMatch(restrictedOnly.body, /feed\.atom"/, "no feed: a guest sees nothing in it");
    await writer.post(
      `/works/${members}`,
      workForm({ title: "Members Part", series_id: "", series_remove: sid, restricted: "1" }),
    );
    assert.equal(
      (await other.get(`/series/${seriesId}`)).statusCode,
      404,
      "draft, anonymous, unrevealed",
    );
    assert.equal((await writer.get(`/series/${seriesId}`)).statusCode, 200);
    assert.doesNotMatch((await other.get("/users/series_writer/series")).body, /Mixed Company/);
    assert.match((await writer.get("/users/series_writer/series")).body, /Mixed Company/);
  });

  test("a series page and a blurb listing cost the same queries for 2 works or 20", async () => {
    const first = await post(writer, { title: "Counted 0", series_title: "Counted Series" });
    const seriesId = seriesIdFrom((await writer.get(`/works/${first}`)).body, "Counted Series");
    await post(writer, { title: "Counted 1", series_id: String(seriesId) });
    const cost = async (url: string) => {
      await guest.get(url);
      const before = t.queries.count;
      await guest.get(url);
      return t.queries.count - before;
    };
    const few = await cost(`/series/${seriesId}`);
    const fewList = await cost("/users/series_writer/series");
    for (let i = 2; i < 20; i++)
      await post(writer, { title: `Counted ${i}`, series_id: String(seriesId) });
    assert.equal(await cost(`/series/${seriesId}`), few);
    assert.equal(await cost("/users/series_writer/series"), fewList);
  });
});
