import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { ImportError } from "../types.ts";
import { detectFormat } from "./detect.ts";

const refused = (status: number, pattern: RegExp) => (err: unknown) =>
  err instanceof ImportError && err.status === status && pattern.test(err.message);

describe("detectFormat", () => {
  test("zips are told apart by what they hold, whatever their name", () => {
    const docx = zipSync({ "word/document.xml": strToU8("<w:document/>") });
    const epub = zipSync({
      mimetype: strToU8("application/epub+zip"),
      "META-INF/container.xml": strToU8("<container/>"),
    });
    assert.equal(detectFormat(docx, "story.bin"), "docx");
    assert.equal(detectFormat(epub, "story.zip"), "epub");
    assert.throws(
      () => detectFormat(zipSync({ "a.txt": strToU8("hi") }), "stuff.zip"),
      refused(415, /zip archive, but not a Word document or an EPUB/),
    );
    assert.throws(
      () => detectFormat(zipSync({ "a.txt": strToU8("hi") }), "story.docx"),
      refused(400, /not a Word document: it has no word\/document.xml/),
    );
  });

  test("damaged zips and containers that are not zips are 400s with the reason", () => {
    const zip = zipSync({ "word/document.xml": strToU8("<w:document/>".repeat(50)) });
    const truncated = zip.subarray(0, zip.length - 30);
    assert.throws(
      () => detectFormat(truncated, "story.docx"),
      refused(400, /"story.docx" is damaged/),
    );
    assert.throws(
      () => detectFormat(strToU8("just text"), "story.epub"),
      refused(400, /not an EPUB: it is not a zip archive/),
    );
    assert.throws(
      () => detectFormat(strToU8("just text"), "notes.txt", "docx"),
      refused(400, /not a Word \(.docx\) document/),
    );
  });

  test("known binary files and anything with NUL bytes are 415s saying what they are", () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    assert.throws(
      () => detectFormat(png, "cover.txt"),
      refused(415, /is a PNG image\. Import takes/),
    );
    assert.throws(
      () => detectFormat(strToU8("%PDF-1.7\n..."), "story.pdf"),
      refused(415, /a PDF file/),
    );
    const doc = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    assert.throws(() => detectFormat(doc, "story.doc"), refused(415, /save it as .docx/));
    assert.throws(
      () => detectFormat(Uint8Array.from([1, 2, 0, 4, 5]), "mystery"),
      refused(415, /not a text file/),
    );
    assert.throws(() => detectFormat(new Uint8Array(0), "empty.txt"), refused(400, /is empty/));
  });

  test("text files: Markdown and HTML by name, HTML by its start, else plain text; a choice wins", () => {
    assert.equal(detectFormat(strToU8("# Title"), "story.md"), "md");
    assert.equal(detectFormat(strToU8("# Title"), "story.markdown"), "md");
    assert.equal(detectFormat(strToU8("<p>hi</p>"), "story.HTM"), "html");
    assert.equal(detectFormat(strToU8("\ufeff<!DOCTYPE html><html><body>x"), "story.txt"), "html");
    assert.equal(detectFormat(strToU8("<!-- saved --><HTML><BODY>x"), "story"), "html");
    assert.equal(detectFormat(strToU8("She wrote <b>bold</b> words."), "story.txt"), "txt");
    assert.equal(detectFormat(strToU8("She wrote."), "story.txt", "md"), "md");
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x48, 0, 0x69, 0]);
    assert.equal(detectFormat(utf16, "story.txt"), "txt");
  });
});
