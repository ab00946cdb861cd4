// Co-creators in a browser (issue 15): the Co-Creator Requests page (a work, a chapter and a
// series waiting), accepting one with its button (no JavaScript needed), a work with two
// creators and a chapter with a byline of its own, "Remove me" asked first, a series' creators
// page and the preferences' two switches. Each page passes axe, fits a 390 px screen and is
// photographed at 1280 and 390 px (lookAtPage).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
import { buildSeries } from "../test/support/factories-series.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  lookAtPage,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const ANN = "lamp_keeper_ann";
const BEA = "harbour_pilot_bea";

describe("co-creators in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let ann: BrowserContext;
  let bea: BrowserContext;
  const blocked: string[][] = [];
  let relay = 0;
  let secondChapter = 0;
  let seriesId = 0;

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const app = server.testApp.app;
    const annClient = new Client(app);
    await annClient.signUp(ANN);
    const beaClient = new Client(app);
    await beaClient.signUp(BEA);
    await beaClient.post("/users/" + BEA + "/pseuds", { name: "Pilot of the Outer Harbour" });
    const post = async (overrides: Record<string, string>) => {
      const res = await annClient.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    // A relay: Ann writes the first leg, Bea is invited to the second chapter.
    relay = await post({
      title: "The Relay of the Two Lighthouses",
      chapter_title: "First Leg",
      text: "Ann carried the lamp to the end of the breakwater.",
    });
    const chapter = await annClient.post(`/works/${relay}/chapters`, {
      chapter_title: "Second Leg",
      text: "Bea took it across the harbour by boat.",
      co_creators: `Pilot of the Outer Harbour (${BEA})`,
      action: "post",
    });
    assert.equal(chapter.statusCode, 303, chapter.body.slice(0, 300));
    secondChapter = Number(/chapters\/(\d+)/.exec(chapter.headers.location ?? "")?.[1]);
    // A whole work and a series wait for her answer too.
    await post({ title: "Second Watch", co_creators: BEA });
    const db = server.testApp.deps.db;
    const pseud = await db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select("pseuds.id")
      .where("users.login", "=", ANN)
      .executeTakeFirstOrThrow();
    seriesId = await buildSeries(db, {
      pseudId: pseud.id,
      workIds: [relay],
      title: "Harbour Lights",
    });
    const invited = await annClient.post(`/series/${seriesId}/creators`, { co_creators: BEA });
    assert.equal(invited.statusCode, 303, invited.body.slice(0, 300));
    await server.testApp.drainJobs();

    browser = await launchBrowser();
    // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
    const contexts = await Promise.all(
      [0, 1, 2].map(() => fencedContext(browser, server.url, { bypassCSP: true })),
    );
    [guest, ann, bea] = contexts.map((c) => c.context) as [
      BrowserContext,
      BrowserContext,
      BrowserContext,
    ];
    blocked.push(...contexts.map((c) => c.blocked));
    await logIn(ann, ANN);
    await logIn(bea, BEA);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("the requests page, and accepting a chapter with its button", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await bea.newPage();
    try {
      await page.goto(`/users/${BEA}/creatorships`);
      const requests = page.locator("ul.requests > li");
      assert.equal(await requests.count(), 3);
      await lookAtPage(page, "co-creators-requests");
      await page
        .getByRole("button", {
          name: "Accept co-creator request: Chapter 2: Second Leg of “The Relay of the Two Lighthouses”",
        })
        .click();
      await page.waitForURL(`**/users/${BEA}/creatorships`);
      assert.match(
        await page.locator(".flash").innerText(),
        /You are now a co-creator of “Chapter 2: Second Leg/,
      );
      assert.equal(await requests.count(), 2);
    } finally {
      await page.close();
    }
  });

  test("a work by two creators, with a chapter whose byline is its own", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto(`/works/${relay}?view_full_work=true`);
      const work = page.locator("#workskin > .preface h3.byline");
      assert.equal((await work.innerText()).trim(), `${ANN}, Pilot of the Outer Harbour (${BEA})`);
      // The first leg is Ann's alone: its preface says so; the second is by both, as the work.
      const chapterBylines = page.locator(".chapter.preface h3.byline");
      assert.equal(await chapterBylines.count(), 1);
      assert.equal((await chapterBylines.innerText()).trim(), ANN);
      await lookAtPage(page, "co-creators-work");
    } finally {
      await page.close();
    }
  });

  test("remove me from a chapter: the link, then the page that asks first", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await bea.newPage();
    try {
      await page.goto(`/works/${relay}/chapters/${secondChapter}`);
      await page.getByRole("link", { name: "Remove Me As Co-Creator" }).waitFor();
      await lookAtPage(page, "co-creators-work-as-co-creator");
      await page.getByRole("link", { name: "Remove Me From Chapter" }).click();
      await page.getByRole("button", { name: "Yes, remove me" }).waitFor();
      await lookAtPage(page, "co-creators-remove-me");
      await page.getByRole("link", { name: "No, cancel" }).click();
      await page.waitForURL(`**/works/${relay}/chapters/${secondChapter}`);
    } finally {
      await page.close();
    }
  });

  test("a series' creators page, and the preferences' switches", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await ann.newPage();
    try {
      await page.goto(`/series/${seriesId}/creators`);
      assert.equal((await page.locator("dd.pending").innerText()).trim(), BEA);
      await lookAtPage(page, "co-creators-series");
      await page.goto(`/users/${ANN}/preferences`);
      const allow = page.getByLabel("Allow others to invite me to be a co-creator");
      assert.equal(await allow.isChecked(), true);
      assert.equal(await page.getByLabel("Allow others to give me gift works").isChecked(), true);
      await lookAtPage(page, "co-creators-preferences");
    } finally {
      await page.close();
    }
  });
});
