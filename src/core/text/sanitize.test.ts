import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ALLOWED_TAG_NAMES,
  SANITIZER_VERSION,
  formatUserText,
  htmlToPlainText,
  sanitizeHtml,
} from "./sanitize.ts";
import type { SanitizedHtml } from "./sanitize.ts";
import type { Insertable, Selectable, Updateable } from "kysely";
import type { ChaptersTable, CommentsTable } from "../db/schema.ts";

const VOID = new Set(["br", "hr", "img", "col"]);

describe("sanitizeHtml: allowlist", () => {
  test("exports a version number", () => {
    assert.equal(SANITIZER_VERSION, 2);
  });

  test("the brand is a plain string at runtime", () => {
    const out: SanitizedHtml = sanitizeHtml("<b>x</b>");
    assert.equal(typeof out, "string");
  });

  test("the *_html columns take only sanitizer output (checked by tsc)", () => {
    const typed = "<p>x</p>";
    // @ts-expect-error a plain string cannot be inserted into a chapter's text…
    const forged: Insertable<ChaptersTable>["text_html"] = typed;
    // @ts-expect-error …nor written over a comment's body.
    const edited: Updateable<CommentsTable>["body_html"] = typed;
    const inserted: Insertable<ChaptersTable>["text_html"] = formatUserText(typed);
    // Reads come out branded, ready for the views' raw-HTML exit.
    const selected: Selectable<ChaptersTable>["text_html"] = inserted;
    const read: SanitizedHtml = selected;
    assert.deepEqual([forged, edited, read], [typed, typed, "<p>x</p>"]);
  });

  for (const tag of ALLOWED_TAG_NAMES) {
    test(`<${tag}> survives`, () => {
      if (VOID.has(tag)) {
        assert.equal(sanitizeHtml(`a<${tag}>b`), `a<${tag} />b`);
      } else {
        assert.equal(sanitizeHtml(`<${tag}>x</${tag}>`), `<${tag}>x</${tag}>`);
      }
    });
  }

  test("all the tags the brief lists are allowed", () => {
    const listed =
      "p br b strong i em u s strike sub sup small big blockquote q cite abbr acronym dfn code kbd pre samp var tt h1 h2 h3 h4 h5 h6 hr ul ol li dl dt dd a img table caption thead tbody tfoot tr th td col colgroup span div center address ins del ruby rt rp details summary figure figcaption".split(
        " ",
      );
    assert.deepEqual([...ALLOWED_TAG_NAMES].sort(), [...listed].sort());
  });

  test("a realistic table keeps its structure and allowed attributes", () => {
    const html =
      '<table width="100%" align="center"><caption>C</caption><colgroup span="2" width="50"><col span="1" width="10" /></colgroup>' +
      '<thead><tr><th colspan="2" rowspan="1" align="left">H</th></tr></thead>' +
      '<tbody><tr><td width="5" height="6" colspan="1">a</td><td>b</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>';
    assert.equal(sanitizeHtml(html), html);
  });

  test("allowed attributes are kept where they belong", () => {
    const cases = [
      '<p class="a" dir="rtl" align="center" lang="fr" title="t">x</p>',
      '<a href="https://example.com/" name="n" title="t" rel="nofollow">x</a>',
      '<img src="https://example.com/a.png" alt="A" title="t" width="10" height="20" align="left" />',
      '<ol start="3" type="a"><li>x</li></ol>',
      '<ul type="disc"><li>x</li></ul>',
      '<blockquote cite="https://example.com/">x</blockquote>',
      '<q cite="/q">x</q><ins cite="/i">y</ins><del cite="/d">z</del>',
      '<abbr title="HyperText">HTML</abbr><acronym title="t">A</acronym>',
      '<details open="open"><summary>s</summary>d</details>',
      '<img src="/relative.png" alt="" />',
    ];
    for (const html of cases) assert.equal(sanitizeHtml(html), html);
  });

  test("attributes are dropped where they do not belong", () => {
    assert.equal(
      sanitizeHtml('<p href="https://x" src="/a" width="3" start="2">x</p>'),
      "<p>x</p>",
    );
    assert.equal(sanitizeHtml('<span cite="/c" colspan="2" open>x</span>'), "<span>x</span>");
    assert.equal(
      sanitizeHtml('<a href="/x" target="_blank" id="i" ping="/p">x</a>'),
      '<a href="/x">x</a>',
    );
    assert.equal(
      sanitizeHtml('<img src="/a.png" srcset="/b.png 2x" loading="lazy" />'),
      '<img src="/a.png" />',
    );
    assert.equal(
      sanitizeHtml('<div id="main" data-x="1" contenteditable="true">x</div>'),
      "<div>x</div>",
    );
  });

  test("style attributes are removed", () => {
    assert.equal(sanitizeHtml('<p style="color:red">x</p>'), "<p>x</p>");
    assert.equal(
      sanitizeHtml('<span STYLE="background:url(javascript:alert(1))">x</span>'),
      "<span>x</span>",
    );
  });

  test("event handlers are removed", () => {
    assert.equal(sanitizeHtml('<img src="/a.png" onerror="alert(1)" />'), '<img src="/a.png" />');
    assert.equal(sanitizeHtml('<p onclick="alert(1)" ONMOUSEOVER="x()">x</p>'), "<p>x</p>");
    assert.equal(sanitizeHtml('<a href="/" onfocus=alert(1) autofocus>x</a>'), '<a href="/">x</a>');
    assert.equal(
      sanitizeHtml('<details open ontoggle="alert(1)">x</details>'),
      '<details open="open">x</details>',
    );
  });

  test("class keeps only well-formed tokens", () => {
    assert.equal(
      sanitizeHtml('<p class="good also_ok-1 9bad bad! -bad">x</p>'),
      '<p class="good also_ok-1">x</p>',
    );
    assert.equal(sanitizeHtml('<p class="!!!">x</p>'), "<p>x</p>");
    const long = "a".repeat(64);
    assert.equal(sanitizeHtml(`<p class="${long} ${long}b">x</p>`), `<p class="${long}">x</p>`);
  });

  test("disallowed tags are dropped but their text is kept", () => {
    assert.equal(sanitizeHtml("<font color=red>red</font> <marquee>m</marquee>"), "red m");
    assert.equal(sanitizeHtml("<section><article>t</article></section>"), "t");
    assert.equal(sanitizeHtml("<svg><text>hi</text></svg>"), "hi");
    assert.equal(sanitizeHtml("<form action=/x><input value=v><button>go</button></form>"), "go");
  });

  test("script-like and raw-text containers lose their content entirely", () => {
    for (const tag of [
      "script",
      "style",
      "textarea",
      "noscript",
      "iframe",
      "object",
      "template",
      "title",
      "xmp",
      "noembed",
      "noframes",
    ]) {
      assert.equal(sanitizeHtml(`a<${tag}>secret <b>x</b></${tag}>b`), "ab", tag);
    }
    assert.equal(sanitizeHtml('a<embed src="/x.swf">b'), "ab");
    assert.equal(sanitizeHtml("<script>alert(1)</script><p>ok</p>"), "<p>ok</p>");
    assert.equal(sanitizeHtml("<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok"), "ok");
  });

  test("comments, doctype and CDATA disappear", () => {
    assert.equal(sanitizeHtml("<!DOCTYPE html>a<!-- c --><![CDATA[x]]>b"), "ab");
  });

  test("output is closed and escaped", () => {
    assert.equal(sanitizeHtml("<p><b>bold <i>both"), "<p><b>bold <i>both</i></b></p>");
    assert.equal(
      sanitizeHtml('<p title="a &quot;q&quot; <b>">1 < 2 & 3 > 2</p>'),
      '<p title="a &quot;q&quot; &lt;b&gt;">1 &lt; 2 &amp; 3 &gt; 2</p>',
    );
  });
});

