/**
 * Downloads over HTTP, on both engines: who may download what (guest, reader, creator ×
 * public, draft, restricted, adult, hidden, for every format), the headers (type,
 * disposition, ETag, cache policy), 304s, a new file after an edit or a tag rename, long works
 * built by the job behind a 202, one build for concurrent requests; and what each format holds
 * (AO3's HTML download markup, the text header, the PDF's fonts and text).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadWorkRows, presentDownload } from "../../src/downloads/document.ts";
import { DownloadCache } from "../../src/downloads/cache.ts";
import { buildPdf } from "../../src/downloads/pdf.ts";
import { DOWNLOAD_FORMATS, downloadPath } from "../../src/works/views/links.tsx";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { readPdf } from "./pdf-reader.ts";

const TYPES = {
  epub: "application/epub+zip",
  html: "text/html; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  pdf: "application/pdf",
} as const;

async function setUp(t: TestApp) {
  const creator = new Client(t.app);
  await creator.signUp("dl_creator");
  const reader = new Client(t.app);
  await reader.signUp("dl_reader");
  const guest = new Client(t.app);
  const post = async (fields: Record<string, string | string[]>) => {
    const res = await creator.post("/works", workForm(fields));
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return workIdFrom(res.headers.location);
  };
  const works = {
    public: await post({
      title: "Fog & Lamps",
      text: "<p>The <b>fog</b> came in. <i>Nobody</i> <u>minded</u> <s>much</s>.</p>",
    }),
    draft: await post({ title: "Draft Work", action: "draft" }),
    restricted: await post({ title: "Members Only", restricted: "1" }),
    adult: await post({ title: "Adult Work", rating: "Explicit" }),
    hidden: await post({ title: "Hidden Work" }),
  };
  await t.deps.db
    .updateTable("works")
    .set({ hidden_reason: "Under review", hidden_at: t.clock.now })
    .where("id", "=", works.hidden)
    .execute();
  return { creator, reader, guest, works };
}

const path = (id: number, title: string, format: (typeof DOWNLOAD_FORMATS)[number]) =>
  downloadPath({ id, title }, format);

describeEachEngine("downloads", (engine) => {
  test("who may download what, in every format", async () => {
    const t = await createTestApp(engine);
    try {
      const { creator, reader, guest, works } = await setUp(t);
      type Expect = "file" | 404 | "login" | "gate";
      const matrix: Record<keyof typeof works, Record<"guest" | "reader" | "creator", Expect>> = {
        public: { guest: "file", reader: "file", creator: "file" },
        draft: { guest: 404, reader: 404, creator: "file" },
        restricted: { guest: "login", reader: "file", creator: "file" },
        adult: { guest: "gate", reader: "gate", creator: "file" },
        hidden: { guest: 404, reader: 404, creator: "file" },
      };
      const clients = { guest, reader, creator };
      for (const format of DOWNLOAD_FORMATS) {
        for (const [kind, row] of Object.entries(matrix) as [
          keyof typeof works,
          typeof matrix.public,
        ][]) {
          for (const [who, expected] of Object.entries(row) as [keyof typeof clients, Expect][]) {
            const url = path(works[kind], "Any_Name", format);
            const res = await clients[who].get(url);
            const label = `${who} ${kind} .${format}`;
            if (expected === "file") {
              assert.equal(res.statusCode, 200, `${label}: ${res.body.slice(0, 200)}`);
              assert.equal(res.headers["content-type"], TYPES[format], label);
              assert.match(
                String(res.headers["content-disposition"]),
                /^attachment; filename="/,
                label,
              );
            } else if (expected === "login") {
              assert.equal(res.statusCode, 302, label);
              assert.equal(
                res.headers.location,
                `/users/login?restricted=true&return_to=${encodeURIComponent(url)}`,
              );
            } else if (expected === "gate") {
              assert.equal(res.statusCode, 200, label);
              assert.match(String(res.headers["content-type"]), /^text\/html/, label);
              assert.match(res.body, /Adult content warning/, label);
              assert.match(res.body, /view_adult=true/, label);
              assert.equal(res.headers["content-disposition"], undefined, label);
            } else {
              assert.equal(res.statusCode, expected, label);
            }
          }
        }
        // The adult notice's Proceed (AO3's ?view_adult=true) gives the file.
        const adult = await new Client(t.app).get(
          `${path(works.adult, "x", format)}?view_adult=true`,
        );
        assert.equal(adult.statusCode, 200);
        assert.equal(adult.headers["content-type"], TYPES[format]);
      }
      // Once given, consent is remembered for the session, as on the work page.
      const consenting = new Client(t.app);
      await consenting.get(`/works/${works.adult}?view_adult=true`);
      const again = await consenting.get(path(works.adult, "x", "epub"));
      assert.equal(again.headers["content-type"], TYPES.epub, "consent is remembered");
    } finally {
      await t.close();
    }
  });

  test("headers, 304, and a new file after an edit or a tag rename", async () => {
    const t = await createTestApp(engine);
    try {
      const { creator, reader, guest, works } = await setUp(t);
      const url = path(works.public, "Fog_Lamps", "html");
      const first = await guest.get(url);
      assert.equal(first.statusCode, 200);
      assert.equal(
        first.headers["content-disposition"],
        `attachment; filename="Fog_Lamps.html"; filename*=UTF-8''Fog%20%26%20Lamps.html`,
      );
      assert.equal(first.headers["cache-control"], "public, no-cache");
      assert.equal(first.headers["x-content-type-options"], "nosniff");
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[0-9a-f]{32}"$/);

      const cached = await t.app.inject({ method: "GET", url, headers: { "if-none-match": etag } });
      assert.equal(cached.statusCode, 304);
      assert.equal(cached.body, "");
      const other = await t.app.inject({
        method: "GET",
        url,
        headers: { "if-none-match": '"nope"' },
      });
      assert.equal(other.statusCode, 200);
      assert.equal(other.body, first.body, "served from the cache, byte for byte");

      const restricted = await reader.get(path(works.restricted, "x", "txt"));
      assert.equal(restricted.headers["cache-control"], "private, no-cache");
      // A 304 is only for those who may see the work.
      const sneaky = await t.app.inject({
        method: "GET",
        url: path(works.restricted, "x", "txt"),
        headers: { "if-none-match": String(restricted.headers.etag) },
      });
      assert.equal(sneaky.statusCode, 302);

      // An edit of the chapter text: a new version.
      const chapter = await t.deps.db
        .selectFrom("chapters")
        .select("id")
        .where("work_id", "=", works.public)
        .executeTakeFirstOrThrow();
      const edit = await creator.post(`/works/${works.public}/chapters/${chapter.id}`, {
        chapter_title: "",
        text: "<p>The <b>rain</b> came in.</p>",
        action: "post",
      });
      assert.equal(edit.statusCode, 303, edit.body.slice(0, 300));
      const edited = await guest.get(url);
      assert.notEqual(edited.headers.etag, etag);
      assert.match(edited.body, /<b>rain<\/b>/);
      assert.doesNotMatch(edited.body, /fog<\/b>/);

      // A wrangler renames a tag: no work row changes, the file does.
      const before = String(edited.headers.etag);
      await t.deps.db
        .updateTable("tags")
        .set({ name: "Renamed Fandom (TV)" })
        .where("name", "=", "Lighthouse Keepers (TV)")
        .execute();
      const renamed = await guest.get(url);
      assert.notEqual(renamed.headers.etag, before);
      assert.match(renamed.body, /Renamed Fandom \(TV\)/);
    } finally {
      await t.close();
    }
  });

  test("bad addresses are 4xx naming the problem", async () => {
    const t = await createTestApp(engine);
    try {
      const { guest, works } = await setUp(t);
      const mobi = await guest.get(`/downloads/${works.public}/Fog.mobi`);
      assert.equal(mobi.statusCode, 404);
      assert.match(mobi.body, /MOBI is not offered/);
      const azw3 = await guest.get(`/downloads/${works.public}/Fog.azw3`);
      assert.equal(azw3.statusCode, 404);
      const exe = await guest.get(`/downloads/${works.public}/Fog.exe`);
      assert.equal(exe.statusCode, 404);
      assert.match(exe.body, /not a download format/);
      const noExt = await guest.get(`/downloads/${works.public}/Fog`);
      assert.equal(noExt.statusCode, 404);
      assert.match(noExt.body, /Address part &quot;file&quot;/);
      const long = await guest.get(`/downloads/${works.public}/${"x".repeat(301)}.epub`);
      assert.equal(long.statusCode, 414, "Fastify refuses address parts over 100 characters");
      const badId = await guest.get(`/downloads/abc/Fog.epub`);
      assert.equal(badId.statusCode, 400);
      assert.match(badId.body, /workId/);
      const missing = await guest.get(`/downloads/999999/Fog.epub`);
      assert.equal(missing.statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test("the work page's Download menu links every format", async () => {
    const t = await createTestApp(engine);
    try {
      const { guest, works } = await setUp(t);
      const res = await guest.get(`/works/${works.public}`);
      const menu = /<li class="download">([\s\S]*?)<\/details><\/li>/.exec(res.body)?.[1] ?? "";
      assert.match(menu, /<summary>Download<\/summary><ul class="expandable secondary">/);
      for (const format of DOWNLOAD_FORMATS)
        assert.ok(menu.includes(`href="/downloads/${works.public}/Fog_Lamps.${format}"`), format);
    } finally {
      await t.close();
    }
  });
});

test("long works are built by a job behind a 202, once", async () => {
  const t = await createTestApp("sqlite");
  try {
    const creator = new Client(t.app);
    await creator.signUp("long_writer");
    const words = Array.from({ length: 51_000 }, (_, i) =>
      i % 90 === 89 ? "end.\n\n" : "word",
    ).join(" ");
    const res = await creator.post("/works", workForm({ title: "Long Work", text: words }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const id = workIdFrom(res.headers.location);
    const url = path(id, "Long_Work", "pdf");
    const waiting = await Promise.all([creator.get(url), creator.get(url)]);
    for (const w of waiting) {
      assert.equal(w.statusCode, 202);
      assert.equal(w.headers["retry-after"], "5");
      assert.equal(w.headers.refresh, "5");
      assert.match(w.body, /Your download is being prepared/);
    }
    const queued = await t.deps.db
      .selectFrom("jobs")
      .select("id")
      .where("kind", "=", "download.build")
      .execute();
    assert.equal(queued.length, 1, "one job for both requests");
    assert.ok((await t.drainJobs()) >= 1);
    const left = await t.deps.db
      .selectFrom("jobs")
      .select("id")
      .where("kind", "=", "download.build")
      .execute();
    assert.equal(left.length, 0, "the build ran (done jobs are deleted)");
    const ready = await creator.get(url);
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.headers["content-type"], "application/pdf");
    // Short formats of the same work are built in the request.
    assert.equal((await creator.get(path(id, "Long_Work", "epub"))).statusCode, 200);
  } finally {
    await t.close();
  }
});

test("concurrent builds of one version build once; a new version replaces the old file", async () => {
  const t = await createTestApp("sqlite");
  try {
    const creator = new Client(t.app);
    await creator.signUp("cache_writer");
    const res = await creator.post("/works", workForm({ title: "Cached" }));
    const id = workIdFrom(res.headers.location);
    const cache = new DownloadCache(`${t.deps.config.dataDir}/test-downloads`, t.deps.config);
    const rows = (await loadWorkRows(t.deps.db, id))!;
    const key = cache.keyOf(rows, "epub", "http://localhost:3000");
    const files = await Promise.all(
      Array.from({ length: 5 }, () => cache.build(rows, "epub", key)),
    );
    assert.equal(cache.builds, 1);
    assert.ok(files.every((f) => f.path === files[0]!.path));
    const newer = { ...rows, work: { ...rows.work, edited_at: rows.work.edited_at + 1 } };
    const key2 = cache.keyOf(newer, "epub", "http://localhost:3000");
    assert.notEqual(key2, key);
    await cache.build(newer, "epub", key2);
    assert.equal(await cache.find(id, key, "epub"), undefined, "the old version is gone");
    assert.ok(await cache.find(id, key2, "epub"));
  } finally {
    await t.close();
  }
});

test("what the HTML, TXT and PDF files hold", async () => {
  const t = await createTestApp("sqlite", { FANFOLD_PUBLIC_URL: "https://archive.example.org" });
  try {
    const creator = new Client(t.app);
    await creator.signUp("format_writer");
    const res = await creator.post(
      "/works",
      workForm({
        title: "Formats & Such",
        summary: "A <i>summary</i>.",
        notes: "Mark's POV is bold; Lexie's is plain.",
        end_notes: "Thanks for reading.",
        expected_chapters: "2",
        chapter_title: "Opening",
        text: "<p><b>Mark thinks.</b></p><p>Lexie <i>answers</i> <u>under</u> <s>struck</s>.</p><ul><li>one</li></ul><blockquote>quoted</blockquote><hr><h2>Part</h2>",
      }),
    );
    const id = workIdFrom(res.headers.location);
    await creator.post(`/works/${id}/chapters`, {
      chapter_title: "Second",
      text: "The second chapter.",
      action: "post",
    });
    const html = (await creator.get(path(id, "x", "html"))).body;
    for (const shape of [
      /<div id="preface">[\s\S]*<h1>Formats &amp; Such<\/h1>/,
      /<div class="byline">by <a rel="author" href="https:\/\/archive\.example\.org\/users\/format_writer\/pseuds\/format_writer">format_writer<\/a><\/div>/,
      /<dl class="tags">[\s\S]*<dt>Rating:<\/dt>/,
      /<p>Summary<\/p>\n<blockquote class="userstuff"><p>A <i>summary<\/i>\.<\/p><\/blockquote>/,
      /<div id="chapters" class="userstuff">\n<div class="meta group" id="chapter-1">\n<h2 class="heading">Chapter 1: Opening<\/h2>/,
      /<div class="userstuff"><p><b>Mark thinks\.<\/b><\/p>/,
      /<h2 class="heading">Chapter 2: Second<\/h2>/,
      /<div id="afterword">[\s\S]*<p>End Notes<\/p>/,
      /<style>/,
    ])
      assert.match(html, shape);
    assert.doesNotMatch(html, /<script|<link |src=/, "self-contained");

    const txt = (await creator.get(path(id, "x", "txt"))).body;
    assert.match(txt, /^Formats & Such\nby format_writer\n/);
    assert.match(
      txt,
      /Posted originally on the archive at https:\/\/archive\.example\.org\/works\/\d+\./,
    );
    assert.match(txt, /Rating: General Audiences/);
    assert.match(txt, /Chapter 1: Opening\n=+\n\nMark thinks\.\n\nLexie answers under struck\./);
    assert.match(txt, /Chapter 2: Second/);

    const pdfRes = await creator.get(path(id, "x", "pdf"));
    assert.equal(pdfRes.rawPayload.subarray(0, 5).toString("latin1"), "%PDF-");
    // The same work, uncompressed, to read its fonts and text.
    const rows = (await loadWorkRows(t.deps.db, id))!;
    const pdf = readPdf(await buildPdf(presentDownload(rows, t.deps.config), { compress: false }));
    assert.ok(pdf.text.includes("Formats & Such"), "the title is text in the PDF");
    assert.ok(pdf.text.includes("Lexie answers under struck."), "words keep their spaces");
    const fontOf = (s: string) => pdf.runs.find((r) => r.text.includes(s))?.font ?? "";
    assert.match(fontOf("Mark thinks."), /\+DejaVuSerif-Bold$/);
    assert.match(fontOf("answers"), /\+DejaVuSerif-Italic$/);
    assert.match(fontOf("Lexie"), /\+DejaVuSerif$/);
    assert.ok(pdf.text.includes("Chapter 2: Second"));
    assert.ok(
      pdf.fonts.every((f) => /^[A-Z]{6}\+DejaVu/.test(f)),
      "only embedded DejaVu fonts",
    );
  } finally {
    await t.close();
  }
});
