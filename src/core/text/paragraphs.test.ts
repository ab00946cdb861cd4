import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  ANCHOR_LENGTH,
  chapterPrefix,
  foldAnchor,
  paragraphId,
  paragraphTexts,
  withParagraphIds,
} from "./paragraphs.ts";
import { formatUserText, sanitizeHtml, type SanitizedHtml } from "./sanitize.ts";

const ids = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);

describe("withParagraphIds", () => {
  test("numbers the paragraphs of plain text from 1 under the prefix", () => {
    const html = formatUserText("First.\n\nSecond line\nstill second.\n\nThird.");
    const out = withParagraphIds(html, chapterPrefix(3));
    assert.equal(
      out,
      '<p id="chapter-3-p1">First.</p>\n<p id="chapter-3-p2">Second line<br />still second.</p>\n<p id="chapter-3-p3">Third.</p>',
    );
  });

  test("only leaf blocks count: a list item holding paragraphs gives its paragraphs the ids", () => {
    const html = sanitizeHtml(
      "<h2>Title</h2><ul><li><p>a</p><p>b</p></li><li>c</li></ul><blockquote><p>d</p></blockquote><div>e<br>f</div>",
    );
    const out = withParagraphIds(html, "x");
    assert.deepEqual(ids(out), ["x-p1", "x-p2", "x-p3", "x-p4", "x-p5", "x-p6"]);
    assert.match(out, /<h2 id="x-p1">Title/);
    assert.match(out, /<li><p id="x-p2">a<\/p><p id="x-p3">b<\/p><\/li><li id="x-p4">c/);
    assert.match(out, /<blockquote><p id="x-p5">d<\/p><\/blockquote><div id="x-p6">e<br \/>f/);
    assert.deepEqual(paragraphTexts(html), ["Title", "a", "b", "c", "d", "e f"]);
  });

  test("keeps other attributes and drops any id already there, so ids never repeat", () => {
    const stored = '<p class="note" id="chapter-1-p2">One</p><p title="a &quot;q&quot;">Two</p>';
    const out = withParagraphIds(stored as SanitizedHtml, chapterPrefix(1));
    assert.equal(
      out,
      '<p id="chapter-1-p1" class="note">One</p><p id="chapter-1-p2" title="a &quot;q&quot;">Two</p>',
    );
    // The sanitizer itself never lets an author's id through.
    assert.doesNotMatch(sanitizeHtml('<p id="chapter-1-p1">x</p>'), /id=/);
  });

  test("ids are unique on a page showing several chapters", () => {
    const html = formatUserText("a\n\nb");
    const page = [1, 2, 3].map((n) => withParagraphIds(html, chapterPrefix(n))).join("");
    const all = ids(page);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, 6);
  });

  test("text that looks like markup stays text", () => {
    const html = formatUserText("I <3 you & a<b then &lt;p&gt;\n\nnext");
    assert.deepEqual(paragraphTexts(html), ["I <3 you & a<b then <p>", "next"]);
    assert.deepEqual(ids(withParagraphIds(html, "c")), ["c-p1", "c-p2"]);
  });

  test("an attribute value that looks like an id stays inside its attribute", () => {
    // The review's payloads: a regular expression took ` id=">…"` for an id attribute and cut it
    // out, which let `onmouseover` and a javascript: href out of the title.
    const p = sanitizeHtml(`<p title=" id=">a"" onmouseover=alert(1) </p>`);
    assert.equal(
      withParagraphIds(p, chapterPrefix(1)),
      `<p id="chapter-1-p1" title=" id=">a"" onmouseover=alert(1) </p>`,
    );
    const a = formatUserText(`<a title=" id=">x"" href=javascript:alert(3) </a>`);
    assert.equal(
      withParagraphIds(a, chapterPrefix(2)),
      `<p id="chapter-2-p1"><a title=" id=">x"" href=javascript:alert(3)</a></p>`,
    );
    assert.deepEqual(paragraphTexts(a), ['x"" href=javascript:alert(3)']);
  });

  test("writes what it reads in the sanitizer's form, whatever a stored row holds", () => {
    const stored = `<p title='a"b' class=x ID="old">1 &lt; 2 &amp;&amp; 3 > 2<br>x</p><!-- c -->`;
    assert.equal(
      withParagraphIds(stored as SanitizedHtml, "c"),
      '<p id="c-p1" title="a&quot;b" class="x">1 &lt; 2 &amp;&amp; 3 &gt; 2<br />x</p>',
    );
  });

  test("paragraph text is what a browser shows: every entity decoded", () => {
    const stored =
      "<p>Wait&hellip; &mdash; it&#x27;s &eacute;t&eacute;&nbsp;now</p><p>&constructor;</p>";
    assert.deepEqual(paragraphTexts(stored), ["Wait… — it's été\u00a0now", "&constructor;"]);
  });

  test("refuses a prefix that could break out of the attribute", () => {
    assert.throws(() => withParagraphIds("<p>x</p>" as SanitizedHtml, 'a" onclick="x'));
  });

  test("empty text has no paragraphs", () => {
    assert.equal(withParagraphIds("" as SanitizedHtml, "c"), "");
    assert.deepEqual(paragraphTexts(""), []);
  });

  test("property: one id per paragraph, in order, and nothing else changes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 12 }), (parts) => {
        const html = formatUserText(parts.join("\n\n"));
        const out = withParagraphIds(html, "c");
        const count = paragraphTexts(html).length;
        assert.deepEqual(
          ids(out),
          Array.from({ length: count }, (_, i) => paragraphId("c", i)),
        );
        assert.equal(out.replace(/ id="c-p\d+"/g, ""), html);
      }),
    );
  });
});

describe("foldAnchor", () => {
  test("ignores case, spacing and compatibility forms; keeps punctuation", () => {
    assert.equal(foldAnchor("  The  Fog\ncame ﬁne!  "), "thefogcamefine!");
    assert.equal(foldAnchor("Line one\u00a0two"), "lineonetwo");
  });

  test("keeps at most ANCHOR_LENGTH characters, never splitting one", () => {
    const long = "😀".repeat(200);
    assert.equal(Array.from(foldAnchor(long)).length, ANCHOR_LENGTH);
    assert.equal(foldAnchor(long), "😀".repeat(ANCHOR_LENGTH));
  });

  test("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (s) => {
        assert.equal(foldAnchor(foldAnchor(s)), foldAnchor(s));
      }),
    );
  });

  test("a browser's textContent and the server's paragraph text fold alike", () => {
    const html = formatUserText("She said:\n“Wait &amp; see.”");
    const [server] = paragraphTexts(html);
    const browser = "She said:“Wait & see.”"; // textContent drops the <br />
    assert.equal(foldAnchor(browser), foldAnchor(server!));
  });
});
