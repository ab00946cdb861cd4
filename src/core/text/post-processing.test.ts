/**
 * Every step between the sanitizer and the page keeps its output inside the allowlist: the
 * sanitizer (sanitizeHtml, and formatUserText with its paragraph rules and empty-paragraph
 * removal), then withParagraphIds. Output is parsed, never searched for substrings
 * (test/support/html-allowlist.ts).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chapterPrefix, paragraphTexts, withParagraphIds } from "./paragraphs.ts";
import { SANITIZER_ALLOWLIST, formatUserText, sanitizeHtml } from "./sanitize.ts";
import { allowlistProblems, startTags } from "../../../test/support/html-allowlist.ts";

/** The two payloads of the review that found ids spliced in by a regular expression. */
const REVIEW_PAYLOADS = [
  `<p title=" id=">a"" onmouseover=alert(1) </p>`,
  `<a title=" id=">x"" href=javascript:alert(3) </a>`,
];

const CHAPTER_ID = /^chapter-\d+-p\d+$/;

const URLS = [
  "javascript:alert(1)",
  "java\tscript:alert(1)",
  " \njavascript:alert(1)",
  "jav&#x09;ascript:alert(1)",
  "jav&Tab;ascript:alert(1)",
  "&#106;avascript:alert(1)",
  "JaVaScRiPt&colon;alert(1)",
  "data:text/html;base64,PHNjcmlwdD4=",
  "da\tta:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "vb&#x0D;script:msgbox(1)",
  "https://example.com/?a=1&b=2",
  "//example.com/x",
  "mailto:a@example.com",
  '/relative?q="x"',
];

/** Pieces of markup that confuse string-based processing: quotes, `=`, `>`, id look-alikes. */
const PIECES = [
  ...REVIEW_PAYLOADS,
  ...URLS,
  ...["<p", "<a", "<img", "<div", "<li", "<td", "<pre", "<h2", "<blockquote", "<details"],
  ...["<p>", "</p>", "<a>", "</a>", "<div>", "</div>", "<ul><li>", "</li></ul>", "<table><tr>"],
  ...["<br>", "<br/>", "<hr />", "<col>", "<summary>", "<i>", "</b>"],
  ...["<script>", "</script>", "<style>", "<svg>", "<math>", "<xmp>", "<noscript>", "<iframe>"],
  ...["<!--", "-->", "<![CDATA[", "]]>", "<?x", "<!doctype html>"],
  ...[">", '"', "'", "=", " ", "\t", "\n", "\n\n", "/", "`"],
  ...[' id="', " id=", "id=chapter-1-p1", ' title="', " title='", " title=", ' alt="'],
  ...[' href="', " href=", ' src="', " src=", ' cite="', " name=", ' class="'],
  ...[" onmouseover=alert(1)", ' onerror="alert(2)"', " style=x:expression(1)", " onclick="],
  ...["&quot;", "&gt;", "&lt;", "&amp;", "&#34;", "&#x3e;", "&#60;", "&nbsp;", "&", "&quot"],
];

const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }));
const soup = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

const TAGS = [...SANITIZER_ALLOWLIST.tags, "script", "svg", "style", "font", "form", "xmp"];
const ATTRIBUTES = [
  ...new Set(Object.values(SANITIZER_ALLOWLIST.attributes).flat()),
  ...["id", "style", "onmouseover", "onerror", "srcset", "formaction", "xlink:href"],
];
const value = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 12 }));
const attribute = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), value, fc.constantFrom('"', "'", ""))
  .map(([name, v, q]) => ` ${name}=${q}${v}${q}`);

/** Nested elements, allowed and not, with attributes quoted every way. */
const { tree } = fc.letrec<{ tree: string; node: string }>((tie) => ({
  tree: fc.array(tie("node"), { maxLength: 4 }).map((nodes) => nodes.join("")),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    value,
    fc
      .tuple(fc.constantFrom(...TAGS), fc.array(attribute, { maxLength: 3 }), tie("tree"))
      .map(([name, attrs, inner]) => `<${name}${attrs.join("")}>${inner}</${name}>`),
  ),
}));

const input = fc.oneof(
  fc.constantFrom(...REVIEW_PAYLOADS),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 60 }),
  soup,
  tree,
);

/** The problems of `html` and of every step after the sanitizer, named. */
function problemsAfter(html: string, position: number): string[] {
  const found: string[] = [];
  for (const [step, out] of [
    ["sanitizeHtml", sanitizeHtml(html)],
    ["formatUserText", formatUserText(html)],
  ] as const) {
    for (const p of allowlistProblems(out)) found.push(`${step}: ${p}`);
    const prefix = chapterPrefix(position);
    const withIds = withParagraphIds(out, prefix);
    for (const p of allowlistProblems(withIds, CHAPTER_ID)) {
      found.push(`${step} + withParagraphIds: ${p}\n  in:  ${out}\n  out: ${withIds}`);
    }
    if (found.length > 0) continue;
    // Nothing but the ids changed: the same tags with the same attributes, in order.
    const added = startTags(withIds);
    const ids = added.flatMap((t) => (t.attribs.id === undefined ? [] : [t.attribs.id]));
    for (const t of added) delete t.attribs.id;
    assert.deepEqual(added, startTags(out), `${step} + withParagraphIds changed other markup`);
    assert.deepEqual(
      ids,
      paragraphTexts(out).map((_, i) => `${prefix}-p${i + 1}`),
      "one id per paragraph, in order",
    );
  }
  return found;
}

describe("after the sanitizer, every step stays inside the allowlist", () => {
  test("the review's payloads", () => {
    for (const html of REVIEW_PAYLOADS) assert.deepEqual(problemsAfter(html, 1), []);
  });

  test("property: generated markup, quotes, entities and URLs", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 500 }), (html, position) => {
        assert.deepEqual(problemsAfter(html, position), []);
      }),
      { numRuns: 600 },
    );
  });

  test("the checker itself finds what it should", () => {
    assert.notDeepEqual(allowlistProblems('<p id="chapter-1-p1" title="" onmouseover=x </p>'), []);
    assert.notDeepEqual(allowlistProblems('<a title="" href=javascript:alert(3) </a>'), []);
    assert.notDeepEqual(allowlistProblems('<a href="jav\tascript:x">y</a>'), []);
    assert.notDeepEqual(allowlistProblems('<a href=" \nJavaScript:x">y</a>'), []);
    assert.notDeepEqual(allowlistProblems('<a href="jav&#x09;ascript:x">y</a>'), []);
    assert.notDeepEqual(allowlistProblems('<img src="data:image/png,x" />'), []);
    assert.notDeepEqual(allowlistProblems('<p id="x">y</p>', CHAPTER_ID), []);
    assert.notDeepEqual(allowlistProblems('<p id="chapter-1-p1">y</p>'), []);
    assert.notDeepEqual(
      allowlistProblems('<p id="chapter-1-p1">a</p><p id="chapter-1-p1">b</p>', CHAPTER_ID),
      [],
    );
    assert.notDeepEqual(allowlistProblems("<xmp><p>x</p></xmp>"), []);
    assert.notDeepEqual(allowlistProblems("<p>a > b</p>"), []);
    assert.deepEqual(
      allowlistProblems(
        '<p id="chapter-2-p1" title="a &quot;q&quot; &gt; b">a"" &lt;x&gt;</p><a href="https://e.example/?a=1&amp;b" rel="nofollow">x</a><br />',
        CHAPTER_ID,
      ),
      [],
    );
  });
});
