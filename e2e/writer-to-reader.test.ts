// The Foundation's browser flow, through real forms in a real browser: a writer signs up,
// posts an Explicit two-chapter work, logs out; a guest passes the adult gate and reads it,
// with JavaScript on and with JavaScript off.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { TEST_PASSWORD } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const LOGIN = "lamp_writer";
const TITLE = "Keeper of the Northern Light";
const CHAPTER_1 = "The lamp was lit at dusk, and <b>bold words</b> were carved above the door.";
const CHAPTER_2 = "By morning the fog had gone, and the keeper slept.";

/** Set FANFOLD_E2E_SCREENSHOTS=/some/dir to keep screenshots of the pages read. */
const screenshotDir = process.env.FANFOLD_E2E_SCREENSHOTS;

async function screenshot(page: Page, name: string) {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The computed weight of the first `<b>` in the chapter text. */
const boldWeight = (page: Page) =>
  page
    .locator("#chapters div.userstuff[role=article] b")
    .first()
    .evaluate((el) => Number(getComputedStyle(el).fontWeight));

describe("writer to reader, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let writer: BrowserContext;
  /** What each context's fence refused; every list must stay empty. */
  const blocked: string[][] = [];
  /** Console errors and uncaught exceptions: a CSP refusal would show up here. */
  const problems: string[] = [];
  let workPath = "";

  function watch(page: Page) {
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${page.url()}: console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
    return page;
  }

  async function newContext(options: { javaScriptEnabled?: boolean } = {}) {
    const fenced = await fencedContext(browser, server.url, options);
    blocked.push(fenced.blocked);
    return fenced.context;
  }

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    browser = await launchBrowser();
    writer = await newContext();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a writer signs up through the sign-up form", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = watch(await writer.newPage());
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Site" })
      .getByRole("link", { name: "Sign up" })
      .click();
    await page.getByLabel("Username").fill(LOGIN);
    await page.getByLabel("Email").fill(`${LOGIN}@example.org`);
    await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
    await page.getByLabel("Confirm password").fill(TEST_PASSWORD);
    await page.getByLabel(/accept the Terms of Service/).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`**/users/${LOGIN}`);
    await page.getByRole("status").filter({ hasText: "Your account is ready" }).waitFor();
    await page.close();
  });

  test("posts an Explicit work through /works/new, then adds chapter 2", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = watch(await writer.newPage());
    await page.goto(`/users/${LOGIN}`);
    await page
      .getByRole("navigation", { name: "Site" })
      .getByRole("link", { name: "Post new work" })
      .click();
    await page.waitForURL("**/works/new");

    await page.getByLabel("Rating").selectOption("Explicit");
    await page.getByLabel("Graphic Depictions Of Violence").check();
    await page.getByLabel("F/M").check();
    await page.getByRole("combobox", { name: "Fandoms" }).fill("Lighthouse Keepers (TV)");
    await page.getByRole("combobox", { name: "Additional Tags" }).fill("Fog, Slow Burn");
    // Typed key by key, as a person would.
    await page.getByLabel("Work Title").pressSequentially(TITLE);
    await page.getByLabel("Summary").fill("A keeper, a lamp, a long night.");
    await page.getByLabel("Chapter title").fill("Dusk");
    // The chapter is pasted as HTML, so the writer picks HTML over the rich-text editor.
    await page.getByLabel("Text format").selectOption("html");
    await page.getByRole("textbox", { name: /^Work Text/ }).fill(CHAPTER_1);
    await page.getByRole("button", { name: "Post", exact: true }).click();

    await page.waitForURL(/\/works\/\d+$/);
    workPath = new URL(page.url()).pathname;
    await page.getByRole("status").filter({ hasText: "Work was successfully posted" }).waitFor();
    // Creators are never asked to confirm their own work's rating.
    assert.equal(await page.locator("h2.title.heading").innerText(), TITLE);
    assert.equal(await boldWeight(page), 700);

    await page.getByRole("link", { name: "Add Chapter" }).click();
    await page.waitForURL(`**${workPath}/chapters/new`);
    await page.getByLabel("Chapter title").fill("Dawn");
    // The format chosen last time is remembered.
    assert.equal(await page.getByLabel("Text format").inputValue(), "html");
    await page.getByRole("textbox", { name: /^Work Text/ }).fill(CHAPTER_2);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForURL(new RegExp(`${workPath}/chapters/\\d+$`));
    await page.getByRole("status").filter({ hasText: "Chapter was successfully posted" }).waitFor();
    assert.match(await page.locator("#chapters").innerText(), /By morning the fog had gone/);
    await page.close();
  });

  test("logs out with the header's Log Out link and the confirmation's button", async (t) => {
    if (skipWithoutChromium(t)) return;
    assert.ok(workPath, "the work was posted");
    const page = watch(await writer.newPage());
    await page.goto(workPath);
    await page
      .getByRole("navigation", { name: "Site" })
      .getByRole("link", { name: "Log Out" })
      .click();
    await page.waitForURL((url) => url.pathname === "/users/logout");
    await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("status").filter({ hasText: "You have logged out" }).waitFor();
    assert.equal(
      await page
        .getByRole("navigation", { name: "Site" })
        .getByRole("link", { name: "Log in" })
        .count(),
      1,
    );
    await page.close();
  });

  /**
   * Follows a link with the mouse or the keyboard (focus, Enter) and waits until the browser
   * is at its address.
   */
  async function follow(page: Page, link: Locator, via: "mouse" | "keyboard") {
    const href = await link.getAttribute("href");
    assert.ok(href, "the link has an address");
    if (via === "mouse") await link.click();
    else {
      await link.focus();
      await page.keyboard.press("Enter");
    }
    await page.waitForURL((url) => url.pathname + url.search === href);
  }

  /** The guest's half: gate, Proceed, bold text, next chapter and back. */
  async function readAsGuest(context: BrowserContext, label: string, via: "mouse" | "keyboard") {
    const page = watch(await context.newPage());
    await page.goto(workPath);
    await page.getByRole("heading", { name: "Adult content warning" }).waitFor();
    // The notice shows the work's blurb (rating, warnings, tags, summary) as AO3's does (#11).
    assert.match(await page.locator(".adult-gate .work.blurb").innerText(), /Explicit/);
    assert.equal(await page.locator("#chapters").count(), 0, "no text before Proceed");
    await screenshot(page, `${label}-gate`);
    if (via === "keyboard") {
      // The first Tab lands on the skip link, which shows itself when focused.
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to content" });
      assert.ok(await skip.evaluate((el) => el === document.activeElement));
      const box = await skip.boundingBox();
      assert.ok(box && box.x >= 0 && box.width > 0, "the focused skip link is on screen");
    }

    await follow(page, page.getByRole("link", { name: "Proceed" }), via);
    const text = page.locator("#chapters div.userstuff[role=article]");
    assert.match(await text.innerText(), /The lamp was lit at dusk/);
    assert.doesNotMatch(await text.innerText(), /<b>/, "the tag is markup, not text");
    assert.equal(await text.locator("b").innerText(), "bold words");
    const weight = await boldWeight(page);
    assert.ok(weight >= 600, `<b> renders bold (font-weight ${weight})`);
    assert.equal(await page.locator("h2.title.heading").innerText(), TITLE);
    assert.equal(await page.locator("h3.byline.heading").innerText(), LOGIN);
    await screenshot(page, `${label}-chapter-1`);

    const workNav = page.getByRole("navigation", { name: "Work", exact: true });
    await follow(page, workNav.getByRole("link", { name: "Next Chapter →" }), via);
    // Consent is remembered: the next chapter opens without asking again.
    assert.match(await page.locator("#chapters").innerText(), /By morning the fog had gone/);
    assert.match(await page.locator("#chapters").innerText(), /Chapter 2: Dawn/);
    await screenshot(page, `${label}-chapter-2`);

    await follow(page, workNav.getByRole("link", { name: "← Previous Chapter" }), via);
    assert.match(await page.locator("#chapters").innerText(), /The lamp was lit at dusk/);
    assert.ok((await boldWeight(page)) >= 600);

    // And the browser's own Back button returns to chapter 2.
    await page.goBack();
    assert.match(await page.locator("#chapters").innerText(), /By morning the fog had gone/);
    await page.close();
  }

  test("a guest meets the adult gate, proceeds, reads both chapters", async (t) => {
    if (skipWithoutChromium(t)) return;
    assert.ok(workPath, "the work was posted");
    // The writer's context is logged out now: it reads as any guest would.
    await readAsGuest(writer, "js", "mouse");
  });

  test("the same reading works with JavaScript disabled, by keyboard", async (t) => {
    if (skipWithoutChromium(t)) return;
    assert.ok(workPath, "the work was posted");
    const context = await newContext({ javaScriptEnabled: false });
    try {
      await readAsGuest(context, "nojs", "keyboard");
    } finally {
      await context.close();
    }
  });

  test("the fence refuses a request that would leave 127.0.0.1", async (t) => {
    if (skipWithoutChromium(t)) return;
    // Chapter text may embed images from anywhere (the CSP allows it); the fence must not.
    const fenced = await fencedContext(browser, server.url);
    try {
      const page = await fenced.context.newPage();
      await page.goto("/");
      const failed = page.waitForEvent("requestfailed");
      await page.evaluate(() => {
        const img = document.createElement("img");
        img.alt = "";
        img.src = "http://192.0.2.1/elsewhere.png";
        document.body.append(img);
      });
      assert.equal((await failed).url(), "http://192.0.2.1/elsewhere.png");
      assert.deepEqual(fenced.blocked, ["http://192.0.2.1/elsewhere.png"]);
    } finally {
      await fenced.context.close();
    }
  });

  test("nothing left 127.0.0.1 and no page logged an error", (t) => {
    if (skipWithoutChromium(t)) return;
    assert.deepEqual(blocked.flat(), []);
    assert.deepEqual(problems, []);
  });
});
