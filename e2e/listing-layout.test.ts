// Where a listing's parts sit, in Chromium: the one filter form beside the results on a wide
// screen and behind a closed "Sort and Filter" disclosure above them on a phone; one row per
// tag with its include and exclude boxes; the search page's query box first; a page past the
// deepest one. Screenshots of each at 1280 and 390 px (artifacts/screenshots), checked by axe
// at both widths.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "../test/support/app.ts";
import { buildUser, buildWork } from "../test/support/factories.ts";
import {
  axe,
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  screenshotWidths,
  skipWithoutChromium,
  startServer,
  VIEWPORTS,
  type Server,
} from "./support/browser.ts";

const T0 = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;

describe("listing layout: sort and filter beside the results, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const db = server.testApp.handle.db;
    const writers = await Promise.all(
      ["harbour_writer", "fog_writer", "gull_writer"].map((login) => buildUser(db, { login })),
    );
    const freeforms = ["Fluff", "Angst", "Slow Burn", "Hurt/Comfort", "Alternate Universe"];
    const ids: number[] = [];
    for (let i = 0; i < 26; i++) {
      const { workId } = await buildWork(db, {
        pseudId: writers[i % 3]!.pseudId,
        now: T0 + i * HOUR,
        title: `Harbour Light ${i + 1}`,
        rating: ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"][i % 4],
        warnings: [i % 5 === 0 ? "Major Character Death" : "No Archive Warnings Apply"],
        categories: [["Gen"], ["F/M"], ["M/M", "F/F"]][i % 3],
        fandoms: i % 4 === 0 ? "Lighthouse Keepers (TV), Sea Shanties" : "Lighthouse Keepers (TV)",
        relationships: i % 2 ? "The Keeper/The Fog" : "The Keeper & A Gull",
        characters: "The Keeper, The Fog, A Gull",
        freeforms: [freeforms[i % 5], freeforms[(i + 2) % 5], "M"].join(", "),
        summary: `Night ${i + 1} at the <i>lighthouse</i>, and the fog that came in at dusk.`,
        text: "The fog came in at dusk. ".repeat(40 + i * 7),
      });
      ids.push(workId);
    }
    // Kudos and a comment, so blurbs carry the Kudos and Comments stats.
    for (const id of ids.slice(-6)) {
      const reader = new Client(server.testApp.app);
      await reader.post(`/works/${id}/kudos`, { return_to: `/works/${id}`, website: "" });
    }
    const commenter = new Client(server.testApp.app);
    await commenter.signUp("dusk_reader");
    await commenter.post(`/works/${ids.at(-1)}/comments`, { comment_content: "Lovely fog." });
    browser = await launchBrowser();
    // bypassCSP: axe is injected as an inline script.
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = fenced.context;
    blocked.push(fenced.blocked);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  async function open(path: string, size = VIEWPORTS.wide): Promise<Page> {
    const page = await guest.newPage();
    await page.setViewportSize(size);
    const res = await page.goto(path);
    assert.equal(res?.status(), 200, `${path} answered ${res?.status()}`);
    return page;
  }

  /** axe (WCAG 2.2 AA included) at both widths; the page is left at the phone width. */
  async function checkBothWidths(page: Page) {
    for (const size of [VIEWPORTS.wide, VIEWPORTS.phone]) {
      await page.setViewportSize(size);
      const { violations, summary } = await axe(page);
      assert.equal(violations.length, 0, `${size.width} px: ${summary}`);
    }
  }

  test("1280 px: the form stands beside the results, the first work in the first screen", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open("/tags/Lighthouse%20Keepers%20(TV)/works");
    try {
      const form = page.getByRole("form", { name: "Sort and Filter" });
      assert.ok(await form.isVisible(), "the form is shown without opening anything");
      assert.equal(await page.locator(".filters-panel > summary").isVisible(), false);
      const blurb = page.locator("li.work.blurb").first();
      const [f, b] = [await form.boundingBox(), await blurb.boundingBox()];
      assert.ok(f && b);
      const beside = f.x >= b.x + b.width || f.x + f.width <= b.x;
      assert.ok(beside, `form ${JSON.stringify(f)} beside blurb ${JSON.stringify(b)}`);
      assert.ok(f.y < b.y + b.height && b.y < f.y + f.height, "they share the same rows");
      assert.ok(b.y + b.height <= VIEWPORTS.wide.height, `first blurb ends at ${b.y + b.height}`);
      // Sort by comes first in the form, before any facet.
      const sort = await form.getByLabel("Sort by").boundingBox();
      const ratings = await form.locator("summary", { hasText: "Ratings" }).boundingBox();
      assert.ok(sort && ratings && sort.y < ratings.y);
      await screenshotWidths(page, "listing-tag");
      await checkBothWidths(page);
    } finally {
      await page.close();
    }
  });

  test("390 px: a closed Sort and Filter disclosure above the results opens to the form", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open("/tags/Lighthouse%20Keepers%20(TV)/works", VIEWPORTS.phone);
    try {
      const summary = page.locator(".filters-panel > summary");
      assert.equal((await summary.innerText()).trim(), "Sort and Filter");
      assert.equal(await page.locator(".filters-panel").getAttribute("open"), null);
      // checkVisibility() sees the content-visibility a closed <details> puts on its content.
      const shown = () => page.locator("form#work-filters").evaluate((el) => el.checkVisibility());
      assert.equal(await shown(), false, "closed on a phone");
      const form = page.getByRole("form", { name: "Sort and Filter" });
      assert.equal(await form.count(), 0, "and out of the accessibility tree until opened");
      const s = await summary.boundingBox();
      const b = await page.locator("li.work.blurb").first().boundingBox();
      assert.ok(s && b && s.y + s.height <= b.y, "the disclosure sits above the first work");
      assert.ok(s.y < VIEWPORTS.phone.height, "and within the first screen");
      await summary.click();
      assert.ok(await shown(), "open, it shows the form");
      assert.ok(await form.isVisible());
      const sortBy = form.getByLabel("Sort by");
      assert.ok(await sortBy.isVisible());
      await sortBy.selectOption("title");
      await form.getByRole("button", { name: "Sort and Filter" }).first().click();
      await page.waitForURL(/sort=title/);
      const first = await page.locator("li.work h3.heading > a").first().innerText();
      assert.equal(first, "Harbour Light 1");
    } finally {
      await page.close();
    }
  });

  test("each tag has one row, with an include and an exclude box", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open("/works");
    try {
      const form = page.getByRole("form", { name: "Sort and Filter" });
      const rows = form.locator("li.facet-row");
      // Categories start closed: read the names from the markup, not the rendering.
      const names = (await rows.locator(".tag-name").allTextContents()).map((n) =>
        n.replace(/^Include /, "").replace(/ \([\d,]+\)$/, ""),
      );
      assert.ok(names.includes("Fluff") && names.includes("The Keeper/The Fog"), names.join("|"));
      assert.equal(new Set(names).size, names.length, `a tag listed twice: ${names.join("|")}`);
      const fluff = rows.filter({ hasText: /^Include Fluff \(/ });
      assert.equal(await fluff.count(), 1);
      await fluff.locator("xpath=ancestor::details[1]").locator("summary").click();
      const include = form.getByRole("checkbox", { name: /^Include Fluff \(\d+\)$/ });
      const exclude = form.getByRole("checkbox", { name: "Exclude Fluff", exact: true });
      assert.ok((await include.isVisible()) && (await exclude.isVisible()));
      // Clicking the name ticks include; the form still sends the same parameters.
      await fluff.locator(".tag-name").click();
      assert.ok(await include.isChecked());
      const angst = rows.filter({ hasText: /^Include Angst \(/ });
      await angst.getByRole("checkbox", { name: "Exclude Angst" }).check();
      await form.getByRole("button", { name: "Sort and Filter" }).first().click();
      await page.waitForURL(/include=\d+&exclude=\d+/);
      const heading = await page.locator("#results-heading").innerText();
      assert.match(heading, /^\d+ Works in Fluff, excluding Angst$/);
      // Chosen tags open their category and keep their boxes ticked.
      assert.ok(await include.isChecked());
      assert.ok(await form.getByRole("checkbox", { name: "Exclude Angst" }).isChecked());
      await screenshotWidths(page, "listing-filtered");
      await checkBothWidths(page);
    } finally {
      await page.close();
    }
  });

  test("/works/search: the query box first, the query repeated over the results", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open("/works/search", VIEWPORTS.phone);
    try {
      const box = page.getByRole("searchbox", { name: "Search for" });
      const b = await box.boundingBox();
      assert.ok(b && b.y < 300, `the query box is at the top (y ${b?.y})`);
      await box.fill("dusk");
      await box.press("Enter");
      await page.waitForURL(/q=dusk/);
      assert.equal(await page.locator(".searched-for").innerText(), "You searched for: dusk");
      const s = await page.locator(".searched-for").boundingBox();
      const first = await page.locator("li.work.blurb").first().boundingBox();
      const again = await page.getByRole("searchbox", { name: "Search for" }).boundingBox();
      assert.ok(s && first && again && again.y < s.y && s.y < first.y);
      assert.equal(await page.getByRole("searchbox").count(), 1, "one query box");
      await screenshotWidths(page, "listing-search");
      await checkBothWidths(page);
    } finally {
      await page.close();
    }
  });

  test("a page past the deepest one says so, with the filter form", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open("/works?page=5001&sort=title");
    try {
      assert.match(await page.locator(".deep-page").innerText(), /Page 5,001 is past the end/);
      assert.ok(await page.getByRole("form", { name: "Sort and Filter" }).isVisible());
      await page.getByRole("link", { name: /Go to the last page/ }).click();
      await page.waitForURL(/page=2/);
      assert.equal(await page.locator("li.work.blurb").count(), 6);
      await page.goto("/works?page=5001&sort=title");
      await screenshotWidths(page, "listing-deep-page");
      await checkBothWidths(page);
    } finally {
      await page.close();
    }
  });
});
