/** How many worker processes `npm start` and `fanfold serve` run, and what they need. */
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const MAX_WORKERS = 64;

/**
 * `--workers N` in `args`, else FANFOLD_WORKERS (`configured`), else one per core; a message
 * naming the option when it is not a whole number from 1 to 64.
 */
export function workerCount(
  args: string[],
  configured: number | undefined,
): { workers: number } | { error: string } {
  let value: string | undefined;
  try {
    value = parseArgs({ args, options: { workers: { type: "string" } } }).values.workers;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (value === undefined) return { workers: configured ?? availableParallelism() };
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_WORKERS)
    return { error: `--workers must be a whole number from 1 to ${MAX_WORKERS}` };
  return { workers: n };
}

/**
 * PostgreSQL connections per worker: one process kept 10; N workers share a budget of 20
 * (PostgreSQL allows 100 by default, and backups, the CLI and psql need some), at least 2 each.
 */
export function poolSizeFor(workers: number): number {
  return Math.min(10, Math.max(2, Math.floor(20 / workers)));
}

/** The address people open: localhost rather than the loopback number. */
export function shownUrl(host: string, port: number): string {
  const name = host === "127.0.0.1" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** A module of this folder to start a process with: .ts under tsx, .js once compiled. */
export function entryModule(name: string): string {
  const ext = extname(fileURLToPath(import.meta.url));
  return fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
}
