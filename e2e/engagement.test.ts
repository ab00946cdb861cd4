// "Hit the review button and type in yay or nay": a seed story posted with comments open to
// everyone, then kudos and a comment left in Chromium by a guest and by a logged-in reader.
// The kudos button is enhanced by kudos.js (the count changes in place, no reload); the comment
// form is a plain form. The seed text belongs to its author: read from ../shared, never kept.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
import { skipUnless } from "../test/support/skip.ts";
import {
  axe,
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const seedsDir = join(process.cwd(), "..", "shared", "seeds");
const seedsAvailable = existsSync(seedsDir);

describe("kudos and comments on a seed story, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let workUrl = "";
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable || !seedsAvailable) return;
    server = await startServer();
    const [, story] = readdirSync(seedsDir)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => readFileSync(join(seedsDir, f), "utf8"));
    const [note, ...rest] = story!.split(/\n\s*\n/);
    const writer = new Client(server.testApp.app);
    await writer.signUp("elevator_writer");
    const posted = await writer.post(
      "/works",
      workForm({
        title: "The Elevator",
        fandoms: "Grey's Anatomy",
        relationships: "Mark Sloan/Lexie Grey",
        characters: "Mark Sloan, Lexie Grey",
        rating: "Teen And Up Audiences",
        notes: note,
        text: rest.join("\n\n"),
        comment_policy: "everyone",
      }),
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    workUrl = `/works/${workIdFrom(posted.headers.location)}`;
    await new Client(server.testApp.app).signUp("elevator_reader");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  const skipped = (t: Parameters<typeof skipWithoutChromium>[0]) =>
    skipWithoutChromium(t) ||
    skipUnless(t, seedsAvailable, `../shared/seeds not found at ${seedsDir}`);

  async function leaveKudos(page: Page, expected: RegExp) {
    const kudos = page.locator("section#kudos");
    await kudos.getByRole("button", { name: "Kudos ♥" }).click();
    // Updated in place by the script: the page is not reloaded, the count and names change.
    await kudos
      .locator("[data-kudos-status]")
      .getByText(/thank you/i)
      .waitFor();
    assert.match(await kudos.locator("[data-kudos-summary]").innerText(), expected);
  }

  async function comment(page: Page, text: string, guest?: { name: string; email: string }) {
    const form = page.locator("section#comments form").first();
    if (guest) {
      await form.getByLabel("Name").fill(guest.name);
      await form.getByLabel("Email").fill(guest.email);
    }
    await form.getByLabel("Comment").fill(text);
    await form.getByRole("button", { name: "Comment" }).click();
    await page.waitForLoadState("load");
  }

  test("a guest leaves kudos and a comment", async (t) => {
    if (skipped(t)) return;
    const fenced = await fencedContext(browser, server.url);
    blocked.push(fenced.blocked);
    const page = await fenced.context.newPage();
    await page.goto(workUrl);
    const before = page.url();
    await leaveKudos(page, /1 guest left kudos/);
    assert.equal(page.url(), before, "kudos without a page load");
    // A second click from the same address is refused with a message, nothing counted twice.
    await page.locator("section#kudos").getByRole("button", { name: "Kudos ♥" }).click();
    await page
      .locator("section#kudos [data-kudos-status]")
      .getByText(/already left kudos/)
      .waitFor();

    await comment(page, "yay", { name: "Lexie fan", email: "lexie@example.org" });
    const posted = page.locator("li.comment").filter({ hasText: "yay" });
    await posted.waitFor();
    assert.match(await posted.innerText(), /Lexie fan/);
    assert.doesNotMatch(
      await page.content(),
      /lexie@example\.org/,
      "a guest's email is never shown",
    );
    await fenced.context.close();
  });

  test("a logged-in reader leaves kudos and a comment; the page passes axe", async (t) => {
    if (skipped(t)) return;
    const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
    blocked.push(fenced.blocked);
    await logIn(fenced.context, "elevator_reader");
    const page = await fenced.context.newPage();
    await page.goto(workUrl);
    await leaveKudos(page, /elevator_reader.*1 guest/s);
    await comment(page, "nay — I mean yay, but the elevator scene needs a sequel");
    const mine = page.locator("li.comment").filter({ hasText: "elevator scene" });
    await mine.waitFor();
    assert.match(await mine.innerText(), /elevator_reader/);
    assert.match(await page.locator("#comments h2, #comments h3").first().innerText(), /2/);

    const result = await axe(page);
    assert.deepEqual(result.violations, [], result.summary);
    await fenced.context.close();
  });
});
