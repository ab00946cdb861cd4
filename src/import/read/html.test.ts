import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChapterSplit, ImportedWork } from "../types.ts";
import { readImportFile } from "./index.ts";

const read = (
  html: string | Uint8Array,
  split: ChapterSplit = { kind: "auto" },
  name = "story.html",
) => readImportFile(typeof html === "string" ? Buffer.from(html) : html, name, { split });
const titles = (w: ImportedWork) => w.chapters.map((c) => c.title);
const words = (n: number, w = "word") => Array(n).fill(w).join(" ");

describe("HTML files", () => {
  test("the body is imported (head left out), sanitized, with what was removed counted per chapter", async () => {
    const work = await read(`<!DOCTYPE html><html lang="en-GB"><head><title> My
      Story </title><style>p { color: red }</style><script>evil()</script></head>
      <body><p style="color:red">Mark's <b>POV</b> is
      bold &amp; <i>Lexie's</i>&nbsp;plain.</p><script>alert(1)</script><p onclick="x()">Second.</p></body></html>`);
    assert.equal(work.format, "html");
    assert.equal(work.title, "My Story");
    assert.equal(work.language, "en");
    assert.equal(work.chapters.length, 1);
    assert.equal(
      work.chapters[0]?.html.replace(/\n+/g, "\n"),
      "<p>Mark's <b>POV</b> is bold &amp; <i>Lexie's</i>\u00a0plain.</p>\n<p>Second.</p>",
    );
    assert.deepEqual(Object.fromEntries(work.chapters[0]?.removed ?? []), {
      "style attribute": 1,
      script: 1,
      "onclick attribute": 1,
    });
  });

  test("chapters at the repeated heading level, the heading as title; a single h1 is the work's title", async () => {
    const html = `<body><h1>The Work</h1>
      <div class="chapter"><h2>One</h2><p>${words(5, "a")}</p></div>
      <div class="chapter"><h2>Two <em>Parts</em></h2><p>${words(5, "b")}</p><h3>Scene</h3><p>${words(5, "c")}</p></div>
      </body>`;
    const work = await read(html);
    assert.equal(work.title, "The Work");
    assert.deepEqual(titles(work), ["One", "Two Parts"]);
    assert.equal(
      work.chapters[1]?.html,
      `<p>${words(5, "b")}</p>\n<h3>Scene</h3>\n<p>${words(5, "c")}</p>`,
    );
    const level3 = await read(html, { kind: "heading", level: 3 });
    assert.deepEqual(titles(level3), ["", "Scene"]);
    const none = await read(html, { kind: "none" });
    assert.equal(none.chapters.length, 1);
    assert.match(none.chapters[0]?.html ?? "", /<h2>One<\/h2>/);
  });

  test("a marker paragraph splits (a punctuation marker also splits at rules); text before it is a chapter", async () => {
    const html = `<p>${words(3, "a")}</p><p>* * *</p><p>${words(3, "b")}</p><hr><p>${words(3, "c")}</p>`;
    const stars = await read(html, { kind: "marker", marker: "* * *" });
    assert.deepEqual(
      stars.chapters.map((c) => c.html),
      ["<p>a a a</p>", "<p>b b b</p>", "<p>c c c</p>"],
    );
    const word = await read(`${html}<p>Part Two: After</p><p>${words(3, "d")}</p>`, {
      kind: "marker",
      marker: "part",
    });
    assert.deepEqual(titles(word), ["", "Part Two: After"]);
    assert.equal(
      word.chapters[0]?.html,
      "<p>a a a</p>\n<p>* * *</p>\n<p>b b b</p>\n<hr />\n<p>c c c</p>",
    );
  });

  test("a table of contents of in-page links is left out", async () => {
    const html = `<h1>Book</h1><ul><li><a href="#c1">One</a></li><li><a href="#c2">Two</a></li><li><a href="#c3">Three</a></li></ul>
      <h2 id="c1">One</h2><p>${words(4)}</p><h2 id="c2">Two</h2><p>${words(4)}</p><h2 id="c3">Three</h2><p>${words(4)}</p>`;
    const work = await read(html);
    assert.deepEqual(titles(work), ["One", "Two", "Three"]);
    assert.ok(work.notices.includes("Left out a table of contents."));
    // A paragraph with a link or two in it stays.
    const linked = await read(`<p>See <a href="#n1">note</a> and the rest of ${words(10)}</p>`);
    assert.match(linked.chapters[0]?.html ?? "", /<a href="#n1">note<\/a>/);
  });

  test("legacy markup: upper-case tags, <center>, <font>, a charset in <meta>, a Gutenberg wrapper", async () => {
    const latin1 = Buffer.from(
      `<HTML><HEAD><META http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><TITLE>Old</TITLE></HEAD><BODY>
<pre>Title: Old Tales\nAuthor: Someone Old\n*** START OF THIS PROJECT GUTENBERG EBOOK OLD TALES ***</pre>
<DIV class="book"><center><h3>I. THE FIRST</h3></center><P><FONT size="+2">T</FONT>he caf\xe9 was \x93open\x94 ${words(10)}</P>
<center><h3>II. THE SECOND</h3></center><P>${words(10)}</P></DIV>
<pre>End of the Project Gutenberg EBook\n*** END OF THIS PROJECT GUTENBERG EBOOK OLD TALES ***\nlicence</pre></BODY></HTML>`,
      "latin1",
    );
    const work = await read(latin1, { kind: "auto" }, "old.htm");
    assert.deepEqual(work.encoding, { name: "windows-1252", source: "meta" });
    assert.equal(work.title, "Old Tales");
    assert.deepEqual(work.creators, ["Someone Old"]);
    assert.deepEqual(titles(work), ["I. THE FIRST", "II. THE SECOND"]);
    assert.match(work.chapters[0]?.html ?? "", /^<p>The café was “open” word/);
    assert.ok(!/Gutenberg|licence/.test(work.chapters.map((c) => c.html).join("")));
  });

  test("a document without text is a 422; empty chapters are dropped", async () => {
    await assert.rejects(read("<html><body><p> </p><script>x</script></body></html>"), {
      status: 422,
      message: "The file has no text to import.",
    });
    const work = await read(
      `<h2>Empty</h2><p></p><h2>Full</h2><p>${words(3)}</p><h2>Also full</h2><p>${words(3)}</p>`,
    );
    assert.deepEqual(titles(work), ["Full", "Also full"]);
    assert.ok(work.notices.includes("Left out 1 empty chapter."));
  });
});
