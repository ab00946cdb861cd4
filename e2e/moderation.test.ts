// Issue 13, in Chromium: a reader reports a work, a moderator hides it from the queue, and the
// author sees why on the work page while other readers get a 404. The report form, the queue
// and a report pass axe and are saved at 1280 and 390 px (nothing wider than a phone).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { setRoles } from "../src/accounts/queries.ts";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
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

describe("report → hide → the author sees why, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let workUrl = "";
  const refused: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const app = server.testApp.app;
    const writer = new Client(app);
    await writer.signUp("tide_writer");
    const posted = await writer.post(
      "/works",
      workForm({
        title: "Borrowed Tides",
        fandoms: "Original Work",
        text: "The tide went out.\n\nIt did not come back.",
      }),
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    workUrl = `/works/${workIdFrom(posted.headers.location)}`;
    await new Client(app).signUp("tide_reader");
    await new Client(app).signUp("tide_moderator");
    const db = server.testApp.handle.db;
    const mod = await db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "tide_moderator")
      .executeTakeFirstOrThrow();
    await setRoles(db, mod.id, ["moderator"]);
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

  test("a reader reports, a moderator hides from the queue, the author sees why", async (t) => {
    if (skipWithoutChromium(t)) return;
    const reader = await pageAs("tide_reader");
    await reader.goto(workUrl);
    await reader.getByRole("link", { name: "Report this work" }).click();
    await reader.waitForURL(/\/reports\/new\?type=work/);
    await lookAtPage(reader, "report-form");
    await reader.getByLabel("What kind of problem is it?").selectOption("plagiarism");
    await reader.getByLabel("Details").fill("This is copied from a published novel.");
    await reader.getByRole("button", { name: "Send report" }).click();
    await reader.waitForURL((url) => url.pathname === workUrl);
    assert.match(await reader.locator("body").innerText(), /your report was sent/);

    const mod = await pageAs("tide_moderator");
    await mod.goto("/admin/reports");
    assert.match(await mod.locator("main").innerText(), /Borrowed Tides/);
    await lookAtPage(mod, "report-queue");
    await mod.locator("table.reports a").first().click();
    await mod.waitForURL(/\/admin\/reports\/\d+$/);
    assert.match(await mod.locator("main").innerText(), /copied from a published novel/);
    await lookAtPage(mod, "report-page");
    await mod.getByLabel("Reason for hiding (the owner sees it)").fill("Plagiarism of a novel");
    await mod.getByRole("button", { name: "Hide work" }).click();
    await mod.waitForURL(/\/admin\/reports\/\d+$/);
    assert.match(await mod.locator("main").innerText(), /actioned/);

    const gone = await reader.goto(workUrl);
    assert.equal(gone?.status(), 404);

    const author = await pageAs("tide_writer");
    await author.goto(workUrl);
    const notice = author.getByRole("status").filter({ hasText: "Hidden by a moderator" });
    await notice.waitFor();
    assert.match(await notice.innerText(), /Plagiarism of a novel/);
    await lookAtPage(author, "hidden-work-author");
    await author.goto("/users/tide_writer/inbox");
    assert.match(await author.locator("main").innerText(), /A moderator hid your work/);
    // The author's own list of hidden works, linked from their dashboard.
    await author.goto("/users/tide_writer");
    await author.getByRole("link", { name: "Hidden by moderators (1)" }).click();
    assert.match(await author.locator("main").innerText(), /Borrowed Tides/);
    await lookAtPage(author, "hidden-works-list");
    for (const p of [reader, mod, author]) await p.context().close();
  });
});
