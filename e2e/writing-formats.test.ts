// Writing in formats in Chromium (issue 14): without JavaScript the textarea and its format
// choice post and preview; with it, "Rich text" is a Tiptap editor whose toolbar (and Ctrl+B)
// makes Mark's paragraph bold, under the archive's real Content-Security-Policy; what the
// editor writes for each toolbar feature is kept unchanged by the sanitizer; switching formats
// keeps the text. axe and screenshots at 1280 and 390 px on the forms and the preview.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import render from "dom-serializer";
import { parseDocument } from "htmlparser2";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { formatText } from "../src/core/text/formats.ts";
import { removedByAllowlist } from "../src/core/text/removed.ts";
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

/** HTML written out the same way whatever its spelling (`<br>` or `<br />`, blank lines). */
function normalised(html: string): string {
  return render(parseDocument(html.replace(/>\s*\n\s*</g, "><")), { decodeEntities: true });
}

describe("writing formats in a browser", () => {
  let server: Server;
  let browser: Browser;
  /** The archive's CSP in force: the editor must work under it. */
  let strict: BrowserContext;
  /** CSP bypassed, for axe (injected as an inline script). */
  let checked: BrowserContext;
  let noScript: BrowserContext;
  const blocked: string[][] = [];
  const cspErrors: string[] = [];

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    await new Client(server.testApp.app).signUp("rich_writer");
    browser = await launchBrowser();
    const a = await fencedContext(browser, server.url);
    const b = await fencedContext(browser, server.url, { bypassCSP: true });
    const c = await fencedContext(browser, server.url, { javaScriptEnabled: false });
    blocked.push(a.blocked, b.blocked, c.blocked);
    strict = a.context;
    checked = b.context;
    noScript = c.context;
    for (const context of [strict, checked, noScript]) await logIn(context, "rich_writer");
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    for (const list of blocked) assert.deepEqual(list, [], "nothing left the archive");
    assert.deepEqual(cspErrors, [], "nothing broke the Content-Security-Policy");
  });

  async function openForm(context: BrowserContext, url = "/works/new"): Promise<Page> {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") cspErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => cspErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(url);
    return page;
  }

  /** The new-work form's required fields. */
  async function fillMeta(page: Page, title: string) {
    await page.getByLabel("Rating").selectOption("Teen And Up Audiences");
    await page.getByLabel("No Archive Warnings Apply").check();
    await page.getByLabel("Fandoms").fill("Grey's Anatomy");
    await page.getByLabel("Work Title").fill(title);
    await page.getByLabel("Notes at the beginning").fill("Mark's POV is bold; Lexie's is plain.");
  }

  const editor = (page: Page) => page.locator(".ProseMirror");

  /** Rich text chosen (the forms start from the writer's last format) and the editor shown. */
  async function richText(page: Page) {
    const format = page.getByLabel("Text format", { exact: true });
    if ((await format.inputValue()) !== "rich") await format.selectOption("rich");
    await editor(page).waitFor();
  }
  const textarea = (page: Page) => page.locator("textarea#field-text");

  test("without JavaScript: Markdown with the format choice previews and posts", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openForm(noScript);
    assert.equal(await editor(page).count(), 0);
    await fillMeta(page, "Fog Without Script");
    await page.getByLabel("Text format", { exact: true }).selectOption("markdown");
    await textarea(page).fill("**Mark** kept watch.\n\nLexie slept.");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL("**/works/preview");
    const previewed = page.locator(".preview #chapters .userstuff");
    assert.equal(await previewed.locator("strong").textContent(), "Mark");
    assert.equal(await textarea(page).inputValue(), "**Mark** kept watch.\n\nLexie slept.");
    assert.equal(await page.getByLabel("Text format", { exact: true }).inputValue(), "markdown");
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForURL(/\/works\/\d+$/);
    assert.equal(await page.locator("#chapters .userstuff strong").textContent(), "Mark");
    await page.close();
  });

  test("with JavaScript: the toolbar and Ctrl+B make Mark's paragraph bold; preview; post", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openForm(strict);
    await richText(page);
    // The editor replaces the textarea.
    assert.equal(await textarea(page).isVisible(), false);
    await fillMeta(page, "Two Voices");

    await editor(page).click();
    await page.keyboard.type("Mark watched the ferry come in.");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Lexie did not look up.");
    // Back to Mark's paragraph: select it and press the toolbar's Bold.
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Home");
    await page.keyboard.press("Shift+End");
    const bold = page.getByRole("button", { name: "Bold" });
    assert.equal(await bold.getAttribute("aria-pressed"), "false");
    await bold.click();
    assert.equal(await bold.getAttribute("aria-pressed"), "true");
    // Then a third paragraph, Mark again, in bold by keyboard.
    await editor(page).press("ControlOrMeta+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("Mark again.");
    await page.keyboard.press("Control+b");
    await page.keyboard.type(" Lexie again.");
    const html = await textarea(page).inputValue();
    assert.equal(
      html,
      "<p><strong>Mark watched the ferry come in.</strong></p><p>Lexie did not look up.</p><p><strong>Mark again.</strong> Lexie again.</p>",
    );

    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL("**/works/preview");
    const preview = page.locator(".preview #chapters .userstuff");
    assert.deepEqual(await preview.locator("strong").allTextContents(), [
      "Mark watched the ferry come in.",
      "Mark again.",
    ]);
    assert.match(
      (await page.locator(".preview-removed").textContent()) ?? "",
      /Nothing was removed/,
    );
    // The form came back in the editor, with the same text.
    await editor(page).waitFor();
    assert.equal(await editor(page).locator("strong").count(), 2);
    assert.equal(await textarea(page).inputValue(), html);

    await page.getByRole("button", { name: "Post", exact: true }).click();
    await page.waitForURL(/\/works\/\d+$/);
    assert.deepEqual(await page.locator("#chapters .userstuff strong").allTextContents(), [
      "Mark watched the ferry come in.",
      "Mark again.",
    ]);
    const workId = workIdFrom(page.url());
    const stored = await server.testApp.handle.db
      .selectFrom("chapters")
      .select("text_html")
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();
    assert.equal(normalised(stored.text_html), normalised(html));
    await page.close();
  });

  test("what the editor writes for each toolbar feature is stored unchanged", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openForm(strict);
    await richText(page);
    let linkTo = "";
    page.on("dialog", (dialog) => void dialog.accept(linkTo));
    const results: string[] = [];
    const features: [tool: string, text: string, expect: RegExp][] = [
      ["Bold", "Bold words here", /<strong>/],
      ["Italic", "Italic words here", /<em>/],
      ["Underline", "Underlined words", /<u>/],
      ["Strikethrough", "Struck words", /<s>/],
      ["Heading", "A heading", /<h2>/],
      ["Subheading", "A subheading", /<h3>/],
      ["Bulleted list", "A list item", /<ul><li><p>/],
      ["Numbered list", "A numbered item", /<ol><li><p>/],
      ["Quote", "A quotation", /<blockquote><p>/],
      [
        "Link https://example.org/a?b=1&c=2",
        "An outside link",
        /<a href="https:\/\/example\.org\/a\?b=1&amp;c=2" rel="nofollow">/,
      ],
      ["Link /works/1", "A link on the archive", /<a href="\/works\/1">/],
      ["Horizontal line", "Above the line", /<hr>/],
      ["Line break", "Before the break", /<br>/],
    ];
    for (const [tool, text, expect] of features) {
      await editor(page).click();
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.press("Delete");
      await page.keyboard.type(`${text} & <more>`);
      const inserts = tool === "Line break" || tool === "Horizontal line";
      // Inserted at the end of the text; the others apply to all of it.
      await page.keyboard.press(inserts ? "End" : "ControlOrMeta+a");
      const url = /^Link (.+)$/.exec(tool)?.[1];
      linkTo = url ?? "";
      await page.getByRole("button", { name: url ? "Link" : tool, exact: true }).click();
      if (inserts) await page.keyboard.type("after");
      const html = await textarea(page).inputValue();
      assert.match(html, expect, `${tool}: ${html}`);
      const stored = formatText(html, "rich");
      assert.equal(
        removedByAllowlist(html).size,
        0,
        `${tool}: the sanitizer would remove ${[...removedByAllowlist(html).keys()].join(", ")}`,
      );
      assert.equal(normalised(stored.html), normalised(html), `${tool}: changed when stored`);
      results.push(html);
    }
    // All of it together, as one chapter.
    const all = results.join("");
    assert.equal(normalised(formatText(all, "rich").html), normalised(all));
    await page.close();
  });

  test("switching formats keeps the text; HTML the editor cannot hold stays HTML", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await openForm(strict);
    await richText(page);
    await editor(page).click();
    await page.keyboard.type("Kept ");
    await page.keyboard.press("Control+i");
    await page.keyboard.type("through");
    await page.keyboard.press("Control+i");
    await page.keyboard.type(" the switch.");
    const format = page.getByLabel("Text format", { exact: true });
    await format.selectOption("html");
    assert.equal(await textarea(page).isVisible(), true);
    assert.equal(await editor(page).isVisible(), false);
    assert.equal(await textarea(page).inputValue(), "<p>Kept <em>through</em> the switch.</p>");
    // Markdown typed in the textarea comes into the editor as what it means.
    await format.selectOption("markdown");
    await textarea(page).fill("Now **bold** and\n\n- a list");
    await format.selectOption("rich");
    assert.equal(await editor(page).isVisible(), true);
    assert.equal(
      await textarea(page).inputValue(),
      "<p>Now <strong>bold</strong> and</p><ul><li><p>a list</p></li></ul>",
    );
    // A table would be lost in the editor: the text stays in the textarea, and says why.
    await format.selectOption("html");
    await textarea(page).fill("<table><tr><td>cell</td></tr></table>");
    await format.selectOption("rich");
    assert.equal(await format.inputValue(), "html");
    assert.equal(await textarea(page).isVisible(), true);
    assert.match(
      (await page.locator(".editor-status").textContent()) ?? "",
      /a table, which the rich-text editor cannot keep/,
    );
    assert.equal(await textarea(page).inputValue(), "<table><tr><td>cell</td></tr></table>");
    await page.close();
  });

  test("the forms with the editor and the preview pass axe, at 1280 and 390 px", async (t) => {
    if (skipWithoutChromium(t)) return;
    const writer = new Client(server.testApp.app);
    await writer.logIn("rich_writer");
    const res = await writer.post(
      "/works",
      workForm({
        title: "Looked At",
        text: "<p><strong>Mark</strong> first.</p><p>Lexie second.</p>",
        text_format: "rich",
      }),
    );
    assert.equal(res.statusCode, 303);
    const workId = workIdFrom(res.headers.location);
    const chapter = await server.testApp.handle.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();

    const page = await openForm(checked);
    await richText(page);
    await lookAtPage(page, "writing-new-work-editor");
    // Focus on the toolbar is visible and arrow keys move along it.
    await page.getByRole("button", { name: "Bold" }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Italic");

    await fillMeta(page, "Previewed <Work>");
    await editor(page).click();
    await page.keyboard.type("Mark's paragraph, to be checked.");
    await page
      .getByLabel("Summary")
      .fill('A <script>x()</script>summary with <span style="color:red">style</span>.');
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL("**/works/preview");
    assert.match(
      (await page.locator(".preview-removed").textContent()) ?? "",
      /removed: 1 script, 1 style attribute/,
    );
    await editor(page).waitFor();
    await lookAtPage(page, "writing-new-work-preview");

    await page.goto(`/works/${workId}/chapters/new`);
    await editor(page).waitFor();
    await lookAtPage(page, "writing-new-chapter");
    await page.goto(`/works/${workId}/chapters/${chapter.id}/edit`);
    await editor(page).waitFor();
    assert.equal(await editor(page).locator("strong").textContent(), "Mark");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL("**/preview");
    await lookAtPage(page, "writing-edit-chapter-preview");
    await page.close();

    const bare = await openForm(noScript);
    assert.equal(await bare.locator("textarea#field-text").isVisible(), true);
    await bare.close();
  });
});
