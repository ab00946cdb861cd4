/**
 * Writing in formats (issue 14): the "Text format" choice on the new-work, new-chapter and
 * edit-chapter forms, the format remembered per writer, and Preview, which shows the text as
 * readers will see it with what the sanitizer removes, and writes nothing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Db } from "../../src/core/db/index.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

/** The stored text of a work's chapters, in order. */
async function chapterTexts(db: Db, workId: number) {
  const rows = await db
    .selectFrom("chapters")
    .select(["id", "text_html", "summary_html", "notes_html"])
    .where("work_id", "=", workId)
    .orderBy("position")
    .execute();
  return rows;
}

async function rowCounts(db: Db) {
  const count = async (table: "works" | "chapters" | "form_submissions") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    works: await count("works"),
    chapters: await count("chapters"),
    submissions: await count("form_submissions"),
  };
}

async function rememberedFormat(db: Db, login: string) {
  const row = await db
    .selectFrom("users")
    .select("text_format")
    .where("login", "=", login)
    .executeTakeFirstOrThrow();
  return row.text_format;
}

const MARKDOWN = [
  "Mark's POV is **bold**; Lexie's is *plain*.",
  "",
  "| Who | Where |",
  "| --- | ----- |",
  "| Mark | Seattle |",
  "",
  "~~struck~~ out.",
].join("\n");

/** The format select's chosen option on a form page. */
const chosenFormat = (html: string) =>
  /<select id="field-text_format" name="text_format"[^>]*>[\s\S]*?<option value="(\w+)" selected/.exec(
    html,
  )?.[1];

/** The nonce of the form on a page (the new-work and new-chapter forms carry one). */
const nonceOf = (html: string) => /name="_nonce" value="([^"]+)"/.exec(html)?.[1];

