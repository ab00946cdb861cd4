// Feeds in Chromium (issue 14): the "Feeds" section of the preferences page with the reader's
// personal catalog address, the reset confirmation, and a tag's works with its feed link.
// axe-core (WCAG 2.2 AA) with zero violations, nothing wider than a 390 px phone screen, and
// screenshots at 1280 and 390 px (artifacts/screenshots/feeds-*.png).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD, workForm } from "../test/support/app.ts";
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

// Short: a blurb's byline does not break inside a name (a long one overflows a phone screen
// on every listing, not only here).
const READER = "feeds_reader";

describe("feed pages (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let reader: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const client = new Client(server.testApp.app);
    await client.signUp(READER, TEST_PASSWORD);
    const res = await client.post(
      "/works",
      workForm({ title: "Lamps at Dusk", freeforms: "Lighthouse Feeds" }),
    );
    assert.equal(res.statusCode, 303);
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

  test("the preferences page shows the personal catalog address, and a reset asks first", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    await page.goto(`/users/${READER}/preferences`);
    const field = page.getByLabel("Your personal catalog address");
    const address = await field.inputValue();
    assert.match(address, /\/opds\/u\/[A-Za-z0-9_-]{43}$/);
    await lookAtPage(page, "feeds-preferences");
    await page.getByRole("link", { name: "Reset your catalog address" }).click();
    await page.getByRole("heading", { name: "Reset your catalog address?" }).waitFor();
    await lookAtPage(page, "feeds-reset");
    await page.getByRole("button", { name: "Reset the address" }).click();
    await page.getByText("Your catalog address was reset").waitFor();
    assert.notEqual(await page.getByLabel("Your personal catalog address").inputValue(), address);
    await page.close();
  });

  test("a tag's works link their feed, visibly and in the head", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    await page.goto("/tags/Lighthouse%20Feeds/works");
    const link = page.getByRole("link", { name: /Subscribe to the feed/ });
    const href = await link.getAttribute("href");
    assert.match(href ?? "", /^\/tags\/\d+\/feed\.atom$/);
    const head = await page.locator('link[rel="alternate"][type="application/atom+xml"]').count();
    assert.equal(head, 1);
    await lookAtPage(page, "feeds-tag-works");
    await page.close();
  });
});
