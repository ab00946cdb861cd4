// The moderators' spam pages in Chromium: axe-core (WCAG 2.2 AA) with zero violations, nothing
// wider than a 390 px phone screen (long spam URLs must wrap), and screenshots at 1280 and 390
// px (artifacts/screenshots/spam-*.png) for people to look at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD, workForm } from "../test/support/app.ts";
import { buildUser, buildWork } from "../test/support/factories.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  type Server,
  startServer,
  lookAtPage,
} from "./support/browser.ts";

const MODERATOR = "axe_spam_moderator";
const LONG_URL = `https://spam.example/${"really-long-path-segment-".repeat(8)}`;

describe("spam pages (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let moderator: BrowserContext;
  const blocked: string[][] = [];
  const spammer = "a_spammer_with_a_long_username_indeed";

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { db } = server.testApp.deps;
    const now = server.testApp.clock.now;
    await buildUser(db, { login: MODERATOR, password: TEST_PASSWORD, roles: ["moderator"] });
    const author = await buildUser(db, { login: "spam_page_author" });
    await db
      .updateTable("users")
      .set({ created_at: now - 30 * 86_400_000 })
      .where("id", "=", author.id)
      .execute();
    const { workId } = await buildWork(db, {
      pseudId: author.pseudId,
      title: "A Work With Open Comments",
      comment_policy: "everyone",
      now,
    });
    const guest = new Client(server.testApp.app);
    const held = await guest.post(`/works/${workId}/comments`, {
      comment_content: `cheap meds ${LONG_URL} http://b.example http://c.example`,
      name: "Totally Real Reader",
      email: "bot@example.net",
    });
    assert.equal(held.statusCode, 303, held.body.slice(0, 300));
    const fresh = new Client(server.testApp.app);
    await fresh.signUp(spammer);
    const work = await fresh.post(
      "/works",
      workForm({
        title: "Pharmacy Deals",
        text: `Best prices! cheap meds ${LONG_URL} http://d.example http://e.example`,
      }),
    );
    assert.equal(work.statusCode, 303, work.body.slice(0, 300));
    browser = await launchBrowser();
    const m = await fencedContext(browser, server.url, { bypassCSP: true });
    moderator = m.context;
    blocked.push(m.blocked);
    await logIn(moderator, MODERATOR);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  const pages: [name: string, path: () => string][] = [
    ["spam-held", () => "/admin/spam"],
    ["spam-remove-confirm", () => `/admin/users/${spammer}/remove-spam`],
  ];

  for (const [name, path] of pages) {
    test(name, async (t) => {
      if (skipWithoutChromium(t)) return;
      const page = await moderator.newPage();
      try {
        const res = await page.goto(path());
        assert.equal(res?.status(), 200, `${path()} answered ${res?.status()}`);
        if (name === "spam-held") {
          await page.getByText("Pharmacy Deals").first().waitFor();
          await page.getByText("Totally Real Reader (guest)").waitFor();
        }
        await lookAtPage(page, name);
      } finally {
        await page.close();
      }
    });
  }

  test("the confirmation refuses without the box ticked, and says so beside it", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await moderator.newPage();
    try {
      await page.goto(`/admin/users/${spammer}/remove-spam`);
      await page.getByLabel("Reason (kept in the audit log)").fill("Link farm");
      await page.getByRole("button", { name: "Hide everything and ban" }).click();
      await page.getByText("Tick the box to confirm").first().waitFor();
      assert.equal(
        await page.getByLabel("Reason (kept in the audit log)").inputValue(),
        "Link farm",
      );
      await lookAtPage(page, "spam-remove-refused");
    } finally {
      await page.close();
    }
  });
});
