/**
 * AO3's paragraph rules around HTML blocks (issue #11, "walls of text"): blank lines separate
 * paragraphs and single newlines become `<br />` wherever text is not already inside a
 * paragraph-level element, even when the same text also holds block HTML.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Parser } from "htmlparser2";
import { paragraphTexts } from "./paragraphs.ts";
import { formatUserText, htmlToPlainText, sanitizeHtml } from "./sanitize.ts";
import { allowlistProblems } from "../../../test/support/html-allowlist.ts";
import { skipUnless } from "../../../test/support/skip.ts";

/** Blocks whose loose text must end up in paragraphs (the chapter root is one too). */
const CONTAINERS = new Set(["div", "blockquote", "center", "details"]);
/** Elements a text may sit in, directly or through inline elements. */
const PARAGRAPH_LEVEL = new Set([
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li", "dt", "dd", "td", "th"],
  ...["caption", "figcaption", "summary", "address", "figure", "table", "ul", "ol", "dl"],
]);

/** Texts that are not inside any paragraph-level element ("loose" in the chapter or a div). */
function looseTexts(html: string): string[] {
  const open: string[] = [];
  const loose: string[] = [];
  new Parser(
    {
      onopentag: (name) => open.push(name),
      onclosetag: () => open.pop(),
      ontext: (text) => {
        if (/\S/.test(text) && !open.some((name) => PARAGRAPH_LEVEL.has(name))) loose.push(text);
      },
    },
    { decodeEntities: true },
  ).end(html);
  return loose;
}

