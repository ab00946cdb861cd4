// An anonymous gift exchange in Chromium, from the collection's sign-up to its reveal (issue 15):
// the organizer creates an anonymous, unrevealed collection through its form; a writer and a
// recipient join it; the writer posts a gift into it through the work form; until the reveal
// nobody but the writer finds the work; "Reveal works" shows it by "Anonymous" and tells the
// recipient; "Reveal creators" puts the writer's name on it. Every step is done with the pages'
// own buttons and photographed at 1280 and 390 px.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Client } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  lookAtPage,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const ORGANIZER = "gx_organizer";
const WRITER = "gx_writer";
const RECIPIENT = "gx_recipient";
const COLLECTION = "Lighthouse_Gift_Swap";
const TITLE = "The Lamp Room at Low Tide";

describe("an anonymous gift exchange in Chromium", () => {
  let server: Server;
  let browser: Browser;
  const contexts: Record<"guest" | "organizer" | "writer" | "recipient", BrowserContext> =
    {} as never;
  const blocked: string[][] = [];
  let workPath = "";

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    for (const login of [ORGANIZER, WRITER, RECIPIENT])
      await new Client(server.testApp.app).signUp(login);
    browser = await launchBrowser();
    for (const who of ["guest", "organizer", "writer", "recipient"] as const) {
      // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
      const fenced = await fencedContext(browser, server.url, { bypassCSP: true });
      contexts[who] = fenced.context;
      blocked.push(fenced.blocked);
    }
    await logIn(contexts.organizer, ORGANIZER);
    await logIn(contexts.writer, WRITER);
    await logIn(contexts.recipient, RECIPIENT);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  async function visit<T>(who: keyof typeof contexts, body: (page: Page) => Promise<T>) {
    const page = await contexts[who].newPage();
    try {
      return await body(page);
    } finally {
      await page.close();
    }
  }

  /** What `who` sees in the page's main content (bylines, listings). */
  const mainText = (page: Page) => page.locator("main").innerText();

  test("the organizer opens the exchange; the writer and the recipient join", async (t) => {
    if (skipWithoutChromium(t)) return;
    await visit("organizer", async (page) => {
      await page.goto("/collections/new");
      await page.getByLabel("Name").fill(COLLECTION);
      await page.getByLabel("Title").fill("Lighthouse Gift Swap 2026");
      await page.getByLabel("Description").fill("Write a gift for your assigned keeper.");
      await page.getByLabel(/^Anonymous/).check();
      await page.getByLabel(/^Unrevealed/).check();
      await page.getByRole("button", { name: "Create collection" }).click();
      await page.waitForURL((url) => url.pathname === `/collections/${COLLECTION}`);
      await lookAtPage(page, "gift-exchange-collection");
    });
    for (const who of ["writer", "recipient"] as const) {
      await visit(who, async (page) => {
        await page.goto(`/collections/${COLLECTION}`);
        await page.getByRole("button", { name: "Join" }).click();
        await page.getByText("You are a member of this collection.").waitFor();
      });
    }
  });

  test("the writer posts the gift into the exchange through the work form", async (t) => {
    if (skipWithoutChromium(t)) return;
    await visit("writer", async (page) => {
      await page.goto("/works/new");
      await page.getByLabel("Rating").selectOption("General Audiences");
      await page.getByLabel("No Archive Warnings Apply").check();
      await page.getByRole("combobox", { name: "Fandoms" }).fill("Lighthouse Keepers (TV)");
      await page.getByLabel("Work Title").fill(TITLE);
      await page.getByLabel("Post to Collections / Challenges").fill(COLLECTION);
      await page.getByLabel("Gift this work to").fill(RECIPIENT);
      await page.getByLabel("Text format").selectOption("html");
      await page
        .getByRole("textbox", { name: /^Work Text/ })
        .fill("<p>The lamp turned all night, and <b>you</b> kept it.</p>");
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.waitForURL(/\/works\/\d+$/);
      workPath = new URL(page.url()).pathname;
      // Its creator sees it, told why readers cannot yet.
      assert.match(await mainText(page), /unrevealed/i);
      await lookAtPage(page, "gift-exchange-work-unrevealed");
      await page.goto(`/users/${WRITER}/works/unrevealed`);
      assert.match(await mainText(page), new RegExp(TITLE));
    });
    await server.testApp.drainJobs();
  });

  test("until the reveal, nobody else finds the work", async (t) => {
    if (skipWithoutChromium(t)) return;
    assert.ok(workPath, "the work was posted");
    for (const who of ["guest", "recipient", "organizer"] as const) {
      await visit(who, async (page) => {
        const res = await page.goto(workPath);
        assert.equal(res?.status(), 404, `${who} opens the work`);
        for (const path of [
          `/collections/${COLLECTION}/works`,
          `/users/${RECIPIENT}/gifts`,
          `/users/${WRITER}/works`,
          "/works",
        ]) {
          await page.goto(path);
          assert.doesNotMatch(await mainText(page), new RegExp(TITLE), `${who} on ${path}`);
        }
      });
    }
    await visit("recipient", async (page) => {
      await page.goto(`/users/${RECIPIENT}/inbox`);
      assert.doesNotMatch(await mainText(page), new RegExp(TITLE), "no gift notice yet");
    });
  });

  test("Reveal works: the gift appears by Anonymous and the recipient hears of it", async (t) => {
    if (skipWithoutChromium(t)) return;
    await visit("organizer", async (page) => {
      await page.goto(`/collections/${COLLECTION}`);
      await page.getByRole("button", { name: "Reveal works" }).click();
      await page.getByRole("button", { name: "Reveal works" }).waitFor({ state: "detached" });
    });
    await server.testApp.drainJobs();
    await visit("guest", async (page) => {
      const res = await page.goto(workPath);
      assert.equal(res?.status(), 200);
      const byline = await page.locator(".preface .byline").innerText();
      assert.match(byline, /Anonymous/);
      assert.doesNotMatch(await page.content(), new RegExp(WRITER), "the writer's name, anywhere");
      assert.match(await mainText(page), new RegExp(`For ${RECIPIENT}`));
      await lookAtPage(page, "gift-exchange-work-anonymous");
      await page.goto(`/collections/${COLLECTION}/works`);
      assert.match(await mainText(page), new RegExp(TITLE));
      await page.goto(`/users/${WRITER}/works`);
      assert.doesNotMatch(await mainText(page), new RegExp(TITLE), "not among the writer's works");
    });
    await visit("recipient", async (page) => {
      await page.goto(`/users/${RECIPIENT}/inbox`);
      assert.match(await mainText(page), new RegExp(TITLE), "the gift notice");
      assert.doesNotMatch(await mainText(page), new RegExp(WRITER));
      await page.goto(`/users/${RECIPIENT}/gifts`);
      const blurb = page.locator("li.work.blurb", { hasText: TITLE });
      assert.match(await blurb.innerText(), /Anonymous/);
      await lookAtPage(page, "gift-exchange-gifts");
    });
  });

  test("Reveal creators: the writer's name is on the gift", async (t) => {
    if (skipWithoutChromium(t)) return;
    await visit("organizer", async (page) => {
      await page.goto(`/collections/${COLLECTION}`);
      await page.getByRole("button", { name: "Reveal creators" }).click();
      await page.getByRole("button", { name: "Reveal creators" }).waitFor({ state: "detached" });
    });
    await visit("guest", async (page) => {
      await page.goto(workPath);
      assert.match(await page.locator(".preface .byline").innerText(), new RegExp(WRITER));
      await page.goto(`/users/${WRITER}/works`);
      assert.match(await mainText(page), new RegExp(TITLE));
      await lookAtPage(page, "gift-exchange-work-revealed");
    });
  });
});
