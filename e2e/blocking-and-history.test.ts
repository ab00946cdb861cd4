// Issue 11, in Chromium: what a blocked reader sees on the blocker's work (no Kudos button, no
// Edit on their old comment, Delete kept), a creator's own work (no Mark for Later), and the
// "Turn on History" switch (preferences, the history page saying it is off, turning it back on).
// Each page passes axe and is saved at 1280 and 390 px for people to look at.
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

describe("blocked readers, Mark for Later and the history switch, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let workUrl = "";
  let readerComment = 0;
  const refused: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const app = server.testApp.app;
    const writer = new Client(app);
    await writer.signUp("lighthouse_keeper");
    const posted = await writer.post(
      "/works",
      workForm({
        title: "The Lamp Room",
        fandoms: "Original Work",
        summary: "Two keepers, one lamp, a long winter.",
        text: "The lamp turned all night.\n\nBy morning the fog had gone.",
        comment_policy: "everyone",
      }),
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    workUrl = `/works/${workIdFrom(posted.headers.location)}`;

    const pest = new Client(app);
    await pest.signUp("storm_petrel");
    const said = await pest.post(`${workUrl}/comments`, {
      comment_content: "Posted before the block.",
    });
    assert.equal(said.statusCode, 303);
    readerComment = Number(/#comment_(\d+)/.exec(said.headers.location ?? "")?.[1]);
    const thanks = await writer.post(`/comments/${readerComment}/reply`, {
      comment_content: "Thanks for reading.",
    });
    assert.equal(thanks.statusCode, 303);
    assert.equal(
      (await writer.post("/preferences/blocked", { login: "storm_petrel" })).statusCode,
      303,
    );
    await new Client(app).signUp("quiet_reader");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(refused.flat(), [], "no request may leave 127.0.0.1");
  });

  async function pageAs(login: string): Promise<Page> {
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    refused.push(fenced.blocked);
    await logIn(fenced.context, login);
    return fenced.context.newPage();
  }

  async function noAxeViolations(page: Page) {
    const result = await axe(page);
    assert.deepEqual(result.violations, [], result.summary);
  }

  test("a blocked reader: no Kudos button, no comment form, Delete but no Edit on their comment", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await pageAs("storm_petrel");
    await page.goto(workUrl);
    const kudos = page.locator("section#kudos");
    await kudos.waitFor();
    assert.equal(await kudos.getByRole("button", { name: /Kudos/ }).count(), 0);
    const comments = page.locator("section#comments");
    assert.match(await comments.innerText(), /blocked by one of this work's creators/);
    assert.equal(await comments.locator("form.comment-form").count(), 0);
    const mine = page.locator(`#comment_${readerComment}`);
    const actions = mine.getByRole("list", { name: `Actions for comment ${readerComment}` });
    assert.equal(await actions.getByRole("link", { name: "Delete" }).count(), 1);
    assert.equal(await actions.getByRole("link", { name: "Edit" }).count(), 0);
    assert.equal(await page.getByRole("link", { name: "Reply" }).count(), 0);
    await noAxeViolations(page);
    await screenshotWidths(page, "blocked-reader-work");

    // The edit page itself is refused with the reason.
    const edit = await page.goto(`/comments/${readerComment}/edit`);
    assert.equal(edit?.status(), 403);
    assert.match(await page.locator("main").innerText(), /can't edit your comments/);
    await page.context().close();
  });

  test("the creator's own work has no Mark for Later", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await pageAs("lighthouse_keeper");
    await page.goto(workUrl);
    await page.locator("section#kudos").waitFor();
    assert.equal(
      await page.getByRole("button", { name: /Mark for Later|Mark as Read/ }).count(),
      0,
    );
    await page.context().close();

    const reader = await pageAs("quiet_reader");
    await reader.goto(workUrl);
    assert.equal(await reader.getByRole("button", { name: "Mark for Later" }).count(), 1);
    await reader.context().close();
  });

  test("Turn on History: off in preferences, the history page says so, back on from there", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await pageAs("quiet_reader");
    await page.goto(workUrl);
    await page.goto("/users/quiet_reader/preferences");
    const box = page.getByLabel("Turn on History");
    assert.equal(await box.isChecked(), true, "on by default");
    await box.uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.waitForLoadState("load");
    assert.equal(await page.getByLabel("Turn on History").isChecked(), false);
    await noAxeViolations(page);
    await screenshotWidths(page, "preferences-history-off");

    await page.goto(workUrl);
    await page.goto("/users/quiet_reader/readings");
    const notice = page.getByRole("region", { name: "Your history is off" });
    await notice.waitFor();
    assert.match(await page.locator("main").innerText(), /The Lamp Room/, "what was read stays");
    await noAxeViolations(page);
    await screenshotWidths(page, "history-off");

    await notice.getByRole("button", { name: "Turn on History" }).click();
    await page.waitForURL(/\/users\/quiet_reader\/readings$/);
    assert.match(await page.locator("main").innerText(), /Your history is on/);
    assert.equal(await page.getByRole("region", { name: "Your history is off" }).count(), 0);
    await page.context().close();
  });
});
