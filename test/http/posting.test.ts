import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("posting and editing works over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("poster");
  });
  after(() => t.close());

  async function post(overrides = {}) {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return workIdFrom(res.headers.location);
  }

  test("a guest cannot open the form or post", async () => {
    const guest = new Client(t.app);
    const form = await guest.get("/works/new");
    assert.equal(form.statusCode, 303);
    assert.match(form.headers.location as string, /^\/login\?return_to=%2Fworks%2Fnew/);
    const res = await guest.post("/works", workForm());
    assert.equal(res.statusCode, 401);
  });

  test("posting stores every field and shows them in AO3's markup", async () => {
    const id = await post({
      title: "Salt & Starlight",
      summary: "A <em>small</em> summary.",
      notes: "Mark's POV is bold; Lexie's is plain.",
      end_notes: "Thanks for reading!",
      rating: "Teen And Up Audiences",
      warnings: ["Graphic Depictions Of Violence", "Major Character Death"],
      categories: ["F/M", "Gen"],
      fandoms: "Grey's Anatomy, Lighthouse Keepers (TV)",
      relationships: "Mark Sloan/Lexie Grey",
      characters: "Mark Sloan, Lexie Grey",
      freeforms: "Angst,  Hurt/Comfort , angst",
      language: "en",
      expected_chapters: "3",
      text: "<b>He waited.</b>\n\nShe didn't.\nNot this time.",
    });
    const res = await writer.get(`/works/${id}`);
    assert.equal(res.statusCode, 200);
    const b = res.body;
    assert.match(b, /<h2 class="title heading">Salt &amp; Starlight<\/h2>/);
    assert.match(
      b,
      /<h3 class="byline heading"><a rel="author" href="\/users\/poster\/pseuds\/poster">poster<\/a><\/h3>/,
    );
    assert.match(
      b,
      /<div class="summary module">.*<blockquote class="userstuff"><p>A <em>small<\/em> summary.<\/p><\/blockquote>/s,
    );
    assert.match(b, /<dd class="rating tags">.*Teen And Up Audiences/s);
    assert.match(
      b,
      /<dd class="warning tags">.*Graphic Depictions Of Violence.*Major Character Death.*<\/dd>/s,
    );
    assert.match(b, /<dd class="category tags">.*F\/M.*Gen.*<\/dd>/s);
    assert.match(b, /<dd class="fandom tags">.*Grey('|&#39;)s Anatomy.*Lighthouse Keepers \(TV\)/s);
    assert.match(
      b,
      /<dd class="relationship tags">.*href="\/tags\/Mark%20Sloan\*s\*Lexie%20Grey\/works">Mark Sloan\/Lexie Grey/s,
    );
    assert.match(b, /<dd class="character tags">.*Mark Sloan.*Lexie Grey/s);
    // Duplicates typed twice (any case) become one tag.
    assert.equal((b.match(/>Angst</gi) ?? []).length, 1);
    assert.match(b, /<dd class="language" lang="en">English<\/dd>/);
    assert.match(b, /<dd class="published">2026-11-23<\/dd>/);
    assert.match(b, /<dd class="words">7<\/dd>/);
    assert.match(b, /<dd class="chapters">1\/3<\/dd>/);
    assert.match(b, /<div class="notes module">.*Mark('|&#39;)s POV is bold/s);
    assert.match(b, /id="work_endnotes" class="end notes module">.*Thanks for reading!/s);
    assert.match(b, /<div class="chapter" id="chapter-1">/);
    assert.match(
      b,
      /<p id="chapter-1-p1"><b>He waited.<\/b><\/p>\n<p id="chapter-1-p2">She didn(&#39;|'|’)t.<br \/>Not this time.<\/p>/,
    );
  });

  test("a failed save keeps everything typed, with each error beside its field", async () => {
    const typed = workForm({
      title: "",
      warnings: [],
      fandoms: "",
      freeforms: "Fine tag, Bad*Tag",
      text: "short",
      summary: "My summary that must survive",
      characters: "Someone Important",
    });
    const res = await writer.post("/works", typed);
    assert.equal(res.statusCode, 422);
    const b = res.body;
    assert.match(b, /There are \d+ problems/);
    assert.match(b, /id="field-title-error">Please enter a title./);
    assert.match(b, /id="field-warnings-error">Choose at least one archive warning./);
    assert.match(b, /id="field-fandoms-error">Enter at least one fandom./);
    assert.match(b, /Bad\*Tag&quot; contains \*/);
    assert.match(b, /id="field-text-error">Chapter text must be at least 10 characters long./);
    assert.match(b, />My summary that must survive<\/textarea>/);
    assert.match(b, /value="Someone Important"/);
    assert.match(b, /value="Fine tag, Bad\*Tag"/);
    assert.match(b, />short<\/textarea>/);
  });

  test("limits: 75 user tags, 150 characters a tag, 255 a title, 510,000 a chapter", async () => {
    const tags = Array.from({ length: 75 }, (_, i) => `Tag number ${i}`);
    const many = await writer.post(
      "/works",
      workForm({ fandoms: "F", freeforms: [...tags].join(", ") }),
    );
    assert.equal(many.statusCode, 422);
    assert.match(
      many.body,
      /at most 75 fandom, relationship, character and additional tags in all \(you have 76\)/,
    );
    const long = await writer.post("/works", workForm({ freeforms: "x".repeat(151) }));
    assert.match(long.body, /too long \(150 characters at most\)/);
    const title = await writer.post("/works", workForm({ title: "t".repeat(256) }));
    assert.match(title.body, /Titles must be at most 255 characters/);
    const text = await writer.post("/works", workForm({ text: "word ".repeat(102_001) }));
    assert.equal(text.statusCode, 422);
    assert.match(text.body, /at most 510,000 characters/);
    const rating = await writer.post("/works", workForm({ rating: "Very Spicy" }));
    assert.match(rating.body, /Choose a rating/);
    const lang = await writer.post("/works", workForm({ language: "xx-nope" }));
    assert.match(lang.body, /Choose a language from the list/);
  });

  test("a name already used as another type of tag is refused with a clear message", async () => {
    await post({ characters: "Derek Shepherd" });
    const res = await writer.post("/works", workForm({ fandoms: "Derek Shepherd" }));
    assert.equal(res.statusCode, 422);
    assert.match(
      res.body,
      /&quot;Derek Shepherd&quot; is already used as a character, so it can(&#39;|')t be a fandom too/,
    );
    assert.match(res.body, /value="Derek Shepherd"/);
  });

  test("edit changes metadata and tags; another user gets 403 on every owner route", async () => {
    const id = await post({ title: "Before", freeforms: "Fluff" });
    const form = await writer.get(`/works/${id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Before"/);
    const res = await writer.post(
      `/works/${id}`,
      workForm({ title: "After", freeforms: "Angst, Whump" }),
    );
    assert.equal(res.statusCode, 303);
    const page = await writer.get(`/works/${id}`);
    assert.match(page.body, /<h2 class="title heading">After<\/h2>/);
    assert.match(page.body, /Whump/);
    assert.doesNotMatch(page.body, /Fluff/);

    const bad = await writer.post(`/works/${id}`, workForm({ title: "", summary: "kept summary" }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /kept summary/);

    const other = new Client(t.app);
    await other.signUp("intruder");
    const chapterId = /\/works\/\d+\/chapters\/(\d+)\/edit/.exec(page.body)?.[1];
    for (const path of [
      `/works/${id}/edit`,
      `/works/${id}/confirm_delete`,
      `/works/${id}/chapters/new`,
      `/works/${id}/chapters/manage`,
      `/works/${id}/chapters/${chapterId}/edit`,
    ]) {
      assert.equal((await other.get(path)).statusCode, 403, path);
    }
    for (const path of [
      `/works/${id}`,
      `/works/${id}/delete`,
      `/works/${id}/post`,
      `/works/${id}/chapters`,
      `/works/${id}/chapters/${chapterId}`,
      `/works/${id}/chapters/${chapterId}/delete`,
    ]) {
      const r = await other.post(
        path,
        path.endsWith("/chapters") || path.endsWith(`/${chapterId}`)
          ? { text: "Some text here.", chapter_title: "" }
          : workForm(),
      );
      assert.equal(r.statusCode, 403, path);
    }
    assert.equal((await other.post(`/works/${id}/chapters/manage`, {})).statusCode, 403);
    const still = await new Client(t.app).get(`/works/${id}`);
    assert.match(still.body, /After/);
  });

  test("delete asks on a separate page, then removes the work", async () => {
    const id = await post({ title: "Doomed" });
    const confirm = await writer.get(`/works/${id}/confirm_delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Delete &quot;Doomed&quot;\?/);
    assert.match(confirm.body, new RegExp(`action="/works/${id}/delete"`));
    const res = await writer.post(`/works/${id}/delete`);
    assert.equal(res.statusCode, 303);
    assert.equal((await writer.get(`/works/${id}`)).statusCode, 404);
  });

  test("drafts are seen only by their creator until posted", async () => {
    const id = await post({ title: "Secret Draft", action: "draft" });
    const own = await writer.get(`/works/${id}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /This work is a draft/);
    const guest = new Client(t.app);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 404);
    const other = new Client(t.app);
    await other.signUp("draft_peeker");
    assert.equal((await other.get(`/works/${id}`)).statusCode, 404);
    for (const path of [
      "/",
      "/works",
      "/users/poster",
      "/users/poster/works",
      "/tags/Fluff/works",
    ]) {
      assert.doesNotMatch((await other.get(path)).body, /Secret Draft/, path);
    }
    const drafts = await writer.get("/users/poster/works/drafts");
    assert.match(drafts.body, /Secret Draft/);
    assert.equal((await other.get("/users/poster/works/drafts")).statusCode, 403);
    const posted = await writer.post(`/works/${id}/post`);
    assert.equal(posted.statusCode, 303);
    const now = await guest.get(`/works/${id}`);
    assert.equal(now.statusCode, 200);
    assert.match(now.body, /Secret Draft/);
    assert.match((await guest.get("/works")).body, /Secret Draft/);
  });

  test("posting as a second pseud credits that pseud; someone else's pseud is refused", async () => {
    await writer.post("/users/poster/pseuds", { name: "Night Owl" });
    const form = await writer.get("/works/new");
    const pseudId = /<option value="(\d+)"[^>]*>Night Owl<\/option>/.exec(form.body)?.[1];
    assert.ok(pseudId);
    const id = await post({ title: "By the Owl", pseud_id: pseudId });
    const page = await writer.get(`/works/${id}`);
    assert.match(
      page.body,
      /href="\/users\/poster\/pseuds\/Night%20Owl">Night Owl \(poster\)<\/a>/,
    );
    const pseudPage = await writer.get("/users/poster/pseuds/Night%20Owl");
    assert.match(pseudPage.body, /By the Owl/);
    const other = new Client(t.app);
    await other.signUp("pseud_thief");
    const res = await other.post("/works", workForm({ pseud_id: pseudId }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /choose one of your own pseuds/);
  });

  test("bad addresses answer 400 or 404 with a message, never 500", async () => {
    assert.equal((await writer.get("/works/abc")).statusCode, 400);
    assert.match((await writer.get("/works/abc")).body, /must be a work number/);
    assert.equal((await writer.get("/works/999999")).statusCode, 404);
    assert.equal((await writer.get("/works?page=0")).statusCode, 400);
    assert.match((await writer.get("/works?page=zero")).body, /page/);
    assert.equal((await writer.get("/no/such/page")).statusCode, 404);
  });
});
