/**
 * Import benchmark (issue 14): how long reading a file into chapters takes (readImportFile:
 * charset, format, splitting, sanitizing, word counts; no database). Files: Pride and
 * Prejudice as text and HTML and The Adventures of Sherlock Holmes as Latin-1 text and HTML
 * (from ../shared/data, skipped with a message when absent), plus generated DOCX and EPUB
 * works of 500,000 words in 100 chapters. One warm-up run, then p50/p95 over --runs runs.
 *
 *   node --import tsx bench/import.ts [--runs 5]
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { readImportFile } from "../src/import/read/index.ts";
import { docx, epub, heading, para, run } from "../test/import/fixtures.ts";
import { numberArg, percentiles } from "./support.ts";

const RUNS = numberArg(process.argv.slice(2), "runs", 5);
const shared = new URL("../../shared/data/", import.meta.url).pathname;

/** Deterministic prose: `words` words in paragraphs of about 100, some bold and italic. */
function paragraphs(chapter: number, words: number): string[] {
  const vocabulary =
    "the night was long and Mark waited by the elevator while Lexie read her charts".split(" ");
  const out: string[] = [];
  let n = chapter;
  for (let left = words; left > 0; left -= 100) {
    const size = Math.min(100, left);
    out.push(
      Array.from({ length: size }, (_, i) => vocabulary[(n + i * 7) % vocabulary.length]).join(" "),
    );
    n += 3;
  }
  return out;
}

function generatedDocx(chapters: number, wordsPerChapter: number): Uint8Array {
  const body: string[] = [];
  for (let c = 1; c <= chapters; c++) {
    body.push(heading(1, `Chapter ${c}`));
    paragraphs(c, wordsPerChapter).forEach((p, i) =>
      body.push(
        i % 3 === 0 ? para(run(p.slice(0, 20), { b: true }), run(p.slice(20))) : para(run(p)),
      ),
    );
  }
  return docx({ title: "Generated", body });
}

function generatedEpub(chapters: number, wordsPerChapter: number): Uint8Array {
  const items = Array.from({ length: chapters }, (_, i) => ({
    id: `c${i + 1}`,
    href: `text/c${i + 1}.xhtml`,
    body: `<h2>Chapter ${i + 1}</h2>${paragraphs(i + 1, wordsPerChapter)
      .map((p, j) =>
        j % 3 === 0 ? `<p><i>${p.slice(0, 20)}</i>${p.slice(20)}</p>` : `<p>${p}</p>`,
      )
      .join("")}`,
  }));
  return epub({ title: "Generated", creators: ["Bench"], language: "en", items });
}

const inputs: { name: string; bytes: () => Uint8Array | null }[] = [
  ...[
    "gutenberg-pride-and-prejudice/1342-0.txt",
    "gutenberg-pride-and-prejudice/1342-h.htm",
    "gutenberg-sherlock-holmes/1661-8.txt",
    "gutenberg-sherlock-holmes/1661-h.htm",
  ].map((path) => ({
    name: path.split("/")[1] ?? path,
    bytes: () => (existsSync(shared + path) ? readFileSync(shared + path) : null),
  })),
  { name: "generated.docx (500,000 words, 100 chapters)", bytes: () => generatedDocx(100, 5000) },
  { name: "generated.epub (500,000 words, 100 chapters)", bytes: () => generatedEpub(100, 5000) },
];

console.log(`readImportFile, ${RUNS} runs after one warm-up (ms)`);
console.log(
  "file".padEnd(48),
  "size".padStart(9),
  "chapters".padStart(9),
  "words".padStart(9),
  "p50".padStart(8),
  "p95".padStart(8),
);
for (const input of inputs) {
  const bytes = input.bytes();
  if (!bytes) {
    console.log(`${input.name.padEnd(48)} SKIPPED: ../shared/data is not there`);
    continue;
  }
  const fileName = input.name.split(" ")[0] ?? input.name;
  const options = { split: { kind: "auto" } } as const;
  const warm = await readImportFile(bytes, fileName, options);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await readImportFile(bytes, fileName, options);
    samples.push(performance.now() - started);
  }
  const p = percentiles(samples);
  const words = warm.chapters.reduce((n, c) => n + c.words, 0);
  console.log(
    input.name.padEnd(48),
    `${(bytes.byteLength / 1024).toFixed(0)} KB`.padStart(9),
    String(warm.chapters.length).padStart(9),
    words.toLocaleString("en-US").padStart(9),
    p.p50.toFixed(0).padStart(8),
    p.p95.toFixed(0).padStart(8),
  );
}
