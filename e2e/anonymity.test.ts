// Anonymous and unrevealed works in a browser (issue 15): the creator's view of their work
// waiting for a reveal (its notices), their "Unrevealed works" page, and a reader's view of an
// anonymous work with the creator's answer signed "Anonymous Creator". Each page passes axe,
// fits a 390 px screen and is photographed at 1280 and 390 px (lookAtPage).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { setCollectionFlagsIn } from "../src/works/commands.ts";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
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

const WRITER = "anon_e2e_writer";
const READER = "anon_e2e_reader";

describe("anonymous and unrevealed works in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let reader: BrowserContext;
  let writer: BrowserContext;
  const blocked: string[][] = [];
  let sealed = 0;
  let veiled = 0;

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const db = server.testApp.deps.db;
    const writerClient = new Client(server.testApp.app);
    await writerClient.signUp(WRITER);
    const readerClient = new Client(server.testApp.app);
    await readerClient.signUp(READER);
    const post = async (title: string) => {
      const res = await writerClient.post("/works", workForm({ title }));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    const flag = (workId: number, anonymous: boolean, unrevealed: boolean) =>
      db
        .transaction()
        .execute((tx) =>
          setCollectionFlagsIn(tx, workId, { anonymous, unrevealed }, server.testApp.clock.now),
        );
    sealed = await post("A Lamp Kept for the Exchange");
    await flag(sealed, true, true);
    veiled = await post("A Lamp Given Anonymously");
    await flag(veiled, true, false);
    const asked = await readerClient.post(`/works/${veiled}/comments`, {
      comment_content: "This made my winter. Who are you?",
    });
    assert.equal(asked.statusCode, 303, asked.body.slice(0, 300));
    const question = await db
      .selectFrom("comments")
      .select("id")
      .where("work_id", "=", veiled)
      .executeTakeFirstOrThrow();
    const answered = await writerClient.post(`/comments/${question.id}/reply`, {
      comment_content: "You'll find out at the reveal!",
    });
    assert.equal(answered.statusCode, 303, answered.body.slice(0, 300));

    browser = await launchBrowser();
    // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
    const r = await fencedContext(browser, server.url, { bypassCSP: true });
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    reader = r.context;
    writer = w.context;
    blocked.push(r.blocked, w.blocked);
    await logIn(writer, WRITER);
    await logIn(reader, READER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("the creator's unrevealed, anonymous work: both notices, byline Anonymous", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    try {
      await page.goto(`/works/${sealed}`);
      await page.getByText("Unrevealed:").waitFor();
      await page.getByText("Anonymous:", { exact: true }).waitFor();
      assert.equal(await page.locator("h3.byline").first().innerText(), "Anonymous");
      await lookAtPage(page, "anonymity-creator-work");
    } finally {
      await page.close();
    }
  });

  test("the creator's Unrevealed works page, linked from their profile", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    try {
      await page.goto(`/users/${WRITER}`);
      await page.getByRole("link", { name: "Unrevealed works (1)" }).click();
      await page.waitForURL(`**/users/${WRITER}/works/unrevealed`);
      assert.equal(await page.locator("li.work.blurb").count(), 1);
      await lookAtPage(page, "anonymity-unrevealed-list");
    } finally {
      await page.close();
    }
  });

  test("a reader of an anonymous work: Anonymous, and the creator's reply unsigned", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    try {
      await page.goto(`/works/${veiled}`);
      await page.getByText("Anonymous Creator").first().waitFor();
      const main = await page.locator("main").innerText();
      assert.ok(!main.includes(WRITER), "the reader's page names the creator");
      assert.equal(await page.getByRole("button", { name: `Subscribe to ${WRITER}` }).count(), 0);
      await lookAtPage(page, "anonymity-reader-work");
    } finally {
      await page.close();
    }
  });
});
