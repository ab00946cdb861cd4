// A person's data pages in Chromium: "Your data" with a built archive, orphaning a work, and
// deleting the account with its per-work choices. axe-core (WCAG 2.2 AA) with zero violations,
// nothing wider than a 390 px phone screen, and screenshots at 1280 and 390 px
// (artifacts/screenshots/personal-data-*.png) for people to look at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, TEST_PASSWORD, workForm, workIdFrom } from "../test/support/app.ts";
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

const WRITER = "pd_browser_writer_with_a_long_name";

describe("personal data pages (axe-core, WCAG 2.2 AA, 390 px)", () => {
  let server: Server;
  let browser: Browser;
  let writer: BrowserContext;
  let workId = 0;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { testApp } = server;
    const client = new Client(testApp.app);
    await client.signUp(WRITER, TEST_PASSWORD);
    await testApp.deps.db
      .updateTable("users")
      .set({ created_at: testApp.clock.now - 365 * 86_400_000 })
      .execute();
    const titles = [
      "A Rather Long Title About Lighthouses, Fog and the People Who Keep the Lamps Lit",
      "Second Story",
    ];
    for (const [i, title] of titles.entries()) {
      const res = await client.post(
        "/works",
        workForm({ title, text: `Story ${i} of the harbour, told slowly.` }),
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      workId ||= workIdFrom(res.headers.location);
    }
    const draft = await client.post(
      "/works",
      workForm({
        title: "An Unfinished Draft",
        action: "draft",
        text: "Not yet finished, but the fog is rolling in.",
      }),
    );
    assert.equal(draft.statusCode, 303);
    assert.equal((await client.post(`/users/${WRITER}/data/exports`)).statusCode, 303);
    await testApp.drainJobs();
    browser = await launchBrowser();
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    writer = w.context;
    blocked.push(w.blocked);
    await logIn(writer, WRITER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("your data, with an archive ready to download", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    await page.goto(`/users/${WRITER}/data`);
    await page.getByRole("link", { name: /Download your data/ }).waitFor();
    await lookAtPage(page, "personal-data-exports");
    await page.close();
  });

  test("orphaning a work asks first", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    await page.goto(`/works/${workId}/orphan`);
    // Sent without the confirmation: the browser's own check stops it first; the server's
    // answer (the same form with the error beside the box) is what a script would get.
    await lookAtPage(page, "personal-data-orphan");
    await page.close();
  });

  test("deleting the account: a choice per work, the password, a confirmation", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    await page.goto(`/users/${WRITER}/delete`);
    await page.getByLabel("Your password").fill("not the password");
    await page.getByLabel("I understand that my account will be deleted for good.").check();
    for (const radio of await page.getByLabel("Delete it").all()) await radio.check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByText("That is not your password.").first().waitFor();
    await lookAtPage(page, "personal-data-delete");
    await page.close();
  });
});
