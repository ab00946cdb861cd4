import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  bullet,
  docx,
  footnoteRef,
  heading,
  image,
  para,
  run,
  text,
} from "../../../test/import/fixtures.ts";
import { readImportFile } from "./index.ts";

const auto = { split: { kind: "auto" } } as const;

describe("Word (.docx) files", () => {
  test("bold, italics, underline, strikethrough, lists and footnotes survive; images are dropped with a notice", async () => {
    const file = docx({
      title: "The Elevator",
      creator: "Some Writer",
      footnotes: ["The footnote's text."],
      body: [
        para(
          run("Mark's POV is "),
          run("bold", { b: true }),
          run("; "),
          run("Lexie's", { i: true }),
          run(" is "),
          run("underlined", { u: true }),
          run(" and "),
          run("struck", { s: true }),
        ),
        bullet("first item"),
        bullet("second item"),
        para(run("A claim"), footnoteRef(1)),
        para(image()),
        para(image(), run("Caption.")),
      ],
    });
    const work = await readImportFile(file, "elevator.docx", auto);
    assert.equal(work.format, "docx");
    assert.equal(work.title, "The Elevator");
    assert.deepEqual(work.creators, ["Some Writer"]);
    assert.equal(work.chapters.length, 1);
    const html = work.chapters[0]?.html ?? "";
    assert.match(
      html,
      /<p>Mark's POV is <strong>bold<\/strong>; <em>Lexie's<\/em> is <u>underlined<\/u> and <s>struck<\/s><\/p>/,
    );
    assert.match(html, /<ul><li>first item<\/li><li>second item<\/li><\/ul>/);
    assert.match(html, /A claim<sup><a href="#footnote-1">\[1\]<\/a><\/sup>/);
    assert.match(html, /<li[^>]*><p>The footnote's text\./);
    assert.ok(!/<img/.test(html), html);
    assert.match(html, /<p>Caption\.<\/p>/);
    assert.ok(work.notices.includes("2 images dropped."), work.notices.join("|"));
  });

  test("headings split chapters and title them; without properties the first heading titles the work", async () => {
    const file = docx({
      body: [
        heading(1, "Falling"),
        heading(2, "Part One"),
        text("The first part's text."),
        heading(2, "Part Two"),
        text("The second part's text."),
      ],
    });
    const work = await readImportFile(file, "falling.docx", auto);
    assert.equal(work.title, "Falling");
    assert.deepEqual(
      work.chapters.map((c) => [c.title, c.html]),
      [
        ["Part One", "<p>The first part's text.</p>"],
        ["Part Two", "<p>The second part's text.</p>"],
      ],
    );
    const one = await readImportFile(file, "falling.docx", { split: { kind: "none" } });
    assert.equal(one.chapters.length, 1);
    // Its only top heading opens it: that is the work's title, not part of the text.
    assert.equal(one.title, "Falling");
    assert.match(one.chapters[0]?.html ?? "", /^<h2>Part One<\/h2>/);
  });

  test("a zip with word/document.xml that mammoth cannot read is a 400 with the reason", async () => {
    const broken = zipSync({ "word/document.xml": strToU8("<w:document><unclosed") });
    await assert.rejects(
      readImportFile(broken, "broken.docx", auto),
      (err: { status?: number; message?: string }) => {
        assert.equal(err.status, 400);
        assert.match(err.message ?? "", /^"broken.docx" is not a readable Word document: /);
        return true;
      },
    );
  });
});
