/**
 * `@fujocoded/ao3.js`, a library readers' tools use, reads Fanfold's work pages as it reads
 * AO3's (#11): every field it returns is what was posted. Its requests go to the test app
 * (test/support/ao3-client.ts), never to the network.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { getWork, getWorkContent, getWorkWithChapters } from "@fujocoded/ao3.js";
import { AO3_ORIGIN, useAo3Client } from "../support/ao3-client.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const DAY = 86_400_000;
/** Paragraph ids (`chapter-2-p1`) are Fanfold's addition for reading positions. */
const withoutIds = (html: string | null) =>
  html?.replace(/ id="chapter-\d+-p\d+"/g, "").replace(/>\s+</g, "><") ?? null;
const chapterIdFrom = (location: string | undefined) =>
  Number(/\/chapters\/(\d+)/.exec(location ?? "")?.[1]);
const dd = (html: string, cls: string) =>
  new RegExp(`<dd class="${cls}">(?:<a [^>]*>)?([^<]*)`).exec(html)?.[1];

describeEachEngine("ao3.js reads Fanfold's work pages", (engine) => {
  let t: TestApp;
  let ao3: ReturnType<typeof useAo3Client>;
  let author: Client;
  let workId = 0;
  let matureId = 0;
  const chapters: number[] = [];
  const published = "2026-11-23";
  const completed = "2026-11-25";

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("ledger_keeper");
    // A second pseud, so the byline's pseud and login differ.
    const pseud = await author.post("/users/ledger_keeper/pseuds", {
      name: "Lamplighter",
      description: "",
    });
    assert.equal(pseud.statusCode, 303, pseud.body.slice(0, 500));
    const form = await author.get("/works/new");
    const pseudId = /<option value="(\d+)"[^>]*>Lamplighter</.exec(form.body)?.[1];
    assert.ok(pseudId, "the new-work form offers the pseud");

    const posted = await author.post(
      "/works",
      workForm({
        title: "The Lighthouse Ledger",
        pseud_id: pseudId,
        summary: "Two keepers, one lamp, and a ledger nobody reads.",
        notes: "Written for the winter exchange.",
        end_notes: "Thank you for reading the whole thing.",
        rating: "Teen And Up Audiences",
        warnings: ["Graphic Depictions Of Violence", "Major Character Death"],
        categories: ["F/M", "Gen"],
        fandoms: "Lighthouse Keepers (TV), Tide Tables (Podcast)",
        relationships: "Ada/Bram",
        characters: "Ada, Bram",
        freeforms: "Slow Burn, Found Family",
        language: "en",
        expected_chapters: "3",
        chapter_title: "Beginnings",
        text: "The lamp was lit at dusk.\n\nAda wrote it down.",
      }),
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 500));
    workId = workIdFrom(posted.headers.location);
    const index = await author.get(`/works/${workId}/navigate`);
    chapters.push(Number(new RegExp(`/works/${workId}/chapters/(\\d+)`).exec(index.body)?.[1]));

    t.clock.now += DAY;
    const second = await author.post(`/works/${workId}/chapters`, {
      chapter_title: "Middles",
      position: "",
      summary: "Bram finds the ledger.",
      notes: "A storm chapter.",
      end_notes: "More next week.",
      text: "Rain on the glass all night.\n\nBram read every page.",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 2000));
    chapters.push(chapterIdFrom(second.headers.location));
    t.clock.now += DAY;
    const third = await author.post(`/works/${workId}/chapters`, {
      position: "",
      text: "Morning came and the lamp went out.",
      action: "post",
    });
    assert.equal(third.statusCode, 303, third.body.slice(0, 2000));
    chapters.push(chapterIdFrom(third.headers.location));

    // Readers: two kudos, a comment, a bookmark.
    for (const login of ["ledger_fan", "ledger_critic"]) {
      const reader = new Client(t.app);
      await reader.signUp(login);
      assert.equal((await reader.get(`/works/${workId}`)).statusCode, 200);
      assert.equal((await reader.post(`/works/${workId}/kudos`)).statusCode, 303);
      if (login === "ledger_fan") {
        const c = await reader.post(`/works/${workId}/comments`, { comment_content: "Lovely." });
        assert.equal(c.statusCode, 303, c.body.slice(0, 300));
        const b = await reader.post(`/works/${workId}/bookmarks`, { notes: "", tags: "" });
        assert.equal(b.statusCode, 303, b.body.slice(0, 300));
      }
    }
    // Pages record hits in memory; a server writes them within a second.
    await t.flushHits();

    const mature = await author.post(
      "/works",
      workForm({
        title: "Storm Season",
        rating: "Mature",
        summary: "Weather, mostly.",
        expected_chapters: "1",
        text: "Thunder over the harbour.",
      }),
    );
    matureId = workIdFrom(mature.headers.location);
    ao3 = useAo3Client(t.app);
  });

  after(async () => {
    ao3?.restore();
    await t?.close();
  });

  test("getWork: every field of a multi-chapter work is what was posted", async () => {
    const work = await getWork({ workId: String(workId) });
    const page = ao3.requests.at(-1)!;
    assert.equal(page.url, `${AO3_ORIGIN}/works/${workId}`);
    assert.equal(page.status, 200);
    assert.ok(!work.locked);
    if (work.locked) return;
    assert.equal(work.id, workId);
    assert.equal(work.title, "The Lighthouse Ledger");
    assert.deepEqual(work.authors, [
      { username: "ledger_keeper", pseud: "Lamplighter", anonymous: false },
    ]);
    assert.equal(work.rating, "Teen And Up Audiences");
    assert.equal(work.adult, false);
    assert.deepEqual(work.category, ["F/M", "Gen"]);
    assert.deepEqual(work.fandoms, ["Lighthouse Keepers (TV)", "Tide Tables (Podcast)"]);
    assert.deepEqual(work.tags.warnings, [
      "Graphic Depictions Of Violence",
      "Major Character Death",
    ]);
    assert.deepEqual(work.tags.relationships, ["Ada/Bram"]);
    assert.deepEqual(work.tags.characters, ["Ada", "Bram"]);
    assert.deepEqual(work.tags.additional, ["Slow Burn", "Found Family"]);
    assert.equal(work.language, "English");
    assert.equal(work.publishedAt, published);
    assert.equal(work.updatedAt, completed);
    // 10 + 10 + 7 words across the three chapters.
    assert.equal(work.words, 27);
    assert.deepEqual(work.chapters, { published: 3, total: 3 });
    assert.equal(work.complete, true);
    assert.equal(work.summary, "<p>Two keepers, one lamp, and a ledger nobody reads.</p>");
    assert.equal(work.chapterInfo, null);
    assert.deepEqual(work.series, []);
    assert.equal(work.stats.kudos, 2);
    assert.equal(work.stats.comments, 1);
    assert.equal(work.stats.bookmarks, 1);
    assert.ok(work.stats.hits >= 2, `the two readers' visits count (${work.stats.hits})`);
    assert.equal(String(work.stats.hits), dd(page.body, "hits"));
  });

  test("getWork with a chapter id: its number, title and summary", async () => {
    const second = await getWork({ workId: String(workId), chapterId: String(chapters[1]) });
    assert.ok(!second.locked);
    if (second.locked) return;
    assert.equal(ao3.requests.at(-1)!.url, `${AO3_ORIGIN}/works/${workId}/chapters/${chapters[1]}`);
    assert.deepEqual(second.chapterInfo, {
      id: chapters[1],
      index: 2,
      name: "Middles",
      summary: "<p>Bram finds the ledger.</p>",
    });
    assert.equal(second.title, "The Lighthouse Ledger");
    // As on AO3, the work's summary is only given with its first chapter.
    assert.equal(second.summary, null);

    const first = await getWork({ workId: String(workId), chapterId: String(chapters[0]) });
    assert.ok(!first.locked && first.chapterInfo);
    if (first.locked) return;
    assert.deepEqual(first.chapterInfo, {
      id: chapters[0],
      index: 1,
      name: "Beginnings",
      summary: null,
    });
    assert.equal(first.summary, "<p>Two keepers, one lamp, and a ledger nobody reads.</p>");

    const untitled = await getWork({ workId: String(workId), chapterId: String(chapters[2]) });
    assert.ok(!untitled.locked);
    if (untitled.locked) return;
    assert.equal(untitled.chapterInfo?.index, 3);
    assert.equal(untitled.chapterInfo?.name, null);
  });

  test("getWorkWithChapters: title, authors and the chapter list from the chapter index", async () => {
    const work = await getWorkWithChapters({ workId: String(workId) });
    assert.equal(ao3.requests.at(-1)!.url, `${AO3_ORIGIN}/works/${workId}/navigate`);
    assert.equal(work.title, "The Lighthouse Ledger");
    assert.deepEqual(work.authors, [
      { username: "ledger_keeper", pseud: "Lamplighter", anonymous: false },
    ]);
    assert.equal(work.workId, workId);
    const titles = ["Beginnings", "Middles", "Chapter 3"];
    const dates = ["2026-11-23", "2026-11-24", "2026-11-25"];
    assert.deepEqual(
      work.chapters,
      chapters.map((id, i) => ({
        id,
        workId,
        index: i + 1,
        title: titles[i],
        publishedAt: dates[i],
        url: `${AO3_ORIGIN}/works/${workId}/chapters/${id}`,
        shortUrl: `https://ao3.org/works/${workId}/chapters/${id}`,
      })),
    );
  });

  test("getWorkContent: chapter text, chapter notes and end notes, summary", async () => {
    const second = await getWorkContent({ workId: String(workId), chapterId: String(chapters[1]) });
    assert.equal(
      withoutIds(second.content),
      "<p>Rain on the glass all night.</p><p>Bram read every page.</p>",
    );
    assert.equal(second.startNotes, "<p>A storm chapter.</p>");
    assert.equal(second.endNotes, "<p>More next week.</p>");
    assert.equal(second.summary, "<p>Two keepers, one lamp, and a ledger nobody reads.</p>");

    // The first chapter: no chapter notes of its own (the work's notes are not chapter notes).
    const first = await getWorkContent({ workId: String(workId) });
    assert.equal(
      withoutIds(first.content),
      "<p>The lamp was lit at dusk.</p><p>Ada wrote it down.</p>",
    );
    assert.equal(first.startNotes, null);
    assert.equal(first.endNotes, null);
  });

  test("an adult work: the library's view_adult=true cookie passes the notice", async () => {
    const work = await getWork({ workId: String(matureId) });
    const request = ao3.requests.at(-1)!;
    assert.match(request.cookie, /(^|; )view_adult=true(;|$)/);
    assert.doesNotMatch(request.body, /could have adult content/);
    assert.ok(!work.locked);
    if (work.locked) return;
    assert.equal(work.rating, "Mature");
    assert.equal(work.adult, true);
    assert.equal(work.title, "Storm Season");
    assert.deepEqual(work.authors, [
      { username: "ledger_keeper", pseud: "ledger_keeper", anonymous: false },
    ]);
    assert.deepEqual(work.chapters, { published: 1, total: 1 });
    assert.equal(work.complete, true);
    assert.equal(work.summary, "<p>Weather, mostly.</p>");
    const content = await getWorkContent({ workId: String(matureId) });
    assert.equal(withoutIds(content.content), "<p>Thunder over the harbour.</p>");

    // Without that cookie a guest gets the notice, not the text.
    const guest = await new Client(t.app).get(`/works/${matureId}`);
    assert.match(guest.body, /could have adult content/);
    assert.doesNotMatch(guest.body, /Thunder over the harbour/);
  });
});
