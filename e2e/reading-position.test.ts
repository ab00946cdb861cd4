// Reading position in a real browser: the reader scrolls a long chapter on one "device",
// reading-position.js saves the paragraph at the top of the window once scrolling stops, and
// another browser context logged in as the same reader is offered "Continue reading" to that
// paragraph. The script is served from /assets (CSP stays on: no inline script).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const PARAGRAPHS = 80;

describe("reading position, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let workId = 0;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("long_writer");
    const text = Array.from(
      { length: PARAGRAPHS },
      (_, i) =>
        `Paragraph ${i + 1}: the tide came in over the causeway, and the keeper counted the lamps again, one by one, until the light held.`,
    ).join("\n\n");
    const res = await writer.post("/works", workForm({ title: "The Long Tide", text }));
    assert.equal(res.statusCode, 303);
    workId = workIdFrom(res.headers.location);
    await new Client(server.testApp.app).signUp("tide_reader");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("scrolling saves the paragraph; another device continues there", async (t) => {
    if (skipWithoutChromium(t)) return;
    const phone = await fencedContext(browser, server.url, {
      viewport: { width: 400, height: 700 },
    });
    blocked.push(phone.blocked);
    await logIn(phone.context, "tide_reader");
    const page = await phone.context.newPage();
    await page.goto(`/works/${workId}`);
    const saved = page.waitForResponse(
      (res) => res.url().endsWith(`/works/${workId}/position`) && res.request().method() === "POST",
      { timeout: 10_000 },
    );
    // Bring paragraph 40 to the top of the window, as a reader scrolling down would.
    await page.evaluate(() => {
      const target = document.querySelector('[id$="-p40"]');
      if (!target) throw new Error("no paragraph 40");
      window.scrollTo(0, target.getBoundingClientRect().top + window.scrollY + 2);
    });
    const response = await saved;
    assert.equal(response.status(), 204);
    const stored = await server.testApp.deps.db
      .selectFrom("readings")
      .select(["position_paragraph", "position_anchor"])
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();
    // The topmost paragraph still (partly) on screen: 40, or 41 if 40 just left the top.
    assert.ok(
      stored.position_paragraph === 39 || stored.position_paragraph === 40,
      `saved paragraph index ${stored.position_paragraph}`,
    );
    await phone.context.close();

    const laptop = await fencedContext(browser, server.url);
    blocked.push(laptop.blocked);
    await logIn(laptop.context, "tide_reader");
    const other = await laptop.context.newPage();
    await other.goto(`/works/${workId}`);
    const link = other.getByRole("link", { name: "Continue reading" }).first();
    const href = (await link.getAttribute("href")) ?? "";
    assert.match(href, new RegExp(`#chapter-1-p${stored.position_paragraph + 1}$`));
    await link.click();
    await other.waitForURL((url) => url.hash !== "");
    // The browser scrolled the saved paragraph to the top.
    const top = await other.evaluate(
      (id) => document.getElementById(id)?.getBoundingClientRect().top ?? NaN,
      href.split("#")[1]!,
    );
    assert.ok(Math.abs(top) < 5, `paragraph at ${top}px from the top`);
    await laptop.context.close();
  });

  test("the adult-content notice keeps the paragraph a Continue link points at", async (t) => {
    if (skipWithoutChromium(t)) return;
    const writer = new Client(server.testApp.app);
    await writer.logIn("long_writer");
    const text = Array.from({ length: 60 }, (_, i) => `Night paragraph ${i + 1}.`).join("\n\n");
    const res = await writer.post(
      "/works",
      workForm({ title: "After Dark", rating: "Explicit", text }),
    );
    const explicitId = workIdFrom(res.headers.location);
    const fenced = await fencedContext(browser, server.url, {
      viewport: { width: 400, height: 500 },
    });
    blocked.push(fenced.blocked);
    const page = await fenced.context.newPage();
    await page.goto(`/works/${explicitId}#chapter-1-p30`);
    await page.getByText("This work could have adult content").waitFor();
    await page.getByRole("link", { name: "Proceed" }).click();
    await page.waitForURL((url) => url.searchParams.get("view_adult") === "true");
    assert.equal(new URL(page.url()).hash, "#chapter-1-p30");
    const top = await page.evaluate(
      () => document.getElementById("chapter-1-p30")?.getBoundingClientRect().top ?? NaN,
    );
    assert.ok(Math.abs(top) < 5, `paragraph at ${top}px from the top`);
    await fenced.context.close();
  });
});
