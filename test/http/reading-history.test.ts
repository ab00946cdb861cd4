import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const PARAGRAPHS = [
  "Morning came slowly over the harbour.",
  "The keeper counted the boats twice.",
  "A gull landed on the railing and stared at him.",
  "He stared back, because someone had to.",
  "By noon the fog had lifted.",
];
const text = (paragraphs: readonly string[]) => paragraphs.join("\n\n");

/** The text of the element carrying `id` on a page (paragraphs hold no nested tags here). */
const textOfId = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

const continueHref = (html: string) =>
  /<a href="([^"]+)">Continue (?:reading|with Chapter \d+)</.exec(html)?.[1];

describeEachEngine("reading history, marked for later and reading position", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let other: Client;
  let guest: Client;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("hist_writer");
    reader = new Client(t.app);
    await reader.signUp("hist_reader");
    other = new Client(t.app);
    await other.signUp("hist_other");
    guest = new Client(t.app);
  });
  after(() => t.close());

  async function postWork(title: string, overrides = {}) {
    const res = await writer.post(
      "/works",
      workForm({ title, text: text(PARAGRAPHS), ...overrides }),
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return workIdFrom(res.headers.location);
  }

  async function addChapter(workId: number, body: string, title = "") {
    const res = await writer.post(`/works/${workId}/chapters`, {
      chapter_title: title,
      text: body,
      action: "post",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return Number(/\/chapters\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
  }

  async function firstChapterId(workId: number) {
    const row = await t.deps.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", workId)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const reading = (login: string, workId: number) =>
    t.deps.db
      .selectFrom("readings")
      .innerJoin("users", "users.id", "readings.user_id")
      .selectAll("readings")
      .where("users.login", "=", login)
      .where("readings.work_id", "=", workId)
      .executeTakeFirst();

  const savePosition = (client: Client, workId: number, form: Record<string, string>) =>
    client.post(`/works/${workId}/position`, { via: "script", ...form });

  test("a view by a logged-in reader goes into their history and counts visits; not for guests or the creator", async () => {
    const id = await postWork("Harbour Morning");
    await guest.get(`/works/${id}`);
    await writer.get(`/works/${id}`);
    assert.equal(await reading("hist_writer", id), undefined);
    assert.equal(
      (await t.deps.db.selectFrom("readings").select("user_id").where("work_id", "=", id).execute())
        .length,
      0,
    );
    t.clock.now += 60_000;
    await reader.get(`/works/${id}`);
    t.clock.now += 60_000;
    await reader.get(`/works/${id}/chapters/${await firstChapterId(id)}`);
    const row = await reading("hist_reader", id);
    assert.equal(row?.visits, 2);
    assert.equal(row?.last_read_at, t.clock.now);
    assert.equal(row?.first_read_at, t.clock.now - 60_000);
    const page = await reader.get("/users/hist_reader/readings");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Harbour Morning/);
    assert.match(page.body, /Last visited:<\/span> 2026-11-23/);
    assert.match(page.body, /Visited 2 times/);
    assert.doesNotMatch(page.body, /Update available/);
    assert.doesNotMatch((await writer.get("/users/hist_writer/readings")).body, /Harbour Morning/);
  });

  test("history is newest first, 20 to a page", async () => {
    const fresh = new Client(t.app);
    await fresh.signUp("hist_paging");
    const ids = [];
    for (let i = 1; i <= 21; i++)
      ids.push(await postWork(`Paging Work ${String(i).padStart(2, "0")}`));
    for (const id of ids) {
      t.clock.now += 1_000;
      await fresh.get(`/works/${id}`);
    }
    const first = await fresh.get("/users/hist_paging/readings");
    assert.match(first.body, /21 works in your history/);
    const titles = [...first.body.matchAll(/Paging Work (\d+)/g)].map((m) => m[1]);
    assert.equal(new Set(titles).size, 20);
    assert.equal(titles[0], "21");
    assert.ok(!titles.includes("01"));
    const second = await fresh.get("/users/hist_paging/readings?page=2");
    assert.match(second.body, /Paging Work 01/);
    assert.doesNotMatch(second.body, /Paging Work 02/);
  });

  test("“Update available” once a chapter was posted since the last visit", async () => {
    const id = await postWork("Growing Story", { expected_chapters: "3" });
    await reader.get(`/works/${id}`);
    assert.doesNotMatch(
      (await reader.get("/users/hist_reader/readings")).body,
      /Growing Story[\s\S]*Update available/,
    );
    await addChapter(id, "Chapter two begins.");
    const page = await reader.get("/users/hist_reader/readings");
    const entry =
      new RegExp(`id="work_${id}"[\\s\\S]*?</li>\\s*(?:<li class="work|</ol>)`).exec(
        page.body,
      )?.[0] ?? "";
    assert.match(entry, /Update available/);
    await reader.get(`/works/${id}`);
    const again = await reader.get("/users/hist_reader/readings");
    const entryAgain =
      new RegExp(`id="work_${id}"[\\s\\S]*?</li>\\s*(?:<li class="work|</ol>)`).exec(
        again.body,
      )?.[0] ?? "";
    assert.match(entryAgain, /Growing Story/);
    assert.doesNotMatch(entryAgain, /Update available/);
  });

  test("delete one work from history; clear it all after a confirmation page", async () => {
    const c = new Client(t.app);
    await c.signUp("hist_clearer");
    const a = await postWork("Kept Then Cleared");
    const b = await postWork("Deleted From History");
    await c.get(`/works/${a}`);
    await c.get(`/works/${b}`);
    let res = await c.post(`/users/hist_clearer/readings/${b}/delete`);
    assert.equal(res.statusCode, 303);
    let page = await c.get("/users/hist_clearer/readings");
    assert.match(page.body, /Kept Then Cleared/);
    assert.doesNotMatch(page.body, /Deleted From History/);

    const confirm = await c.get("/users/hist_clearer/readings/clear");
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Clear your history\?/);
    assert.match(
      confirm.body,
      /<form method="post" action="\/users\/hist_clearer\/readings\/clear"/,
    );
    assert.match(confirm.body, /Yes, clear my history/);
    // Showing the confirmation changes nothing.
    assert.match((await c.get("/users/hist_clearer/readings")).body, /Kept Then Cleared/);
    res = await c.post("/users/hist_clearer/readings/clear");
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/users/hist_clearer/readings");
    page = await c.get("/users/hist_clearer/readings");
    assert.match(page.body, /Your history is empty/);
    assert.doesNotMatch(page.body, /Kept Then Cleared/);
    // Reading it again puts it back.
    await c.get(`/works/${a}`);
    assert.match((await c.get("/users/hist_clearer/readings")).body, /Kept Then Cleared/);
  });

  test("Mark for Later / Mark as Read toggle from the work page and fill the to-read list", async () => {
    const id = await postWork("Saved For Sunday");
    assert.doesNotMatch((await guest.get(`/works/${id}`)).body, /Mark for Later|Mark as Read/);
    let page = await reader.get(`/works/${id}`);
    assert.match(page.body, new RegExp(`action="/works/${id}/mark_for_later"`));
    assert.match(page.body, />Mark for Later</);
    let res = await reader.post(`/works/${id}/mark_for_later`, { return_to: `/works/${id}` });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/works/${id}`);
    page = await reader.get(`/works/${id}`);
    assert.match(page.body, new RegExp(`action="/works/${id}/mark_as_read"`));
    assert.match(page.body, /is marked for later/);
    let list = await reader.get("/users/hist_reader/readings?show=to-read");
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<h1 class="heading">Marked for Later/);
    assert.match(list.body, /Saved For Sunday/);
    res = await reader.post(`/works/${id}/mark_as_read`);
    assert.equal(res.statusCode, 303);
    list = await reader.get("/users/hist_reader/readings?show=to-read");
    assert.doesNotMatch(list.body, new RegExp(`id="work_${id}"`));
    // Still in the history.
    assert.match((await reader.get("/users/hist_reader/readings")).body, /Saved For Sunday/);

    // A creator can't mark their own work (issue 11): no button, and the route refuses.
    assert.doesNotMatch((await writer.get(`/works/${id}`)).body, /Mark for Later|Mark as Read/);
    const own = await writer.post(`/works/${id}/mark_for_later`);
    assert.equal(own.statusCode, 403);
    assert.match(
      own.body,
      /Your own works can&#x27;t be marked for later\.|Your own works can't be marked for later\./,
    );
    assert.doesNotMatch(
      (await writer.get("/users/hist_writer/readings?show=to-read")).body,
      /Saved For Sunday/,
    );
    assert.doesNotMatch((await writer.get("/users/hist_writer/readings")).body, /Saved For Sunday/);

    const g = await guest.post(`/works/${id}/mark_for_later`);
    assert.equal(g.statusCode, 401);
    assert.equal((await reader.post("/works/999999/mark_for_later")).statusCode, 404);
    assert.equal((await reader.get("/users/hist_reader/readings?show=nope")).statusCode, 400);
  });

  test("the script saves the paragraph; “Continue reading” shows on the work page, home page and history, on every device", async () => {
    const id = await postWork("Position Story", { expected_chapters: "2" });
    const c1 = await firstChapterId(id);
    const c2 = await addChapter(id, text(["Chapter two, first.", "Chapter two, second."]));
    const chapterPage = await reader.get(`/works/${id}/chapters/${c1}`);
    // Paragraph ids, the script, and the no-script forms are on the page.
    assert.equal(textOfId(chapterPage.body, "chapter-1-p3"), PARAGRAPHS[2]);
    assert.match(
      chapterPage.body,
      /<script src="\/assets\/reading-position\.js\?v=[0-9a-f]+" defer/,
    );
    assert.match(chapterPage.body, /class="save-place small"/);
    assert.match(
      chapterPage.body,
      /With\s+JavaScript on, your exact paragraph is saved as you read/,
    );
    assert.doesNotMatch((await guest.get(`/works/${id}`)).body, /reading-position\.js|save-place/);
    const asset = await guest.get("/assets/reading-position.js");
    assert.equal(asset.statusCode, 200);
    assert.match(asset.body, /IntersectionObserver/);

    t.clock.now += 1_000;
    const res = await savePosition(reader, id, {
      chapter_id: String(c1),
      paragraph: "2",
      anchor: `  ${PARAGRAPHS[2]}  `,
    });
    assert.equal(res.statusCode, 204, res.body);
    const row = await reading("hist_reader", id);
    assert.equal(row?.position_chapter_id, c1);
    assert.equal(row?.position_paragraph, 2);
    assert.equal(row?.position_anchor, "agulllandedontherailingandstaredathim.");

    // (Sessions not "remembered" last two days: stay under that.)
    t.clock.now += 5 * 3_600_000;
    const work = await reader.get(`/works/${id}`);
    assert.match(work.body, /You stopped at Chapter 1, paragraph 3 \(5 hours ago\)/);
    assert.equal(continueHref(work.body), `/works/${id}/chapters/${c1}#chapter-1-p3`);

    const home = await reader.get("/");
    assert.match(home.body, /<h2 id="continue-reading-heading">Continue reading<\/h2>/);
    assert.match(home.body, new RegExp(`href="/works/${id}/chapters/${c1}#chapter-1-p3"`));
    assert.doesNotMatch((await guest.get("/")).body, /continue-reading-heading/);

    const history = await reader.get("/users/hist_reader/readings");
    assert.match(history.body, new RegExp(`href="/works/${id}/chapters/${c1}#chapter-1-p3"`));

    // Another device: the place is stored per account.
    const laptop = new Client(t.app);
    await laptop.logIn("hist_reader");
    assert.equal(
      continueHref((await laptop.get(`/works/${id}`)).body),
      `/works/${id}/chapters/${c1}#chapter-1-p3`,
    );

    // A later save in chapter 2 moves it; the home list shows the newest first.
    t.clock.now += 1_000;
    assert.equal(
      (
        await savePosition(laptop, id, {
          chapter_id: String(c2),
          paragraph: "0",
          anchor: "Chapter two, first.",
        })
      ).statusCode,
      204,
    );
    assert.equal(
      continueHref((await reader.get(`/works/${id}`)).body),
      `/works/${id}/chapters/${c2}#chapter-2-p1`,
    );
  });

  test("a saved place survives an edit that inserts paragraphs before it", async () => {
    const id = await postWork("Edited Story");
    const c1 = await firstChapterId(id);
    await reader.get(`/works/${id}`);
    await savePosition(reader, id, {
      chapter_id: String(c1),
      paragraph: "3",
      anchor: PARAGRAPHS[3]!,
    });
    assert.equal(
      continueHref((await reader.get(`/works/${id}`)).body),
      `/works/${id}/chapters/${c1}#chapter-1-p4`,
    );
    const edited = ["A brand new opening line.", "And a second new one.", ...PARAGRAPHS];
    const res = await writer.post(`/works/${id}/chapters/${c1}`, {
      chapter_title: "",
      text: text(edited),
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const work = await reader.get(`/works/${id}`);
    const href = continueHref(work.body);
    assert.equal(href, `/works/${id}/chapters/${c1}#chapter-1-p6`);
    const page = await reader.get(href.split("#")[0]!);
    assert.equal(textOfId(page.body, "chapter-1-p6"), PARAGRAPHS[3]);
    assert.match(work.body, /You stopped at paragraph 6/);
  });

  test("a deleted chapter falls back to the chapter now at its position; the end of a chapter continues with the next", async () => {
    const id = await postWork("Three Chapter Story", { expected_chapters: "3" });
    const c1 = await firstChapterId(id);
    const c2 = await addChapter(id, text(["Two one.", "Two two.", "Two three."]));
    const c3 = await addChapter(id, text(["Three one.", "Three two.", "Three three."]));
    await reader.get(`/works/${id}`);
    await savePosition(reader, id, { chapter_id: String(c2), paragraph: "1", anchor: "Two two." });
    assert.equal(
      continueHref((await reader.get(`/works/${id}`)).body),
      `/works/${id}/chapters/${c2}#chapter-2-p2`,
    );
    const res = await writer.post(`/works/${id}/chapters/${c2}/delete`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    // Chapter 3 is now chapter 2; the anchor is gone, so the index is kept.
    assert.equal(
      continueHref((await reader.get(`/works/${id}`)).body),
      `/works/${id}/chapters/${c3}#chapter-2-p2`,
    );

    // "Save my place" at the end of chapter 1 continues with the next chapter.
    const saved = await reader.post(`/works/${id}/position`, { chapter_id: String(c1) });
    assert.equal(saved.statusCode, 303);
    const work = await reader.get(`/works/${id}`);
    assert.match(work.body, /You stopped at the end of Chapter 1/);
    assert.match(work.body, />Continue with Chapter 2</);
    assert.equal(continueHref(work.body), `/works/${id}/chapters/${c3}#chapter-2`);
  });

  test("the no-script “Save my place” form saves the chapter as finished", async () => {
    const id = await postWork("Form Story", { expected_chapters: "2" });
    const c1 = await firstChapterId(id);
    await addChapter(id, "More of the story follows here.");
    const page = await reader.get(`/works/${id}/chapters/${c1}`);
    const form = new RegExp(
      `<form method="post" action="/works/${id}/position" class="save-place"[^>]*>[\\s\\S]*?</form>`,
    ).exec(page.body)?.[0];
    assert.ok(form, "a Save my place form at the end of the chapter");
    assert.match(form, new RegExp(`name="chapter_id" value="${c1}"`));
    assert.match(form, /name="_csrf"/);
    assert.doesNotMatch(form, /name="paragraph"/);
    const res = await reader.post(`/works/${id}/position`, {
      chapter_id: String(c1),
      return_to: `/works/${id}/chapters/${c1}`,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/works/${id}/chapters/${c1}`);
    const after = await reader.get(res.headers.location);
    assert.match(after.body, /Your place is saved: you finished Chapter 1\./);
    const row = await reading("hist_reader", id);
    assert.equal(row?.position_paragraph, PARAGRAPHS.length - 1);
    assert.equal(row?.position_anchor, "bynoonthefoghadlifted.");

    // The entire-work page has one form per chapter.
    const full = await reader.get(`/works/${id}?view_full_work=true`);
    assert.equal([...full.body.matchAll(/class="save-place"/g)].length, 2);
  });

  test("saving a place: validation, guests, other works' and hidden chapters", async () => {
    const id = await postWork("Validated Story");
    const c1 = await firstChapterId(id);
    const otherWork = await postWork("Some Other Story");
    const otherChapter = await firstChapterId(otherWork);
    const bad = async (form: Record<string, string>, status: number, field: RegExp) => {
      const res = await savePosition(reader, id, form);
      assert.equal(res.statusCode, status, JSON.stringify(form));
      assert.match(res.body, field);
    };
    await bad({ chapter_id: String(c1), paragraph: "-1" }, 400, /paragraph/);
    await bad({ chapter_id: String(c1), paragraph: "100001" }, 400, /paragraph/);
    await bad({ chapter_id: String(c1), paragraph: "1.5" }, 400, /paragraph/);
    await bad({ chapter_id: String(c1), anchor: "x".repeat(201) }, 400, /anchor/);
    await bad({ chapter_id: "abc" }, 400, /chapter_id/);
    await bad({ chapter_id: String(otherChapter) }, 422, /chapter_id/);
    assert.equal(
      (await savePosition(reader, id, { chapter_id: String(c1), paragraph: "100000" })).statusCode,
      204,
    );

    // A draft chapter is not the reader's to save.
    const draft = await writer.post(`/works/${id}/chapters`, {
      text: "Secret draft.",
      action: "draft",
    });
    const draftId = Number(/\/chapters\/(\d+)/.exec(draft.headers.location ?? "")?.[1]);
    assert.ok(draftId > 0);
    await bad({ chapter_id: String(draftId) }, 422, /chapter_id/);

    const g = await savePosition(guest, id, { chapter_id: String(c1) });
    assert.equal(g.statusCode, 401);
    const noCsrf = await reader.post(
      `/works/${id}/position`,
      { chapter_id: String(c1) },
      { csrf: false },
    );
    assert.equal(noCsrf.statusCode, 403);
    assert.equal((await savePosition(reader, 999999, { chapter_id: String(c1) })).statusCode, 404);

    // sendBeacon's content type carries a charset.
    const beacon = await t.app.inject({
      method: "POST",
      url: `/works/${id}/position`,
      payload: new URLSearchParams({
        _csrf: await reader.token(),
        chapter_id: String(c1),
        paragraph: "0",
        via: "script",
      }).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        cookie: [...reader.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      remoteAddress: reader.ip,
    });
    assert.equal(beacon.statusCode, 204, beacon.body);
  });

  test("nobody else can see or change someone's history (every route)", async () => {
    const id = await postWork("Private Reading");
    await reader.get(`/works/${id}`);
    await reader.post(`/works/${id}/mark_for_later`);
    for (const path of [
      "/users/hist_reader/readings",
      "/users/hist_reader/readings?show=to-read",
      "/users/hist_reader/readings/clear",
    ]) {
      const res = await other.get(path);
      assert.equal(res.statusCode, 403, path);
      assert.doesNotMatch(res.body, /Private Reading/);
      const g = await guest.get(path);
      assert.equal(g.statusCode, 303, path);
      assert.match(g.headers.location ?? "", /^\/login\?return_to=/);
    }
    for (const path of [
      "/users/hist_reader/readings/clear",
      `/users/hist_reader/readings/${id}/delete`,
    ]) {
      assert.equal((await other.post(path)).statusCode, 403, path);
      assert.equal((await guest.post(path)).statusCode, 401, path);
    }
    assert.equal((await other.get("/users/nobody_by_that_name/readings")).statusCode, 404);
    // Untouched.
    const row = await reading("hist_reader", id);
    assert.equal(row?.in_history, 1);
    assert.equal(row?.marked_for_later, 1);
    // The other user's work page shows nothing of the reader's.
    await savePosition(reader, id, {
      chapter_id: String(await firstChapterId(id)),
      paragraph: "1",
    });
    assert.doesNotMatch((await other.get(`/works/${id}`)).body, /You stopped at/);
    assert.doesNotMatch((await other.get("/")).body, /continue-reading-heading/);
  });

  test("works turned into drafts or deleted leave history, lists and the home page", async () => {
    const c = new Client(t.app);
    await c.signUp("hist_vanish");
    const drafted = await postWork("Soon A Draft");
    const deleted = await postWork("Soon Deleted");
    const restricted = await postWork("Members Story", { restricted: "1" });
    for (const id of [drafted, deleted, restricted]) {
      await c.get(`/works/${id}`);
      await c.post(`/works/${id}/mark_for_later`);
      await c.post(`/works/${id}/position`, {
        chapter_id: String(await firstChapterId(id)),
        via: "script",
      });
    }
    await t.deps.db.updateTable("works").set({ posted: 0 }).where("id", "=", drafted).execute();
    const del = await writer.post(`/works/${deleted}/delete`);
    assert.equal(del.statusCode, 303, del.body.slice(0, 300));
    for (const path of [
      "/users/hist_vanish/readings",
      "/users/hist_vanish/readings?show=to-read",
      "/",
    ]) {
      const body = (await c.get(path)).body;
      assert.doesNotMatch(body, /Soon A Draft|Soon Deleted/, path);
      // Restricted works are for logged-in readers, which this one is.
      assert.match(body, /Members Story/, path);
    }
    assert.match((await c.get("/users/hist_vanish/readings")).body, /1 work in your history/);
    assert.equal((await c.post(`/works/${drafted}/position`, { chapter_id: "1" })).statusCode, 404);
    assert.equal((await c.post(`/works/${drafted}/mark_for_later`)).statusCode, 404);
  });

  test("“Turn on History” off: reading records nothing (no row, no visit, no last read); on again, it records", async () => {
    const me = new Client(t.app);
    await me.signUp("hist_switch");
    const userRow = () =>
      t.deps.db
        .selectFrom("users")
        .select(["history_enabled", "view_adult"])
        .where("login", "=", "hist_switch")
        .executeTakeFirstOrThrow();
    const seen = await postWork("Read Before The Switch", { expected_chapters: "2" });
    const unseen = await postWork("Read While Off");
    // On by default: a view is recorded.
    assert.equal((await userRow()).history_enabled, 1);
    assert.match(
      (await me.get("/users/hist_switch/preferences")).body,
      /name="history_enabled" value="1" checked/,
    );
    await me.get(`/works/${seen}`);
    const before = await reading("hist_switch", seen);
    assert.equal(before?.visits, 1);

    // Off from the preferences form (an unticked box sends nothing), keeping the other preference.
    const saved = await me.post("/users/hist_switch/preferences", { view_adult: "1" });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(await userRow(), { history_enabled: 0, view_adult: 1 });
    assert.doesNotMatch(
      (await me.get("/users/hist_switch/preferences")).body,
      /name="history_enabled" value="1" checked/,
    );

    t.clock.now += 60_000;
    const page = await me.get(`/works/${seen}`);
    assert.equal(page.statusCode, 200);
    await me.get(`/works/${seen}/chapters/${await firstChapterId(seen)}`);
    await me.get(`/works/${unseen}`);
    assert.deepEqual(await reading("hist_switch", seen), before, "no visit, no last read");
    assert.equal(await reading("hist_switch", unseen), undefined, "no new row");
    // The paragraph-following script is not loaded; the explicit actions still are there.
    assert.doesNotMatch(page.body, /reading-position\.js/);
    assert.match(page.body, new RegExp(`action="/works/${seen}/mark_for_later"`));
    assert.match(page.body, /Save my place/);

    // The history page says so, offers to turn it on, and keeps what was there.
    const history = await me.get("/users/hist_switch/readings");
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /Your history is off/);
    assert.match(history.body, /action="\/users\/hist_switch\/preferences\/history"/);
    assert.match(history.body, />Turn on History</);
    assert.match(history.body, /Read Before The Switch/);
    assert.doesNotMatch(history.body, /Read While Off/);
    assert.match(history.body, /1 work in your history/);

    // Explicit actions work while it is off: Mark for Later, and "Save my place" (not the script).
    assert.equal((await me.post(`/works/${unseen}/mark_for_later`)).statusCode, 303);
    const marked = await reading("hist_switch", unseen);
    assert.equal(marked?.marked_for_later, 1);
    assert.equal(marked?.in_history, 0);
    assert.equal(marked?.visits, 0);
    assert.match((await me.get("/users/hist_switch/readings?show=to-read")).body, /Read While Off/);
    const chapter = await firstChapterId(unseen);
    const scripted = await savePosition(me, unseen, {
      chapter_id: String(chapter),
      paragraph: "2",
    });
    assert.equal(scripted.statusCode, 204);
    assert.equal(
      (await reading("hist_switch", unseen))?.position_at,
      null,
      "the script's save is dropped",
    );
    const asked = await me.post(`/works/${unseen}/position`, { chapter_id: String(chapter) });
    assert.equal(asked.statusCode, 303);
    assert.equal((await reading("hist_switch", unseen))?.position_chapter_id, chapter);

    // Nobody else can switch it.
    assert.equal(
      (await other.post("/users/hist_switch/preferences/history", { history_enabled: "1" }))
        .statusCode,
      403,
    );
    assert.equal(
      (await me.post("/users/hist_switch/preferences/history", { history_enabled: "yes" }))
        .statusCode,
      400,
    );

    // On again from the history page: reading records again, and the other preference stays.
    const on = await me.post("/users/hist_switch/preferences/history", {
      history_enabled: "1",
      return_to: "/users/hist_switch/readings",
    });
    assert.equal(on.statusCode, 303);
    assert.equal(on.headers.location, "/users/hist_switch/readings");
    assert.deepEqual(await userRow(), { history_enabled: 1, view_adult: 1 });
    t.clock.now += 60_000;
    await me.get(`/works/${unseen}`);
    await me.get(`/works/${seen}`);
    const now = await reading("hist_switch", unseen);
    assert.equal(now?.in_history, 1);
    assert.equal(now?.visits, 1);
    assert.equal(now?.marked_for_later, 1);
    const again = await reading("hist_switch", seen);
    assert.equal(again?.visits, 2);
    assert.equal(again?.last_read_at, t.clock.now);
    const after = await me.get("/users/hist_switch/readings");
    assert.doesNotMatch(after.body, /Your history is off/);
    assert.match(after.body, /2 works in your history/);
    assert.match((await me.get(`/works/${seen}`)).body, /reading-position\.js/);
  });
});