/** Start and end tags of `name`, counted: every `<b>` closed, none stray. */
function tagBalance(html: string, name: string): { opened: number; closed: number } {
  const opened = html.match(new RegExp(`<${name}[ >]`, "g"))?.length ?? 0;
  const closed = html.match(new RegExp(`</${name}>`, "g"))?.length ?? 0;
  return { opened, closed };
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe("paragraph rules around HTML blocks", () => {
  test("plain text: blank lines make paragraphs, single newlines <br />", () => {
    assert.equal(
      formatUserText("She waited.\n\nHe came back\nlate.\n\n\n\nThe end."),
      "<p>She waited.</p>\n<p>He came back<br />late.</p>\n<p>The end.</p>",
    );
  });

  test("plain text with one <blockquote> in the middle keeps its paragraphs", () => {
    const text = [
      "Lexie read the letter twice.",
      "Then a third time.\nSlowly.",
      "<blockquote>Dear Lexie,\n\nI was wrong.\n\nYours,\nMark</blockquote>",
      "She folded it away.",
      "Outside, it rained.",
    ].join("\n\n");
    assert.equal(
      formatUserText(text),
      [
        "<p>Lexie read the letter twice.</p>",
        "<p>Then a third time.<br />Slowly.</p>",
        "<blockquote><p>Dear Lexie,</p>\n<p>I was wrong.</p>\n<p>Yours,<br />Mark</p></blockquote>",
        "<p>She folded it away.</p>",
        "<p>Outside, it rained.</p>",
      ].join("\n"),
    );
  });

  test("a <b> opened before a blank line and closed three paragraphs later: each bold", () => {
    const html = formatUserText(
      "<b>Mark's POV.\n\nHe waited.\n\nShe came.\n\nHe left.</b>\n\nLexie's POV, plain.",
    );
    assert.equal(
      html,
      [
        "<p><b>Mark's POV.</b></p>",
        "<p><b>He waited.</b></p>",
        "<p><b>She came.</b></p>",
        "<p><b>He left.</b></p>",
        "<p>Lexie's POV, plain.</p>",
      ].join("\n"),
    );
    assert.deepEqual(tagBalance(html, "b"), { opened: 4, closed: 4 });
    // The same with a block further on: before issue #11 that switched the rules off.
    assert.equal(
      formatUserText("<b>One.\n\nTwo.</b>\n\n<blockquote>Q</blockquote>"),
      "<p><b>One.</b></p>\n<p><b>Two.</b></p>\n<blockquote><p>Q</p></blockquote>",
    );
    // Attributes go with the reopened tag; tags opened inside a paragraph stay in it.
    assert.equal(
      formatUserText('<span class="pov">One <i>two\n\nthree</i> four\n\nfive</span>'),
      '<p><span class="pov">One <i>two</i></span></p>\n' +
        '<p><span class="pov"><i>three</i> four</span></p>\n' +
        '<p><span class="pov">five</span></p>',
    );
  });

  test("<div> blocks holding plain text get paragraphs inside them", () => {
    assert.equal(
      formatUserText('Before.\n\n<div class="text">One\nline two\n\nTwo</div>\n\nAfter.'),
      '<p>Before.</p>\n<div class="text"><p>One<br />line two</p>\n<p>Two</p></div>\n<p>After.</p>',
    );
    // Nested: the paragraphs go in the innermost block holding the text.
    assert.equal(
      formatUserText("<div><blockquote>a\n\nb</blockquote>c</div>"),
      "<div><blockquote><p>a</p>\n<p>b</p></blockquote>\n<p>c</p></div>",
    );
  });

  test("lists, tables and <pre> are kept as they are", () => {
    const kept = [
      "<ul><li>one\n\nstill one</li><li>two</li></ul>",
      "<ol><li><p>a</p></li></ol>",
      "<table><tbody><tr><td>a\n\nb</td><th>c</th></tr></tbody></table>",
      "<dl><dt>t</dt><dd>d\nd</dd></dl>",
      "<pre>  code\n\n    more\n</pre>",
      "<h2>A\nheading</h2>",
    ];
    for (const html of kept) assert.equal(formatUserText(html), html);
    assert.equal(
      formatUserText("Intro:\n\n<ul><li>x</li></ul><pre>a\n\nb</pre>\nOutro."),
      "<p>Intro:</p>\n<ul><li>x</li></ul><pre>a\n\nb</pre>\n<p>Outro.</p>",
    );
  });

  test("text already in <p>s comes out unchanged: no paragraph in a paragraph", () => {
    const html = [
      "<p>One.</p>",
      "<p>Two<br />\nstill two.</p>",
      "<hr />",
      '<p align="center">* * *</p>',
      "<blockquote>\n<p>Dear M,</p>\n<p>Yours,<br />\nL</p>\n</blockquote>",
      "<p><b>Bold</b> and <em>not</em>.</p>",
    ].join("\n");
    assert.equal(formatUserText(html), html);
    assert.equal(formatUserText("<p>a</p>\n\n\n<p>b</p>"), "<p>a</p>\n\n\n<p>b</p>");
  });

  test("two <br>s in a row end a paragraph; a newline after a <br> is the same line", () => {
    assert.equal(formatUserText("a<br><br>b"), "<p>a</p>\n<p>b</p>");
    assert.equal(formatUserText("a<br />\nb<br />\n<br />\nc"), "<p>a<br />b</p>\n<p>c</p>");
    assert.equal(formatUserText("<i>a</i>\n<b>b</b>"), "<p><i>a</i><br /><b>b</b></p>");
  });

  test("an inline element holding a block becomes a block: nothing nests in a <p>", () => {
    const html = formatUserText("<b>x\n\n<div>y</div>z</b>");
    assert.equal(html, "<b><p>x</p>\n<div><p>y</p></div>\n<p>z</p></b>");
    assert.deepEqual(looseTexts(html), []);
  });

  test("reopening is bounded: deep nesting over many paragraphs cannot blow up", () => {
    // Reopening all 40 in each paragraph would write 80,000 <b>s; the reopened tags may add at
    // most the input's length, and only the innermost eight are reopened.
    const input = `${"<b>".repeat(40)}${"x\n\n".repeat(2000)}`;
    const html = formatUserText(input);
    assert.equal(paragraphTexts(html).length, 2000);
    const { opened, closed } = tagBalance(html, "b");
    assert.equal(opened, closed);
    const budget = sanitizeHtml(input).length;
    assert.ok(opened <= 40 + budget / "<b></b>".length, `${opened} <b>s`);
    assert.match(html, /^<p>(<b>){40}x(<\/b>){40}<\/p>\n<p>(<b>){8}x(<\/b>){8}<\/p>\n/);
    assert.match(html, /\n<p>x<\/p>$/);
    assert.equal(formatUserText(html), html);
  });

  test("property: every text run ends up in a paragraph-level element", () => {
    const word = fc.constantFrom("Mark", "Lexie's", "rain", "東京", "a&b", "x&lt;y", "—", "3.5");
    const space = fc.constantFrom(" ", " ", "\n", "\n\n", "\n \n", "\n\n\n", "\r\n\r\n", "\t");
    const inline = fc.constantFrom("b", "i", "em", "strong", "span", "a");
    // Inline elements hold inline content here (one holding a block becomes a block, which
    // may split a word in two: tested above); an unclosed <b> comes last.
    const { phrase } = fc.letrec<{ phrase: string; bit: string }>((tie) => ({
      phrase: fc.array(tie("bit"), { maxLength: 8 }).map((p) => p.join("")),
      bit: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        word,
        space,
        fc.tuple(inline, tie("phrase")).map(([t, inner]) => `<${t}>${inner}</${t}>`),
        fc.constantFrom("<br>", "<br><br>", "</i>", '<img src="/x.png" alt="">'),
      ),
    }));
    const { text } = fc.letrec<{ text: string; piece: string }>((tie) => ({
      text: fc.array(tie("piece"), { maxLength: 10 }).map((p) => p.join("")),
      piece: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        phrase,
        fc
          .tuple(fc.constantFrom("div", "blockquote", "center"), tie("text"))
          .map(([t, inner]) => `<${t}>${inner}</${t}>`),
        word.map((w) => `<p>${w}\n${w}</p>`),
        word.map((w) => `<ul><li>${w}</li></ul>`),
        word.map((w) => `<table><tr><td>${w}</td></tr></table>`),
        word.map((w) => `<pre>${w}\n\n${w}</pre>`),
        word.map((w) => `<h2>${w}</h2>`),
        fc.constant("<hr>"),
      ),
    }));
    const chapter = fc
      .tuple(text, fc.constantFrom("", "<b>Unclosed.\n\nStill bold."))
      .map(([t, tail]) => t + tail);
    fc.assert(
      fc.property(chapter, (input) => {
        const html = formatUserText(input);
        assert.deepEqual(looseTexts(html), [], html);
        assert.deepEqual(allowlistProblems(html), []);
        assert.equal(formatUserText(html), html, "stable when saved again");
        assert.equal(sanitizeHtml(html), html, "in the sanitizer's own form");
        // Nothing is lost or glued together: the same words as the sanitized input.
        assert.deepEqual(words(htmlToPlainText(html)), words(htmlToPlainText(sanitizeHtml(input))));
        // No text node with a blank line sits directly in the chapter or a block.
        const open: string[] = [];
        new Parser({
          onopentag: (name) => open.push(name),
          onclosetag: () => open.pop(),
          ontext: (t) => {
            const parent = open[open.length - 1];
            if (parent === undefined || CONTAINERS.has(parent)) {
              assert.doesNotMatch(t, /\S\s*\n\s*\n\s*\S/, `in ${parent ?? "the root"}`);
            }
          },
        }).end(html);
      }),
      { numRuns: 400 },
    );
  });
});

