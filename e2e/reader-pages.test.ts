// What a reader sees (issue 11): the inbox (comments' words, Reply, small row actions, newest
// first), a muted writer's page (what the mute hides, "Show them", Unmute) and the page that
// asks before muting, which works with JavaScript off. Each page passes axe and is
// photographed at 1280 and 390 px, and in a dark colour scheme, for people to look at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
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

const WRITER = "rp_writer";
const FAN = "rp_fan";
const READER = "rp_reader";

const COMMENTS = [
  "First! The <b>lighthouse</b> chapter made me cry & laugh.",
  "Second visit: I noticed the gull is in every scene. Was that on purpose?",
  `A long one. ${"The fog rolled in and the keeper kept counting the ships. ".repeat(12)}`,
];

describe("reader pages in Chromium: inbox, muting, button kinds", () => {
  let server: Server;
  let browser: Browser;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { app, clock } = server.testApp;
    const writer = new Client(app);
    await writer.signUp(WRITER);
    const works: number[] = [];
    for (const form of [
      { title: "Lamplight", comment_policy: "everyone" },
      { title: "Gull Season" },
      { title: "Members' Tide", restricted: "1" },
    ]) {
      const res = await writer.post("/works", workForm(form));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      works.push(workIdFrom(res.headers.location));
    }
    const fan = new Client(app);
    await fan.signUp(FAN);
    for (const [i, text] of COMMENTS.entries()) {
      clock.now += 3_600_000; // an hour apart: the inbox must show the newest first
      const res = await fan.post(`/works/${works[i % 2]!}/comments`, { comment_content: text });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    }
    await new Client(app).signUp(READER);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  async function checkAxe(page: Page) {
    const result = await axe(page);
    assert.deepEqual(result.violations, [], result.summary);
  }

  async function darkShot(page: Page, name: string) {
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshotWidths(page, `${name}-dark`);
    await checkAxe(page);
    await page.emulateMedia({ colorScheme: "light" });
  }

  test("the inbox: comments' words newest first, Reply, small secondary and destructive actions", async (t) => {
    if (skipWithoutChromium(t)) return;
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    await logIn(fenced.context, WRITER);
    const page = await fenced.context.newPage();
    await page.goto(`/users/${WRITER}/inbox`);
    const items = page.locator("li.notification");
    assert.equal(await items.count(), 3);
    const quotes = await page.locator("li.notification blockquote.comment-text").allInnerTexts();
    assert.match(quotes[0]!, /^A long one\. The fog rolled in/);
    assert.ok(quotes[0]!.endsWith("…") && quotes[0]!.length <= 400, quotes[0]);
    assert.match(quotes[1]!, /^Second visit/);
    assert.equal(quotes[2], "First! The lighthouse chapter made me cry & laugh.");

    // Row actions are small; Delete does not look like the primary button.
    const style = (name: string) =>
      items
        .first()
        .getByRole("button", { name })
        .evaluate((el) => {
          const s = getComputedStyle(el);
          return { bg: s.backgroundColor, color: s.color, size: parseFloat(s.fontSize) };
        });
    const markRead = await style("Mark read");
    const del = await style("Delete notification");
    const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(markRead.size < body && del.size < body, "row actions are smaller than the text");
    assert.notEqual(del.bg, "rgb(138, 28, 28)", "Delete is not filled with the primary red");
    assert.notEqual(del.color, markRead.color, "destructive and secondary differ");

    await checkAxe(page);
    await screenshotWidths(page, "inbox");
    await darkShot(page, "inbox");

    // Reply opens the comment's reply form on the work.
    await items
      .nth(1)
      .getByRole("link", { name: /^Reply/ })
      .click();
    await page.waitForURL(/\/comments\/\d+\/reply$/);
    await page
      .getByLabel(/Reply|Comment/)
      .first()
      .waitFor();
    await fenced.context.close();
  });

  test("muting asks first and works with JavaScript off; the muted writer's page says what it hides", async (t) => {
    if (skipWithoutChromium(t)) return;
    const noScript = await fencedContext(browser, server.url, { javaScriptEnabled: false });
    blocked.push(noScript.blocked);
    await logIn(noScript.context, READER);
    const page = await noScript.context.newPage();
    await page.goto(`/users/${WRITER}`);
    await page.getByRole("link", { name: `Mute ${WRITER}` }).click();
    await page.waitForURL(`**/users/${WRITER}/mute`);
    await page.getByRole("heading", { name: `Mute ${WRITER}?` }).waitFor();
    // Cancel changes nothing.
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL(`**/users/${WRITER}`);
    assert.equal(await page.locator(".muted-note").count(), 0);
    await page.getByRole("link", { name: `Mute ${WRITER}` }).click();
    await page.getByRole("button", { name: `Mute ${WRITER}` }).click();
    await page.waitForURL(`**/users/${WRITER}`);
    const note = page.locator(".muted-note");
    assert.match(
      await note.innerText(),
      new RegExp(`3 works by ${WRITER} are hidden because you muted them\\.`),
    );
    assert.equal(await page.getByText("No works yet").count(), 0);
    await note.getByRole("link", { name: "Show them" }).click();
    await page.getByRole("link", { name: "Members' Tide" }).waitFor();
    await noScript.context.close();

    // The same pages with script on, for axe and the screenshots.
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    await logIn(fenced.context, READER);
    const seen = await fenced.context.newPage();
    await seen.goto(`/users/${WRITER}`);
    await checkAxe(seen);
    await screenshotWidths(seen, "muted-profile");
    await darkShot(seen, "muted-profile");
    await seen.goto(`/users/${WRITER}/mute`);
    await checkAxe(seen);
    await screenshotWidths(seen, "mute-confirm-already");
    // Unmute from their page, then the question as a first-time muter sees it.
    await seen.goto(`/users/${WRITER}`);
    await seen
      .locator(".muted-note")
      .getByRole("button", { name: `Unmute ${WRITER}` })
      .click();
    await seen.waitForURL(`**/users/${WRITER}`);
    await seen.getByRole("link", { name: "Lamplight" }).waitFor();
    await screenshotWidths(seen, "profile-actions");
    await seen.goto(`/users/${WRITER}/mute`);
    await checkAxe(seen);
    await screenshotWidths(seen, "mute-confirm");
    await darkShot(seen, "mute-confirm");
    await fenced.context.close();
  });
});
