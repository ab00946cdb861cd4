/** What runs once before any worker serves: migrations, fixed tags, demo content. */
import type { Config } from "../core/config.ts";
import { migrateToLatest, openDb } from "../core/db/index.ts";
import { seedDemoIfEmpty } from "../demo/seed.ts";
import { ensureFixedTags } from "../tags/queries.ts";

export async function prepareArchive(config: Config): Promise<void> {
  const handle = openDb(config.database);
  try {
    await migrateToLatest(handle.db);
    await ensureFixedTags(handle.db, Date.now());
    if (!config.demo.enabled) return;
    const seeded = await seedDemoIfEmpty(handle.db, handle.engine, {
      works: config.demo.works,
      log: (m) => console.log(m),
    });
    if (seeded)
      console.log(
        `Demo content: ${seeded.works} works by ${seeded.users} accounts (password "${seeded.password}").`,
      );
  } finally {
    await handle.close();
  }
}
