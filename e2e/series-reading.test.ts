// Series for readers in Chromium (issue 15): a reader subscribes to a series and bookmarks it
// from its page, finds the bookmark among their bookmarks as a series blurb, hears of the
// series' next work in their inbox, and filters a listing to complete series. Every page passes
// axe-core (WCAG 2.2 AA), fits a 390 px phone screen, and is photographed at 1280 and 390 px
// (artifacts/screenshots/series-reading-*.png).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD, workForm, workIdFrom } from "../test/support/app.ts";
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

const WRITER = "sr_writer";
const READER = "sr_reader";

describe("series for readers (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let reader: BrowserContext;
  let writerClient: Client;
  let seriesId = 0;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    writerClient = new Client(server.testApp.app);
    await writerClient.signUp(WRITER, TEST_PASSWORD);
    const first = await writerClient.post(
      "/works",
      workForm({
        title: "The Lamp Room",
        series_title: "Keepers of the Northern Light",
        complete: "1",
        summary: "The first night at the <i>lighthouse</i>.",
      }),
    );
    assert.equal(first.statusCode, 303, first.body.slice(0, 300));
    const page = await writerClient.get(`/works/${workIdFrom(first.headers.location)}`);
    seriesId = Number(/href="\/series\/(\d+)"/.exec(page.body)?.[1]);
    assert.ok(seriesId > 0, "the work names its series");
    const second = await writerClient.post(
      "/works",
      workForm({ title: "Fog Signals", series_id: String(seriesId), complete: "1" }),
    );
    assert.equal(second.statusCode, 303, second.body.slice(0, 300));
    await new Client(server.testApp.app).signUp(READER, TEST_PASSWORD);
    browser = await launchBrowser();
    const r = await fencedContext(browser, server.url, { bypassCSP: true });
    reader = r.context;
    blocked.push(r.blocked);
    await logIn(reader, READER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("subscribe to a series and bookmark it from its page", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    try {
      await page.goto(`/series/${seriesId}`);
      await page.getByRole("button", { name: "Subscribe", exact: true }).click();
      await page.getByText(/You are now subscribed to Keepers of the Northern Light/).waitFor();
      assert.equal(new URL(page.url()).pathname, `/series/${seriesId}`);
      await page.getByRole("button", { name: "Unsubscribe", exact: true }).waitFor();

      await page.getByRole("link", { name: "Bookmark Series" }).click();
      await page.getByLabel("Notes").fill("The whole <i>saga</i>, every winter.");
      await page.getByLabel("Your tags").fill("Sagas, Lighthouses");
      await page.getByLabel("Rec").check();
      await lookAtPage(page, "series-reading-bookmark-form");
      await page.getByRole("button", { name: "Create" }).click();
      await page.getByText("Bookmark was successfully created.").waitFor();
      assert.match(new URL(page.url()).pathname, /^\/bookmarks\/\d+$/);
      await lookAtPage(page, "series-reading-bookmark");

      await page.goto(`/series/${seriesId}`);
      await page.getByRole("link", { name: "Edit Bookmark" }).waitFor();
      assert.equal(await page.locator("dd.bookmarks").innerText(), "1");
      await lookAtPage(page, "series-reading-series-page");
    } finally {
      await page.close();
    }
  });

  test("the reader's bookmarks, the series' bookmarks and the subscriptions list", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    try {
      await page.goto(`/users/${READER}/bookmarks`);
      const blurb = page.locator(`li.series.blurb#series_${seriesId}`);
      assert.match(await blurb.locator("h3").innerText(), /Keepers of the Northern Light by/);
      assert.equal(await blurb.locator("dd.works").innerText(), "2");
      assert.equal(await blurb.locator("dd.complete").innerText(), "Yes");
      await lookAtPage(page, "series-reading-user-bookmarks");

      await page.goto(`/series/${seriesId}/bookmarks`);
      await page.getByRole("heading", { name: "1 Bookmark" }).waitFor();
      await lookAtPage(page, "series-reading-series-bookmarks");

      await page.goto(`/users/${READER}/subscriptions`);
      await page.getByRole("link", { name: "Keepers of the Northern Light" }).waitFor();
      await lookAtPage(page, "series-reading-subscriptions");
    } finally {
      await page.close();
    }
  });

  test("the series' next work reaches the inbox; a listing filters to complete series", async (t) => {
    if (skipWithoutChromium(t)) return;
    const third = await writerClient.post(
      "/works",
      workForm({ title: "The Last Watch", series_id: String(seriesId), expected_chapters: "2" }),
    );
    assert.equal(third.statusCode, 303, third.body.slice(0, 300));
    await server.testApp.drainJobs();
    const page = await reader.newPage();
    try {
      await page.goto(`/users/${READER}/inbox`);
      await page
        .getByRole("link", {
          name: "New work in series Keepers of the Northern Light: The Last Watch",
        })
        .waitFor();

      await page.goto("/works?in_series=true");
      assert.equal(await page.locator("li.work.blurb").count(), 3);
      assert.ok(await page.getByLabel("Works in a series only").isChecked());
      await page.getByText("in a series only").first().waitFor();
      await lookAtPage(page, "series-reading-filtered");
      // The series has an unfinished part now: none of it is in a complete series.
      await page.goto("/works?complete_series=true");
      assert.equal(await page.locator("li.work.blurb").count(), 0);
      assert.ok(await page.getByLabel("Complete series only").isChecked());
    } finally {
      await page.close();
    }
  });
});
