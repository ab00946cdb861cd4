/** Shared helpers for benchmark scripts: percentiles, databases, argument parsing. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbHandle, DbOptions, Engine } from "../src/core/db/index.ts";
import { openScratchDb } from "../test/support/db.ts";

export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return {
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}

export const ms = (x: number) => `${x.toFixed(3)} ms`;

/** A fresh database: SQLite in a temporary file, or a throw-away schema on PostgreSQL. */
export function benchDb(engine: Engine, opts: DbOptions = {}): Promise<DbHandle> {
  return openScratchDb(engine, {
    ...opts,
    sqliteFile: join(mkdtempSync(join(tmpdir(), "fanfold-bench-")), "bench.db"),
    pgUrl: process.env.FANFOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  });
}

/** `--engine sqlite,postgres` style lists. */
export function engines(argv: string[]): Engine[] {
  const i = argv.indexOf("--engine");
  const value = i >= 0 ? (argv[i + 1] ?? "sqlite") : "sqlite";
  return value.split(",").map((e) => (e === "postgres" ? "postgres" : "sqlite"));
}

export function numberArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}
