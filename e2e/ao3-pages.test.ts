// The reading pages in AO3's shape (#11), in Chromium: a multi-chapter work with its chapter
// menu, the chapter index, the adult-content notice (guest and logged-in reader), and a
// restricted work (a guest ends on the login page; a reader sees the padlock). Each page is
// checked with axe and photographed at 1280 and 390 px.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
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

describe("AO3-shaped reading pages, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let workId = 0;
  let matureId = 0;
  let restrictedId = 0;
  const chapterIds: number[] = [];
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("harbour_writer");
    const work = await writer.post(
      "/works",
      workForm({
        title: "The Harbour Ledger",
        summary: "Two keepers, one lamp, and a ledger nobody reads.",
        notes: "Written for the winter exchange.",
        end_notes: "Thank you for reading.",
        warnings: ["No Archive Warnings Apply"],
        relationships: "Ada/Bram",
        characters: "Ada, Bram",
        freeforms: "Slow Burn, Found Family",
        expected_chapters: "3",
        chapter_title: "Arrival",
        text: "The ferry came in late.\n\nAda wrote it down in the ledger, as always.",
      }),
    );
    workId = workIdFrom(work.headers.location);
    const index = await writer.get(`/works/${workId}/navigate`);
    chapterIds.push(Number(new RegExp(`/works/${workId}/chapters/(\\d+)`).exec(index.body)?.[1]));
    server.testApp.clock.now += 86_400_000;
    const second = await writer.post(`/works/${workId}/chapters`, {
      position: "",
      chapter_title: "The Storm",
      summary: "Bram finds the ledger.",
      notes: "A storm chapter.",
      end_notes: "More next week.",
      text: "Rain on the glass all night.\n\nBram read every page by lamplight.",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 1000));
    chapterIds.push(Number(/chapters\/(\d+)/.exec(second.headers.location ?? "")?.[1]));

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
    matureId = workIdFrom(mature.headers.location);
    const restricted = await writer.post(
      "/works",
      workForm({ title: "Members Harbour", restricted: "1", text: "For members only." }),
    );
    restrictedId = workIdFrom(restricted.headers.location);
    await new Client(server.testApp.app).signUp("harbour_reader");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  /** A context that axe can run in (its script is inline, which the CSP refuses otherwise). */
  async function context(): Promise<BrowserContext> {
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    return fenced.context;
  }

  async function check(page: Page, name: string) {
    const { violations, summary } = await axe(page);
    assert.equal(violations.length, 0, summary);
    await screenshotWidths(page, name);
  }

  test("a multi-chapter work: chapter preface and afterword, the chapter menu without script", async (t) => {
    if (skipWithoutChromium(t)) return;
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`/works/${workId}/chapters/${chapterIds[1]}`);
    await page.waitForSelector("#chapters");
    assert.equal(await page.locator("#summary blockquote").innerText(), "Bram finds the ledger.");
    assert.equal(await page.locator("#notes blockquote").innerText(), "A storm chapter.");
    assert.equal(
      await page.locator("#chapter_2_endnotes blockquote").innerText(),
      "More next week.",
    );
    assert.equal(await page.locator("h3.title").innerText(), "Chapter 2: The Storm");
    await check(page, "ao3-work-chapter");
    // The chapter menu is a plain form: choose chapter 1 and Go.
    await page.selectOption("#selected_id", String(chapterIds[0]));
    await page.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(`**/works/${workId}/chapters/${chapterIds[0]}`);
    assert.match(await page.locator("#chapters").innerText(), /The ferry came in late/);
    await check(page, "ao3-work-first-chapter");
    await ctx.close();
  });

  test("the chapter index", async (t) => {
    if (skipWithoutChromium(t)) return;
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`/works/${workId}/navigate`);
    const items = await page.locator("ol.chapter.index li").allInnerTexts();
    assert.deepEqual(items, ["1. Arrival (2026-11-23)", "2. The Storm (2026-11-24)"]);
    await check(page, "ao3-navigate");
    await ctx.close();
  });

  test("the adult-content notice, as a guest and as a logged-in reader", async (t) => {
    if (skipWithoutChromium(t)) return;
    const guestCtx = await context();
    const guest = await guestCtx.newPage();
    await guest.goto(`/works/${matureId}`);
    await guest.getByText("This work could have adult content.").waitFor();
    assert.equal(await guest.getByRole("link", { name: "Set your preferences now" }).count(), 0);
    await check(guest, "ao3-adult-notice-guest");
    await guest.getByRole("link", { name: "Proceed" }).click();
    await guest.getByText("The night shift text.").waitFor();
    await guestCtx.close();

    const readerCtx = await context();
    await logIn(readerCtx, "harbour_reader");
    const reader = await readerCtx.newPage();
    await reader.goto(`/works/${matureId}`);
    const prefs = reader.getByRole("link", { name: "Set your preferences now" });
    assert.equal(await prefs.getAttribute("href"), "/users/harbour_reader/preferences");
    await check(reader, "ao3-adult-notice-reader");
    await readerCtx.close();
  });

  test("a restricted work: a guest ends on the login page; a reader sees the padlock", async (t) => {
    if (skipWithoutChromium(t)) return;
    const guestCtx = await context();
    const guest = await guestCtx.newPage();
    await guest.goto(`/works/${restrictedId}`);
    const url = new URL(guest.url());
    assert.equal(url.pathname, "/users/login");
    assert.equal(url.searchParams.get("restricted"), "true");
    assert.equal(url.searchParams.get("return_to"), `/works/${restrictedId}`);
    await check(guest, "ao3-restricted-guest");
    await guestCtx.close();

    const readerCtx = await context();
    await logIn(readerCtx, "harbour_reader");
    const reader = await readerCtx.newPage();
    await reader.goto(`/works/${restrictedId}`);
    const lock = reader.locator('h2.title img[alt="(Restricted)"]');
    assert.equal(await lock.getAttribute("title"), "Restricted");
    // The image loaded (from Fanfold's own assets: the fence refuses anything else).
    assert.ok(await lock.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    await check(reader, "ao3-restricted-reader");
    await reader.goto("/works");
    await reader.locator(`#work_${restrictedId} img[alt="(Restricted)"]`).waitFor();
    await screenshotWidths(reader, "ao3-restricted-blurb");
    await readerCtx.close();
  });
});
