/**
 * Importing a work from a file over HTTP (issue 14): upload → preview → confirm, for text,
 * Markdown, HTML, DOCX and EPUB; the preview's chapters, words and sanitizer report; changing
 * the splitting without choosing the file again; refused files (broken, unknown, too large)
 * with the reason and the upload kept for a retry; uploads private to their uploader, pruned
 * after a day and gone once posted. The DOCX and EPUB files are built here with fflate.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { UPLOAD_TTL_MS, pruneUploads, uploadPath } from "../../src/import/uploads.ts";
import { Client, createTestApp, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { skipUnless } from "../support/skip.ts";

const DAY = 86_400_000;

/** The metadata a writer fills in on the preview (the file cannot say these). */
const META = {
  rating: "General Audiences",
  warnings: ["No Archive Warnings Apply"],
  categories: ["Gen"],
  fandoms: "Lighthouse Keepers (TV)",
  relationships: "",
  characters: "",
  language: "en",
  expected_chapters: "",
  comment_policy: "registered",
};

const para = (n: number, words: string) => Array.from({ length: n }, () => words).join(" ");

const TXT = [
  "Chapter 1: Arrival",
  "",
  para(6, "The fog came in at dusk and nobody minded."),
  "",
  "Chapter 2: Departure",
  "",
  para(4, "By morning the boats had gone out again."),
  "",
].join("\n");

const HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bold and Plain</title>
<style>p { color: red }</style></head>
<body>
<h2>One</h2>
<p><b>Mark's paragraph, in bold.</b></p>
<p style="color: red">Lexie's paragraph, plain as it comes.</p>
<script>alert(1)</script>
<h2>Two</h2>
<p><b>Mark again, bold and sure of it.</b></p>
<p onclick="x()">Lexie again, plain and sure of it too.</p>
</body></html>`;

const MD = [
  "# The Lamp",
  "",
  "It was **very** bright, and the keeper said so twice.",
  "",
  "# The Dark",
  "",
  "It was *very* dark after that, and nobody said anything at all.",
  "",
].join("\n");

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const heading = (text: string) =>
  `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;

function docx(): Uint8Array {
  const rels = (items: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items}</Relationships>`;
  return zipSync({
    "[Content_Types].xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
    ),
    "_rels/.rels": strToU8(
      rels(
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>',
      ),
    ),
    "word/_rels/document.xml.rels": strToU8(
      rels(
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
      ),
    ),
    "word/styles.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`,
    ),
    "word/document.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>` +
        heading("First Light") +
        `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mark walked in.</w:t></w:r><w:r><w:t xml:space="preserve"> Lexie did not look up from her charts.</w:t></w:r></w:p>` +
        heading("Second Light") +
        `<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>She waited.</w:t></w:r><w:r><w:t xml:space="preserve"> Then she went home, tired of waiting.</w:t></w:r></w:p>` +
        `</w:body></w:document>`,
    ),
  });
}

