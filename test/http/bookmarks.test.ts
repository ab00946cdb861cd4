import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { insertPseud } from "../../src/accounts/queries.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

const bookmarkIdFrom = (location: string | undefined) =>
  Number(/^\/bookmarks\/(\d+)$/.exec(location ?? "")?.[1]);

/** The bookmark form as the page sends it; override any field. */
const bookmarkForm = (overrides: Record<string, string | undefined> = {}) => ({
  notes: "",
  tags: "",
  ...overrides,
});

describeEachEngine("bookmarks over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  let writerPseud: number;
  let reader: Client;
  let other: Client;

  before(async () => {
    t = await createTestApp(engine, { FANFOLD_LIMIT_BOOKMARKS: "10000/10m" });
    writer = new Client(t.app);
    await writer.signUp("bm_writer");
    const pseud = await t.handle.db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select("pseuds.id")
      .where("users.login", "=", "bm_writer")
      .executeTakeFirstOrThrow();
    writerPseud = pseud.id;
    reader = new Client(t.app);
    await reader.signUp("bm_reader");
    other = new Client(t.app);
    await other.signUp("bm_other");
  });
  after(() => t.close());

  let seq = 0;
  async function work(fields: Record<string, string> = {}) {
    seq += 1;
    const made = await buildWork(t.handle.db, {
      pseudId: writerPseud,
      title: `Bookmarkable ${seq}`,
      ...fields,
    });
    return made.workId;
  }

  async function bookmark(c: Client, workId: number, form: Record<string, string> = {}) {
    const res = await c.post(`/works/${workId}/bookmarks`, bookmarkForm(form));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const id = bookmarkIdFrom(res.headers.location);
    assert.ok(id > 0, res.headers.location);
    return id;
  }

  async function publicCount(workId: number) {
    const row = await t.handle.db
      .selectFrom("work_stats")
      .select("bookmarks")
      .where("work_id", "=", workId)
      .executeTakeFirst();
    return row?.bookmarks ?? 0;
  }

  async function rowsFor(workId: number) {
    return t.handle.db.selectFrom("bookmarks").selectAll().where("work_id", "=", workId).execute();
  }

  test("create and view a bookmark", async () => {
    const workId = await work({ title: "The Lamp Keeper" });
    const form = await reader.get(`/works/${workId}/bookmarks/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Bookmark <a href="\/works\/\d+">The Lamp Keeper<\/a>/);
    assert.match(form.body, new RegExp(`action="/works/${workId}/bookmarks"`));
    for (const label of ["Notes", "Your tags", "Rec", "Private bookmark"]) {
      assert.match(form.body, new RegExp(`<label for="field-[a-z_]+">${label}`), label);
    }

    const created = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ notes: "A gentle story.", tags: "Comfort, Reread", rec: "1" }),
    );
    assert.equal(created.statusCode, 303);
    const id = bookmarkIdFrom(created.headers.location);
    const shown = await reader.get(`/bookmarks/${id}`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /successfully created/);
    assert.match(shown.body, /The Lamp Keeper/);
    assert.match(
      shown.body,
      /Bookmarked by <a href="\/users\/bm_reader\/pseuds\/bm_reader">bm_reader<\/a>/,
    );
    assert.match(shown.body, /★ Rec/);
    assert.match(shown.body, /<p>A gentle story.<\/p>/);
    assert.match(shown.body, /href="\/users\/bm_reader\/bookmarks\?tag=Comfort">Comfort</);
    assert.match(shown.body, /href="\/users\/bm_reader\/bookmarks\?tag=Reread">Reread</);
    assert.match(shown.body, new RegExp(`href="/bookmarks/${id}/edit">Edit<`));
    // Others see the bookmark but not the owner's actions.
    const seen = await new Client(t.app).get(`/bookmarks/${id}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /The Lamp Keeper/);
    assert.doesNotMatch(seen.body, new RegExp(`/bookmarks/${id}/edit`));
  });

  test("bookmarking a work again says so, links to the edit form and overwrites nothing", async () => {
    const c = new Client(t.app);
    await c.signUp("bm_twice");
    const user = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "bm_twice")
      .executeTakeFirstOrThrow();
    const second = await insertPseud(t.handle.db, {
      userId: user.id,
      name: "Other Self",
      isDefault: false,
      now: t.clock.now,
    });
    const workId = await work({ title: "Twice Loved" });
    const id = await bookmark(c, workId, { notes: "First notes.", tags: "First Tag", rec: "1" });
    const editLink = `<a href="/bookmarks/${id}/edit">Edit your bookmark</a>`;

    const form = await c.get(`/works/${workId}/bookmarks/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /You have already bookmarked this work\./);
    assert.ok(form.body.includes(editLink), form.body);
    assert.doesNotMatch(form.body, /action="\/works\/\d+\/bookmarks"/);

    // Another pseud, or an old tab: refused, what was typed kept, the first bookmark intact.
    for (const pseud of [String(second), undefined]) {
      const again = await c.post(
        `/works/${workId}/bookmarks`,
        bookmarkForm({ pseud_id: pseud, notes: "Second notes.", tags: "Second Tag", private: "1" }),
      );
      assert.equal(again.statusCode, 422);
      assert.match(again.body, /You have already bookmarked this work\./);
      assert.ok(again.body.includes(editLink));
      assert.match(again.body, /Second notes\.<\/textarea>/);
      assert.match(again.body, /value="Second Tag"/);
      assert.match(again.body, /name="private" value="1" checked/);
    }
    // An invalid form says so too.
    const invalid = await c.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ notes: "n".repeat(5_001) }),
    );
    assert.equal(invalid.statusCode, 422);
    assert.ok(invalid.body.includes(editLink));

    const rows = await rowsFor(workId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.notes_html, "<p>First notes.</p>");
    assert.equal(rows[0]?.rec, 1);
    assert.equal(rows[0]?.private, 0);
    assert.notEqual(rows[0]?.pseud_id, second);
    const tags = await t.handle.db
      .selectFrom("bookmark_tags")
      .select("name")
      .where("bookmark_id", "=", id)
      .execute();
    assert.deepEqual(
      tags.map((x) => x.name),
      ["First Tag"],
    );
    assert.equal(await publicCount(workId), 1);
  });

  test("the work page links to Bookmark, or Edit Bookmark for a reader who has one", async () => {
    const workId = await work();
    const link = `href="/works/${workId}/bookmarks/new"`;
    assert.match((await new Client(t.app).get(`/works/${workId}`)).body, new RegExp(link));
    assert.match((await other.get(`/works/${workId}`)).body, new RegExp(link));
    const id = await bookmark(reader, workId);
    const page = await reader.get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`href="/bookmarks/${id}/edit">\\s*Edit Bookmark`));
    assert.doesNotMatch(page.body, new RegExp(link));
    // Guests go through the log-in page and come back to the form.
    const guest = await new Client(t.app).get(`/works/${workId}/bookmarks/new`);
    assert.equal(guest.statusCode, 303);
    assert.equal(
      guest.headers.location,
      `/login?return_to=${encodeURIComponent(`/works/${workId}/bookmarks/new`)}`,
    );
  });

  test("several saves at once make one bookmark, counted once; the others are refused", async () => {
    const workId = await work();
    const token = await other.token();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        other.post(`/works/${workId}/bookmarks`, bookmarkForm({ tags: `Tag ${i}` }), {
          csrf: token,
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 422, 422, 422, 422, 422]);
    const created = results.find((r) => r.statusCode === 303)!;
    const id = bookmarkIdFrom(created.headers.location);
    for (const r of results.filter((x) => x.statusCode === 422))
      assert.ok(r.body.includes(`href="/bookmarks/${id}/edit"`));
    assert.equal((await rowsFor(workId)).length, 1);
    assert.equal(await publicCount(workId), 1);
    const tags = await t.handle.db
      .selectFrom("bookmark_tags")
      .select("name")
      .where("bookmark_id", "=", id)
      .execute();
    assert.equal(tags.length, 1);
  });

  test("edit keeps the stored values in the form and saves changes", async () => {
    const workId = await work();
    const id = await bookmark(reader, workId, {
      notes: "<p>Keep <em>this</em></p>",
      tags: "Slow Burn, Favourites",
      rec: "1",
    });
    const form = await reader.get(`/bookmarks/${id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Edit bookmark for/);
    assert.match(form.body, /value="Slow Burn, Favourites"/);
    assert.match(form.body, /&lt;p>Keep &lt;em>this&lt;\/em>&lt;\/p><\/textarea>/);
    assert.match(form.body, /name="rec" value="1" checked/);
    assert.doesNotMatch(form.body, /name="private" value="1" checked/);
    assert.match(form.body, new RegExp(`action="/bookmarks/${id}"`));
    assert.match(form.body, new RegExp(`href="/bookmarks/${id}/confirm_delete"`));

    const saved = await reader.post(
      `/bookmarks/${id}`,
      bookmarkForm({ notes: "Changed my mind.", tags: "Favourites, Reread" }),
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/bookmarks/${id}`);
    const [row] = await rowsFor(workId);
    assert.equal(row?.rec, 0);
    assert.equal(row?.notes_html, "<p>Changed my mind.</p>");
    const tags = await t.handle.db
      .selectFrom("bookmark_tags")
      .select(["name", "position"])
      .where("bookmark_id", "=", id)
      .orderBy("position")
      .execute();
    assert.deepEqual(
      tags.map((x) => x.name),
      ["Favourites", "Reread"],
    );
  });

  test("delete asks first, then removes the bookmark and its tags", async () => {
    const workId = await work({ title: "Doomed Bookmark Work" });
    const id = await bookmark(reader, workId, { tags: "Gone Soon" });
    const confirm = await reader.get(`/bookmarks/${id}/confirm_delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(
      confirm.body,
      /Are you sure you want to delete your bookmark of “Doomed Bookmark Work”/,
    );
    assert.match(confirm.body, new RegExp(`<form method="post" action="/bookmarks/${id}/delete"`));
    assert.match(confirm.body, /Yes, delete/);
    assert.equal((await rowsFor(workId)).length, 1, "the confirmation page deletes nothing");

    const deleted = await reader.post(`/bookmarks/${id}/delete`);
    assert.equal(deleted.statusCode, 303);
    assert.equal(deleted.headers.location, "/users/bm_reader/bookmarks");
    assert.match((await reader.get("/users/bm_reader/bookmarks")).body, /successfully deleted/);
    assert.equal((await rowsFor(workId)).length, 0);
    const tags = await t.handle.db
      .selectFrom("bookmark_tags")
      .select("name")
      .where("bookmark_id", "=", id)
      .execute();
    assert.equal(tags.length, 0);
    assert.equal((await reader.get(`/bookmarks/${id}`)).statusCode, 404);
    assert.equal((await reader.post(`/bookmarks/${id}/delete`)).statusCode, 404);
    assert.equal(await publicCount(workId), 0);
  });

  test("the public count follows every transition", async () => {
    const workId = await work();
    const counts: number[] = [];
    const check = async () => counts.push(await publicCount(workId));
    const mine = await bookmark(reader, workId); // public: +1
    await check();
    const theirs = await bookmark(other, workId, { private: "1" }); // private: no change
    await check();
    await other.post(`/bookmarks/${theirs}`, bookmarkForm({})); // private → public: +1
    await check();
    await other.post(`/bookmarks/${theirs}`, bookmarkForm({ rec: "1" })); // public → public
    await check();
    await reader.post(`/bookmarks/${mine}`, bookmarkForm({ private: "1" })); // public → private: −1
    await check();
    await reader.post(`/bookmarks/${mine}`, bookmarkForm({ private: "1", rec: "1" })); // stays private
    await check();
    await reader.post(`/bookmarks/${mine}/delete`); // private deleted: no change
    await check();
    await other.post(`/bookmarks/${theirs}/delete`); // public deleted: −1
    await check();
    assert.deepEqual(counts, [1, 1, 2, 2, 1, 1, 1, 0]);
  });

  test("private bookmarks are seen by their owner only", async () => {
    const workId = await work({ title: "Secretly Loved Work" });
    const id = await bookmark(reader, workId, { private: "1", tags: "Secret Tag" });
    assert.equal(await publicCount(workId), 0);

    const own = await reader.get("/users/bm_reader/bookmarks");
    assert.match(own.body, /Secretly Loved Work/);
    assert.match(own.body, /Private bookmark/);
    assert.match(own.body, /Secret Tag \(1\)/);
    assert.equal((await reader.get(`/bookmarks/${id}`)).statusCode, 200);

    const guest = new Client(t.app);
    for (const c of [other, guest]) {
      for (const path of [
        "/users/bm_reader/bookmarks",
        "/users/bm_reader/bookmarks?tag=Secret%20Tag",
        `/works/${workId}/bookmarks`,
      ]) {
        const res = await c.get(path);
        assert.equal(res.statusCode, 200, path);
        assert.doesNotMatch(res.body, /Secret Tag \(/, path);
        if (path.startsWith("/users/")) assert.doesNotMatch(res.body, /Secretly Loved Work/, path);
        assert.doesNotMatch(res.body, new RegExp(`/bookmarks/${id}"`), path);
      }
      assert.doesNotMatch((await c.get(`/works/${workId}/bookmarks`)).body, /bm_reader/);
      assert.equal((await c.get(`/bookmarks/${id}`)).statusCode, 404);
    }
    // Another user can't learn it exists through the owner's pages either.
    assert.equal((await other.get(`/bookmarks/${id}/edit`)).statusCode, 404);
    assert.equal((await other.get(`/bookmarks/${id}/confirm_delete`)).statusCode, 404);
    assert.equal((await other.post(`/bookmarks/${id}`, bookmarkForm())).statusCode, 404);
    assert.equal((await other.post(`/bookmarks/${id}/delete`)).statusCode, 404);
    assert.equal((await rowsFor(workId)).length, 1);
  });

  test("nobody but the owner may edit or delete a public bookmark; guests must log in", async () => {
    const workId = await work();
    const id = await bookmark(reader, workId, { notes: "Mine." });
    assert.equal((await other.get(`/bookmarks/${id}/edit`)).statusCode, 403);
    assert.equal((await other.get(`/bookmarks/${id}/confirm_delete`)).statusCode, 403);
    const edit = await other.post(`/bookmarks/${id}`, bookmarkForm({ notes: "Hijacked" }));
    assert.equal(edit.statusCode, 403);
    assert.match(edit.body, /only the person who made this bookmark/);
    assert.equal((await other.post(`/bookmarks/${id}/delete`)).statusCode, 403);
    // An invalid form from someone else is refused too, not rendered with the owner's data.
    const invalidEdit = await other.post(`/bookmarks/${id}`, { notes: "x".repeat(5_001) });
    assert.equal(invalidEdit.statusCode, 403);

    const guest = new Client(t.app);
    for (const path of [`/bookmarks/${id}/edit`, `/bookmarks/${id}/confirm_delete`]) {
      const res = await guest.get(path);
      assert.equal(res.statusCode, 303, path);
      assert.match(res.headers.location ?? "", /^\/login\?return_to=/);
    }
    const token = await guest.token();
    for (const path of [
      `/bookmarks/${id}`,
      `/bookmarks/${id}/delete`,
      `/works/${workId}/bookmarks`,
    ]) {
      const res = await guest.post(path, bookmarkForm({ notes: "Guest" }), { csrf: token });
      assert.equal(res.statusCode, 401, path);
    }
    // A form sent without its CSRF token is refused.
    const forged = await reader.post(`/bookmarks/${id}/delete`, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);

    const [row] = await rowsFor(workId);
    assert.equal(row?.notes_html, "<p>Mine.</p>");
    assert.equal((await rowsFor(workId)).length, 1);
    assert.equal((await reader.get("/bookmarks/999999")).statusCode, 404);
    assert.equal((await reader.get("/bookmarks/abc")).statusCode, 400);
    assert.equal((await reader.get(`/works/999999/bookmarks/new`)).statusCode, 404);
    assert.equal((await reader.get("/users/no_such_user/bookmarks")).statusCode, 404);
  });

  test("notes are sanitized: scripts and handlers go, formatting stays", async () => {
    const workId = await work();
    const id = await bookmark(reader, workId, {
      notes:
        '<p>Loved <em>this</em> and <strong>that</strong></p><script>alert("x")</script>' +
        '<p><a href="javascript:alert(1)">bad link</a> <img src="x" onerror="alert(2)"></p>',
    });
    const [row] = await rowsFor(workId);
    assert.doesNotMatch(row?.notes_html ?? "", /script|onerror|javascript/);
    const page = await new Client(t.app).get(`/bookmarks/${id}`);
    assert.match(page.body, /<p>Loved <em>this<\/em> and <strong>that<\/strong><\/p>/);
    assert.doesNotMatch(page.body, /alert\(/);
    assert.doesNotMatch(page.body, /onerror/);
    assert.match(page.body, /bad link/);

    // Plain text gets paragraph rules.
    const plain = await work();
    const plainId = await bookmark(reader, plain, {
      notes: "First line\nsame paragraph\n\nSecond",
    });
    const plainPage = await reader.get(`/bookmarks/${plainId}`);
    assert.match(plainPage.body, /<p>First line<br \/>same paragraph<\/p>\s*<p>Second<\/p>/);
  });

  test("the tag filter is case- and space-insensitive and lists tags with counts", async () => {
    const c = new Client(t.app);
    await c.signUp("bm_tagger");
    const a = await work({ title: "Tagged Alpha" });
    const b = await work({ title: "Tagged Beta" });
    const g = await work({ title: "Tagged Gamma" });
    await bookmark(c, a, { tags: "Comfort Read, To Reread" });
    await bookmark(c, b, { tags: "comfort   READ" });
    await bookmark(c, g, { tags: "Angst" });

    const all = await new Client(t.app).get("/users/bm_tagger/bookmarks");
    assert.match(all.body, /3 Bookmarks/);
    assert.match(
      all.body,
      /href="\/users\/bm_tagger\/bookmarks\?tag=Comfort\+Read">Comfort Read \(2\)/,
    );
    assert.match(all.body, /To Reread \(1\)/);
    assert.match(all.body, /Angst \(1\)/);

    const filtered = await new Client(t.app).get(
      "/users/bm_tagger/bookmarks?tag=COMFORT%20%20read",
    );
    assert.equal(filtered.statusCode, 200);
    assert.match(filtered.body, /2 Bookmarks tagged “Comfort Read”/);
    assert.match(filtered.body, /Tagged Alpha/);
    assert.match(filtered.body, /Tagged Beta/);
    assert.doesNotMatch(filtered.body, /Tagged Gamma/);
    assert.match(filtered.body, /<span aria-current="page">Comfort Read \(2\)<\/span>/);
    assert.match(filtered.body, /Show bookmarks with any tag/);

    const none = await new Client(t.app).get("/users/bm_tagger/bookmarks?tag=Nothing%20Here");
    assert.match(none.body, /0 Bookmarks tagged “Nothing Here”/);
    assert.doesNotMatch(none.body, /Tagged (Alpha|Beta|Gamma)/);

    // The same filter on a work's bookmarks.
    const onWork = await new Client(t.app).get(`/works/${a}/bookmarks?tag=to%20reread`);
    assert.match(onWork.body, /1 Bookmark tagged “To Reread”/);
    assert.match(onWork.body, /bm_tagger/);
  });

  test("recs only", async () => {
    const c = new Client(t.app);
    await c.signUp("bm_recs");
    const rec = await work({ title: "Recommended Story" });
    const plain = await work({ title: "Just Saved Story" });
    await bookmark(c, rec, { rec: "1", tags: "Shared" });
    await bookmark(c, plain, { tags: "Shared" });
    const all = await new Client(t.app).get("/users/bm_recs/bookmarks");
    assert.match(all.body, /Recommended Story/);
    assert.match(all.body, /Just Saved Story/);
    assert.match(all.body, /href="\/users\/bm_recs\/bookmarks\?recs=1">Recs only/);
    const recs = await new Client(t.app).get("/users/bm_recs/bookmarks?recs=1");
    assert.match(recs.body, /1 Bookmark \(recs only\)/);
    assert.match(recs.body, /Recommended Story/);
    assert.doesNotMatch(recs.body, /Just Saved Story/);
    // Tag links keep the recs filter, and counts follow it.
    assert.match(
      recs.body,
      /href="\/users\/bm_recs\/bookmarks\?tag=Shared&amp;recs=1">Shared \(1\)/,
    );
    assert.equal((await c.get("/users/bm_recs/bookmarks?recs=maybe")).statusCode, 400);
  });

  test("bookmarks of restricted works are hidden from guests", async () => {
    const workId = await work({ title: "Members Only Bookmarked", restricted: "1" });
    const id = await bookmark(reader, workId, { tags: "Members Tag" });
    assert.equal(await publicCount(workId), 1);
    const guest = new Client(t.app);
    const listing = await guest.get("/users/bm_reader/bookmarks");
    assert.doesNotMatch(listing.body, /Members Only Bookmarked/);
    assert.doesNotMatch(listing.body, /Members Tag/);
    const single = await guest.get(`/bookmarks/${id}`);
    // As the work's own pages: AO3's login address, which says why.
    assert.equal(single.statusCode, 303);
    assert.match(single.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    assert.doesNotMatch(single.body, /Members Only Bookmarked/);
    const onWork = await guest.get(`/works/${workId}/bookmarks`);
    assert.equal(onWork.statusCode, 303);
    assert.match(onWork.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    assert.doesNotMatch(onWork.body, /Members Only Bookmarked/);
    // Logged-in readers see it everywhere.
    assert.match((await other.get("/users/bm_reader/bookmarks")).body, /Members Only Bookmarked/);
    assert.match((await other.get(`/bookmarks/${id}`)).body, /Members Only Bookmarked/);
    assert.match((await other.get(`/works/${workId}/bookmarks`)).body, /1 Bookmark</);
  });

  test("a draft can't be bookmarked, not even by its creator", async () => {
    const workId = await work({ title: "Unposted Draft", action: "draft" });
    for (const c of [reader, writer]) {
      assert.equal((await c.get(`/works/${workId}/bookmarks/new`)).statusCode, 404);
      const res = await c.post(`/works/${workId}/bookmarks`, bookmarkForm());
      assert.equal(res.statusCode, 404);
      // An invalid form for a draft is a 404 as well, never the form.
      const invalid = await c.post(`/works/${workId}/bookmarks`, { notes: "x".repeat(5_001) });
      assert.equal(invalid.statusCode, 404);
    }
    assert.equal((await rowsFor(workId)).length, 0);
    const creatorPage = await writer.get(`/works/${workId}`);
    assert.equal(creatorPage.statusCode, 200);
    assert.doesNotMatch(creatorPage.body, /bookmarks\/new/);
    assert.equal((await reader.get(`/works/${workId}/bookmarks`)).statusCode, 404);
  });

  test("a muted bookmarker disappears for the muter only, counts included", async () => {
    const workId = await work({ title: "Muted Bookmarks Work" });
    const loud = new Client(t.app);
    await loud.signUp("bm_loud");
    const quiet = new Client(t.app);
    await quiet.signUp("bm_quiet");
    await bookmark(loud, workId, { notes: "Loud notes here", tags: "Loud Tag" });
    await bookmark(quiet, workId, { notes: "Quiet notes here" });
    const muter = new Client(t.app);
    await muter.signUp("bm_muter");
    const muted = await muter.post("/preferences/exclusions/users", { login: "bm_loud" });
    assert.equal(muted.statusCode, 303);

    const forMuter = await muter.get(`/works/${workId}/bookmarks`);
    assert.match(forMuter.body, /1 Bookmark</);
    assert.match(forMuter.body, /Quiet notes here/);
    assert.doesNotMatch(forMuter.body, /Loud notes here/);
    assert.doesNotMatch(forMuter.body, /Loud Tag/);
    const profile = await muter.get("/users/bm_loud/bookmarks");
    assert.match(profile.body, /0 Bookmarks/);
    assert.match(profile.body, /You muted bm_loud/);
    assert.doesNotMatch(profile.body, /Muted Bookmarks Work/);

    for (const c of [other, new Client(t.app)]) {
      const res = await c.get(`/works/${workId}/bookmarks`);
      assert.match(res.body, /2 Bookmarks</);
      assert.match(res.body, /Loud notes here/);
      assert.match(res.body, /Quiet notes here/);
      assert.match((await c.get("/users/bm_loud/bookmarks")).body, /Muted Bookmarks Work/);
    }
    assert.equal(await publicCount(workId), 2);
  });

  test("validation: messages name the field, and the form keeps what was typed (422)", async () => {
    const workId = await work();
    const long = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ notes: "n".repeat(5_001), tags: "Kept Tag" }),
    );
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /Notes must be at most 5,000 characters/);
    assert.match(long.body, /value="Kept Tag"/);
    assert.match(long.body, /n{5001}<\/textarea>/);
    assert.match(long.body, /class="field has-error"/);

    const tooLongTag = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ tags: "t".repeat(151), notes: "Typed notes" }),
    );
    assert.equal(tooLongTag.statusCode, 422);
    assert.match(
      tooLongTag.body,
      /Your tags: The tag &quot;t{40}…&quot; is too long \(150 characters at most\)/,
    );
    assert.match(tooLongTag.body, /Typed notes<\/textarea>/);

    const manyTags = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ tags: Array.from({ length: 76 }, (_, i) => `Tag ${i}`).join(", ") }),
    );
    assert.equal(manyTags.statusCode, 422);
    assert.match(manyTags.body, /Your tags: a bookmark can have at most 75 tags \(you have 76\)/);

    const badChar = await reader.post(`/works/${workId}/bookmarks`, bookmarkForm({ tags: "a<b" }));
    assert.equal(badChar.statusCode, 422);
    assert.match(badChar.body, /Your tags: The tag &quot;a&lt;b&quot; contains &lt;/);

    const writerPseudForm = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ pseud_id: String(writerPseud), notes: "Kept notes" }),
    );
    assert.equal(writerPseudForm.statusCode, 422);
    assert.match(writerPseudForm.body, /Choose one of your own pseuds/);
    assert.match(writerPseudForm.body, /Kept notes<\/textarea>/);

    const notANumber = await reader.post(
      `/works/${workId}/bookmarks`,
      bookmarkForm({ pseud_id: "first" }),
    );
    assert.equal(notANumber.statusCode, 422);
    assert.match(notANumber.body, /Choose which pseud to bookmark as/);
    assert.equal((await rowsFor(workId)).length, 0);

    // The edit form validates the same way.
    const id = await bookmark(reader, workId, { notes: "Fine." });
    const badEdit = await reader.post(
      `/bookmarks/${id}`,
      bookmarkForm({ notes: "n".repeat(5_001) }),
    );
    assert.equal(badEdit.statusCode, 422);
    assert.match(badEdit.body, /Notes must be at most 5,000 characters/);
    assert.equal((await rowsFor(workId))[0]?.notes_html, "<p>Fine.</p>");

    const badPage = await reader.get("/users/bm_reader/bookmarks?page=0");
    assert.equal(badPage.statusCode, 400);
    assert.match(badPage.body, /page/);
  });

  test("a bookmark is made under the pseud chosen, the default one preselected", async () => {
    const c = new Client(t.app);
    await c.signUp("bm_pseuds");
    const user = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "bm_pseuds")
      .executeTakeFirstOrThrow();
    const second = await insertPseud(t.handle.db, {
      userId: user.id,
      name: "Night Reader",
      isDefault: false,
      now: t.clock.now,
    });
    const workId = await work();
    const form = await c.get(`/works/${workId}/bookmarks/new`);
    assert.match(form.body, /<option value="\d+" selected>bm_pseuds<\/option>/);
    assert.match(form.body, new RegExp(`<option value="${second}">Night Reader</option>`));
    const id = await bookmark(c, workId, { pseud_id: String(second) });
    const page = await c.get(`/bookmarks/${id}`);
    assert.match(
      page.body,
      /Bookmarked by <a href="\/users\/bm_pseuds\/pseuds\/Night%20Reader">Night Reader \(bm_pseuds\)<\/a>/,
    );
    const [row] = await rowsFor(workId);
    assert.equal(row?.pseud_id, second);
  });

  test("listings show 20 a page, newest first", async () => {
    const c = new Client(t.app);
    await c.signUp("bm_pager");
    const ids: number[] = [];
    for (let i = 0; i < 21; i++) {
      ids.push(await work({ title: `Paged Work ${String(i).padStart(2, "0")}` }));
      t.clock.now += 1_000;
      await bookmark(c, ids[i]!);
    }
    const first = await new Client(t.app).get("/users/bm_pager/bookmarks");
    assert.match(first.body, /21 Bookmarks/);
    assert.equal([...first.body.matchAll(/class="work blurb group"/g)].length, 20);
    assert.match(first.body, /Paged Work 20/);
    assert.doesNotMatch(first.body, /Paged Work 00/);
    assert.ok(first.body.indexOf("Paged Work 20") < first.body.indexOf("Paged Work 19"));
    assert.match(first.body, /href="\/users\/bm_pager\/bookmarks\?page=2" rel="next"/);
    const second = await new Client(t.app).get("/users/bm_pager/bookmarks?page=2");
    assert.equal([...second.body.matchAll(/class="work blurb group"/g)].length, 1);
    assert.match(second.body, /Paged Work 00/);
  });

  test("too many saves are refused with 429", async () => {
    const limited = await createTestApp(engine, { FANFOLD_LIMIT_BOOKMARKS: "2/10m" });
    try {
      const c = new Client(limited.app);
      await c.signUp("bm_hasty");
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const made = await buildWork(limited.handle.db, {});
        const res = await c.post(
          `/works/${made.workId}/bookmarks`,
          bookmarkForm({ notes: `n${i}` }),
        );
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          assert.match(res.body, /You're doing that too often/);
          assert.ok(Number(res.headers["retry-after"]) > 0);
        }
      }
      assert.deepEqual(statuses, [303, 303, 429]);
    } finally {
      await limited.close();
    }
  });
});
