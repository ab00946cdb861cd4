// The admin area's core pages in Chromium, as an admin: axe-core (WCAG 2.2 AA) with zero
// violations, nothing wider than a 390 px phone screen, and screenshots at 1280 and 390 px
// (artifacts/screenshots/admin-*.png) for people to look at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD } from "../test/support/app.ts";
import { buildUser } from "../test/support/factories.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  screenshotWidths,
  skipWithoutChromium,
  VIEWPORTS,
  type Server,
  startServer,
  lookAtPage,
} from "./support/browser.ts";

const ADMIN = "axe_admin";

describe("admin pages (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let admin: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const db = server.testApp.deps.db;
    await buildUser(db, { login: ADMIN, password: TEST_PASSWORD, roles: ["admin"] });
    await buildUser(db, { login: "a_moderator_with_a_rather_long_username", roles: ["moderator"] });
    for (const login of ["reader_one", "reader_two", "wrangler_three"])
      await buildUser(db, { login, roles: login.startsWith("wrangler") ? ["wrangler"] : [] });
    await db
      .updateTable("users")
      .set({ suspended_until: Date.now() + 7 * 86_400_000 })
      .where("login", "=", "reader_two")
      .execute();
    // A few audit entries, made the way an admin makes them.
    const client = new Client(server.testApp.app);
    await client.logIn(ADMIN);
    for (const roles of [["moderator"], ["moderator", "wrangler"], ["wrangler"]]) {
      const res = await client.post("/admin/users/reader_one/roles", { roles });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    }
    browser = await launchBrowser();
    const a = await fencedContext(browser, server.url, { bypassCSP: true });
    admin = a.context;
    blocked.push(a.blocked);
    await logIn(admin, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  const pages: [name: string, path: string][] = [
    ["admin-dashboard", "/admin"],
    ["admin-users", "/admin/users"],
    ["admin-users-search", "/admin/users?q=reader"],
    ["admin-user", "/admin/users/reader_one"],
    ["admin-user-long-name", "/admin/users/a_moderator_with_a_rather_long_username"],
    ["admin-audit", "/admin/audit"],
    ["admin-audit-filtered", "/admin/audit?action=role.grant&subject_type=user"],
  ];

  for (const [name, path] of pages) {
    test(`${path}`, async (t) => {
      if (skipWithoutChromium(t)) return;
      const page = await admin.newPage();
      try {
        const res = await page.goto(path);
        assert.equal(res?.status(), 200, `${path} answered ${res?.status()}`);
        await lookAtPage(page, name);
      } finally {
        await page.close();
      }
    });
  }

  test("the roles form, refused (the last admin unticks their own role)", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await admin.newPage();
    try {
      await page.goto(`/admin/users/${ADMIN}`);
      await page.getByRole("checkbox", { name: "Admin" }).uncheck();
      await page.getByRole("button", { name: "Save roles" }).click();
      await page.getByRole("alert").waitFor();
      assert.match(await page.getByRole("alert").innerText(), /only admin/);
      await lookAtPage(page, "admin-user-roles-refused");
    } finally {
      await page.close();
    }
  });

  test("the header's Admin link, at both widths", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await admin.newPage();
    try {
      await page.goto("/works");
      const link = page.getByRole("navigation", { name: "Site" }).getByRole("link", {
        name: "Admin",
        exact: true,
      });
      for (const size of [VIEWPORTS.wide, VIEWPORTS.phone]) {
        await page.setViewportSize(size);
        assert.ok(await link.isVisible(), `the Admin link at ${size.width} px`);
        const box = await link.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= size.width, JSON.stringify(box));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= size.width, `/works is ${width} px wide at ${size.width} px`);
      }
      await screenshotWidths(page, "admin-header-link");
    } finally {
      await page.close();
    }
  });
});