describe("sanitizeHtml: URLs", () => {
  const hostileHrefs = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#9;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "jav\nascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#x6A;avascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " DATA:text/html,<script>alert(1)</script>",
    "livescript:alert(1)",
    "java<!-- -->script:alert(1)",
    "file:///etc/passwd",
    "ftp://example.com/",
    "tel:123",
  ];

  for (const href of hostileHrefs) {
    test(`href ${JSON.stringify(href)} is removed`, () => {
      assert.equal(sanitizeHtml(`<a href="${href}">x</a>`), "<a>x</a>");
    });
    test(`img src ${JSON.stringify(href)} is removed`, () => {
      assert.equal(sanitizeHtml(`<img src="${href}" alt="a" />`), '<img alt="a" />');
    });
  }

  test("blockquote cite is scheme-checked too", () => {
    assert.equal(
      sanitizeHtml('<blockquote cite="javascript:alert(1)">x</blockquote>'),
      "<blockquote>x</blockquote>",
    );
  });

  test("unquoted hostile URLs are removed; backtick 'quotes' are just part of a relative URL", () => {
    assert.equal(sanitizeHtml("<a href=javascript:alert(1)>x</a>"), "<a>x</a>");
    // Only old IE treated ` as a quote. For HTML5 parsers this is the relative URL
    // "`javascript:alert(1)`" (no scheme), which is inert; the output quotes it properly.
    assert.equal(
      sanitizeHtml("<img src=`javascript:alert(1)`>"),
      '<img src="`javascript:alert(1)`" />',
    );
  });

  test("img src: data: and mailto: are not images", () => {
    assert.equal(sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=" />'), "<img />");
    assert.equal(sanitizeHtml('<img src="mailto:a@example.com" />'), "<img />");
  });

  test("https, http, mailto and relative links are kept", () => {
    const kept: [string, string][] = [
      [
        "https://example.com/a?b=1&c=2#d",
        '<a href="https://example.com/a?b=1&amp;c=2#d" rel="nofollow">x</a>',
      ],
      ["HTTP://example.com/", '<a href="HTTP://example.com/" rel="nofollow">x</a>'],
      ["//example.com/x", '<a href="//example.com/x" rel="nofollow">x</a>'],
      ["mailto:author@example.com", '<a href="mailto:author@example.com">x</a>'],
      ["/works/12/chapters/3", '<a href="/works/12/chapters/3">x</a>'],
      ["../chapters/3", '<a href="../chapters/3">x</a>'],
      ["#footnote-1", '<a href="#footnote-1">x</a>'],
      ["?page=2", '<a href="?page=2">x</a>'],
      ["chapter2.html", '<a href="chapter2.html">x</a>'],
    ];
    for (const [href, expected] of kept)
      assert.equal(sanitizeHtml(`<a href="${href}">x</a>`), expected);
  });

  test("img src keeps http(s) and relative", () => {
    assert.equal(
      sanitizeHtml('<img src="https://example.com/a.png">'),
      '<img src="https://example.com/a.png" />',
    );
    assert.equal(
      sanitizeHtml('<img src="http://example.com/a.png">'),
      '<img src="http://example.com/a.png" />',
    );
    assert.equal(sanitizeHtml('<img src="images/a.png">'), '<img src="images/a.png" />');
  });

  test("rel is ours: author rel is replaced, nofollow only on absolute http(s)", () => {
    assert.equal(
      sanitizeHtml('<a href="https://x.example" rel="me opener">x</a>'),
      '<a href="https://x.example" rel="nofollow">x</a>',
    );
    assert.equal(sanitizeHtml('<a href="/local" rel="nofollow">x</a>'), '<a href="/local">x</a>');
    assert.equal(sanitizeHtml('<a name="top" rel="x">x</a>'), '<a name="top">x</a>');
    assert.equal(sanitizeHtml('<a href="javascript:alert(1)" rel="x">x</a>'), "<a>x</a>");
  });
});