describeEachEngine("text formats and preview on the posting forms", (engine) => {
  let t: TestApp;
  let writer: Client;
  let other: Client;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("formats_writer");
    other = new Client(t.app);
    await other.signUp("formats_other");
  });
  after(() => t.close());

  async function postWork(fields: Record<string, string | string[]>) {
    const res = await writer.post("/works", workForm(fields));
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return workIdFrom(res.headers.location);
  }

  test("the three forms offer a labelled format choice and load the editor", async () => {
    const id = await postWork({ text_format: "html" });
    const [chapter] = await chapterTexts(t.handle.db, id);
    for (const url of [
      "/works/new",
      `/works/${id}/chapters/new`,
      `/works/${id}/chapters/${chapter!.id}/edit`,
    ]) {
      const res = await writer.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<label for="field-text_format">Text format<\/label>/, url);
      for (const label of ["Rich text", "HTML", "Markdown", "Plain text"])
        assert.match(res.body, new RegExp(`<option value="\\w+"[^>]*>${label}</option>`), url);
      assert.match(
        res.body,
        /<script type="module" src="\/assets\/editor\.js\?v=[0-9a-f]{12}"><\/script>/,
        url,
      );
      assert.match(res.body, /<div class="rich-text-field" data-rich-text="true">/, url);
      assert.match(res.body, /formaction="[^"]+\/preview"/, url);
    }
    // The editor is not on reading pages.
    assert.doesNotMatch((await writer.get(`/works/${id}`)).body, /editor\.js/);
  });

  test("Markdown on a new work: bold, italics, a table and strikethrough are stored as HTML", async () => {
    const id = await postWork({
      text: MARKDOWN,
      summary: "A *small* summary.",
      notes: "Mark's POV is **bold**.",
      text_format: "markdown",
    });
    const work = await t.handle.db
      .selectFrom("works")
      .select(["summary_html", "notes_html"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(work.summary_html, "<p>A <em>small</em> summary.</p>");
    assert.equal(work.notes_html, "<p>Mark's POV is <strong>bold</strong>.</p>");
    const [chapter] = await chapterTexts(t.handle.db, id);
    const html = chapter!.text_html;
    assert.match(
      html,
      /<p>Mark's POV is <strong>bold<\/strong>; Lexie's is <em>plain<\/em>\.<\/p>/,
    );
    assert.match(html, /<table>\s*<thead>\s*<tr>\s*<th>Who<\/th>/);
    assert.match(html, /<td>Seattle<\/td>/);
    assert.match(html, /<p><s>struck<\/s> out\.<\/p>/);
    assert.doesNotMatch(html, /\*\*|~~|\| ---/);
    // Readers get the same HTML.
    assert.match((await writer.get(`/works/${id}`)).body, /<strong>bold<\/strong>/);
  });

  test("Plain text shows tags as typed; HTML loses its script", async () => {
    const plain = await postWork({
      text: "Mark said <b>hello</b> & left.\n\nNext paragraph.",
      text_format: "plain",
    });
    const [p] = await chapterTexts(t.handle.db, plain);
    assert.equal(
      p!.text_html,
      "<p>Mark said &lt;b&gt;hello&lt;/b&gt; &amp; left.</p>\n<p>Next paragraph.</p>",
    );
    const html = await postWork({
      text: '<p><b>Bold</b> stays.</p><script>alert(1)</script><p style="color:red">Red</p>',
      text_format: "html",
    });
    const [h] = await chapterTexts(t.handle.db, html);
    assert.equal(h!.text_html, "<p><b>Bold</b> stays.</p><p>Red</p>");
  });

  test("every format on the new-chapter and edit-chapter forms", async () => {
    const id = await postWork({ text_format: "html" });
    const page = await writer.get(`/works/${id}/chapters/new`);
    const add = await writer.post(`/works/${id}/chapters`, {
      _nonce: nonceOf(page.body)!,
      chapter_title: "Two",
      text: "Lexie's turn, **Mark** again.\n\n| a | b |\n| - | - |\n| 1 | 2 |",
      notes: "A *note*.",
      text_format: "markdown",
      action: "post",
    });
    assert.equal(add.statusCode, 303, add.body.slice(0, 2000));
    const chapterId = Number(/chapters\/(\d+)/.exec(add.headers.location!)?.[1]);
    let [, two] = await chapterTexts(t.handle.db, id);
    assert.match(two!.text_html, /<strong>Mark<\/strong>/);
    assert.match(two!.text_html, /<td>2<\/td>/);
    assert.equal(two!.notes_html, "<p>A <em>note</em>.</p>");

    const edits: [string, string, RegExp][] = [
      ["plain", "Now <i>plain</i> text.", /^<p>Now &lt;i&gt;plain&lt;\/i&gt; text\.<\/p>$/],
      ["html", "<p>Now <i>HTML</i>.</p><script>x()</script>", /^<p>Now <i>HTML<\/i>\.<\/p>$/],
      [
        "rich",
        "<p>Now <strong>rich</strong> text.</p>",
        /^<p>Now <strong>rich<\/strong> text\.<\/p>$/,
      ],
      ["markdown", "Now ~~markdown~~ *text*.", /^<p>Now <s>markdown<\/s> <em>text<\/em>\.<\/p>$/],
    ];
    for (const [format, text, stored] of edits) {
      const res = await writer.post(`/works/${id}/chapters/${chapterId}`, {
        chapter_title: "Two",
        text,
        text_format: format,
        action: "post",
      });
      assert.equal(res.statusCode, 303, `${format}: ${res.body.slice(0, 1000)}`);
      [, two] = await chapterTexts(t.handle.db, id);
      assert.match(two!.text_html, stored, format);
    }
  });

  test("an unknown format is a 422 naming the field, with the form again", async () => {
    const res = await writer.post("/works", workForm({ text_format: "wordperfect" }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Choose a text format: Rich text, HTML, Markdown or Plain text\./);
    assert.match(res.body, /href="#field-text_format"/);
    const preview = await writer.post("/works/preview", workForm({ text_format: "rtf" }));
    assert.equal(preview.statusCode, 422);
    assert.match(preview.body, /Choose a text format/);
  });

  test("the format is remembered per writer and the forms start from it", async () => {
    const fresh = new Client(t.app);
    await fresh.signUp("formats_fresh");
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "rich");
    assert.equal(chosenFormat((await fresh.get("/works/new")).body), "rich");
    const res = await fresh.post(
      "/works",
      workForm({ text: "Some *text* here.", text_format: "markdown" }),
    );
    assert.equal(res.statusCode, 303);
    const id = workIdFrom(res.headers.location);
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "markdown");
    assert.equal(chosenFormat((await fresh.get("/works/new")).body), "markdown");
    assert.equal(chosenFormat((await fresh.get(`/works/${id}/chapters/new`)).body), "markdown");
    // The edit form shows stored HTML, so it starts in HTML for a Markdown writer, and saving
    // that does not forget Markdown.
    const [chapter] = await chapterTexts(t.handle.db, id);
    const edit = await fresh.get(`/works/${id}/chapters/${chapter!.id}/edit`);
    assert.equal(chosenFormat(edit.body), "html");
    assert.match(edit.body, /shown as it is stored, in HTML/);
    assert.match(edit.body, />&lt;p>Some &lt;em>text&lt;\/em> here\.&lt;\/p><\/textarea>/);
    const saved = await fresh.post(`/works/${id}/chapters/${chapter!.id}`, {
      text: "<p>Some <em>text</em> here, edited.</p>",
      text_format: "html",
      action: "post",
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "markdown");
    // Choosing rich text on an edit is remembered, and the editor opens for text it can hold…
    await fresh.post(`/works/${id}/chapters/${chapter!.id}`, {
      text: "<p>Some <em>text</em>.</p>",
      text_format: "rich",
      action: "post",
    });
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "rich");
    assert.equal(
      chosenFormat((await fresh.get(`/works/${id}/chapters/${chapter!.id}/edit`)).body),
      "rich",
    );
    // …but not for text it would change (a table): that stays HTML.
    await fresh.post(`/works/${id}/chapters/${chapter!.id}`, {
      text: "<table><tr><td>cell</td></tr></table><p>and text</p>",
      text_format: "html",
      action: "post",
    });
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "html");
    await fresh.post("/works", workForm({ text_format: "rich", text: "<p>Rich again, ok.</p>" }));
    assert.equal(await rememberedFormat(t.handle.db, "formats_fresh"), "rich");
    assert.equal(
      chosenFormat((await fresh.get(`/works/${id}/chapters/${chapter!.id}/edit`)).body),
      "html",
    );
  });

  test("preview of a new work shows it as readers will, lists what is removed, and writes nothing", async () => {
    await postWork({ text_format: "html" });
    assert.equal(await rememberedFormat(t.handle.db, "formats_writer"), "html");
    const page = await writer.get("/works/new");
    const nonce = nonceOf(page.body)!;
    const fields = workForm({
      _nonce: nonce,
      title: "Previewed <Work>",
      summary: "A **bold** summary.",
      notes: "Mark's POV is **bold**; Lexie's is plain.",
      text: '**Mark** waited.\n\n<script>alert(1)</script>\n\n<span style="color:red" onclick="x()">Red</span>',
      text_format: "markdown",
      relationships: "Mark Sloan/Lexie Grey",
    });
    const before = await rowCounts(t.handle.db);
    const res = await writer.post("/works/preview", fields);
    assert.equal(res.statusCode, 200, res.body.slice(0, 2000));
    assert.deepEqual(await rowCounts(t.handle.db), before);
    const b = res.body;
    assert.match(b, /<h2 id="preview-heading">Preview<\/h2>/);
    assert.match(b, /does not allow \(removed: 1 onclick attribute, 1 script, 1 style attribute\)/);
    // The reading page's markup: title, byline, summary, notes, text with paragraph ids.
    assert.match(b, /<h2 class="title heading">Previewed &lt;Work><\/h2>/);
    assert.match(
      b,
      /<h3 class="byline heading"><a rel="author" href="\/users\/formats_writer\/pseuds\/formats_writer">formats_writer<\/a><\/h3>/,
    );
    assert.match(
      b,
      /<div class="summary module">[\s\S]*<p>A <strong>bold<\/strong> summary\.<\/p>/,
    );
    assert.match(
      b,
      /<div class="notes module">[\s\S]*Mark('|&#39;)s POV is <strong>bold<\/strong>/,
    );
    assert.match(
      b,
      /<div class="userstuff module" role="article" aria-label="Chapter 1"><p id="chapter-1-p1"><strong>Mark<\/strong> waited\.<\/p>/,
    );
    assert.match(b, /<dd class="relationship tags">[\s\S]*Mark Sloan\/Lexie Grey/);
    assert.doesNotMatch(b, /<script>alert/);
    // The form again, with everything typed and the same format, and a fresh nonce.
    assert.match(b, /<input id="field-title" name="title" type="text" value="Previewed &lt;Work>"/);
    assert.match(b, /\*\*Mark\*\* waited\./);
    assert.equal(chosenFormat(b), "markdown");
    assert.ok(nonceOf(b) && nonceOf(b) !== nonce);
    // The writer's remembered format is not changed by a preview.
    assert.equal(await rememberedFormat(t.handle.db, "formats_writer"), "html");

    // Post after Preview works, with the nonce of the page the writer previewed from or the
    // one the preview page carries.
    const posted = await writer.post("/works", { ...fields, action: "post" });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 1000));
    const id = workIdFrom(posted.headers.location);
    const [chapter] = await chapterTexts(t.handle.db, id);
    assert.match(chapter!.text_html, /^<p><strong>Mark<\/strong> waited\.<\/p>/);
    assert.equal(await rememberedFormat(t.handle.db, "formats_writer"), "markdown");
  });

  test("a preview with nothing to remove says so; an invalid one is the form with errors", async () => {
    const ok = await writer.post(
      "/works/preview",
      workForm({ text: "<p>All <em>fine</em>.</p>", text_format: "html" }),
    );
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Nothing was removed\./);
    const before = await rowCounts(t.handle.db);
    const bad = await writer.post("/works/preview", workForm({ title: "", text: "short" }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Please enter a title\./);
    assert.match(bad.body, /Chapter text must be at least 10 characters long\./);
    assert.doesNotMatch(bad.body, /id="preview-heading"/);
    assert.deepEqual(await rowCounts(t.handle.db), before);
  });

  test("chapter previews: a new chapter in its place, an edit, and nothing written", async () => {
    const id = await postWork({
      notes: "Work notes.",
      end_notes: "Work end notes.",
      text_format: "html",
    });
    const [first] = await chapterTexts(t.handle.db, id);
    const before = await rowCounts(t.handle.db);
    const beforeText = first!.text_html;

    const added = await writer.post(`/works/${id}/chapters/preview`, {
      chapter_title: "Fog Again",
      text: "Plain <b>text</b> here.",
      notes: "Chapter *notes*",
      text_format: "plain",
    });
    assert.equal(added.statusCode, 200, added.body.slice(0, 1000));
    assert.match(added.body, /<h3 class="title">Chapter 2: Fog Again<\/h3>/);
    assert.match(added.body, /<p id="chapter-2-p1">Plain &lt;b&gt;text&lt;\/b&gt; here\.<\/p>/);
    assert.match(added.body, /<div id="notes" class="notes module">[\s\S]*Chapter \*notes\*/);
    // Chapter 2 of 2: the work's end notes follow it, its beginning notes do not.
    assert.match(added.body, /id="work_endnotes"/);
    assert.doesNotMatch(added.body, /Work notes\./);
    assert.match(added.body, /Nothing was removed\./);

    const edited = await writer.post(`/works/${id}/chapters/${first!.id}/preview`, {
      text: '<p>Edited <u>text</u>.</p><iframe src="https://example.org"></iframe>',
      text_format: "rich",
    });
    assert.equal(edited.statusCode, 200, edited.body.slice(0, 1000));
    assert.match(edited.body, /<p id="chapter-1-p1">Edited <u>text<\/u>\.<\/p>/);
    assert.match(edited.body, /does not allow \(removed: 1 iframe\)/);
    assert.match(edited.body, /<div class="notes module">[\s\S]*Work notes\./);
    assert.equal(chosenFormat(edited.body), "rich");

    assert.deepEqual(await rowCounts(t.handle.db), before);
    const [after] = await chapterTexts(t.handle.db, id);
    assert.equal(after!.text_html, beforeText);

    const invalid = await writer.post(`/works/${id}/chapters/preview`, {
      text: "",
      text_format: "plain",
    });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Chapter text must be at least/);
  });

  test("guests and other writers cannot preview", async () => {
    const id = await postWork({ text_format: "html" });
    const [chapter] = await chapterTexts(t.handle.db, id);
    const guest = new Client(t.app);
    await guest.get("/login");
    for (const url of [
      "/works/preview",
      `/works/${id}/chapters/preview`,
      `/works/${id}/chapters/${chapter!.id}/preview`,
    ]) {
      assert.equal((await guest.post(url, workForm())).statusCode, 401, url);
    }
    for (const url of [
      `/works/${id}/chapters/preview`,
      `/works/${id}/chapters/${chapter!.id}/preview`,
    ]) {
      const res = await other.post(url, { text: "Not my work at all.", text_format: "plain" });
      assert.equal(res.statusCode, 403, url);
      assert.doesNotMatch(res.body, /Not my work at all/);
    }
    // A draft of someone else's is not found at all, as on its pages.
    const draft = await postWork({ action: "draft", text_format: "html" });
    const res = await other.post(`/works/${draft}/chapters/preview`, {
      text: "Peeking at a draft.",
      text_format: "plain",
    });
    assert.equal(res.statusCode, 404);
    // Without the form's token.
    const forged = await writer.post("/works/preview", workForm(), { csrf: false });
    assert.equal(forged.statusCode, 403);
  });
});