describe("the seed stories (../shared/seeds)", () => {
  const seedsDir = join(process.cwd(), "..", "shared", "seeds");
  const seeds = () =>
    readdirSync(seedsDir)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => readFileSync(join(seedsDir, f), "utf8"));
  const blocks = (text: string) =>
    text
      .replace(/\r\n?/g, "\n")
      .split(/\n\s*\n/)
      .map((p) => p.trim().replace(/\s*\n\s*/g, " "))
      .filter(Boolean);

  test("plain text: one paragraph per blank-line block, with or without a blockquote", (t) => {
    if (skipUnless(t, existsSync(seedsDir), `../shared/seeds not found at ${seedsDir}`)) return;
    const stories = seeds();
    assert.equal(stories.length, 2);
    for (const story of stories) {
      const expected = blocks(story).map((p) => htmlToPlainText(formatUserText(p)));
      assert.ok(expected.length > 20, `${expected.length} paragraphs`);
      const html = formatUserText(story);
      assert.deepEqual(paragraphTexts(html), expected);

      // The same story with a letter quoted in the middle: the prose around it keeps its
      // paragraphs (before issue #11 the whole chapter became one).
      const parts = story.split(/\n\s*\n/);
      const half = Math.floor(parts.length / 2);
      const quoted = [
        ...parts.slice(0, half),
        "<blockquote>Dear Lexie,\n\nCome home.\n\nMark</blockquote>",
        ...parts.slice(half),
      ].join("\n\n");
      const mixed = formatUserText(quoted);
      assert.deepEqual(paragraphTexts(mixed), [
        ...expected.slice(0, blocks(parts.slice(0, half).join("\n\n")).length),
        "Dear Lexie,",
        "Come home.",
        "Mark",
        ...expected.slice(blocks(parts.slice(0, half).join("\n\n")).length),
      ]);
      assert.deepEqual(looseTexts(mixed), []);
    }
  });
});