describe("formatUserText: paragraph rules", () => {
  test("empty and whitespace-only input gives an empty string", () => {
    assert.equal(formatUserText(""), "");
    assert.equal(formatUserText("   \n\t\r\n  "), "");
  });

  test("a single line becomes one paragraph", () => {
    assert.equal(formatUserText("Hello there."), "<p>Hello there.</p>");
  });

  test("one newline becomes <br />", () => {
    assert.equal(formatUserText("line one\nline two"), "<p>line one<br />line two</p>");
  });

  test("a blank line starts a new paragraph; paragraphs are joined with a newline", () => {
    assert.equal(formatUserText("one\n\ntwo"), "<p>one</p>\n<p>two</p>");
  });

  test("three or more blank lines are the same as one", () => {
    assert.equal(formatUserText("one\n\n\n\n\ntwo"), formatUserText("one\n\ntwo"));
    assert.equal(formatUserText("one\n \n\t\n   \ntwo"), "<p>one</p>\n<p>two</p>");
  });

  test("CRLF and CR are normalized", () => {
    assert.equal(formatUserText("a\r\nb\r\n\r\nc"), "<p>a<br />b</p>\n<p>c</p>");
    assert.equal(formatUserText("a\rb\r\rc"), "<p>a<br />b</p>\n<p>c</p>");
  });

  test("paragraphs and lines are trimmed", () => {
    assert.equal(
      formatUserText("\n\n   one  \n  two   \n\n\n  three  \n\n"),
      "<p>one<br />two</p>\n<p>three</p>",
    );
  });

  test("inline tags typed by the author survive", () => {
    assert.equal(
      formatUserText("Mark's POV is **<b>bold</b>**"),
      "<p>Mark's POV is **<b>bold</b>**</p>",
    );
    assert.equal(
      formatUserText("She said <em>no</em>.\nHe <i>knew</i>, <strong>really</strong> <u>knew</u>."),
      "<p>She said <em>no</em>.<br />He <i>knew</i>, <strong>really</strong> <u>knew</u>.</p>",
    );
  });

  test("an inline tag spanning a blank line is reopened in the next paragraph", () => {
    assert.equal(
      formatUserText("<i>Years ago.\n\nShe remembered.</i>\n\nNow."),
      "<p><i>Years ago.</i></p>\n<p><i>She remembered.</i></p>\n<p>Now.</p>",
    );
  });

  test("stray < stays visible text", () => {
    assert.equal(formatUserText("I <3 you"), "<p>I &lt;3 you</p>");
    assert.equal(formatUserText("a < b and c > d"), "<p>a &lt; b and c &gt; d</p>");
    assert.equal(formatUserText("if a<b then"), "<p>if a&lt;b then</p>");
    assert.equal(formatUserText("<<<>>>"), "<p>&lt;&lt;&lt;&gt;&gt;&gt;</p>");
  });

  test("an unclosed <style>/<script> typed in prose does not swallow the rest", () => {
    assert.equal(
      formatUserText("I love the <style> of this.\n\nNext paragraph."),
      "<p>I love the &lt;style&gt; of this.</p>\n<p>Next paragraph.</p>",
    );
    assert.equal(formatUserText("a <script> b"), "<p>a &lt;script&gt; b</p>");
  });

  test("ampersands and entities", () => {
    assert.equal(formatUserText("AT&T & co"), "<p>AT&amp;T &amp; co</p>");
    assert.equal(formatUserText("caf&eacute; &amp; &#x27;"), "<p>café &amp; '</p>");
  });

  test("hostile markup in plain text is still sanitized", () => {
    assert.equal(formatUserText('Hi <img src=x onerror="alert(1)">'), '<p>Hi <img src="x" /></p>');
    assert.equal(formatUserText("<script>alert(1)</script>\n\nok"), "<p>ok</p>");
    assert.equal(formatUserText('<a href="javascript:alert(1)">x</a>'), "<p><a>x</a></p>");
  });

  test("a paragraph of only dropped markup goes, with one line break, wherever it is", () => {
    assert.equal(formatUserText("a\n\n<script>x</script>\n\nb"), "<p>a</p>\n<p>b</p>");
    assert.equal(formatUserText("a\n\n<script>x</script>"), "<p>a</p>");
    assert.equal(formatUserText("<style>x</style>\n\n<script></script>\n\nc"), "<p>c</p>");
    assert.equal(formatUserText("<script></script>\n\n<script></script>"), "");
    // Dropped markup is gone before the paragraph rules run: it leaves no empty paragraphs.
    assert.equal(formatUserText("<form></form>X"), "<p>X</p>");
    assert.equal(formatUserText("a <form></form>\n\n<p></p>\n\nb"), "<p>a</p>\n<p>b</p>");
  });

  test("paragraph rules never reach into an attribute, and markup-like text stays text", () => {
    // `&#10;` is a line break once decoded, as on AO3; in an attribute it stays where it is.
    const lookAlike = "&#10;&lt;p&gt;&lt;/p&gt;&#10;";
    assert.equal(
      formatUserText(`<b title="${lookAlike}">x</b>\n\n${lookAlike}\n\n<script></script>`),
      '<p><b title="\n&lt;p&gt;&lt;/p&gt;\n">x</b></p>\n<p>&lt;p&gt;&lt;/p&gt;</p>',
    );
  });

  test("text already in paragraphs, lists and tables is kept as it is", () => {
    assert.equal(
      formatUserText("<p>one</p>\n\n<p>two\nstill two</p>"),
      "<p>one</p>\n\n<p>two\nstill two</p>",
    );
    assert.equal(formatUserText("<ul><li>x</li></ul>"), "<ul><li>x</li></ul>");
  });

  test("loose text beside HTML gets paragraph rules too, as on AO3", () => {
    // Before issue #11, one block tag anywhere switched the rules off for the whole text.
    assert.equal(formatUserText("line<br>line\n\nnext"), "<p>line<br />line</p>\n<p>next</p>");
    assert.equal(formatUserText("<div>a</div>"), "<div><p>a</p></div>");
  });
});

