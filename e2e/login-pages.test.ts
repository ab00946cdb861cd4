// The log-in and log-out pages AO3's addresses lead to: `/users/login?restricted=true` (where a
// registered-users-only work sends a guest) and `/users/logout` (the header's "Log Out"), in
// Chromium, without script help, with axe and screenshots at 1280 and 390 px.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { RESTRICTED_NOTICE } from "../src/accounts/views.tsx";
import { Client, TEST_PASSWORD, workForm, workIdFrom } from "../test/support/app.ts";
import {
  axe,
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  screenshotWidths,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

describe("AO3's log-in and log-out pages in a browser", () => {
  let server: Server;
  let browser: Browser;
  let workPath = "";
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("members_writer");
    const res = await writer.post(
      "/works",
      workForm({ title: "For Members Only", restricted: "1" }),
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    workPath = `/works/${workIdFrom(res.headers.location)}`;
    await new Client(server.testApp.app).signUp("members_reader");
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
  });

  async function newPage(): Promise<Page> {
    // axe is injected as an inline script, which the CSP refuses otherwise.
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    return fenced.context.newPage();
  }

  async function assertNoAxeViolations(page: Page) {
    const result = await axe(page);
    assert.equal(result.violations.length, 0, result.summary);
  }

  test("a guest sent from a restricted work sees AO3's sentence, logs in, lands on the work", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await newPage();
    await page.goto(workPath);
    await page.waitForURL((url) => url.pathname === "/users/login");
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("restricted"), "true");
    assert.equal(url.searchParams.get("return_to"), workPath);
    const notice = page.getByText(RESTRICTED_NOTICE, { exact: true });
    assert.equal(await notice.count(), 1);
    assert.ok(await notice.isVisible());
    assert.equal(
      await page.getByRole("heading", { level: 1 }).innerText(),
      "Log in",
      "one page title",
    );
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "login-restricted");

    // A wrong password first: the error, then the form again (with the sentence gone).
    await page.getByLabel("Username or email").fill("members_reader");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: "match our records" }).waitFor();
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "login-error");

    // Then by keyboard alone: the password, Enter.
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL((u) => u.pathname === workPath);
    assert.equal((await page.locator("h2.title").innerText()).trim(), "For Members Only");
    await page.context().close();
  });

  test("the header's Log Out opens the confirmation; its button logs out", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await newPage();
    await page.goto("/users/login");
    await page.getByLabel("Username or email").fill("members_reader");
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((u) => u.pathname === "/");

    // Reached by keyboard: the link takes focus and Enter follows it.
    const logOut = page
      .getByRole("navigation", { name: "Site" })
      .getByRole("link", { name: "Log Out" });
    assert.equal(await logOut.getAttribute("href"), "/users/logout");
    await logOut.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/users/logout");
    assert.ok(await page.getByText("Are you sure you want to log out?").isVisible());
    // Opening the page logged nobody out.
    assert.equal(await logOut.count(), 1);
    await assertNoAxeViolations(page);
    await screenshotWidths(page, "logout-confirm");

    const button = page.getByRole("main").getByRole("button", { name: "Log out" });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/");
    await page.getByRole("status").filter({ hasText: "You have logged out" }).waitFor();
    assert.equal(await logOut.count(), 0);
    assert.equal(
      await page
        .getByRole("navigation", { name: "Site" })
        .getByRole("link", { name: "Log in" })
        .count(),
      1,
    );
    await page.context().close();
  });
});
