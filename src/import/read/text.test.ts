import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChapterSplit, ImportedWork } from "../types.ts";
import { readImportFile } from "./index.ts";

const read = (text: string, name = "story.txt", split: ChapterSplit = { kind: "auto" }) =>
  readImportFile(Buffer.from(text), name, { split });
const titles = (w: ImportedWork) => w.chapters.map((c) => c.title);
const para = (words: number, word = "word") => Array(words).fill(word).join(" ") + ".";

describe("plain text and Markdown files", () => {
  test("plain text: paragraphs by blank lines, line breaks kept, every character shown as typed", async () => {
    const work = await read(
      "First line\nsecond line\n\n\n<b>not bold</b> & more\n",
      "my_story.txt",
    );
    assert.equal(work.format, "txt");
    assert.equal(work.title, "my story");
    assert.deepEqual(work.encoding, { name: "utf-8", source: "utf-8" });
    assert.equal(work.chapters.length, 1);
    assert.equal(
      work.chapters[0]?.html,
      "<p>First line<br />second line</p>\n<p>&lt;b&gt;not bold&lt;/b&gt; &amp; more</p>",
    );
    assert.equal(work.chapters[0]?.words, 9); // the text of the tags counts: it is shown
    assert.deepEqual([...(work.chapters[0]?.removed ?? [])], []);
  });

  test('"Chapter N" lines split a text and become titles; a title page before them is left out', async () => {
    const text = [
      "THE LONG NIGHT",
      "by Someone",
      "Chapter 1",
      para(30, "one"),
      "CHAPTER II. The Return",
      para(30, "two"),
      "Chapter Twenty-One: Home",
      para(30, "three"),
    ].join("\n\n");
    const work = await read(text);
    assert.deepEqual(titles(work), [
      "Chapter 1",
      "CHAPTER II. The Return",
      "Chapter Twenty-One: Home",
    ]);
    assert.deepEqual(
      work.chapters.map((c) => c.words),
      [30, 30, 30],
    );
    assert.ok(
      work.notices.includes("Left out the title page before the first chapter."),
      work.notices.join("|"),
    );
    // Asked not to split, the same text is one chapter with every line in it.
    const whole = await read(text, "story.txt", { kind: "none" });
    assert.equal(whole.chapters.length, 1);
    assert.match(whole.chapters[0]?.html ?? "", /<p>Chapter 1<\/p>/);
  });

  test("a marker line splits where the writer says; the marker alone is no title, longer lines are", async () => {
    const text = `${para(5, "a")}\n\n***\n\n${para(5, "b")}\n\n*** Part Three\n\n${para(5, "c")}\n\n***\n\n`;
    const work = await read(text, "story.txt", { kind: "marker", marker: "***" });
    assert.deepEqual(titles(work), ["", "", "*** Part Three"]);
    assert.deepEqual(
      work.chapters.map((c) => c.html),
      ["<p>a a a a a.</p>", "<p>b b b b b.</p>", "<p>c c c c c.</p>"],
    );
    assert.ok(work.notices.includes("Left out 1 empty chapter."), work.notices.join("|"));
    const caseless = await read(
      "Intro here.\n\nchapter one\n\nText.\n\nCHAPTER TWO\n\nMore.",
      "s.txt",
      {
        kind: "marker",
        marker: "Chapter",
      },
    );
    assert.deepEqual(titles(caseless), ["", "chapter one", "CHAPTER TWO"]);
  });

  test("Markdown: rendered by the posting form's rules, split at the repeated heading level", async () => {
    const md = [
      "# The Work",
      "## Part One",
      "Some **bold** and _italic_ and ~~struck~~ words here.",
      "| a | b |\n|---|---|\n| 1 | 2 |",
      "## Part Two",
      "```\ncode\n\n## not a heading\n```",
      "More <script>alert(1)</script> text.",
    ].join("\n\n");
    const work = await read(md, "story.md");
    assert.equal(work.format, "md");
    assert.equal(work.title, "The Work");
    assert.deepEqual(titles(work), ["Part One", "Part Two"]);
    assert.match(
      work.chapters[0]?.html ?? "",
      /<strong>bold<\/strong> and <em>italic<\/em> and <s>struck<\/s>/,
    );
    assert.match(work.chapters[0]?.html ?? "", /<table>/);
    assert.match(
      work.chapters[1]?.html ?? "",
      /<pre><code>code\n\n## not a heading\n<\/code><\/pre>/,
    );
    assert.deepEqual([...(work.chapters[1]?.removed ?? [])], [["script", 1]]);
    const byLevel = await read(md, "story.md", { kind: "heading", level: 1 });
    assert.deepEqual(titles(byLevel), ["The Work"]);
    assert.match(byLevel.chapters[0]?.html ?? "", /<h2>Part One<\/h2>/);
  });

  test("hard-wrapped text is joined into paragraphs; short lines (verse) are kept", async () => {
    const wrapped = Array.from(
      { length: 12 },
      (_, i) =>
        `Paragraph ${i} starts here and goes on for quite a while, wrapping at\nsixty or seventy characters as old e-texts do, until it finally\nends.`,
    );
    const verse = "Roses are red,\nviolets are blue,\nthis line is short,\nand so are you.";
    const work = await read([...wrapped, verse].join("\n\n"));
    const html = work.chapters[0]?.html ?? "";
    assert.match(
      html,
      /wrapping at sixty or seventy characters as old e-texts do, until it finally ends\./,
    );
    assert.match(html, /Roses are red,<br \/>violets are blue,/);
    assert.ok(work.notices.some((n) => /^Joined lines wrapped at \d+ characters/.test(n)));
    // A fan fiction text with one line per paragraph is left alone.
    const plain = await read("One paragraph line.\nA second line, short.\n\nAnother.");
    assert.match(plain.chapters[0]?.html ?? "", /line\.<br \/>A second/);
  });

  test("Project Gutenberg's header and licence are left out; its Title and Author lines are used", async () => {
    const text = [
      "The Project Gutenberg EBook of Tiny Book, by A. Writer",
      "Title: Tiny Book\nAuthor: A. Writer\nLanguage: French",
      "*** START OF THIS PROJECT GUTENBERG EBOOK TINY BOOK ***",
      "Produced by Volunteers",
      "TINY BOOK",
      "Chapter 1",
      para(10, "un"),
      "Chapter 2",
      para(10, "deux"),
      "End of the Project Gutenberg EBook of Tiny Book",
      "*** END OF THIS PROJECT GUTENBERG EBOOK TINY BOOK ***",
      "Section 1. General Terms of Use and Redistributing Project Gutenberg-tm",
    ].join("\n\n");
    const work = await read(text, "pg.txt");
    assert.equal(work.title, "Tiny Book");
    assert.deepEqual(work.creators, ["A. Writer"]);
    assert.equal(work.language, "fr");
    assert.deepEqual(titles(work), ["Chapter 1", "Chapter 2"]);
    assert.ok(!/Gutenberg/.test(work.chapters.map((c) => c.html).join("")));
    assert.ok(work.notices.includes("Left out the Project Gutenberg header and licence."));
  });

  test("an author's note before the story becomes the beginning notes; one after it, the end notes", async () => {
    const text = [
      "A/N: Set after 6x02. Reviews make my day!",
      "Disclaimer: I don't own Grey's.",
      para(20, "story"),
      "Thanks for reading! Let me know what you think :)",
    ].join("\n\n");
    const work = await read(text);
    assert.equal(
      work.notes,
      "<p>A/N: Set after 6x02. Reviews make my day!</p>\n<p>Disclaimer: I don't own Grey's.</p>",
    );
    assert.equal(work.endNotes, "<p>Thanks for reading! Let me know what you think :)</p>");
    assert.equal(work.chapters[0]?.html, `<p>${para(20, "story")}</p>`);
    // Before "Chapter 1" too.
    const chaptered = await read(
      ["Author's note: my first fic, be kind.", "Chapter 1", para(5), "Chapter 2", para(5)].join(
        "\n\n",
      ),
    );
    assert.equal(chaptered.notes, "<p>Author's note: my first fic, be kind.</p>");
    assert.deepEqual(titles(chaptered), ["Chapter 1", "Chapter 2"]);
    // A story that opens in the middle of things keeps its first paragraph.
    const story = await read(
      `"Feel free to tell me what you think," she said, hoping for a review.\n\n${para(10)}`,
    );
    assert.equal(story.notes, "");
    assert.equal(story.chapters.length, 1);
  });

  test("text before the first chapter that is neither title page nor note is a chapter of its own", async () => {
    const work = await read(
      ["It was raining when it began.", "Chapter 1", para(5), "Chapter 2", para(5)].join("\n\n"),
    );
    assert.deepEqual(titles(work), ["", "Chapter 1", "Chapter 2"]);
  });
  test("chapter and marker lines right above the text (no blank line) still start chapters", async () => {
    const work = await read("Chapter 1\nIt began here.\nSecond line.\n\nChapter 2\nIt went on.\n");
    assert.deepEqual(titles(work), ["Chapter 1", "Chapter 2"]);
    assert.equal(work.chapters[0]?.html, "<p>It began here.<br />Second line.</p>");
    const marked = await read("Part one text.\n~~~\nPart two text.", "s.txt", {
      kind: "marker",
      marker: "~~~",
    });
    assert.deepEqual(
      marked.chapters.map((c) => c.html),
      ["<p>Part one text.</p>", "<p>Part two text.</p>"],
    );
  });

  test("a one-chapter Markdown file opening with its only top heading takes it as the title", async () => {
    const work = await read(
      "# Falling Slowly\n\nA/N: set after the finale. Hope you enjoy! :)\n\nThe story.",
      "f.md",
    );
    assert.equal(work.title, "Falling Slowly");
    assert.equal(work.notes, "<p>A/N: set after the finale. Hope you enjoy! :)</p>");
    assert.equal(work.chapters[0]?.html, "<p>The story.</p>");
  });
});
