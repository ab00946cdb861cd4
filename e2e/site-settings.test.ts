// Site settings (#13) in Chromium: the settings form and a page editor as an admin, a policy
// page, and the banner (set through the form, dismissed without script), with axe (WCAG 2.2
// AA) on each and screenshots at 1280 and 390 px; nothing may widen a 390 px screen.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { TEST_PASSWORD } from "../test/support/app.ts";
import { buildUser } from "../test/support/factories.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
  lookAtPage,
} from "./support/browser.ts";

const ADMIN = "settings_e2e_admin";

describe("site settings in a browser", () => {
  let server: Server;
  let browser: Browser;
  let admin: BrowserContext;
  let guest: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    await buildUser(server.testApp.deps.db, {
      login: ADMIN,
      password: TEST_PASSWORD,
      roles: ["admin"],
    });
    browser = await launchBrowser();
    // axe is injected as an inline script, which the CSP refuses otherwise.
    const a = await fencedContext(browser, server.url, { bypassCSP: true });
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(a.blocked, g.blocked);
    admin = a.context;
    guest = g.context;
    await logIn(admin, ADMIN);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
  });

  test("the settings form, its errors, and a page editor", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await admin.newPage();
    await page.goto("/admin/settings");
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Site settings");
    await lookAtPage(page, "admin-settings");

    // A wrong value: the error summary and the field's message, what was typed kept.
    await page.locator("#field-limit_comments").fill("lots");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForLoadState();
    assert.ok(await page.getByRole("alert").isVisible());
    assert.equal(await page.locator("#field-limit_comments").inputValue(), "lots");
    await lookAtPage(page, "admin-settings-errors");

    await page.goto("/admin/settings/pages/tos");
    assert.equal(
      await page.getByRole("heading", { level: 1 }).innerText(),
      "Edit the Terms of Service",
    );
    await lookAtPage(page, "admin-settings-page-editor");
    await page.close();
  });

  test("a policy page as a guest", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    await page.goto("/tos");
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Terms of Service");
    await lookAtPage(page, "policy-page-tos");
    await page.close();
  });

  test("a banner set in the form shows on every page and is dismissed without script", async (t) => {
    if (skipWithoutChromium(t)) return;
    const form = await admin.newPage();
    await form.goto("/admin/settings");
    await form
      .getByLabel("Banner text")
      .fill("The archive will be read-only on Saturday from 10:00 to 12:00 UTC for maintenance.");
    await form.getByRole("button", { name: "Save settings" }).click();
    await form.waitForURL((url) => url.pathname === "/admin/settings");
    assert.match(await form.getByRole("status").innerText(), /Settings saved \(banner\)/);
    await form.close();

    const shown = await guest.newPage();
    await shown.goto("/works");
    const onPage = shown.getByRole("complementary", { name: "Announcement" });
    assert.match(await onPage.innerText(), /read-only on Saturday/);
    await lookAtPage(shown, "banner");
    await shown.close();

    // Dismissed with script off: a plain form post and a redirect back.
    const scriptless = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await scriptless.newPage();
      await page.route("**/*", (route) =>
        new URL(route.request().url()).origin === server.url ? route.continue() : route.abort(),
      );
      await page.goto(`${server.url}/works`);
      const banner = page.getByRole("complementary", { name: "Announcement" });
      assert.match(await banner.innerText(), /read-only on Saturday/);
      await banner.getByRole("button", { name: "Dismiss" }).click();
      await page.waitForURL((url) => url.pathname === "/works");
      assert.equal(await page.getByRole("complementary", { name: "Announcement" }).count(), 0);
      await page.goto(`${server.url}/faq`);
      assert.equal(await page.getByRole("complementary", { name: "Announcement" }).count(), 0);
    } finally {
      await scriptless.close();
    }
  });
});
