// The chapter forms in Chromium: the chapter number on the new and edit forms and the reorder
// form take any number (past the end puts a chapter last, 0 or less first, as on AO3); a
// chapter over the character limit comes back with the text kept and the error beside it; a
// form over the body limit gets a page that says what the limit is. Screenshots at 1280 and
// 390 px, and axe on each page.
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

describe("chapter forms in a browser", () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let workId = 0;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("forms_writer");
    const res = await writer.post(
      "/works",
      workForm({ title: "The Order of Things", chapter_title: "Alpha" }),
    );
    assert.equal(res.statusCode, 303);
    workId = workIdFrom(res.headers.location);
    for (const title of ["Beta", "Gamma"]) {
      const added = await writer.post(`/works/${workId}/chapters`, {
        chapter_title: title,
        text: `The text of ${title}.`,
      });
      assert.equal(added.statusCode, 303);
    }
    browser = await launchBrowser();
    // axe is injected as an inline script, which the CSP refuses otherwise.
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    context = fenced.context;
    await logIn(context, "forms_writer");
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
  });

  const order = async () =>
    (
      await server.testApp.handle.db
        .selectFrom("chapters")
        .select("title")
        .where("work_id", "=", workId)
        .orderBy("position")
        .execute()
    )
      .map((c) => c.title)
      .join(", ");

  async function assertNoAxeViolations(page: Page) {
    const result = await axe(page);
    assert.equal(result.violations.length, 0, result.summary);
  }

  test("a new chapter numbered 2000 goes last", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await context.newPage();
    await page.goto(`/works/${workId}/chapters/new`);
    const number = page.getByLabel("Chapter number");
    assert.equal(await number.inputValue(), "4");
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "chapter-new");
    await number.fill("2000");
    await page.getByLabel("Chapter title").fill("Delta");
    await page.getByLabel(/Work Text/).fill("The text of Delta, numbered 2000.");
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForURL(/\/chapters\/\d+$/);
    assert.equal(await order(), "Alpha, Beta, Gamma, Delta");
    await page.close();
  });

  test("editing a chapter to a negative number puts it first", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await context.newPage();
    const { id } = await server.testApp.handle.db
      .selectFrom("chapters")
      .select("id")
      .where("title", "=", "Gamma")
      .executeTakeFirstOrThrow();
    await page.goto(`/works/${workId}/chapters/${id}/edit`);
    const number = page.getByLabel("Chapter number");
    assert.equal(await number.inputValue(), "3");
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "chapter-edit");
    await number.fill("-1");
    await page.getByRole("button", { name: "Update" }).click();
    await page.waitForURL(/\/chapters\/\d+$/);
    assert.equal(await order(), "Gamma, Alpha, Beta, Delta");
    await page.close();
  });

  test("the reorder form lets a number past the end through, and puts that chapter last", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await context.newPage();
    await page.goto(`/works/${workId}/chapters/manage`);
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "chapter-reorder");
    await page.locator("ol.reorder input").first().fill("2000");
    await page.getByRole("button", { name: "Save order" }).click();
    await page.waitForURL(/\/navigate$/);
    assert.equal(await order(), "Alpha, Beta, Delta, Gamma");
    await page.close();
  });

  test("a chapter one character over the limit comes back with the text and the error", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await context.newPage();
    await page.goto(`/works/${workId}/chapters/new`);
    await page.getByLabel("Chapter title").fill("Too Long");
    const text = "\u{1F600}".repeat(510_001);
    await page
      .getByLabel(/Work Text/)
      .evaluate((el, value) => ((el as HTMLTextAreaElement).value = value), text);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForLoadState();
    const error = page.locator("#field-text-error");
    assert.equal(
      await error.textContent(),
      "Chapter text must be at most 510,000 characters long; this has 510,001.",
    );
    const kept = await page.getByLabel(/Work Text/).inputValue();
    assert.ok(kept === text, `the text is kept (${kept.length} of ${text.length} units)`);
    assert.equal(await page.getByLabel("Chapter title").inputValue(), "Too Long");
    await page
      .getByLabel(/Work Text/)
      .evaluate((el) => ((el as HTMLTextAreaElement).value = "😀".repeat(40)));
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "chapter-too-long");
    assert.equal(await order(), "Alpha, Beta, Delta, Gamma", "nothing was added");
    await page.close();
  });

  test("a form over the body limit gets a page saying what the limit is", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await context.newPage();
    await page.goto(`/works/${workId}/chapters/new`);
    await page
      .getByLabel(/Work Text/)
      .evaluate((el) => ((el as HTMLTextAreaElement).value = "x".repeat(9 * 1024 * 1024)));
    // Sending 9 MB (and the browser encoding it) takes seconds on a busy 2-core machine.
    await page.getByRole("button", { name: "Post", exact: true }).click({ timeout: 30_000 });
    await page
      .getByRole("heading", { name: "That was too large to accept" })
      .waitFor({ timeout: 30_000 });
    assert.match(
      (await page.locator("main").textContent()) ?? "",
      /Nothing was saved\. What you sent was larger than the 8 MB this form accepts/,
    );
    const back = page.getByRole("link", { name: "Go back to the form" });
    assert.equal(await back.getAttribute("href"), `/works/${workId}/chapters/new`);
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "too-large");
    await page.close();
  });
});