describe("formatUserText: idempotence", () => {
  const fixed = [
    "Hello",
    "one\ntwo\n\nthree",
    "Mark's POV is **<b>bold</b>**",
    "I <3 you & a < b",
    "<p>Already <em>HTML</em></p>\n<p>second</p>",
    '<p class="x  y bad!" style="color:red" onclick="x()">z</p>',
    '<a href="https://example.com" rel="x">l</a> and <a href="/r">r</a>',
    '<table><tr><td colspan="2">c</td></tr></table><col span="2"><details open>d</details>',
    "<i>a\n\nb</i>",
    "<b>unclosed\n\n<i>deeper\n\nend",
    "<p>&nbsp;</p><p>x&nbsp;y &copy; &#8212;</p>",
    "<pre>  code\n\n  more</pre>",
    "<script>alert(1)</script>",
    "<style>unclosed",
    "<p><li>stray</li></p>",
    "a\u00a0\n\u00a0\nb",
    '<img src="javascript:alert(1)" alt="">',
  ];
  for (const input of fixed) {
    test(`stable for ${JSON.stringify(input)}`, () => {
      const once = formatUserText(input);
      assert.equal(formatUserText(once), once);
      assert.equal(sanitizeHtml(once), once);
    });
  }

  const word = fc.constantFrom(
    "Mark",
    "Lexie's",
    "don't",
    "well-known",
    "東京",
    "Привет",
    "3.5",
    "a",
    "<",
    ">",
    "&",
    "&amp;",
    "&nbsp;",
    "\u00a0",
    "<3",
    "'",
    '"',
    "—",
    "…",
    "😀",
  );
  const inlineOpen = fc.constantFrom(
    "<b>",
    "<i>",
    "<em>",
    "<strong>",
    "<u>",
    "<s>",
    "<sup>",
    '<span class="x">',
    '<a href="https://e.example/">',
    '<a href="/x">',
  );
  const inlineClose = fc.constantFrom(
    "</b>",
    "</i>",
    "</em>",
    "</strong>",
    "</u>",
    "</s>",
    "</sup>",
    "</span>",
    "</a>",
  );
  const separator = fc.constantFrom(
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\n\n\n",
    " \n \n ",
    "\r\n",
    "\r\n\r\n",
    "\t",
  );
  const token = fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 3, arbitrary: separator },
    { weight: 1, arbitrary: inlineOpen },
    { weight: 1, arbitrary: inlineClose },
  );
  const textWithInlineMarkup = fc.array(token, { maxLength: 60 }).map((tokens) => tokens.join(""));

  test("property: formatUserText(formatUserText(x)) === formatUserText(x) (text with inline markup)", () => {
    fc.assert(
      fc.property(textWithInlineMarkup, (input) => {
        const once = formatUserText(input);
        assert.equal(formatUserText(once), once);
      }),
      { numRuns: 500 },
    );
  });

  test("property: idempotent on arbitrary strings too", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (input) => {
        const once = formatUserText(input);
        assert.equal(formatUserText(once), once);
      }),
      { numRuns: 300 },
    );
  });

  test("property: plain text without markup characters keeps its words", () => {
    const plainWord = fc.constantFrom("Mark", "Lexie's", "well-known", "東京", "3.5", "café");
    const plain = fc
      .array(fc.tuple(plainWord, separator), { minLength: 1, maxLength: 30 })
      .map((pairs) => pairs.map(([w, s]) => w + s).join(""));
    fc.assert(
      fc.property(plain, (input) => {
        const words = input.split(/\s+/).filter(Boolean);
        const back = htmlToPlainText(formatUserText(input)).split(/\s+/).filter(Boolean);
        assert.deepEqual(back, words);
      }),
      { numRuns: 200 },
    );
  });
});

