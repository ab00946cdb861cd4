/**
 * The importer on the real texts beside the repository (../shared): Project Gutenberg's Pride
 * and Prejudice (UTF-8 with BOM, text and HTML: 61 chapters with their titles), The Adventures
 * of Sherlock Holmes (ISO-8859-1: accents, £ and curly quotes must come through; 12 stories) and the two seed
 * stories (plain text; the second's author's note becomes the work's beginning notes). Timings
 * are printed by bench/import.ts, not asserted here.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test, type TestContext } from "node:test";
import { readImportFile } from "../../src/import/read/index.ts";
import { htmlToPlainText } from "../../src/core/text/sanitize.ts";
import { skipUnless } from "../support/skip.ts";

const shared = new URL("../../../shared/", import.meta.url).pathname;
const auto = { split: { kind: "auto" } } as const;

function load(t: TestContext, path: string): Buffer | null {
  const file = shared + path;
  if (skipUnless(t, existsSync(file), `../shared/${path} is not there (see ../shared/README.md)`))
    return null;
  return readFileSync(file);
}

const PRIDE_TITLES = Array.from({ length: 61 }, (_, i) => `Chapter ${i + 1}`);
const SHERLOCK_TITLES = [
  "ADVENTURE I. A SCANDAL IN BOHEMIA",
  "ADVENTURE II. THE RED-HEADED LEAGUE",
  "ADVENTURE III. A CASE OF IDENTITY",
  "ADVENTURE IV. THE BOSCOMBE VALLEY MYSTERY",
  "ADVENTURE V. THE FIVE ORANGE PIPS",
  "ADVENTURE VI. THE MAN WITH THE TWISTED LIP",
  "VII. THE ADVENTURE OF THE BLUE CARBUNCLE",
  "VIII. THE ADVENTURE OF THE SPECKLED BAND",
  "IX. THE ADVENTURE OF THE ENGINEER'S THUMB",
  "X. THE ADVENTURE OF THE NOBLE BACHELOR",
  "XI. THE ADVENTURE OF THE BERYL CORONET",
  "XII. THE ADVENTURE OF THE COPPER BEECHES",
];

describe("importing the shared corpus", () => {
  for (const file of ["1342-0.txt", "1342-h.htm"]) {
    test(`Pride and Prejudice (${file}): 61 chapters with their titles, no Gutenberg boilerplate`, async (t) => {
      const bytes = load(t, `data/gutenberg-pride-and-prejudice/${file}`);
      if (!bytes) return;
      const work = await readImportFile(bytes, file, auto);
      assert.equal(work.title, "Pride and Prejudice");
      assert.deepEqual(work.creators, ["Jane Austen"]);
      assert.equal(work.language, "en");
      assert.deepEqual(work.encoding, { name: "utf-8", source: "bom" });
      assert.deepEqual(
        work.chapters.map((c) => c.title),
        PRIDE_TITLES,
      );
      const first = htmlToPlainText(work.chapters[0]?.html ?? "");
      assert.match(
        first,
        /^It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife\./,
      );
      assert.match(htmlToPlainText(work.chapters[60]?.html ?? ""), /the means of uniting them\.$/);
      const all = work.chapters.map((c) => c.html).join("");
      assert.ok(!/Gutenberg/i.test(all), "the licence is left out");
      assert.ok(!/<h2>/.test(all), "chapter headings became titles");
      const words = work.chapters.reduce((n, c) => n + c.words, 0);
      assert.ok(words > 119_000 && words < 124_000, `${words} words`);
    });
  }

  test("The Adventures of Sherlock Holmes, ISO-8859-1 text: detected, accents intact, 12 stories", async (t) => {
    const bytes = load(t, "data/gutenberg-sherlock-holmes/1661-8.txt");
    if (!bytes) return;
    const work = await readImportFile(bytes, "1661-8.txt", auto);
    assert.deepEqual(work.encoding, { name: "windows-1252", source: "detected" });
    assert.equal(work.title, "The Adventures of Sherlock Holmes");
    assert.deepEqual(work.creators, ["Arthur Conan Doyle"]);
    assert.deepEqual(
      work.chapters.map((c) => c.title),
      SHERLOCK_TITLES,
    );
    const text = work.chapters.map((c) => htmlToPlainText(c.html)).join("\n");
    for (const word of [
      "née",
      "fiancé",
      "dénouement",
      "métier",
      "Voilà",
      "pâté",
      "employé",
      "outré",
    ])
      assert.ok(text.includes(word), word);
    assert.ok(!text.includes("\ufffd"), "no replacement characters");
  });

  test("The Adventures of Sherlock Holmes, legacy HTML: <meta> charset, curly quotes, 12 stories", async (t) => {
    const bytes = load(t, "data/gutenberg-sherlock-holmes/1661-h.htm");
    if (!bytes) return;
    const work = await readImportFile(bytes, "1661-h.htm", auto);
    assert.deepEqual(work.encoding, { name: "windows-1252", source: "meta" });
    assert.deepEqual(
      work.chapters.map((c) => c.title),
      SHERLOCK_TITLES.map((s) => s.replace("ENGINEER'S", "ENGINEER’S")),
    );
    const text = work.chapters.map((c) => htmlToPlainText(c.html)).join("\n");
    for (const word of ["née", "fiancé", "dénouement", "“My dear fellow,”"])
      assert.ok(text.includes(word), word);
    assert.ok(!text.includes("\ufffd"));
  });

  test("the seed stories: one chapter each; only the second's author's note becomes the beginning notes", async (t) => {
    const first = load(t, "seeds/000_d5fc9053435db2df.txt");
    const second = load(t, "seeds/001_f56998193c19740c.txt");
    if (!first || !second) return;
    const a = await readImportFile(first, "000_d5fc9053435db2df.txt", auto);
    assert.equal(a.chapters.length, 1);
    assert.equal(a.notes, "");
    assert.equal(a.endNotes, "");
    assert.match(
      a.chapters[0]?.html ?? "",
      /^<p>"So I need to tell you something\. Two somethings actually\."/,
    );
    assert.ok((a.chapters[0]?.words ?? 0) > 2000);

    const b = await readImportFile(second, "001_f56998193c19740c.txt", auto);
    assert.equal(b.chapters.length, 1);
    assert.match(b.notes, /^<p>So the elevator scene\.\.\. man it got me\./);
    assert.match(b.notes, /Mark's POV is bold; Lexie's is plain\.<\/p>$/);
    assert.equal(b.endNotes, "");
    assert.match(
      b.chapters[0]?.html ?? "",
      /^<p>It's been a long day\. She can't wait to get home\./,
    );
    assert.match(b.chapters[0]?.html ?? "", /<p>He's lost her\.<\/p>$/);
    assert.ok(!(b.chapters[0]?.html ?? "").includes("review"));
  });
});
