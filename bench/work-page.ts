/**
 * One work page, closely (issue 16, H7): a guest's page of a single-chapter work of about
 * 5,000 words on an archive of `--works` generated works. Prints the SQL statements one page
 * runs (`--sql` lists them), and the server's CPU per page from `process.cpuUsage()` over
 * `--requests` injects (no sockets: what the page costs, not the network), p50/p95 of wall
 * time beside it. Run it on the old and the new code to compare.
 *
 *   node --import tsx bench/work-page.ts [--engine sqlite|postgres] [--works 2000]
 *     [--requests 2000] [--sql]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/core/config.ts";
import { memoryRateLimiter } from "../src/core/http/rate-limit.ts";
import { loadDemoCorpus } from "../src/demo/seed.ts";
import { buildWork } from "../test/support/factories.ts";
import { benchDb, engines, numberArg, percentiles } from "./support.ts";

const argv = process.argv.slice(2);
const WORKS = numberArg(argv, "works", 2_000);
const REQUESTS = numberArg(argv, "requests", 2_000);
const LIST_SQL = argv.includes("--sql");
const CHEAP = { memoryCost: 256, timeCost: 1 };

/** About 5,000 words in 80 paragraphs, some bold and italic, as a chapter body. */
function longChapter(): string {
  const words = ["the", "lantern", "swung", "over", "harbour", "quietly", "while", "gulls"];
  const paragraphs: string[] = [];
  for (let p = 0; p < 80; p++) {
    const w = Array.from({ length: 63 }, (_, i) => words[(p * 7 + i * 3) % words.length]!);
    w[5] = `<em>${w[5]}</em>`;
    w[20] = `<strong>${w[20]}</strong>`;
    paragraphs.push(w.join(" ") + ".");
  }
  return paragraphs.join("\n\n");
}

async function main() {
  const [engine] = engines(argv);
  const log = { on: false, count: 0, statements: [] as string[] };
  const handle = await benchDb(engine!, {
    onQuery: (sql) => {
      log.count++;
      if (log.on) log.statements.push(sql);
    },
  });
  if (WORKS > 0)
    await loadDemoCorpus(handle.db, handle.engine, {
      works: WORKS,
      users: Math.max(12, Math.round(WORKS / 20)),
      bodies: "short",
      seed: 5,
      passwordHashCost: CHEAP,
    });
  const { workId } = await buildWork(handle.db, { text: longChapter() });
  const config = {
    ...loadConfig({
      FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-work-page-")),
      LOG_LEVEL: "silent",
      FANFOLD_DEMO: "false",
    }),
    passwordHashCost: CHEAP,
  };
  const app = await buildApp(
    { db: handle.db, engine: handle.engine, config, limiter: memoryRateLimiter(), now: Date.now },
    { logger: false, textBackfill: false },
  );
  await app.ready();
  const url = `/works/${workId}`;
  const get = async () => {
    const res = await app.inject({ method: "GET", url, remoteAddress: "10.0.0.1" });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    return res.body.length;
  };
  for (let i = 0; i < 200; i++) await get(); // warm-up: caches, JIT
  log.on = true;
  log.statements = [];
  const bytes = await get();
  log.on = false;
  console.log(
    `${handle.engine}: ${WORKS.toLocaleString("en-US")} works; page ${url}, ${bytes} bytes, ` +
      `${log.statements.length} SQL statements per guest page`,
  );
  if (LIST_SQL) for (const s of log.statements) console.log(`  ${s.slice(0, 160)}`);

  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  const sql0 = log.count;
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await get();
    wall.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  const perPage = (cpu.user + cpu.system) / 1000 / REQUESTS;
  const p = percentiles(wall);
  console.log(
    `${REQUESTS} pages: CPU ${perPage.toFixed(3)} ms/page (this process, user+system); ` +
      `wall p50 ${p.p50.toFixed(3)} / p95 ${p.p95.toFixed(3)} ms; ` +
      `${((log.count - sql0) / REQUESTS).toFixed(1)} SQL/page`,
  );
  await app.close();
  await handle.close();
}

await main();
