// Downloads in Chromium: the work page's Download menu (AO3's li.download) opens without
// JavaScript, by keyboard, and its links download files named as AO3 names them; the page a
// long work's download answers while it is built, and a download's adult notice. axe-core
// (WCAG 2.2 AA) with zero violations, nothing wider than 390 px, screenshots at 1280 and 390 px
// (artifacts/screenshots/downloads-*.png).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD, workForm, workIdFrom } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  lookAtPage,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

describe("downloads (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let noScript: BrowserContext;
  /** axe runs as a script in the page: a context with JavaScript (and CSP bypassed for it). */
  let looking: BrowserContext;
  const blocked: string[][] = [];
  const ids = { work: 0, long: 0, adult: 0 };

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("dl_browser_writer", TEST_PASSWORD);
    const post = async (fields: Record<string, string>) => {
      const res = await writer.post("/works", workForm(fields));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    ids.work = await post({
      title: "Lamps Along the Harbour Wall",
      expected_chapters: "2",
      text: "<p><b>Mark's POV is bold.</b></p><p>Lexie's is plain.</p>",
    });
    await writer.post(`/works/${ids.work}/chapters`, {
      chapter_title: "Tide",
      text: "The tide came in.",
      action: "post",
    });
    const words = Array.from({ length: 51_000 }, (_, i) =>
      i % 80 === 79 ? "lamp.\n\n" : "fog",
    ).join(" ");
    ids.long = await post({ title: "A Very Long Night", text: words });
    ids.adult = await post({ title: "After Dark", rating: "Explicit" });
    browser = await launchBrowser();
    const fenced = await fencedContext(browser, server.url, {
      javaScriptEnabled: false,
      acceptDownloads: true,
    });
    noScript = fenced.context;
    blocked.push(fenced.blocked);
    const withScript = await fencedContext(browser, server.url, {
      bypassCSP: true,
      acceptDownloads: true,
    });
    looking = withScript.context;
    blocked.push(withScript.blocked);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("the Download menu opens without JavaScript, by keyboard, and downloads", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await noScript.newPage();
    await page.goto(`/works/${ids.work}?view_full_work=true`);
    const menu = page.locator("li.download");
    const epub = menu.getByRole("link", { name: "EPUB" });
    assert.equal(await epub.isVisible(), false, "closed at first");
    await menu.locator("summary").focus();
    await page.keyboard.press("Enter");
    await epub.waitFor({ state: "visible" });
    const names = await menu.locator("ul.expandable.secondary a").allTextContents();
    assert.deepEqual(names, ["EPUB", "PDF", "HTML", "TXT"]);

    await epub.focus();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.keyboard.press("Enter"),
    ]);
    assert.equal(
      download.suggestedFilename(),
      "Lamps Along the Harbour Wall.epub",
      "the title, from filename*",
    );
    const html = menu.getByRole("link", { name: "HTML" });
    const [htmlFile] = await Promise.all([page.waitForEvent("download"), html.click()]);
    assert.equal(htmlFile.suggestedFilename(), "Lamps Along the Harbour Wall.html");
    await page.close();

    const look = await looking.newPage();
    await look.goto(`/works/${ids.work}?view_full_work=true`);
    await look.locator("li.download summary").click();
    await look.locator("li.download").getByRole("link", { name: "EPUB" }).waitFor();
    await lookAtPage(look, "downloads-work-menu");
    await look.close();
  });

  test("a long work's download is prepared in the background", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await looking.newPage();
    const res = await page.goto(`/downloads/${ids.long}/A_Very_Long_Night.pdf`);
    assert.equal(res?.status(), 202);
    await page.getByRole("heading", { name: "Your download is being prepared" }).waitFor();
    await lookAtPage(page, "downloads-preparing");
    await page.close();
  });

  test("an adult work's download asks first, like its page", async (t) => {
    if (skipWithoutChromium(t)) return;
    const fenced = await fencedContext(browser, server.url, {
      bypassCSP: true,
      acceptDownloads: true,
    });
    blocked.push(fenced.blocked);
    const context = fenced.context;
    const page = await context.newPage();
    await page.goto(`/downloads/${ids.adult}/After_Dark.epub`);
    await page.getByRole("heading", { name: "Adult content warning" }).waitFor();
    await lookAtPage(page, "downloads-adult-gate");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Proceed" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "After Dark.epub");
    await context.close();
  });
});
