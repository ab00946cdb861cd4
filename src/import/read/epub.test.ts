import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { strToU8 } from "fflate";
import { epub } from "../../../test/import/fixtures.ts";
import { ImportError } from "../types.ts";
import { readImportFile } from "./index.ts";
import { ZIP_MAX_EXPANDED_BYTES } from "./zip.ts";

const auto = { split: { kind: "auto" } } as const;
const items = [
  { id: "cover", href: "cover.xhtml", body: '<div><img src="cover.jpg" alt="Cover"/></div>' },
  { id: "title", href: "text/title.xhtml", body: "<h1>The Book</h1><p>by A. Writer</p>" },
  {
    id: "c2",
    href: "text/ch2.xhtml",
    body: "<section><h2>The Second</h2><p>Second chapter's text, <b>bold</b>.</p></section>",
  },
  {
    id: "c1",
    href: "text/ch1.xhtml",
    body: '<p>First chapter\'s text <img src="../images/x.png" alt="x"/> without a heading.</p><p style="x">More.</p>',
  },
];

describe("EPUB files", () => {
  test("chapters in spine order, titled by heading or contents entry; cover, title page and nav left out", async () => {
    const file = epub({
      title: "The Book",
      creators: ["A. Writer", "B. Writer"],
      description: "A <i>short</i> summary.<script>x</script>",
      language: "en-US",
      subjects: ["Fluff", "Alternate Universe", "Fluff"],
      items,
      spine: ["cover", "title", "c1", "c2"],
      toc: [
        ["text/ch1.xhtml", "Chapter One"],
        ["text/ch2.xhtml#start", "Chapter Two"],
      ],
    });
    const work = await readImportFile(file, "book.epub", auto);
    assert.equal(work.format, "epub");
    assert.equal(work.title, "The Book");
    assert.deepEqual(work.creators, ["A. Writer", "B. Writer"]);
    assert.equal(work.summary, "<p>A <i>short</i> summary.</p>");
    assert.equal(work.language, "en");
    assert.deepEqual(work.tags, ["Fluff", "Alternate Universe"]);
    assert.deepEqual(
      work.chapters.map((c) => [c.title, c.html]),
      [
        ["Chapter One", "<p>First chapter's text  without a heading.</p>\n<p>More.</p>"],
        ["The Second", "<p>Second chapter's text, <b>bold</b>.</p>"],
      ],
    );
    assert.deepEqual(Object.fromEntries(work.chapters[0]?.removed ?? []), { "style attribute": 1 });
    assert.ok(
      work.notices.includes("Left out 3 cover, contents and navigation pages."),
      work.notices.join("|"),
    );
    assert.ok(work.notices.includes("2 images dropped."), work.notices.join("|"));
  });

  test("an EPUB 2 NCX titles chapters when there is no nav entry; other splits join the spine first", async () => {
    const file = epub({
      items: [
        { id: "a", href: "a.xhtml", body: "<p>Alpha text.</p><p>***</p><p>Beta text.</p>" },
        { id: "b", href: "b.xhtml", body: "<p>Gamma text.</p>" },
      ],
      toc: [
        ["a.xhtml", "From the NCX"],
        ["b.xhtml", "Second entry"],
      ],
    });
    const work = await readImportFile(file, "untitled_book.epub", auto);
    assert.equal(work.title, "untitled book");
    assert.deepEqual(
      work.chapters.map((c) => c.title),
      ["From the NCX", "Second entry"],
    );
    const marked = await readImportFile(file, "b.epub", {
      split: { kind: "marker", marker: "***" },
    });
    assert.deepEqual(
      marked.chapters.map((c) => c.html),
      ["<p>Alpha text.</p>", "<p>Beta text.</p>\n<p>Gamma text.</p>"],
    );
    const one = await readImportFile(file, "b.epub", { split: { kind: "none" } });
    assert.equal(one.chapters.length, 1);
  });

  test("broken packages are 400s that say what is wrong", async () => {
    const cases: [Uint8Array, RegExp][] = [
      [epub({ items, containerXml: "<container/>" }), /its container.xml names no package file/],
      [
        epub({ items, spine: ["c1", "ghost"] }),
        /its spine names "ghost", which the manifest lacks/,
      ],
    ];
    for (const [file, reason] of cases) {
      await assert.rejects(
        readImportFile(file, "bad.epub", auto),
        (err: unknown) =>
          err instanceof ImportError && err.status === 400 && reason.test(err.message),
      );
    }
    const missing = epub({
      items: [{ id: "a", href: "a.xhtml", body: "<p>text</p>" }],
      extra: {
        "OEBPS/content.opf": strToU8(
          `<package><metadata/><manifest><item id="a" href="gone.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>`,
        ),
      },
    });
    await assert.rejects(
      readImportFile(missing, "bad.epub", auto),
      (err: unknown) =>
        err instanceof ImportError &&
        err.status === 400 &&
        /OEBPS\/gone.xhtml is missing/.test(err.message),
    );
  });
  test("an archive that claims to expand past the limit is a 413, without inflating it", async () => {
    const megabyte = new Uint8Array(1024 * 1024);
    const entries: Record<string, [Uint8Array, { level: 1 }]> = {};
    for (let i = 0; i <= ZIP_MAX_EXPANDED_BYTES / megabyte.length; i++)
      entries[`OEBPS/part${i}.xhtml`] = [megabyte, { level: 1 }];
    const bomb = epub({ items, extra: entries });
    assert.ok(bomb.length < 2 * 1024 * 1024, `${bomb.length} bytes`);
    await assert.rejects(
      readImportFile(bomb, "bomb.epub", auto),
      (err: unknown) =>
        err instanceof ImportError &&
        err.status === 413 &&
        /expands to more than 256 MB/.test(err.message),
    );
  });
});
