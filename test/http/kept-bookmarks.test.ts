import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

const bookmarkIdFrom = (location: string | undefined) =>
  Number(/^\/bookmarks\/(\d+)$/.exec(location ?? "")?.[1]);

const DELETED = /This has been deleted, sorry!/;

describeEachEngine("bookmarks outlive deleted works", (engine) => {
  let t: TestApp;
  let writer: Client;
  let writerPseud: number;
  let reader: Client;
  let other: Client;

  before(async () => {
    t = await createTestApp(engine, { FANFOLD_LIMIT_BOOKMARKS: "10000/10m" });
    writer = new Client(t.app);
    await writer.signUp("kb_writer");
    const pseud = await t.handle.db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select("pseuds.id")
      .where("users.login", "=", "kb_writer")
      .executeTakeFirstOrThrow();
    writerPseud = pseud.id;
    reader = new Client(t.app);
    await reader.signUp("kb_reader");
    other = new Client(t.app);
    await other.signUp("kb_other");
  });
  after(() => t.close());

  async function work(fields: Record<string, string> = {}) {
    const made = await buildWork(t.handle.db, {
      pseudId: writerPseud,
      fandoms: "Lighthouse Keepers (TV)",
      text: "One two three four five.",
      ...fields,
    });
    return made.workId;
  }

  async function bookmark(c: Client, workId: number, form: Record<string, string> = {}) {
    const res = await c.post(`/works/${workId}/bookmarks`, { notes: "", tags: "", ...form });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return bookmarkIdFrom(res.headers.location);
  }

  async function deleteWork(workId: number) {
    const res = await writer.post(`/works/${workId}/delete`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  }

  const row = (id: number) =>
    t.handle.db.selectFrom("bookmarks").selectAll().where("id", "=", id).executeTakeFirst();

  test("notes, tags and rec stay, shown with what the work was", async () => {
    const workId = await work({ title: "Old Title" });
    const id = await bookmark(reader, workId, {
      notes: "Reread every winter.",
      tags: "Comfort, Winter",
      rec: "1",
    });
    const hidden = await bookmark(other, workId, { notes: "Only mine.", private: "1" });
    // The title at deletion counts, not the one bookmarked.
    await t.handle.db
      .updateTable("works")
      .set({ title: "Final Title" })
      .where("id", "=", workId)
      .execute();
    await deleteWork(workId);
    await t.drainJobs();

    const kept = await row(id);
    assert.equal(kept?.work_id, null);
    assert.equal(kept?.work_ref, workId);
    assert.equal(kept?.notes_html, "<p>Reread every winter.</p>");
    assert.equal(kept?.rec, 1);
    assert.equal(kept?.work_title, "Final Title");
    assert.ok(await row(hidden));

    for (const c of [reader, other, new Client(t.app)]) {
      const listing = await c.get("/users/kb_reader/bookmarks");
      assert.equal(listing.statusCode, 200);
      assert.match(listing.body, /1 Bookmark</);
      assert.match(listing.body, DELETED);
      assert.match(listing.body, /<cite>Final Title<\/cite> by kb_writer/);
      assert.match(listing.body, /Lighthouse Keepers \(TV\)/);
      assert.match(listing.body, /<dd class="words">5<\/dd>/);
      assert.match(listing.body, /Reread every winter\./);
      assert.match(listing.body, /★ Rec/);
      assert.match(listing.body, /Comfort \(1\)/);
      for (const filter of ["?tag=winter", "?recs=1", "?tag=Comfort&recs=1"]) {
        const filtered = await c.get(`/users/kb_reader/bookmarks${filter}`);
        assert.match(filtered.body, /Final Title/, filter);
      }
      const single = await c.get(`/bookmarks/${id}`);
      assert.equal(single.statusCode, 200);
      assert.match(single.body, DELETED);
      assert.match(single.body, /Final Title/);
      assert.match(single.body, /Reread every winter\./);
      assert.equal((await c.get(`/works/${workId}/bookmarks`)).statusCode, 404);
    }
    // The other reader's private one is still theirs alone.
    assert.equal((await reader.get(`/bookmarks/${hidden}`)).statusCode, 404);
    assert.doesNotMatch((await reader.get("/users/kb_other/bookmarks")).body, /Only mine/);
    const theirs = await other.get("/users/kb_other/bookmarks");
    assert.match(theirs.body, /Only mine/);
    assert.match(theirs.body, /Private bookmark/);
  });

  test("the owner edits and deletes a bookmark of a deleted work", async () => {
    const workId = await work({ title: "Soon Gone" });
    const id = await bookmark(reader, workId, { notes: "Before.", tags: "Keep" });
    await deleteWork(workId);
    await t.drainJobs();

    const form = await reader.get(`/bookmarks/${id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Edit bookmark for “Soon Gone” \(deleted\)/);
    assert.match(form.body, /Before\./);
    // Made private, then public again: no count to move for a work that is gone.
    for (const fields of [{ private: "1" }, { rec: "1" }]) {
      const saved = await reader.post(`/bookmarks/${id}`, {
        notes: "After.",
        tags: "Keep, Gone",
        ...fields,
      });
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    }
    assert.equal((await row(id))?.notes_html, "<p>After.</p>");
    assert.equal((await row(id))?.rec, 1);
    assert.match((await reader.get(`/bookmarks/${id}`)).body, /After\./);

    const confirm = await reader.get(`/bookmarks/${id}/confirm_delete`);
    assert.match(confirm.body, /your bookmark of “Soon Gone”/);
    assert.equal((await other.post(`/bookmarks/${id}/delete`)).statusCode, 403);
    assert.equal((await reader.post(`/bookmarks/${id}/delete`)).statusCode, 303);
    assert.equal(await row(id), undefined);
  });

  test("a deleted work that was for registered users stays hidden from guests", async () => {
    const workId = await work({ title: "Members Gone", restricted: "1" });
    const id = await bookmark(reader, workId, { tags: "Members Only Tag" });
    await deleteWork(workId);
    await t.drainJobs();
    const guest = new Client(t.app);
    const listing = await guest.get("/users/kb_reader/bookmarks");
    assert.doesNotMatch(listing.body, /Members Gone|Members Only Tag/);
    const single = await guest.get(`/bookmarks/${id}`);
    assert.equal(single.statusCode, 303);
    assert.match(single.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    assert.doesNotMatch(single.body, /Members Gone/);
    assert.match((await other.get("/users/kb_reader/bookmarks")).body, /Members Gone/);
    assert.match((await other.get(`/bookmarks/${id}`)).body, /Members Gone/);
  });

  test("until the deletion job runs, the bookmark shows without details, not to guests", async () => {
    const workId = await work({ title: "Pending Details" });
    const id = await bookmark(reader, workId, { notes: "Still here." });
    await deleteWork(workId);
    const page = await other.get(`/bookmarks/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, DELETED);
    assert.match(page.body, /Still here\./);
    assert.equal((await new Client(t.app).get(`/bookmarks/${id}`)).statusCode, 303);
    await t.drainJobs();
    assert.match((await new Client(t.app).get(`/bookmarks/${id}`)).body, /Pending Details/);
  });
});
