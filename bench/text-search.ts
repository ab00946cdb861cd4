/**
 * Full-text search of works (issue 5): builds the text index of a generated corpus with full
 * chapter bodies (time, works/s, MB/s of chapter HTML), then runs seeded queries drawn from
 * the corpus's own words (1–3 words, phrases, left-out words, title:) and reports p50/p95/p99
 * for parse + search + snippets of one page of 20.
 *
 *   node --import tsx bench/text-search.ts [--engine sqlite,postgres] [--works 5000] [--queries 1000]
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { loadDemoCorpus } from "../src/demo/seed.ts";
import { htmlToPlainText } from "../src/core/text/sanitize.ts";
import { words } from "../src/search/text/fold.ts";
import { parseTextQuery } from "../src/search/text/query.ts";
import {
  indexWorkText,
  optimizeWorkText,
  unindexedWorks,
} from "../src/search/text/entry-queries.ts";
import { searchWorkText } from "../src/search/text/search-queries.ts";
import { workSnippets } from "../src/search/text/snippet-queries.ts";
import { benchDb, engines, ms, numberArg, percentiles } from "./support.ts";

const works = numberArg(process.argv, "works", 5_000);
const queries = numberArg(process.argv, "queries", 1_000);
const PAGE = 20;

/** mulberry32: the same queries on every run and engine. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const engine of engines(process.argv)) {
  console.log(`[${engine}] ${works.toLocaleString("en-US")} works with full bodies`);
  const handle = await benchDb(engine);
  const db = handle.db;
  try {
    let t0 = performance.now();
    await loadDemoCorpus(db, engine, {
      works,
      bodies: "full",
      users: 300,
      passwordHashCost: { memoryCost: 256, timeCost: 1 },
    });
    console.log(`  load corpus: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const { rows: size } = await sql<{
      html: number | string;
    }>`select sum(octet_length(text_html)) as html from chapters`.execute(db);
    const mb = Number(size[0]?.html ?? 0) / 1e6;

    t0 = performance.now();
    let after = 0;
    let indexed = 0;
    for (;;) {
      const ids = await unindexedWorks(db, engine, after, 2_000);
      if (ids.length === 0) break;
      await indexWorkText(db, engine, ids);
      indexed += ids.length;
      after = ids[ids.length - 1]!;
    }
    const buildS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await optimizeWorkText(db, engine);
    const optimizeS = (performance.now() - t0) / 1000;
    console.log(
      `  index ${indexed.toLocaleString("en-US")} works, ${mb.toFixed(0)} MB of chapter HTML: ` +
        `${buildS.toFixed(1)} s (${Math.round(indexed / buildS)} works/s, ${(mb / buildS).toFixed(1)} MB/s); optimize ${optimizeS.toFixed(1)} s`,
    );
    t0 = performance.now();
    await indexWorkText(db, engine, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    console.log(`  re-index 10 unchanged works (metadata only): ${ms(performance.now() - t0)}`);

    // Vocabulary: words of 300 random chapters and all titles, with counts.
    const random = rng(42);
    const chapters = await db
      .selectFrom("chapters")
      .select("text_html")
      .where(
        "id",
        "in",
        Array.from({ length: 300 }, () => 1 + Math.floor(random() * works)),
      )
      .execute();
    const texts = chapters.map((c) => htmlToPlainText(c.text_html));
    const titles = (await db.selectFrom("works").select("title").execute()).map((w) => w.title);
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of words(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const vocabulary = [...counts.keys()];
    const titleWords = titles.flatMap((t) => words(t));
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const phrase = (n: number) => {
      const ws = words(pick(texts));
      const at = Math.floor(random() * Math.max(1, ws.length - n));
      return `"${ws.slice(at, at + n).join(" ")}"`;
    };
    const mix: { kind: string; text: string }[] = [];
    for (let i = 0; i < queries; i++) {
      const r = random();
      const three = random() < 0.5 ? [pick(vocabulary)] : [];
      if (r < 0.35) mix.push({ kind: "1 word", text: pick(vocabulary) });
      else if (r < 0.6)
        mix.push({
          kind: "2-3 words",
          text: [pick(vocabulary), pick(vocabulary), ...three].join(" "),
        });
      else if (r < 0.75) mix.push({ kind: "phrase", text: phrase(2 + Math.floor(random() * 2)) });
      else if (r < 0.9)
        mix.push({ kind: "word -word", text: `${pick(vocabulary)} -${pick(vocabulary)}` });
      else mix.push({ kind: "title:word", text: `title:${pick(titleWords)}` });
    }

    const total: number[] = [];
    const searchOnly: number[] = [];
    const snippetOnly: number[] = [];
    const hitCounts: number[] = [];
    const byKind = new Map<string, number[]>();
    for (const { kind, text } of mix) {
      const t = performance.now();
      const parsed = parseTextQuery(text);
      if (!parsed.ok) continue;
      const hits = await searchWorkText(db, engine, parsed.query);
      const t1 = performance.now();
      await workSnippets(db, engine, parsed.query, hits.ids.slice(0, PAGE));
      const t2 = performance.now();
      total.push(t2 - t);
      searchOnly.push(t1 - t);
      snippetOnly.push(t2 - t1);
      hitCounts.push(hits.ids.length);
      byKind.set(kind, [...(byKind.get(kind) ?? []), t2 - t]);
    }
    const line = (label: string, s: number[]) => {
      const p = percentiles(s);
      console.log(
        `  ${label.padEnd(22)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}  (n=${p.n})`,
      );
    };
    line("search + snippets", total);
    line("search", searchOnly);
    line("snippets (page of 20)", snippetOnly);
    for (const [kind, samples] of byKind) line(`  ${kind}`, samples);
    const h = percentiles(hitCounts);
    console.log(`  matches per query: p50 ${h.p50}  p95 ${h.p95}  max ${h.max}`);

    // The most common word: the worst case for ranking every match.
    const common = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([w]) => w);
    for (const word of common) {
      const q = parseTextQuery(word);
      if (!q.ok) continue;
      const t = performance.now();
      const hits = await searchWorkText(db, engine, q.query);
      const t1 = performance.now();
      await workSnippets(db, engine, q.query, hits.ids.slice(0, PAGE));
      console.log(
        `  common word "${word}": ${hits.ids.length.toLocaleString("en-US")} matches, search ${ms(t1 - t)}, snippets ${ms(performance.now() - t1)}`,
      );
    }
  } finally {
    await handle.close();
  }
}
