/**
 * Child process of sqlite-processes.test.ts: `count` Kysely transactions on one SQLite file
 * that read, yield (as a request does between statements), then write. Prints the failures.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { sql } from "kysely";
import { openDb } from "../../src/core/db/index.ts";

const [file, count, writers] = process.argv.slice(2) as [string, string, string];
const handle = openDb({ kind: "sqlite", file });
// Start together: loading TypeScript takes each process a different time.
writeFileSync(join(dirname(file), `${basename(file)}.ready.${process.pid}`), "");
while (readdirSync(dirname(file)).filter((f) => f.includes(".ready.")).length < Number(writers))
  await new Promise((r) => setTimeout(r, 10));
const failures: string[] = [];
for (let i = 0; i < Number(count); i++) {
  try {
    await handle.db.transaction().execute(async (tx) => {
      await sql`select count(*) as n from counter`.execute(tx);
      await new Promise((r) => setImmediate(r));
      await sql`insert into counter (n) values (${i})`.execute(tx);
    });
  } catch (err) {
    failures.push((err as { code?: string }).code ?? String(err));
  }
}
await handle.close();
console.log(JSON.stringify({ failures }));
