// Collections in a browser (issue 15): the new-collection form (filled in and sent through
// the real form), a collection's profile, its works page with the Sort and filter, the
// moderators' queue showing an anonymous work's real creator, the participants page, the
// "Add to Collections" form and a creator's collection items with an invitation.
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

const OWNER = "coll_e2e_owner";
const WRITER = "coll_e2e_writer";

describe("collections in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let owner: BrowserContext;
  let writer: BrowserContext;
  const blocked: string[][] = [];
  let invitedWork = 0;

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const { app } = server.testApp;
    const ownerClient = new Client(app);
    await ownerClient.signUp(OWNER);
    const writerClient = new Client(app);
    await writerClient.signUp(WRITER);
    const created = await ownerClient.post("/collections", {
      name: "Winter_Exchange_2026",
      title: "The Winter Lighthouse Exchange of the Very Long Northern Coast, 2026",
      description: "A gift exchange for <em>lighthouse</em> fandoms. Sign up, write, reveal.",
      rules: "At least 1,000 words.\n\nNo works-in-progress.",
      moderated: "1",
      anonymous: "1",
      reveal_creators_at: "2026-12-24T18:00",
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 500));
    const child = await ownerClient.post("/collections", {
      name: "Winter_Exchange_Treats",
      title: "Treats",
      parent_name: "Winter_Exchange_2026",
    });
    assert.equal(child.statusCode, 303, child.body.slice(0, 500));
    const post = async (client: Client, overrides: Record<string, string>) => {
      const res = await client.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    for (const [title, freeforms] of [
      ["Gull Season", "Fluff"],
      ["Fog Horns at Midnight", "Angst, Fluff"],
    ] as const) {
      const id = await post(writerClient, {
        title,
        freeforms,
        collection_names: "Winter_Exchange_2026",
      });
      await ownerClient.post(`/collections/Winter_Exchange_2026/items/${id}/approve`);
    }
    await post(writerClient, {
      title: "Waiting in the Queue",
      collection_names: "Winter_Exchange_2026",
    });
    await post(ownerClient, { title: "A Small Treat", collection_names: "Winter_Exchange_Treats" });
    invitedWork = await post(writerClient, { title: "The Keeper's Invitation" });
    const invite = await ownerClient.post(`/works/${invitedWork}/collection_items`, {
      collection_names: "Winter_Exchange_Treats",
    });
    assert.equal(invite.statusCode, 303, invite.body.slice(0, 500));
    await server.testApp.drainJobs();
    browser = await launchBrowser();
    // axe goes in as an inline script, which the CSP rightly refuses: bypass it here.
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    const o = await fencedContext(browser, server.url, { bypassCSP: true });
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = g.context;
    owner = o.context;
    writer = w.context;
    blocked.push(g.blocked, o.blocked, w.blocked);
    await logIn(owner, OWNER);
    await logIn(writer, WRITER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("the new-collection form, sent for real", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await owner.newPage();
    try {
      await page.goto("/collections/new");
      await lookAtPage(page, "collection-new");
      await page.getByLabel("Name").fill("Spring_Drabbles");
      await page.getByLabel("Title").fill("Spring Drabbles");
      await page.getByLabel("Description").fill("Exactly one hundred words.");
      await page.getByLabel(/^Moderated/).check();
      await page.getByRole("button", { name: "Create collection" }).click();
      await page.waitForURL((url) => url.pathname === "/collections/Spring_Drabbles");
      assert.match(await page.locator("h1").innerText(), /Spring Drabbles/);
      assert.match(await page.locator(".collection-meta").innerText(), /moderated/);
    } finally {
      await page.close();
    }
  });

  test("a collection's profile, as a guest and as its owner", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      const res = await page.goto("/collections/Winter_Exchange_2026");
      assert.ok(res?.ok());
      assert.equal(
        await page.locator("li.work.blurb").count(),
        3,
        "approved works, its child's too",
      );
      assert.doesNotMatch(await page.locator("main").innerText(), new RegExp(WRITER));
      await lookAtPage(page, "collection-profile");
    } finally {
      await page.close();
    }
    const mine = await owner.newPage();
    try {
      await mine.goto("/collections/Winter_Exchange_2026");
      await mine.getByRole("button", { name: "Reveal creators" }).waitFor();
      await lookAtPage(mine, "collection-profile-owner");
    } finally {
      await mine.close();
    }
  });

  test("a collection's works, with the Sort and filter", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await guest.newPage();
    try {
      await page.goto("/collections/Winter_Exchange_2026/works");
      assert.match(await page.locator("#results-heading").innerText(), /3 Works in The Winter/);
      await lookAtPage(page, "collection-works");
      await page.goto("/collections/Winter_Exchange_2026/works?include_tags=Angst");
      assert.match(await page.locator("#results-heading").innerText(), /1 Work in .* and Angst/);
    } finally {
      await page.close();
    }
  });

  test("the moderators' queue names the real creators", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await owner.newPage();
    try {
      await page.goto("/collections/Winter_Exchange_2026/items");
      const blurb = page.locator("li.work.blurb", { hasText: "Waiting in the Queue" });
      assert.match(await blurb.innerText(), new RegExp(WRITER));
      await lookAtPage(page, "collection-items");
      await blurb.getByRole("button", { name: /Approve/ }).click();
      await page.waitForURL((url) => url.search === "?status=pending");
      assert.equal(await page.locator("li.work.blurb").count(), 0);
      await page.goto("/collections/Winter_Exchange_2026/participants");
      await lookAtPage(page, "collection-participants");
    } finally {
      await page.close();
    }
  });

  test("a creator's collection items: accept an invitation", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await writer.newPage();
    try {
      await page.goto(`/users/${WRITER}/collection_items`);
      await lookAtPage(page, "collection-user-items");
      await page.getByRole("button", { name: /Accept/ }).click();
      await page.waitForURL((url) => url.pathname === `/users/${WRITER}/collection_items`);
      await page.goto(`/works/${invitedWork}`);
      assert.match(await page.locator("dd.collections").innerText(), /Treats/);
      await page.goto(`/works/${invitedWork}/collection_items/new`);
      await lookAtPage(page, "collection-add-work");
    } finally {
      await page.close();
    }
  });
});
