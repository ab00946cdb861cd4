/**
 * Listings keep each blurb's row-and-tags parts between requests (search/listings/blurbs.ts,
 * issue 16). Whatever changes a blurb shows must show on the next listing: an edit through
 * the form, a row changed without a change-log entry, a tag renamed, a creator renamed, and
 * the viewer-dependent parts (the restricted padlock, a creator's own view) stay right.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";

/** The list of blurbs, without the page around it (its form tokens differ per request). */
const blurbs = (body: string) => body.slice(body.indexOf('<ol class="work index group">'));

describeEachEngine("kept blurbs in listings", (engine) => {
  let t: TestApp;
  let writer: Client;
  let guest: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("kept_writer");
    guest = new Client(t.app);
  });
  after(() => t.close());

  async function post(overrides: Record<string, string | string[]>) {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return workIdFrom(res.headers.location);
  }

  const listing = async (client: Client, path: string) => {
    const res = await client.get(path);
    assert.equal(res.statusCode, 200);
    return blurbs(res.body);
  };

  test("a listing shown again is the same, and shows every change made since", async () => {
    const id = await post({ title: "Kept Lamp", fandoms: "Kept Fandom", freeforms: "Kept Fluff" });
    await post({ title: "Kept Other", fandoms: "Kept Fandom", freeforms: "Kept Angst" });
    const first = await listing(guest, "/tags/Kept%20Fandom/works");
    assert.match(first, /Kept Lamp/);
    assert.equal(await listing(guest, "/tags/Kept%20Fandom/works"), first);

    // An edit through the form: title, tags and summary.
    const edited = await writer.post(
      `/works/${id}`,
      workForm({
        title: "Kept Lantern",
        summary: "A new summary.",
        fandoms: "Kept Fandom",
        freeforms: "Kept Fluff, Kept Hurt",
      }),
    );
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 2000));
    let now = await listing(guest, "/tags/Kept%20Fandom/works");
    assert.match(now, /Kept Lantern/);
    assert.match(now, /A new summary\./);
    assert.match(now, />Kept Hurt</);
    assert.doesNotMatch(now, /Kept Lamp/);

    // A row changed with no change-log entry still shows: the kept parts follow the row.
    await t.handle.db
      .updateTable("works")
      .set({ word_count: 123_456 })
      .where("id", "=", id)
      .execute();
    now = await listing(guest, "/tags/Kept%20Fandom/works");
    assert.match(now, /<dd class="words">123,456<\/dd>/);

    // A tag renamed by a wrangler.
    const wrangler = new Client(t.app);
    await wrangler.signUp("kept_wrangler");
    const user = await findUserByLogin(t.deps.db, "kept_wrangler");
    await setRoles(t.deps.db, user!.id, ["wrangler"]);
    const renamed = await wrangler.post("/tags/Kept%20Hurt/rename", { name: "Kept Comfort" });
    assert.equal(renamed.statusCode, 303);
    now = await listing(guest, "/tags/Kept%20Fandom/works");
    assert.match(now, />Kept Comfort</);
    assert.doesNotMatch(now, />Kept Hurt</);
  });

  test("the byline follows its creator, and the padlock shows to readers who may see it", async () => {
    const id = await post({ title: "Kept Locked", fandoms: "Kept Locks", restricted: "1" });
    await post({ title: "Kept Open", fandoms: "Kept Locks" });
    const reader = new Client(t.app);
    await reader.signUp("kept_reader");
    const before = await listing(reader, "/tags/Kept%20Locks/works");
    assert.match(before, /Kept Locked<\/a> by <a rel="author" href="\/users\/kept_writer/);
    assert.match(before, /alt="\(Restricted\)"/);
    // Guests never see the restricted work, however its blurb was kept.
    const seen = await listing(guest, "/tags/Kept%20Locks/works");
    assert.doesNotMatch(seen, /Kept Locked/);
    assert.match(seen, /Kept Open/);
    // Its creator's own view of the kept blurb is theirs.
    assert.match(await listing(writer, "/tags/Kept%20Locks/works"), /Kept Locked/);
    await t.handle.db.updateTable("works").set({ restricted: 0 }).where("id", "=", id).execute();
    assert.doesNotMatch(await listing(reader, "/tags/Kept%20Locks/works"), /alt="\(Restricted\)"/);
  });

  test("the filter form's facets, kept with their bytes, show what the listing counts and a rename", async () => {
    await post({ title: "Facet One", fandoms: "Facet Fandom", freeforms: "Facet Fluff, Fête" });
    await post({ title: "Facet Two", fandoms: "Facet Fandom", freeforms: "Facet Fluff" });
    const form = async (path: string) => {
      const res = await guest.get(path);
      assert.equal(res.statusCode, 200);
      assert.equal(Number(res.headers["content-length"]), res.rawPayload.length);
      const panel = res.body.slice(
        res.body.indexOf('<details class="filters-panel">'),
        res.body.indexOf("</form>"),
      );
      // Only the element's own attributes: what is kept with the markup stays out of the tag.
      for (const tag of panel.match(/<details class="facet"[^>]*>/g) ?? [])
        assert.match(tag, /^<details class="facet"( open)?>$/);
      return panel.replace(/name="_csrf" value="[^"]*"/g, "");
    };
    const path = "/tags/Facet%20Fandom/works";
    const first = await form(path);
    assert.match(first, /Facet Fluff \(2\)/);
    assert.match(first, /Fête \(1\)/);
    assert.match(first, /<option value="ar" lang="ar">العربية<\/option>/);
    assert.equal(await form(path), first);
    const fete = await t.handle.db
      .selectFrom("tags")
      .select("id")
      .where("name", "=", "Fête")
      .executeTakeFirstOrThrow();
    const chosen = await form(`${path}?exclude=${fete.id}`);
    assert.match(chosen, /<details class="facet" open>/);

    const wrangler = new Client(t.app);
    await wrangler.signUp("facet_wrangler");
    const user = await findUserByLogin(t.deps.db, "facet_wrangler");
    await setRoles(t.deps.db, user!.id, ["wrangler"]);
    const renamed = await wrangler.post("/tags/Facet%20Fluff/rename", { name: "Facet Comfort" });
    assert.equal(renamed.statusCode, 303);
    const now = await form(path);
    assert.match(now, /Facet Comfort \(2\)/);
    assert.doesNotMatch(now, /Facet Fluff/);
  });
});
