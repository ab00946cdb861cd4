/**
 * AO3's markup and addresses on Fanfold's reading pages (#11), as readers' tools read them:
 * the chapter index, pseud bylines, chapter prefaces and afterwords, the chapter menu,
 * `/chapters/:id`, adult consent (AO3's `view_adult=true` cookie, the notice), and restricted
 * works (a redirect to log in, the padlock).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const chapterIdFrom = (location: string | undefined) =>
  Number(/\/chapters\/(\d+)/.exec(location ?? "")?.[1]);
/** The restricted-work padlock, as AO3 writes it (FanFicFare reads the alt text). */
const LOCK =
  /<img class="restricted-lock" alt="\(Restricted\)" title="Restricted" src="(\/assets\/lock\.svg\?v=[0-9a-f]+)" width="15" height="15"\/>/;

describeEachEngine("AO3 markup and addresses on reading pages", (engine) => {
  let t: TestApp;
  let writer: Client;
  let workId = 0;
  const ch: number[] = [];
  let draftChapter = 0;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("markup_writer");
    const res = await writer.post(
      "/works",
      workForm({
        title: "Harbour Lights",
        chapter_title: "Arrival",
        notes: "Work notes here.",
        end_notes: "Work end notes here.",
        expected_chapters: "3",
        text: "The ferry came in late.",
      }),
    );
    workId = workIdFrom(res.headers.location);
    const index = await writer.get(`/works/${workId}/navigate`);
    ch.push(Number(new RegExp(`/works/${workId}/chapters/(\\d+)`).exec(index.body)?.[1]));
    t.clock.now += 86_400_000;
    const second = await writer.post(`/works/${workId}/chapters`, {
      position: "",
      summary: "The second chapter's summary.",
      notes: "The second chapter's notes.",
      end_notes: "The second chapter's end notes.",
      text: "Untitled middle chapter text.",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 2000));
    ch.push(chapterIdFrom(second.headers.location));
    const draft = await writer.post(`/works/${workId}/chapters`, {
      position: "",
      chapter_title: "Unfinished",
      text: "A draft chapter nobody sees yet.",
      action: "draft",
    });
    assert.equal(draft.statusCode, 303, draft.body.slice(0, 2000));
    draftChapter = chapterIdFrom(draft.headers.location);
  });
  after(() => t.close());

  test("the chapter index: AO3's wrapper, heading with title and pseud link, dated list", async () => {
    const res = await new Client(t.app).get(`/works/${workId}/navigate`);
    assert.equal(res.statusCode, 200);
    // AO3: div#main.works-navigate; here the page's own <main id="main"> carries the class.
    assert.match(res.body, /<main id="main" class="works-navigate"/);
    assert.match(res.body, /<div class="works-navigate">/);
    assert.match(
      res.body,
      new RegExp(
        `<h2 class="heading">Chapter Index for <a href="/works/${workId}">Harbour Lights</a> by ` +
          `<a rel="author" href="/users/markup_writer/pseuds/markup_writer">markup_writer</a></h2>`,
      ),
    );
    const list = /<ol class="chapter index group">(.*?)<\/ol>/s.exec(res.body)?.[1] ?? "";
    assert.equal(
      list,
      `<li><a href="/works/${workId}/chapters/${ch[0]}">1. Arrival</a> <span class="datetime">(2026-11-23)</span></li>` +
        `<li><a href="/works/${workId}/chapters/${ch[1]}">2. Chapter 2</a> <span class="datetime">(2026-11-24)</span></li>`,
    );
    assert.doesNotMatch(res.body, /Unfinished/, "a draft chapter is not listed for readers");
  });

  test("bylines link the default pseud's address, and that address is served", async () => {
    const guest = new Client(t.app);
    const byline = `<a rel="author" href="/users/markup_writer/pseuds/markup_writer">markup_writer</a>`;
    assert.ok((await guest.get(`/works/${workId}`)).body.includes(byline), "work page");
    assert.ok((await guest.get("/works")).body.includes(byline), "blurb");
    assert.doesNotMatch(
      (await guest.get(`/works/${workId}`)).body,
      /href="\/users\/markup_writer"/,
    );
    const pseudPage = await guest.get("/users/markup_writer/pseuds/markup_writer");
    assert.equal(pseudPage.statusCode, 200);
    assert.match(pseudPage.body, /Harbour Lights/);
  });

  test("the work page: AO3's wrappers, chapter preface and afterword ids, chapter heading", async () => {
    const guest = new Client(t.app);
    const first = (await guest.get(`/works/${workId}`)).body;
    // div.work holds navigation, meta and #workskin; #feedback follows it.
    assert.match(
      first,
      /<div class="work"><nav aria-label="Work"><ul class="work navigation actions">.*<dl class="work meta group">.*<div id="workskin"><div class="preface group"><h2 class="title heading">Harbour Lights<\/h2>.*<div id="chapters" role="article" aria-label="Work text"><h3 class="landmark heading" id="work">Chapter Text<\/h3><div class="chapter" id="chapter-1">.*<\/div><div id="feedback" class="feedback">/s,
    );
    assert.match(
      first,
      new RegExp(
        `<h3 class="title"><a href="/works/${workId}/chapters/${ch[0]}">Chapter 1</a>: Arrival</h3>`,
      ),
    );
    assert.match(
      first,
      /<div class="notes module"><h3 class="heading">Notes:<\/h3><blockquote class="userstuff"><p>Work notes here\.<\/p>/,
    );

    const second = (await guest.get(`/works/${workId}/chapters/${ch[1]}`)).body;
    assert.match(
      second,
      new RegExp(
        `<h3 class="title"><a href="/works/${workId}/chapters/${ch[1]}">Chapter 2</a></h3>`,
      ),
    );
    assert.match(
      second,
      /<div id="summary" class="summary module"><h3 class="heading">Chapter Summary<\/h3><blockquote class="userstuff"><p>The second chapter's summary\.<\/p>/,
    );
    assert.match(
      second,
      /<div id="notes" class="notes module"><h3 class="heading">Chapter Notes<\/h3><blockquote class="userstuff"><p>The second chapter's notes\.<\/p>/,
    );
    assert.match(
      second,
      /<div class="chapter preface group"><div id="chapter_2_endnotes" class="end notes module" role="complementary" aria-label="Chapter 2, end notes"><h3 class="heading">Chapter End Notes<\/h3><blockquote class="userstuff"><p>The second chapter's end notes\.<\/p>/,
    );
    assert.match(second, /<div class="userstuff module" role="article" aria-label="Chapter 2">/);
  });

  test("the chapter menu: select#selected_id in li.chapter, a GET form that works without script", async () => {
    const guest = new Client(t.app);
    const page = (await guest.get(`/works/${workId}/chapters/${ch[1]}`)).body;
    const form = new RegExp(
      `<li class="chapter"><form class="chapter-select inline" method="get" action="/works/${workId}/chapters">` +
        `<label class="landmark" for="selected_id">Chapter</label><select name="selected_id" id="selected_id">` +
        `<option value="${ch[0]}">1. Arrival</option><option value="${ch[1]}" selected>2. Chapter 2</option></select> ` +
        `<button type="submit">Go</button></form></li>`,
    );
    assert.match(page, form);
    assert.equal(page.match(/id="selected_id"/g)?.length, 1, "one menu a page");
    const go = await guest.get(`/works/${workId}/chapters?selected_id=${ch[0]}`);
    assert.equal(go.statusCode, 303);
    assert.equal(go.headers.location, `/works/${workId}/chapters/${ch[0]}`);
    const none = await guest.get(`/works/${workId}/chapters`);
    assert.equal(none.headers.location, `/works/${workId}`);
    // A single-chapter work has no menu.
    const single = await writer.post("/works", workForm({ title: "One Shot Only" }));
    const oneShot = await guest.get(single.headers.location!);
    assert.doesNotMatch(oneShot.body, /selected_id/);
    assert.match(oneShot.body, /<h3 class="landmark heading" id="work">Work Text:<\/h3>/);
  });

  test("/chapters/:id redirects permanently to the chapter in its work, only when visible", async () => {
    const guest = new Client(t.app);
    const res = await guest.get(`/chapters/${ch[1]}`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/works/${workId}/chapters/${ch[1]}`);
    // A draft chapter: 404 for readers, and nothing says which work it belongs to.
    const hidden = await guest.get(`/chapters/${draftChapter}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.headers.location, undefined);
    assert.doesNotMatch(hidden.body, new RegExp(`/works/${workId}\\b`));
    assert.doesNotMatch(hidden.body, /Harbour Lights/);
    // Its creator is sent on.
    const own = await writer.get(`/chapters/${draftChapter}`);
    assert.equal(own.statusCode, 301);
    assert.equal(own.headers.location, `/works/${workId}/chapters/${draftChapter}`);
    assert.equal((await guest.get("/chapters/999999")).statusCode, 404);
  });

  test("adult consent: AO3's view_adult=true cookie is accepted; the notice shows the blurb", async () => {
    const mature = await writer.post(
      "/works",
      workForm({
        title: "Night Shift",
        rating: "Mature",
        warnings: ["Graphic Depictions Of Violence"],
        relationships: "Ada/Bram",
        freeforms: "Hurt/Comfort",
        summary: "Someone has to keep the lamp lit.",
        text: "The night shift text.",
      }),
    );
    const id = workIdFrom(mature.headers.location);

    const guest = new Client(t.app);
    const notice = await guest.get(`/works/${id}`);
    assert.equal(notice.statusCode, 200);
    assert.match(
      notice.body,
      /<p class="caution">This work could have adult content\. If you continue, you have agreed that you are willing to see such content\.<\/p>/,
    );
    assert.doesNotMatch(notice.body, /The night shift text/);
    assert.doesNotMatch(notice.body, /Rating: Mature/);
    // The blurb: warnings, tags and summary, so a reader can decide.
    assert.match(notice.body, new RegExp(`<li class="work blurb group" id="work_${id}">`));
    assert.match(notice.body, /Graphic Depictions Of Violence/);
    assert.match(notice.body, />Ada\/Bram</);
    assert.match(notice.body, />Hurt\/Comfort</);
    assert.match(notice.body, /Someone has to keep the lamp lit\./);
    assert.match(notice.body, new RegExp(`href="/works/${id}\\?view_adult=true"[^>]*>Proceed</a>`));
    assert.match(notice.body, /<a class="button" href="\/works">No, Go Back<\/a>/);
    assert.doesNotMatch(notice.body, /Set your preferences now/, "guests have no preferences");
    // "No, Go Back" returns to the page the reader came from on this site.
    const fromListing = await t.app.inject({
      url: `/works/${id}`,
      headers: {
        referer: "http://localhost:80/tags/Hurt%2FComfort/works?page=2",
        host: "localhost:80",
      },
    });
    assert.match(fromListing.body, /href="\/tags\/Hurt%2FComfort\/works\?page=2">No, Go Back</);
    const fromElsewhere = await t.app.inject({
      url: `/works/${id}`,
      headers: { referer: "https://elsewhere.example/page", host: "localhost:80" },
    });
    assert.match(fromElsewhere.body, /href="\/works">No, Go Back</);

    const reader = new Client(t.app);
    await reader.signUp("night_reader");
    const chapterId = chapterOf((await writer.get(`/works/${id}/navigate`)).body, id);
    const asReader = await reader.get(`/works/${id}/chapters/${chapterId}`);
    assert.match(asReader.body, /could have adult content/);
    assert.match(
      asReader.body,
      /<a class="button" href="\/users\/night_reader\/preferences">Set your preferences now<\/a>/,
    );

    // AO3's own cookie (ao3.js sends it) counts as consent, as Fanfold's does.
    const tool = await t.app.inject({
      url: `/works/${id}`,
      headers: { cookie: "view_adult=true" },
    });
    assert.match(tool.body, /The night shift text/);
    const wrong = await t.app.inject({
      url: `/works/${id}`,
      headers: { cookie: "view_adult=false" },
    });
    assert.match(wrong.body, /could have adult content/);

    // The chapter index is not behind the notice (AO3's isn't).
    const index = await new Client(t.app).get(`/works/${id}/navigate`);
    assert.equal(index.statusCode, 200);
    assert.doesNotMatch(index.body, /could have adult content/);
    assert.match(index.body, /Chapter Index for <a href="\/works\/\d+">Night Shift<\/a>/);
  });

  test("restricted works: guests are redirected to log in from every reading page; readers see the padlock", async () => {
    const res = await writer.post(
      "/works",
      workForm({ title: "Members Harbour", restricted: "1", expected_chapters: "2" }),
    );
    const id = workIdFrom(res.headers.location);
    const more = await writer.post(`/works/${id}/chapters`, {
      position: "",
      text: "The members' second chapter.",
      action: "post",
    });
    const chapter = chapterIdFrom(more.headers.location);
    const guest = new Client(t.app);
    for (const path of [
      `/works/${id}`,
      `/works/${id}?view_full_work=true`,
      `/works/${id}/chapters/${chapter}`,
      `/works/${id}/navigate`,
      `/chapters/${chapter}`,
    ]) {
      const r = await guest.get(path);
      assert.equal(r.statusCode, 302, path);
      assert.equal(
        r.headers.location,
        `/users/login?restricted=true&return_to=${encodeURIComponent(path)}`,
        path,
      );
    }

    const member = new Client(t.app);
    await member.signUp("harbour_member");
    const page = await member.get(`/works/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      new RegExp(`<h2 class="title heading">Members Harbour ${LOCK.source}</h2>`),
    );
    const listing = await member.get("/works");
    const blurb = new RegExp(
      `<h3 class="heading" id="work_${id}_title"><a href="/works/${id}">Members Harbour</a> by <a rel="author"[^>]*>markup_writer</a> ${LOCK.source}</h3>`,
    );
    assert.match(listing.body, blurb);
    // The padlock is Fanfold's own image, not a third-party request.
    const src = LOCK.exec(page.body)![1]!;
    const image = await member.get(src);
    assert.equal(image.statusCode, 200);
    assert.match(String(image.headers["content-type"]), /^image\/svg\+xml/);
    assert.match(image.body, /<svg /);
    // Unrestricted works carry no padlock.
    assert.doesNotMatch((await member.get(`/works/${workId}`)).body, /alt="\(Restricted\)"/);
  });
});

/** The first chapter id linked from a page about work `id`. */
function chapterOf(html: string, id: number): number {
  return Number(new RegExp(`/works/${id}/chapters/(\\d+)`).exec(html)?.[1] ?? 0);
}
