// Gifts and related works in a browser (issue 15): a work page showing "For …" and "Inspired
// by …", its parent listing it at the end once approved, a Gifts page with Refuse, the
// refusal's confirmation, the approval page, and the work form's fields filled in.
// Each page passes axe, fits a 390 px screen and is photographed at 1280 and 390 px.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
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

const WRITER = "gift_e2e_writer";
const RECIPIENT = "gift_e2e_recipient";

describe("gifts and related works in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let writer: BrowserContext;
  let recipient: BrowserContext;
  const blocked: string[][] = [];
  let parentId = 0;
  let giftId = 0;

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { app } = server.testApp;
    const writerClient = new Client(app);
    await writerClient.signUp(WRITER);
    const recipientClient = new Client(app);
    await recipientClient.signUp(RECIPIENT);
    const post = async (client: Client, overrides: Record<string, string>) => {
      const res = await client.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    parentId = await post(recipientClient, {
      title: "The Lighthouse at the End of a Very Long and Winding Coastal Road",
      notes: "Written for the winter prompt.",
    });
    for (const title of ["Gull Season", "Fog Horns"])
      await post(writerClient, { title, gift_recipients: `${RECIPIENT}, Aunt May of the Harbour` });
    await post(writerClient, {
      title: "The Keeper's Answer",
      gift_recipients: `${RECIPIENT}, Aunt May of the Harbour`,
      parent_url: `/works/${parentId}`,
      parent_relation: "inspired",
      end_notes: "Thank you for the prompt!",
    });
    await post(writerClient, {
      title: "La lanterne",
      language: "fr",
      parent_url: `/works/${parentId}`,
      parent_relation: "translation",
    });
    await server.testApp.drainJobs();
    const gift = await server.testApp.deps.db
      .selectFrom("gifts")
      .select("id")
      .where("pseud_id", "is not", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    giftId = gift.id;
    browser = await launchBrowser();
    // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    const r = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = g.context;
    writer = w.context;
    recipient = r.context;
    blocked.push(g.blocked, w.blocked, r.blocked);
    await logIn(writer, WRITER);
    await logIn(recipient, RECIPIENT);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("a work page saying For … and Inspired by …", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto(`/users/${WRITER}/works`);
      await page.getByRole("link", { name: "The Keeper's Answer" }).click();
      const items = page.locator(".preface .notes.module ul.associations li");
      assert.deepEqual(await items.allInnerTexts(), [
        `For ${RECIPIENT}, Aunt May of the Harbour.`,
        `Inspired by The Lighthouse at the End of a Very Long and Winding Coastal Road by ${RECIPIENT}.`,
      ]);
      await lookAtPage(page, "gifts-work-page");
    } finally {
      await page.close();
    }
  });

  test("the parent's creator approves; the parent lists its translation and inspired work", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await recipient.newPage();
    try {
      await page.goto(`/users/${RECIPIENT}/inbox`);
      await page
        .getByRole("link", { name: /is inspired by your work/ })
        .first()
        .click();
      await page.waitForURL(`**/works/${parentId}/related_works`);
      await lookAtPage(page, "related-works-approval");
      await page.getByRole("button", { name: "Approve “The Keeper's Answer”" }).click();
      await page.waitForURL(`**/works/${parentId}/related_works`);
      await page.getByRole("button", { name: "Approve “La lanterne”" }).click();
      await page.waitForURL(`**/works/${parentId}/related_works`);
      assert.equal(await page.getByText("Listed on your work.", { exact: true }).count(), 2);

      const reader = await guest.newPage();
      try {
        await reader.goto(`/works/${parentId}`);
        assert.match(
          await reader.locator("ul.associations").innerText(),
          /Translation into Français available: La lanterne by gift_e2e_writer/,
        );
        assert.equal(
          await reader.locator("#children li").innerText(),
          `The Keeper's Answer by ${WRITER}`,
        );
        await reader.getByRole("link", { name: "other works inspired by this one" }).click();
        await lookAtPage(reader, "related-works-parent");
      } finally {
        await reader.close();
      }
    } finally {
      await page.close();
    }
  });

  test("the recipient's Gifts page, and refusing one gift", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await recipient.newPage();
    try {
      await page.goto(`/users/${RECIPIENT}/gifts`);
      assert.equal(await page.locator("li.work.blurb").count(), 3);
      await lookAtPage(page, "gifts-page");
      await page.goto(`/gifts/${giftId}/refuse`);
      await lookAtPage(page, "gifts-refuse");
      await page.getByRole("button", { name: "Yes, refuse the gift" }).click();
      await page.waitForURL(`**/users/${RECIPIENT}/gifts`);
      assert.match(await page.locator("body").innerText(), /You refused the gift/);
      assert.equal(await page.locator("li.work.blurb").count(), 2);
    } finally {
      await page.close();
    }
  });

  test("the work form's gift and related-work fields", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    try {
      await page.goto("/works/new");
      await page.getByLabel("Gift this work to").fill("Someone Far Away");
      await page.getByLabel("URL of the work").fill("https://elsewhere.example/works/7");
      await page.getByLabel("A remix of").check();
      await page.locator("#field-related-works").scrollIntoViewIfNeeded();
      await lookAtPage(page, "gifts-work-form");
    } finally {
      await page.close();
    }
  });
});
