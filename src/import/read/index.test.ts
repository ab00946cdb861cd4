import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImportError, IMPORT_MAX_BYTES } from "../types.ts";
import { parseSplit, readImportFile } from "./index.ts";

const refused = (status: number, pattern: RegExp) => (err: unknown) =>
  err instanceof ImportError && err.status === status && pattern.test(err.message);

describe("readImportFile", () => {
  test("a file over the limit is a 413 before anything is read", async () => {
    const big = new Uint8Array(IMPORT_MAX_BYTES + 1).fill(0x61);
    await assert.rejects(
      readImportFile(big, "big.txt", { split: { kind: "auto" } }),
      refused(413, /20\.0 MB; files can be at most 20 MB/),
    );
    // At the limit it is read (and here found to be an image).
    const limit = new Uint8Array(IMPORT_MAX_BYTES);
    limit.set([0x89, 0x50, 0x4e, 0x47], 0);
    await assert.rejects(
      readImportFile(limit, "ok.txt", { split: { kind: "auto" } }),
      refused(415, /is a PNG image/),
    );
  });

  test("split options are checked and named", async () => {
    const bytes = Buffer.from("Some text here.");
    await assert.rejects(
      readImportFile(bytes, "a.txt", { split: { kind: "heading", level: 7 } }),
      refused(422, /^split: the heading level must be 1 to 6/),
    );
    await assert.rejects(
      readImportFile(bytes, "a.txt", { split: { kind: "marker", marker: "  " } }),
      refused(422, /^split: /),
    );
    assert.deepEqual(parseSplit("heading:2"), { kind: "heading", level: 2 });
    assert.deepEqual(parseSplit("marker:Chapter"), { kind: "marker", marker: "Chapter" });
    assert.deepEqual(parseSplit(undefined), { kind: "auto" });
    assert.deepEqual(parseSplit("none"), { kind: "none" });
    assert.throws(() => parseSplit("heading:9"), refused(422, /^split: "heading:9" is not one of/));
  });

  test("the format can be chosen: a .txt read as Markdown", async () => {
    const work = await readImportFile(Buffer.from("Some **bold** text."), "a.txt", {
      split: { kind: "auto" },
      format: "md",
    });
    assert.equal(work.format, "md");
    assert.equal(work.chapters[0]?.html, "<p>Some <strong>bold</strong> text.</p>");
  });
});
