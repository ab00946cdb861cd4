// Tag pages in AO3's markup, in a real browser: a canonical tag and a synonym, as a guest and
// as a wrangler (who also gets the Edit link), checked with axe and photographed at 1280 and
// 390 px (artifacts/screenshots/tag-*.png).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { findUserByLogin, setRoles } from "../src/accounts/queries.ts";
import { Client, workForm } from "../test/support/app.ts";
import {
  axe,
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  screenshotWidths,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const REL = "Derek Shepherd/Meredith Grey";
const url = (name: string) => `/tags/${encodeURIComponent(name.replaceAll("/", "*s*"))}`;

describe("tag pages, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let wrangler: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const app = server.testApp.app;
    const writer = new Client(app);
    await writer.signUp("tagpage_writer");
    const wrangling = new Client(app);
    await wrangling.signUp("tagpage_wrangler");
    const db = server.testApp.deps.db;
    await setRoles(db, (await findUserByLogin(db, "tagpage_wrangler"))!.id, ["wrangler"]);
    for (const overrides of [
      {
        title: "Surgeons",
        fandoms: "Grey's Anatomy",
        relationships: REL,
        characters: "Derek Shepherd, Meredith Grey, Richard Webber",
        freeforms: "Hospital AU, Angst",
      },
      { title: "Typos", fandoms: "Grey's Anatomy", characters: "Derek Shepard, Dr. McDreamy" },
    ]) {
      assert.equal((await writer.post("/works", workForm(overrides))).statusCode, 303);
    }
    const wrangle = async (name: string, action: string, body: Record<string, string>) =>
      assert.equal((await wrangling.post(`${url(name)}/${action}`, body)).statusCode, 303);
    for (const name of ["Grey's Anatomy", "Derek Shepherd", "Meredith Grey", REL, "Angst"])
      await wrangle(name, "canonical", { canonical: "1" });
    await wrangle("Grey's Anatomy", "parents", { parent: "TV Shows" });
    await wrangle("Derek Shepherd", "parents", { parent: "Grey's Anatomy" });
    await wrangle(REL, "parents", { parent: "Derek Shepherd" });
    await wrangle(REL, "parents", { parent: "Grey's Anatomy" });
    await wrangle("Derek Shepard", "synonym", { canonical: "Derek Shepherd" });
    await wrangle("Dr. McDreamy", "synonym", { canonical: "Derek Shepherd" });

    browser = await launchBrowser();
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = g.context;
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    wrangler = w.context;
    blocked.push(g.blocked, w.blocked);
    await logIn(wrangler, "tagpage_wrangler");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  const look = async (context: BrowserContext, name: string, shot: string) => {
    const page = await context.newPage();
    const res = await page.goto(url(name));
    assert.equal(res?.status(), 200, name);
    const { violations, summary } = await axe(page);
    assert.deepEqual(violations, [], summary);
    await screenshotWidths(page, shot);
    return page;
  };

  test("a canonical tag: category, canonical wording, parents, synonyms and child tags", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await look(guest, "Derek Shepherd", "tag-canonical-guest");
    const profile = page.locator("div.tag.home.profile");
    assert.equal(await profile.locator("h2.heading").first().innerText(), "Derek Shepherd");
    assert.match(
      await profile.locator("> p").first().innerText(),
      /^This tag belongs to the Character Category\. It's a canonical tag\. It's a common tag\./,
    );
    assert.deepEqual(await page.locator("div.parent ul.tags li").allInnerTexts(), [
      "Grey's Anatomy",
    ]);
    assert.deepEqual(await page.locator("div.synonym ul.tags li").allInnerTexts(), [
      "Derek Shepard",
      "Dr. McDreamy",
    ]);
    assert.deepEqual(await page.locator("div.child > div.relationships li").allInnerTexts(), [REL]);
    assert.equal(await page.getByRole("link", { name: "Edit", exact: true }).count(), 0);
    await page.getByRole("link", { name: /^Works \(1 tagged/ }).click();
    await page.waitForURL(/\/tags\/Derek%20Shepherd\/works$/);
    await page.close();
  });

  test("a synonym's page says what it was made a synonym of and links there", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await look(guest, "Derek Shepard", "tag-synonym-guest");
    assert.equal(
      await page.locator("div.merger.module p").innerText(),
      "Derek Shepard has been made a synonym of Derek Shepherd. Works and bookmarks tagged with Derek Shepard will show up in Derek Shepherd's filter.",
    );
    await page.locator("div.merger a.tag").click();
    await page.waitForURL(/\/tags\/Derek%20Shepherd$/);
    await page.close();
  });

  test("a wrangler sees the same pages with Edit in AO3's place, and it leads to wrangling", async (t) => {
    if (skipWithoutChromium(t)) return;
    const canonical = await look(wrangler, "Derek Shepherd", "tag-canonical-wrangler");
    await canonical.locator("ul.navigation.actions").getByRole("link", { name: "Edit" }).click();
    await canonical.waitForURL(/\/tags\/Derek%20Shepherd\/edit$/);
    assert.match(await canonical.locator("h1").innerText(), /Wrangle Derek Shepherd/);
    await canonical.close();
    const synonym = await look(wrangler, "Derek Shepard", "tag-synonym-wrangler");
    assert.equal(
      await synonym.locator("ul.navigation.actions").getByRole("link", { name: "Edit" }).count(),
      1,
    );
    await synonym.close();
    const fandom = await look(guest, "Grey's Anatomy", "tag-fandom-guest");
    assert.deepEqual(await fandom.locator("div.parent.fandom li").allInnerTexts(), ["TV Shows"]);
    await fandom.close();
  });
});
