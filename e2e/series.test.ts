// Series in a browser (issue 15): the series page, a work page in two series (previous/next),
// a writer's series list, and the forms that make and order a series. Each page passes axe,
// fits a 390 px screen and is photographed at 1280 and 390 px (lookAtPage).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
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

const WRITER = "series_e2e_writer";

describe("series pages in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let writer: BrowserContext;
  const blocked: string[][] = [];
  const works: number[] = [];
  let seriesId = 0;

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const client = new Client(server.testApp.app);
    await client.signUp(WRITER);
    const post = async (overrides: Record<string, string>) => {
      const res = await client.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    works.push(
      await post({
        title: "The First Lamp of a Very Long Winter on the Headland",
        series_title: "Lamps of the Headland, Collected Over Many Long and Foggy Winters",
        complete: "1",
      }),
    );
    seriesId = Number(
      /href="\/series\/(\d+)"/.exec((await client.get(`/works/${works[0]}`)).body)?.[1],
    );
    works.push(await post({ title: "Second Lamp", series_id: String(seriesId), complete: "1" }));
    works.push(await post({ title: "Third Lamp", series_id: String(seriesId) }));
    // The middle work is in a second series as well.
    const edit = await client.post(
      `/works/${works[1]}`,
      workForm({ title: "Second Lamp", series_title: "Gull Stories", complete: "1" }),
    );
    assert.equal(edit.statusCode, 303, edit.body.slice(0, 300));
    const described = await client.post(`/series/${seriesId}`, {
      title: "Lamps of the Headland, Collected Over Many Long and Foggy Winters",
      summary: "Every winter the keeper lights a lamp, and <em>someone</em> comes to see it.",
      notes: "Read in any order; the parts are in the order they were written.",
    });
    assert.equal(described.statusCode, 303, described.body.slice(0, 300));
    browser = await launchBrowser();
    // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = g.context;
    writer = w.context;
    blocked.push(g.blocked, w.blocked);
    await logIn(writer, WRITER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("the series page: meta, stats and its works in order", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto(`/series/${seriesId}`);
      assert.equal(await page.locator("dl.series.meta dd.works").innerText(), "3");
      const titles = await page.locator("li.work.blurb h3.heading > a:first-child").allInnerTexts();
      assert.deepEqual(titles, [
        "The First Lamp of a Very Long Winter on the Headland",
        "Second Lamp",
        "Third Lamp",
      ]);
      await lookAtPage(page, "series-page");
    } finally {
      await page.close();
    }
  });

  test("a work page in two series: part, previous and next", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto(`/works/${works[1]}`);
      const spans = page.locator("dd.series span.series");
      assert.equal(await spans.count(), 2);
      assert.match(await spans.first().innerText(), /← Previous Work\s+Part 2 of Lamps/);
      await page.getByRole("link", { name: "Next Work →" }).click();
      await page.waitForURL(`**/works/${works[2]}`);
      await page.goto(`/works/${works[1]}`);
      await lookAtPage(page, "series-work-page");
    } finally {
      await page.close();
    }
  });

  test("a writer's series list", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto(`/users/${WRITER}/series`);
      assert.equal(await page.locator("li.series.blurb").count(), 2);
      await lookAtPage(page, "series-user-list");
    } finally {
      await page.close();
    }
  });

  test("the work form's series fields, and reordering on the series' edit page", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    try {
      await page.goto(`/works/${works[1]}/edit`);
      assert.equal(await page.locator("ul.series-current li").count(), 2);
      await page.locator("#field-series").scrollIntoViewIfNeeded();
      await lookAtPage(page, "series-work-form");

      await page.goto(`/series/${seriesId}/edit`);
      await lookAtPage(page, "series-edit");
      await page.getByLabel("Third Lamp").fill("1");
      await page.getByRole("button", { name: "Update" }).click();
      await page.waitForURL(`**/series/${seriesId}`);
      const titles = await page.locator("li.work.blurb h3.heading > a:first-child").allInnerTexts();
      assert.equal(titles[0], "Third Lamp");
    } finally {
      await page.close();
    }
  });
});
