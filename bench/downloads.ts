/**
 * Download benchmark (issue 14: "EPUB of a 500,000-word, 100-chapter work ≤ 1 s"). Generates a
 * work of `--words` words in `--chapters` chapters (paragraphs with bold, italics and a
 * scene-break rule now and then) and prints:
 *   build    each format's build time from the work's model (wall-clock p50/p95 over `--runs`
 *            runs, and the process's CPU time; the PDF fewer, it is the slow one), file size
 *   serve    the same work posted to an in-process app (SQLite): the first EPUB request (a
 *            202 while the job builds), the job, then cached requests' p50/p95 through the
 *            whole route (visibility, ETag, streaming the file), and a 304
 *
 *   npx node --import tsx bench/downloads.ts [--words 500000] [--chapters 100] [--runs 5]
 *     [--pdf-runs 1]
 */
import { performance } from "node:perf_hooks";
import { formatUserText, type SanitizedHtml } from "../src/core/text/sanitize.ts";
import { buildFile } from "../src/downloads/build.ts";
import type { DownloadWork } from "../src/downloads/document.ts";
import { postWorkWithChapters } from "../src/works/commands.ts";
import { NewWorkInput } from "../src/works/schemas.ts";
import { downloadPath, DOWNLOAD_FORMATS } from "../src/works/views/links.tsx";
import { buildUser } from "../test/support/factories.ts";
import { createTestApp } from "../test/support/app.ts";
import { numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const WORDS = numberArg(argv, "words", 500_000);
const CHAPTERS = numberArg(argv, "chapters", 100);
const RUNS = numberArg(argv, "runs", 5);
const PDF_RUNS = numberArg(argv, "pdf-runs", 1);

const VOCABULARY =
  "the fog came in at dusk and nobody minded much because lamps were lit along the harbour wall where she waited for him to say something true about the night".split(
    " ",
  );

/** One chapter's HTML: ~`words` words in paragraphs of 60–120, some bold or italic. */
function chapterHtml(words: number, seed: number): string {
  let n = 0;
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const paras: string[] = [];
  while (n < words) {
    const len = Math.min(words - n, 60 + Math.floor(rand() * 60));
    const w: string[] = [];
    for (let i = 0; i < len; i++) w.push(VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!);
    n += len;
    const text = w.join(" ");
    const r = rand();
    paras.push(
      r < 0.1
        ? `<p><b>${text}.</b></p>`
        : r < 0.2
          ? `<p>${text.replace(/(\w+) (\w+)/, "<i>$1 $2</i>")}.</p>`
          : `<p>${text}.</p>`,
    );
    if (rand() < 0.02) paras.push("<hr />");
  }
  return paras.join("\n");
}

const perChapter = Math.ceil(WORDS / CHAPTERS);
console.log(`Generating ${WORDS.toLocaleString("en-US")} words in ${CHAPTERS} chapters…`);
const chapters = Array.from({ length: CHAPTERS }, (_, i) => chapterHtml(perChapter, i + 1));
const sanitized = chapters.map((c) => formatUserText(c));

const model: DownloadWork = {
  id: 1,
  title: "The Long Harbour",
  authors: [{ name: "bench_author", url: "http://localhost:3000/users/bench_author" }],
  baseUrl: "http://localhost:3000",
  url: "http://localhost:3000/works/1",
  language: { code: "en", name: "English" },
  identifier: "urn:uuid:00000000-0000-5000-8000-000000000001",
  tags: [
    {
      key: "rating",
      label: "Rating",
      values: [{ name: "General Audiences", url: "http://localhost:3000/tags/x" }],
    },
  ],
  summaryHtml: formatUserText("A <i>long</i> work."),
  notesHtml: "" as SanitizedHtml,
  endNotesHtml: "" as SanitizedHtml,
  stats: [{ label: "Words", value: WORDS.toLocaleString("en-US") }],
  published: "2026-12-01",
  modified: "2026-12-01T00:00:00Z",
  words: WORDS,
  restricted: false,
  multi: true,
  chapters: sanitized.map((html, i) => ({
    id: i + 1,
    position: i + 1,
    heading: `Chapter ${i + 1}`,
    title: "",
    summaryHtml: "" as SanitizedHtml,
    notesHtml: "" as SanitizedHtml,
    textHtml: html,
    endNotesHtml: "" as SanitizedHtml,
    words: perChapter,
  })),
};

const f = (x: number) => `${x.toFixed(0)} ms`;
console.log("\nbuild (from the work's model)");
for (const format of DOWNLOAD_FORMATS) {
  const runs = format === "pdf" ? PDF_RUNS : RUNS;
  const times: number[] = [];
  const cpu: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const bytes = await buildFile(format, model);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    size = bytes.byteLength;
  }
  const p = percentiles(times);
  // CPU time too: on a shared, busy machine the wall clock mostly measures the others.
  console.log(
    `  ${format.padEnd(5)} p50 ${f(p.p50).padStart(8)}  p95 ${f(p.p95).padStart(8)}  cpu p50 ${f(percentiles(cpu).p50).padStart(8)}  (${runs} runs)  ${(size / 1e6).toFixed(1)} MB`,
  );
}

console.log("\nserve (in-process app, SQLite)");
const t = await createTestApp("sqlite");
try {
  const author = await buildUser(t.deps.db, { login: "bench_author" });
  const posted = await postWorkWithChapters(t.deps.db, {
    pseudId: author.pseudId,
    input: NewWorkInput.parse({
      title: "The Long Harbour",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Bench",
      language: "en",
      text: sanitized[0],
      text_format: "html",
      action: "post",
    }),
    moreChapters: sanitized.slice(1).map((html, i) => ({ title: `Chapter ${i + 2}`, html })),
    now: t.clock.now,
  });
  if (!posted.ok) throw new Error(JSON.stringify(posted.errors));
  const url = downloadPath({ id: posted.value.workId, title: "The Long Harbour" }, "epub");
  const get = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: "GET", url, headers });
  let t0 = performance.now();
  const first = await get();
  console.log(`  first request   ${first.statusCode}  ${f(performance.now() - t0)}`);
  t0 = performance.now();
  await t.drainJobs();
  console.log(`  job (build)         ${f(performance.now() - t0)}`);
  const times: number[] = [];
  let etag = "";
  for (let i = 0; i < 20; i++) {
    t0 = performance.now();
    const res = await get();
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`cached request: ${res.statusCode}`);
    etag = String(res.headers.etag);
  }
  const p = percentiles(times);
  console.log(`  cached 200      p50 ${f(p.p50)}  p95 ${f(p.p95)}  (20 requests)`);
  t0 = performance.now();
  const notModified = await get({ "if-none-match": etag });
  console.log(`  304             ${notModified.statusCode}  ${f(performance.now() - t0)}`);
} finally {
  await t.close();
}