function epub(): Uint8Array {
  const chapter = (title: string, body: string) =>
    strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`,
    );
  return zipSync({
    mimetype: [strToU8("application/epub+zip"), { level: 0 }],
    "META-INF/container.xml": strToU8(
      `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
    ),
    "OEBPS/content.opf": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</dc:identifier><dc:title>Le Phare</dc:title><dc:creator>Une Autrice</dc:creator><dc:language>fr</dc:language><dc:description>Deux gardiens, un phare.</dc:description><dc:subject>Slow Burn</dc:subject></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>`,
    ),
    "OEBPS/c1.xhtml": chapter(
      "Le soir",
      "<p>Le brouillard est arrivé <b>au crépuscule</b>, et personne ne s'en souciait.</p>",
    ),
    "OEBPS/c2.xhtml": chapter(
      "Le matin",
      "<p>Au matin, les bateaux étaient repartis, comme toujours.</p>",
    ),
  });
}

describeEachEngine("importing a work from a file", (engine) => {
  let t: TestApp;
  let writer: Client;
  let other: Client;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("importer");
    other = new Client(t.app);
    await other.signUp("other_importer");
  });
  after(() => t.close());

  const upload = (
    client: Client,
    name: string,
    bytes: Uint8Array | string,
    fields: Record<string, string> = {},
  ) => client.postFiles("/works/import", fields, [{ field: "file", name, bytes }]);

  const uploadIdIn = (body: string) => {
    const id =
      /action="\/works\/import\/([A-Za-z0-9_-]{32})\/confirm"/.exec(body)?.[1] ??
      /name="upload_id" value="([A-Za-z0-9_-]{32})"/.exec(body)?.[1];
    assert.ok(id, `no upload id in ${body.slice(0, 400)}`);
    return id;
  };

  /** The chapter rows of the preview's table: [title, words]. */
  const chapterRows = (body: string) =>
    [...body.matchAll(/<tr><td>\d+<\/td><th scope="row">(.*?)<\/th><td>([\d,]+)<\/td><\/tr>/g)].map(
      (m) => [m[1], m[2]],
    );

  const uploadRows = () =>
    t.handle.db.selectFrom("import_uploads").selectAll().orderBy("created_at").execute();

  async function chaptersOf(workId: number) {
    return t.handle.db
      .selectFrom("chapters")
      .select(["title", "text_html", "position"])
      .where("work_id", "=", workId)
      .orderBy("position")
      .execute();
  }

  test("guests are sent to log in, and their uploads are not read", async () => {
    const guest = new Client(t.app);
    const form = await guest.get("/works/import");
    assert.equal(form.statusCode, 303);
    assert.match(String(form.headers.location), /^\/login\?return_to=%2Fworks%2Fimport/);
    const before = (await uploadRows()).length;
    const res = await upload(guest, "story.txt", TXT);
    assert.equal(res.statusCode, 401);
    assert.equal((await uploadRows()).length, before);
  });

  test("the form takes a file, a way to split it and an encoding, with the CSRF token", async () => {
    const res = await writer.get("/works/import");
    assert.equal(res.statusCode, 200);
    const b = res.body;
    assert.match(b, /<form method="post" action="\/works\/import" enctype="multipart\/form-data">/);
    assert.match(b, /<input type="hidden" name="_csrf" value="[^"]+"/);
    assert.match(
      b,
      /type="file" id="field-file" name="file" accept="\.txt,\.md[^"]*\.docx,\.epub"/,
    );
    for (const split of ["auto", "none", "heading", "marker"])
      assert.match(b, new RegExp(`name="split" value="${split}"`));
    assert.match(b, /<label for="field-marker">Marker/);
    assert.match(b, /<label for="field-encoding">Encoding/);
    // The new-work form and the writer's works page point here.
    assert.match((await writer.get("/works/new")).body, /href="\/works\/import"/);
    assert.match((await writer.get("/users/importer")).body, /href="\/works\/import"/);
  });

  test("an upload without the form's token is refused and not kept", async () => {
    const before = (await uploadRows()).length;
    const res = await writer.postFiles(
      "/works/import",
      {},
      [{ field: "file", name: "story.txt", bytes: TXT }],
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.equal((await uploadRows()).length, before);
  });

  test("plain text: the preview lists the chapters; confirming posts them all", async () => {
    const res = await upload(writer, "fog-and-boats.txt", TXT);
    assert.equal(res.statusCode, 200, res.body.slice(0, 1500));
    const b = res.body;
    assert.match(b, /<h1>Preview: fog and boats<\/h1>|<h1>Preview: fog-and-boats<\/h1>/);
    assert.match(b, /<dt>Read as<\/dt><dd>Plain text<\/dd>/);
    assert.match(b, /<dt>Encoding<\/dt><dd>/);
    const rows = chapterRows(b);
    assert.deepEqual(
      rows.map((r) => r[0]),
      ["Chapter 1: Arrival", "Chapter 2: Departure"],
    );
    assert.deepEqual(
      rows.map((r) => r[1]),
      ["54", "32"],
    );
    assert.match(b, /<dt>Words<\/dt><dd>86<\/dd>/);
    assert.match(
      b,
      /<details class="import-chapter"><summary>1\. Chapter 1: Arrival \(54 words\)<\/summary>/,
    );
    assert.match(b, /Nothing was removed/);
    // Nothing is posted by the upload itself.
    const id = uploadIdIn(b);
    assert.equal(
      (await t.handle.db.selectFrom("works").select("id").where("title", "like", "fog%").execute())
        .length,
      0,
    );

    const posted = await writer.post(`/works/import/${id}/confirm`, {
      split: "auto",
      heading_level: "2",
      ...META,
      title: "Fog and Boats",
      action: "post",
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const workId = workIdFrom(posted.headers.location);
    const chapters = await chaptersOf(workId);
    assert.deepEqual(
      chapters.map((c) => c.title),
      ["Chapter 1: Arrival", "Chapter 2: Departure"],
    );
    const page = await writer.get(`/works/${workId}`);
    assert.match(page.body, /Imported 2 chapters: the work is posted\./);
    assert.match(page.body, /<dd class="chapters">2\/\?<\/dd>/);
    // The upload is gone once posted, row and file.
    assert.equal(
      (await uploadRows()).some((u) => u.id === id),
      false,
    );
    assert.equal(existsSync(uploadPath(t.deps.config.dataDir, id)), false);
    // Sending the confirmation again does not post twice (and the upload is gone anyway).
    const again = await writer.post(`/works/import/${id}/confirm`, { ...META, title: "X" });
    assert.equal(again.statusCode, 404);
  });

  test("HTML: bold survives, and the preview says what the sanitizer removed", async () => {
    const res = await upload(writer, "bold-and-plain.html", HTML, { split: "heading" });
    assert.equal(res.statusCode, 200, res.body.slice(0, 1500));
    assert.match(res.body, /<dt>Read as<\/dt><dd>HTML<\/dd>/);
    assert.match(res.body, /name="title" type="text" value="Bold and Plain"/);
    const removed = /<p class="import-removed">(.*?)<\/p>/.exec(res.body)?.[1] ?? "";
    assert.match(removed, /removed: /);
    assert.match(removed, /1 script/);
    assert.match(removed, /1 style attribute/);
    assert.match(removed, /1 onclick attribute/);
    assert.deepEqual(
      chapterRows(res.body).map((r) => r[0]),
      ["One", "Two"],
    );
    // The chapter as readers will see it: bold kept, the script gone.
    assert.match(res.body, /<(b|strong)>Mark(&#39;|')s paragraph, in bold\.<\/(b|strong)>/);
    assert.doesNotMatch(res.body, /alert\(1\)/);

    const id = uploadIdIn(res.body);
    const posted = await writer.post(`/works/import/${id}/confirm`, {
      split: "heading",
      heading_level: "2",
      ...META,
      title: "Bold and Plain",
      action: "draft",
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const workId = workIdFrom(posted.headers.location);
    const [one, two] = await chaptersOf(workId);
    assert.match(one?.text_html ?? "", /<(strong|b)>Mark's paragraph, in bold\.<\/(strong|b)>/);
    assert.match(
      two?.text_html ?? "",
      /<(strong|b)>Mark again, bold and sure of it\.<\/(strong|b)>/,
    );
    assert.doesNotMatch(one?.text_html ?? "", /style=|script/);
    const page = await writer.get(`/works/${workId}`);
    assert.match(page.body, /Imported 2 chapters as a draft/);
    const work = await t.handle.db
      .selectFrom("works")
      .select("posted")
      .where("id", "=", workId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(work.posted), 0);
  });

  test("Markdown: change the splitting on the preview, keeping what was typed", async () => {
    const res = await upload(writer, "lamp.md", MD, { split: "heading", heading_level: "1" });
    assert.equal(res.statusCode, 200, res.body.slice(0, 1500));
    assert.match(res.body, /<dt>Read as<\/dt><dd>Markdown<\/dd>/);
    assert.deepEqual(
      chapterRows(res.body).map((r) => r[0]),
      ["The Lamp", "The Dark"],
    );
    assert.match(res.body, /<strong>very<\/strong>/);
    const id = uploadIdIn(res.body);
    const none = await writer.post(`/works/import/${id}/preview`, {
      split: "none",
      heading_level: "1",
      ...META,
      title: "A Title I Typed",
    });
    assert.equal(none.statusCode, 200, none.body.slice(0, 1500));
    assert.equal(chapterRows(none.body).length, 1);
    assert.match(none.body, /name="title" type="text" value="A Title I Typed"/);
    assert.match(none.body, /value="none" checked/);
    assert.match(none.body, /name="fandoms" type="text" value="Lighthouse Keepers \(TV\)"/);
    // A marker split with no marker: the preview again, the error beside the field.
    const noMarker = await writer.post(`/works/import/${id}/preview`, {
      split: "marker",
      marker: "",
      title: "Still Mine",
    });
    assert.equal(noMarker.statusCode, 422);
    assert.match(noMarker.body, /Type the marker that starts each chapter/);
    assert.match(noMarker.body, /name="title" type="text" value="Still Mine"/);
    // The preview of a kept upload can also be opened by its address.
    const opened = await writer.get(`/works/import/${id}?split=heading&heading_level=1`);
    assert.equal(opened.statusCode, 200);
    assert.equal(chapterRows(opened.body).length, 2);
    // Confirming with the heading split posts two chapters, formatting kept.
    const posted = await writer.post(`/works/import/${id}/confirm`, {
      split: "heading",
      heading_level: "1",
      ...META,
      title: "The Lamp and the Dark",
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const chapters = await chaptersOf(workIdFrom(posted.headers.location));
    assert.equal(chapters.length, 2);
    assert.match(chapters[0]?.text_html ?? "", /<strong>very<\/strong>/);
    assert.match(chapters[1]?.text_html ?? "", /<em>very<\/em>/);
  });

  test("DOCX: headings make chapters, bold and italics are kept", async () => {
    const res = await upload(writer, "lights.docx", docx(), {
      split: "heading",
      heading_level: "1",
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 1500));
    assert.match(res.body, /<dt>Read as<\/dt><dd>Word \(DOCX\)<\/dd>/);
    assert.deepEqual(
      chapterRows(res.body).map((r) => r[0]),
      ["First Light", "Second Light"],
    );
    const id = uploadIdIn(res.body);
    const posted = await writer.post(`/works/import/${id}/confirm`, {
      split: "heading",
      heading_level: "1",
      ...META,
      title: "Lights",
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const [one, two] = await chaptersOf(workIdFrom(posted.headers.location));
    assert.match(one?.text_html ?? "", /<strong>Mark walked in\.<\/strong>/);
    assert.match(two?.text_html ?? "", /<em>She waited\.<\/em>/);
  });

  test("EPUB: chapters from the spine, its title, summary, language and subjects in the form", async () => {
    const res = await upload(writer, "phare.epub", epub());
    assert.equal(res.statusCode, 200, res.body.slice(0, 1500));
    const b = res.body;
    assert.match(b, /<dt>Read as<\/dt><dd>EPUB<\/dd>/);
    assert.deepEqual(
      chapterRows(b).map((r) => r[0]),
      ["Le soir", "Le matin"],
    );
    assert.match(b, /name="title" type="text" value="Le Phare"/);
    assert.match(b, /<textarea id="field-summary"[^>]*>[^<]*Deux gardiens, un phare\./);
    assert.match(b, /<option value="fr" selected>/);
    assert.match(b, /name="freeforms" type="text" value="Slow Burn"/);
    const id = uploadIdIn(b);
    const posted = await writer.post(`/works/import/${id}/confirm`, {
      ...META,
      title: "Le Phare",
      language: "fr",
      freeforms: "Slow Burn",
      summary: "Deux gardiens, un phare.",
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const workId = workIdFrom(posted.headers.location);
    const [one] = await chaptersOf(workId);
    assert.match(one?.text_html ?? "", /<(strong|b)>au crépuscule<\/(strong|b)>/);
    const work = await t.handle.db
      .selectFrom("works")
      .select(["language", "chapter_count"])
      .where("id", "=", workId)
      .executeTakeFirstOrThrow();
    assert.equal(work.language, "fr");
    assert.equal(Number(work.chapter_count), 2);
  });

  test("missing metadata: the preview again with every field as typed and errors beside them", async () => {
    const res = await upload(writer, "fog.txt", TXT);
    const id = uploadIdIn(res.body);
    const works = (await t.handle.db.selectFrom("works").select("id").execute()).length;
    const refused = await writer.post(`/works/import/${id}/confirm`, {
      title: "Kept Title",
      summary: "Kept summary.",
      rating: "",
      fandoms: "",
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Choose a rating\./);
    assert.match(refused.body, /Enter at least one fandom\./);
    assert.match(refused.body, /name="title" type="text" value="Kept Title"/);
    assert.match(refused.body, />Kept summary\.<\/textarea>/);
    assert.equal(chapterRows(refused.body).length, 2);
    assert.equal((await t.handle.db.selectFrom("works").select("id").execute()).length, works);
    // Corrected, the same upload posts.
    const fixed = await writer.post(`/works/import/${id}/confirm`, {
      ...META,
      title: "Kept Title",
    });
    assert.equal(fixed.statusCode, 303, fixed.body.slice(0, 2000));
  });

  test("a pseud that is not the writer's is refused", async () => {
    const res = await upload(writer, "fog.txt", TXT);
    const id = uploadIdIn(res.body);
    const theirs = await t.handle.db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select("pseuds.id")
      .where("users.login", "=", "other_importer")
      .executeTakeFirstOrThrow();
    const refused = await writer.post(`/works/import/${id}/confirm`, {
      ...META,
      title: "Not Yours",
      pseud_id: String(theirs.id),
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Choose one of your own pseuds\./);
  });

  test("broken and unknown files: a 4xx with the reason, the upload kept for another try", async () => {
    const broken = await upload(writer, "broken.docx", new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]));
    assert.equal(broken.statusCode, 400, broken.body.slice(0, 800));
    assert.match(broken.body, /This file could not be imported/);
    assert.match(broken.body, /broken\.docx/);
    assert.match(broken.body, /name="upload_id" value="[A-Za-z0-9_-]{32}"/);

    const pdf = await upload(writer, "story.pdf", "%PDF-1.4\n%âãÏÓ\n");
    assert.equal(pdf.statusCode, 415, pdf.body.slice(0, 800));
    assert.match(pdf.body, /a PDF file, which can(&#39;|')t be imported/);

    const empty = await upload(writer, "empty.txt", "");
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /The file is empty\./);

    const nothing = await writer.postFiles("/works/import", { split: "auto" });
    assert.equal(nothing.statusCode, 400);
    assert.match(nothing.body, /Choose a file to import\./);

    const badEncoding = await upload(writer, "fog.txt", TXT, { encoding: "klingon-8" });
    assert.equal(badEncoding.statusCode, 422);
    assert.match(badEncoding.body, /Choose an encoding from the list\./);
  });

  test("a chapter too long: refused with the reason; the kept upload, split otherwise, works", async () => {
    const half = Array.from({ length: 4_000 }, () =>
      para(2, "The sea was grey and the sky was too."),
    ).join("\n\n");
    const text = `PART One\n\n${half}\n\nPART Two\n\n${half}\n`;
    const res = await upload(writer, "long.txt", text, { split: "none" });
    assert.equal(res.statusCode, 422, res.body.slice(0, 800));
    assert.match(res.body, /characters long; chapters can have at most 510,000/);
    const id = uploadIdIn(res.body);
    const rows = (await uploadRows()).length;
    // Again, with no file chosen: the kept one is read with the new options.
    const retry = await writer.postFiles("/works/import", {
      upload_id: id,
      split: "marker",
      marker: "PART",
    });
    assert.equal(retry.statusCode, 200, retry.body.slice(0, 800));
    assert.equal(uploadIdIn(retry.body), id);
    assert.deepEqual(
      chapterRows(retry.body).map((r) => r[0]),
      ["PART One", "PART Two"],
    );
    assert.equal((await uploadRows()).length, rows, "nothing uploaded again");
  });

  test("a file over 20 MB is a 413 page that says the limit, never a 500", async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 10).fill(0x61);
    const before = (await uploadRows()).length;
    const res = await upload(writer, "huge.txt", big);
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /larger than the 20 MB this form accepts/);
    assert.equal((await uploadRows()).length, before);
  });

  test("uploads are their uploader's: another writer gets a 404 everywhere", async () => {
    const res = await upload(writer, "fog.txt", TXT);
    const id = uploadIdIn(res.body);
    assert.equal((await other.get(`/works/import/${id}`)).statusCode, 404);
    assert.equal(
      (await other.post(`/works/import/${id}/preview`, { split: "none" })).statusCode,
      404,
    );
    assert.equal(
      (await other.post(`/works/import/${id}/confirm`, { ...META, title: "Stolen" })).statusCode,
      404,
    );
    const retry = await other.postFiles("/works/import", { upload_id: id });
    assert.equal(retry.statusCode, 404);
    assert.doesNotMatch(retry.body, /fog\.txt/);
    assert.equal((await writer.get(`/works/import/${id}`)).statusCode, 200);
    assert.equal((await writer.get("/works/import/not-an-upload-id")).statusCode, 404);
    assert.equal((await writer.get("/works/import/..%2F..%2Fsecret")).statusCode, 404);
  });

  test("a suspended writer cannot import", async () => {
    const suspended = new Client(t.app);
    await suspended.signUp("suspended_importer");
    await t.handle.db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 3 * DAY })
      .where("login", "=", "suspended_importer")
      .execute();
    const form = await suspended.get("/works/import");
    assert.equal(form.statusCode, 403);
    assert.match(form.body, /suspended until/);
    const res = await upload(suspended, "fog.txt", TXT);
    assert.equal(res.statusCode, 403);
  });

  test("uploads are pruned after a day, with their files; strays go too", async () => {
    const res = await upload(writer, "fog.txt", TXT);
    const id = uploadIdIn(res.body);
    const dataDir = t.deps.config.dataDir;
    assert.ok(existsSync(uploadPath(dataDir, id)));
    assert.equal(await pruneUploads(t.handle.db, dataDir, t.clock.now + UPLOAD_TTL_MS - 1), 0);
    const removed = await pruneUploads(t.handle.db, dataDir, t.clock.now + UPLOAD_TTL_MS + 1);
    assert.ok(removed >= 1);
    assert.equal(existsSync(uploadPath(dataDir, id)), false);
    assert.equal(
      (await uploadRows()).some((u) => u.id === id),
      false,
    );
    // A day later the preview is gone too.
    assert.equal((await writer.get(`/works/import/${id}`)).statusCode, 404);
  });

  test("the prune runs as a recurring job", async () => {
    const res = await upload(writer, "fog.txt", TXT);
    const id = uploadIdIn(res.body);
    t.clock.now += 2 * DAY;
    await t.drainJobs();
    assert.equal(
      (await uploadRows()).some((u) => u.id === id),
      false,
    );
    assert.equal(existsSync(uploadPath(t.deps.config.dataDir, id)), false);
  });
});

// ── With ../shared: the seed stories, Pride and Prejudice, an ISO-8859-1 Sherlock Holmes ──

const shared = join(process.cwd(), "..", "shared");
const seedsDir = join(shared, "seeds");
const gutenberg = (dir: string, file: string) => join(shared, "data", dir, file);

test("shared texts through the web import: seeds, Pride and Prejudice, Latin-1", async (t) => {
  if (skipUnless(t, existsSync(seedsDir), `../shared not found at ${shared}; skipped`)) return;
  const app = await createTestApp("sqlite");
  try {
    const writer = new Client(app.app);
    await writer.signUp("shared_importer");
    const upload = (name: string, bytes: Uint8Array) =>
      writer.postFiles("/works/import", {}, [{ field: "file", name, bytes }]);

    // The second seed: its author's note is offered as the work's beginning notes.
    const [first, second] = readdirSync(seedsDir)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => readFileSync(join(seedsDir, f)));
    assert.ok(first && second);
    const one = await upload("two-somethings.txt", first);
    assert.equal(one.statusCode, 200, one.body.slice(0, 800));
    const two = await upload("elevator.txt", second);
    assert.equal(two.statusCode, 200, two.body.slice(0, 800));
    const notes =
      /<textarea id="field-notes"[^>]*>([\s\S]*?)<\/textarea>/.exec(two.body)?.[1] ?? "";
    assert.match(notes, /Mark(&#39;|')s POV is bold; Lexie(&#39;|')s is plain\./);

    // Pride and Prejudice: 61 chapters with their titles, posted in one go.
    const pp = readFileSync(gutenberg("gutenberg-pride-and-prejudice", "1342-0.txt"));
    let started = performance.now();
    const preview = await upload("1342-0.txt", pp);
    const previewMs = performance.now() - started;
    assert.equal(preview.statusCode, 200, preview.body.slice(0, 800));
    const titles = [...preview.body.matchAll(/<tr><td>\d+<\/td><th scope="row">(.*?)<\/th>/g)].map(
      (m) => m[1] ?? "",
    );
    assert.equal(titles.length, 61);
    assert.equal(titles[0], "Chapter 1");
    assert.equal(titles[60], "Chapter 61");
    const id = /\/works\/import\/([\w-]{32})\/confirm/.exec(preview.body)?.[1];
    started = performance.now();
    const posted = await writer.post(`/works/import/${id}/confirm`, {
      ...META,
      fandoms: "Pride and Prejudice - Jane Austen",
      title: "Pride and Prejudice",
      complete: "1",
    });
    const postMs = performance.now() - started;
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 2000));
    const work = await app.handle.db
      .selectFrom("works")
      .select(["chapter_count", "word_count"])
      .where("id", "=", workIdFrom(posted.headers.location))
      .executeTakeFirstOrThrow();
    assert.equal(Number(work.chapter_count), 61);
    console.log(
      `# Pride and Prejudice over HTTP: upload + preview ${previewMs.toFixed(0)} ms, ` +
        `confirm (61 chapters, ${Number(work.word_count).toLocaleString("en-US")} words) ${postMs.toFixed(0)} ms`,
    );

    // ISO-8859-1 text and HTML: accents come in right.
    for (const file of ["1661-8.txt", "1661-h.htm"]) {
      const res = await upload(file, readFileSync(gutenberg("gutenberg-sherlock-holmes", file)));
      assert.equal(res.statusCode, 200, `${file}: ${res.body.slice(0, 800)}`);
      assert.match(res.body, /répertoire/, file);
      assert.match(res.body, /dénouement/, file);
      assert.doesNotMatch(res.body, /\uFFFD|Ã©/, file);
      assert.match(res.body, /<dt>Encoding<\/dt><dd>(iso-8859-1|windows-1252)/i, file);
    }
  } finally {
    await app.close();
  }
});
