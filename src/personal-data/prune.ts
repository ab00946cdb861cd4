/**
 * Removing data archives: expired ones (seven days after they were built), the files of a
 * closed account's archives, and any file in `exports/` that no export row names (a crash
 * between writing and recording, or between committing a deletion and removing its files).
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../core/db/index.ts";
import { exportPath } from "./export.tsx";
import * as q from "./queries.ts";

/** A file younger than this may be an export being written right now: never swept. */
const STRAY_AGE_MS = 24 * 3_600_000;

interface Log {
  warn(obj: unknown, msg?: string): void;
}

export async function removeExportFiles(dataDir: string, files: readonly string[], log?: Log) {
  for (const name of files) {
    try {
      await rm(exportPath(dataDir, name), { force: true });
    } catch (err) {
      log?.warn({ err }, `could not remove the data export ${name}`);
    }
  }
}

/** The "personal-data.prune" job: answers how many files it removed. */
export async function pruneExports(db: Db, dataDir: string, now: number): Promise<number> {
  const expired = await q.deleteExpiredExports(db, now);
  await removeExportFiles(dataDir, expired);
  let removed = expired.length;
  const dir = join(dataDir, "exports");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  const known = await q.allExportFileNames(db);
  for (const name of names) {
    if (known.has(`exports/${name}`)) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < STRAY_AGE_MS) continue;
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
}
