// What a reader sees of chapter text typed with a little HTML (issue #11, "walls of text"): plain
// text with one <blockquote>, a <div> and a <b> spanning paragraphs comes out in paragraphs, and
// the first-start demo's work 136 (POV in bold, a letter in a <blockquote>) reads bold paragraph
// by paragraph. Screenshots at 1280 and 390 px go to artifacts/screenshots/reading-text-*.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { demoUsers, generateWorks, type DemoWork } from "../src/demo/generate.ts";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
import {
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  screenshotWidths,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

/** Typed the way writers type on AO3: plain text, with HTML only where they wanted it. */
const MIXED = `The letter came on a Tuesday, which Lexie would later decide was the only honest thing about it.
She read it standing up, coat still on.

<blockquote>Dear Lexie,

I know you said not to write. I'm writing anyway.

The lighthouse is quiet without you. The lamp still needs winding at four.

Yours,
Mark</blockquote>

She folded it in half, then in half again, until it was small enough to forget.

<b>It didn't work. She remembered every word.

Not the apology, though. The part about the lamp.

Four o'clock. He had always been bad at four o'clock.</b>

<div class="note">A note pinned to the door:

Back soon.
Don't touch the lamp.</div>

She took the night train north.`;

/** Counts of what the chapter body holds, as the browser parsed it. */
interface Body {
  paragraphs: number;
  /** Paragraphs whose text is all bold (font-weight 600+), and those with both kinds. */
  bold: number;
  mixed: number;
  /** Text directly in the body, a blockquote or a div: outside any paragraph. */
  loose: string[];
  blockquoteParagraphs: number;
  divParagraphs: number;
}

async function chapterBody(page: Page): Promise<Body> {
  return page.evaluate(() => {
    const body = document.querySelector('.userstuff[role="article"]');
    if (!body) throw new Error("no chapter body");
    const ps = Array.from(body.querySelectorAll("p"));
    let bold = 0;
    let mixed = 0;
    for (const p of ps) {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let heavy = false;
      let light = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!/\S/.test(n.textContent ?? "")) continue;
        const weight = Number(getComputedStyle(n.parentElement!).fontWeight);
        if (weight >= 600) heavy = true;
        else light = true;
      }
      if (heavy && !light) bold++;
      if (heavy && light) mixed++;
    }
    const loose: string[] = [];
    for (const block of [body, ...Array.from(body.querySelectorAll("blockquote, div"))]) {
      for (const n of Array.from(block.childNodes)) {
        if (n.nodeType === Node.TEXT_NODE && /\S/.test(n.textContent ?? "")) {
          loose.push(n.textContent!.trim());
        }
      }
    }
    return {
      paragraphs: ps.length,
      bold,
      mixed,
      loose,
      blockquoteParagraphs: body.querySelectorAll("blockquote > p").length,
      divParagraphs: body.querySelectorAll("div.note > p").length,
    };
  });
}

describe("chapter text reads in paragraphs, in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let mixedId = 0;
  let povId = 0;
  const blocked: string[][] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writer = new Client(server.testApp.app);
    await writer.signUp("mixed_typist");
    const mixed = await writer.post(
      "/works",
      workForm({ title: "Four O'Clock", text: MIXED, notes: "Part of a <b>bold</b> experiment." }),
    );
    assert.equal(mixed.statusCode, 303, mixed.body.slice(0, 300));
    mixedId = workIdFrom(mixed.headers.location);

    // A POV-bold work with a letter in its first chapter from the first-start demo (200 works,
    // seed 1; work 136 of the issue), as the generator typed it. Chosen by content: the corpus
    // differs when ../shared's AO3 tag counts are absent.
    let demo: DemoWork | undefined;
    for (const w of generateWorks({ works: 200, seed: 1, bodies: "full" }, demoUsers(12))) {
      if (/bold/i.test(w.notes) && /<blockquote>/.test(w.chapters[0]!.text)) {
        demo = w;
        break;
      }
    }
    assert.ok(demo, "the demo has a POV-bold work with a letter");
    const first = demo.chapters[0]!;
    assert.match(first.text, /<blockquote>/);
    const pov = await writer.post(
      "/works",
      workForm({ title: demo.title, notes: demo.notes, text: first.text }),
    );
    assert.equal(pov.statusCode, 303, pov.body.slice(0, 300));
    povId = workIdFrom(pov.headers.location);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  test("plain text around a blockquote, a div and a bold passage keeps its paragraphs", async (t) => {
    if (skipWithoutChromium(t)) return;
    const fenced = await fencedContext(browser, server.url);
    blocked.push(fenced.blocked);
    const page = await fenced.context.newPage();
    await page.goto(`/works/${mixedId}`);
    const body = await chapterBody(page);
    assert.equal(body.paragraphs, 12, JSON.stringify(body));
    assert.deepEqual(body.loose, []);
    assert.equal(body.blockquoteParagraphs, 4);
    assert.equal(body.divParagraphs, 2);
    // The <b> opened before a blank line and closed two paragraphs later: three bold ones.
    assert.equal(body.bold, 3);
    assert.equal(body.mixed, 0);
    const lines = await page.locator('.userstuff[role="article"] blockquote p').last().innerText();
    assert.equal(lines, "Yours,\nMark");
    await screenshotWidths(page, "reading-text-mixed");
  });

  test("the demo's POV-bold work with a letter: bold paragraph by paragraph", async (t) => {
    if (skipWithoutChromium(t)) return;
    const fenced = await fencedContext(browser, server.url);
    blocked.push(fenced.blocked);
    const page = await fenced.context.newPage();
    await page.goto(`/works/${povId}`);
    const body = await chapterBody(page);
    assert.ok(body.paragraphs > 40, `${body.paragraphs} paragraphs`);
    assert.deepEqual(body.loose, []);
    assert.ok(body.blockquoteParagraphs >= 3, `${body.blockquoteParagraphs} in the letter`);
    assert.ok(body.bold > 10, `${body.bold} bold paragraphs`);
    assert.ok(body.bold < body.paragraphs - 10, "the other POV is plain");
    assert.equal(body.mixed, 0);
    await screenshotWidths(page, "reading-text-pov-bold");
  });
});
