// Filtering in a real browser: tick a facet, exclude a tag, save the exclusion as a default,
// and find it applied on another tag page, with a way to show what it hid.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { Client, workForm } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

describe("filters and saved exclusions, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let reader: BrowserContext;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("tide_writer");
    for (const [title, fandoms, freeforms] of [
      ["Lamp at Dusk", "Lighthouse Keepers (TV)", "Fluff"],
      ["Storm Warning", "Lighthouse Keepers (TV)", "Angst"],
      ["Low Water", "Tidal Stories", "Angst"],
    ] as const) {
      const res = await writer.post("/works", workForm({ title, fandoms, freeforms }));
      assert.equal(res.statusCode, 303);
    }
    await new Client(server.testApp.app).signUp("tide_reader");
    browser = await launchBrowser();
    const fenced = await fencedContext(browser, server.url);
    reader = fenced.context;
    blocked.push(fenced.blocked);
    await logIn(reader, "tide_reader");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("tick a facet, exclude a tag, always hide it, see it applied elsewhere", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await reader.newPage();
    const titles = () => page.locator("li.work h3.heading > a:first-child").allTextContents();
    await page.goto("/works");
    assert.equal((await titles()).length, 3);

    const filters = page.getByRole("form", { name: "Sort and Filter" });
    // Each category of tags is a disclosure; a tag's row has an include and an exclude box.
    await filters.locator("summary", { hasText: "Fandoms" }).click();
    await filters
      .getByRole("group", { name: "Fandoms" })
      .getByRole("checkbox", { name: "Include Lighthouse Keepers (TV) (2)" })
      .check();
    await filters.getByRole("button", { name: "Sort and Filter" }).first().click();
    await page.waitForURL(/include=/);
    assert.deepEqual((await titles()).sort(), ["Lamp at Dusk", "Storm Warning"]);
    assert.match(await page.locator("#results-heading").innerText(), /2 Works/);

    assert.match(
      await page.locator("#results-heading").innerText(),
      /2 Works in Lighthouse Keepers \(TV\)/,
    );

    // The same row excludes; exclusion wins over the include.
    await filters.locator("summary", { hasText: "Additional tags" }).click();
    await filters
      .getByRole("group", { name: "Additional tags" })
      .getByRole("checkbox", { name: "Exclude Angst" })
      .check();
    await filters.getByRole("button", { name: "Sort and Filter" }).first().click();
    await page.waitForURL(/exclude=/);
    assert.deepEqual(await titles(), ["Lamp at Dusk"]);
    assert.match(
      await page.locator("#results-heading").innerText(),
      /1 Work in Lighthouse Keepers \(TV\), excluding Angst/,
    );

    await page.getByRole("button", { name: "Always hide “Angst”" }).click();
    await page.waitForURL(/exclude=/);
    assert.match(await page.locator(".flash, [role=status]").first().innerText(), /Angst/);

    await page.goto("/tags/Tidal%20Stories/works");
    assert.deepEqual(await titles(), []);
    const note = page.locator(".hidden-note");
    assert.match(await note.innerText(), /1 work hidden by your\s+filters/);
    await note.getByRole("link", { name: "show" }).click();
    await page.waitForURL(/exclusions=off/);
    assert.deepEqual(await titles(), ["Low Water"]);

    await page.goto("/preferences/exclusions");
    assert.match(await page.locator(".exclusion-list").innerText(), /Angst/);
    await page.close();
  });
});