describe("htmlToPlainText", () => {
  test("decodes entities", () => {
    assert.equal(htmlToPlainText("&amp; &lt; &gt; &quot; &#x27; &#39; &apos;"), "& < > \" ' ' '");
    assert.equal(htmlToPlainText("a&nbsp;b&#160;c&#xA0;d"), "a b c d");
    assert.equal(
      htmlToPlainText("&#8212; &#x2014; &mdash; &hellip; &eacute; &copy; &rsquo;"),
      "— — — … é © ’",
    );
    assert.equal(htmlToPlainText("&#x1F600; &#128512;"), "😀 😀");
    assert.equal(htmlToPlainText("&amp;lt; is not decoded twice"), "&lt; is not decoded twice");
    assert.equal(htmlToPlainText("AT&T &unknown; & done"), "AT&T &unknown; & done");
  });

  test("blocks and <br> become line breaks; paragraphs get a blank line", () => {
    assert.equal(htmlToPlainText("<p>one</p>\n<p>two<br />three</p>"), "one\n\ntwo\nthree");
    assert.equal(htmlToPlainText("<div>a</div><div>b</div>"), "a\nb");
    assert.equal(htmlToPlainText("<ul><li>x</li><li>y</li></ul><p>z</p>"), "x\ny\n\nz");
    assert.equal(htmlToPlainText("<h2>Title</h2>Body"), "Title\n\nBody");
    assert.equal(htmlToPlainText("a<br><br>b"), "a\n\nb");
    assert.equal(htmlToPlainText("a<hr>b"), "a\n\nb");
  });

  test("table cells are separated", () => {
    assert.equal(
      htmlToPlainText("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><th>d</th></tr></table>"),
      "a b\nc d",
    );
  });

  test("whitespace inside a line is collapsed and lines are trimmed", () => {
    assert.equal(htmlToPlainText("  <p>  a \n\t b  </p>  <p>\n c   </p> "), "a b\n\nc");
    assert.equal(htmlToPlainText("a<b> </b>b"), "a b");
    assert.equal(htmlToPlainText("a<b>b</b>c"), "abc");
  });

  test("<pre> keeps its line breaks", () => {
    assert.equal(htmlToPlainText("<pre>x  y\n  z\n\nw</pre>"), "x y\nz\n\nw");
  });

  test("script/style content is dropped, other tags stripped", () => {
    assert.equal(
      htmlToPlainText("a<script>alert(1)</script><style>p{}</style><span class=x>b</span>"),
      "ab",
    );
  });

  test("empty input", () => {
    assert.equal(htmlToPlainText(""), "");
    assert.equal(htmlToPlainText("<p></p><p> </p>"), "");
  });

  test("round trip with formatUserText keeps paragraph structure", () => {
    const text = "one\ntwo\n\nthree";
    assert.equal(htmlToPlainText(formatUserText(text)), text);
    assert.equal(formatUserText(htmlToPlainText(formatUserText(text))), formatUserText(text));
  });
});

describe("formatUserText: unclosed raw-text tags", () => {
  test("text with characters whose lowercase is longer (İ) is handled", () => {
    assert.equal(formatUserText("İİİİ <style>x</style> after"), "<p>İİİİ  after</p>");
    assert.equal(formatUserText("İİİİİİİİ <style> x </STYLE"), "<p>İİİİİİİİ</p>");
  });
});
