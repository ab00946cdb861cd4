/**
 * SQLite: the online backup API copies the live database page by page while the server keeps
 * writing (WAL mode: writers never wait for it). Another connection's write makes SQLite
 * start the copy again; after one such restart the rest is copied in a single step, which
 * holds one read transaction and so cannot be overtaken. Either way the copy is one
 * consistent state of the database.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { openSqliteSource } from "./snapshot-queries.ts";

export type Log = (line: string) => void;

export async function copySqlite(
  source: string,
  dest: string,
  log: Log,
): Promise<{ pages: number; restarts: number }> {
  const db = openSqliteSource(source);
  try {
    let previous = Number.POSITIVE_INFINITY;
    let restarts = 0;
    let shown = -1;
    const result = await db.backup(dest, {
      progress({ totalPages, remainingPages }) {
        if (remainingPages > previous) {
          restarts += 1;
          log(`backup: database changed while copying; copying it again in one step`);
        }
        previous = remainingPages;
        const percent = Math.floor(((totalPages - remainingPages) / totalPages) * 100);
        if (percent >= shown + 10) {
          shown = percent - (percent % 10);
          log(
            `backup: database ${percent}% (${totalPages - remainingPages} of ${totalPages} pages)`,
          );
        }
        return restarts > 0 ? 0x7fffffff : Math.max(100, Math.ceil(totalPages / 50));
      },
    });
    log(`backup: database 100% (${result.totalPages} pages)`);
    return { pages: result.totalPages, restarts };
  } finally {
    db.close();
  }
}

/** Level 6 (zlib's default): the database shrinks to about a quarter. */
export async function gzipFile(source: string, dest: string): Promise<void> {
  await pipeline(createReadStream(source), createGzip({ level: 6 }), createWriteStream(dest));
}

export async function gunzipFile(source: string, dest: string): Promise<void> {
  await pipeline(
    createReadStream(source),
    createGunzip(),
    createWriteStream(dest, { flags: "wx" }),
  );
}
