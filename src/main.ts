/** `npm start`: migrate, fill an empty archive with demo content, and serve. */
import { performance } from "node:perf_hooks";
import { sweepExpiredSessions } from "./accounts/sessions.ts";
import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./core/config.ts";
import { migrateToLatest, openDb } from "./core/db/index.ts";
import { publicUrlWarning } from "./core/http/public-url.ts";
import { memoryRateLimiter, redisRateLimiter } from "./core/http/rate-limit.ts";
import { prepareBundles } from "./core/http/assets.ts";
import { seedDemoIfEmpty } from "./demo/seed.ts";
import { ensureFixedTags } from "./tags/queries.ts";

async function main() {
  const started = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const handle = openDb(config.database);
  await migrateToLatest(handle.db);
  await ensureFixedTags(handle.db, Date.now());
  if (config.demo.enabled) {
    const seeded = await seedDemoIfEmpty(handle.db, handle.engine, {
      works: config.demo.works,
      log: (m) => console.log(m),
    });
    if (seeded)
      console.log(
        `Demo content: ${seeded.works} works by ${seeded.users} accounts (password "${seeded.password}").`,
      );
  }
  const deps = {
    db: handle.db,
    engine: handle.engine,
    config,
    // Several app processes must count together: Redis when configured.
    limiter: config.redisUrl ? redisRateLimiter(config.redisUrl) : memoryRateLimiter(),
    now: Date.now,
  };
  const app = await buildApp(deps);
  await prepareBundles();
  const stopSweeping = sweepExpiredSessions(deps);
  const address = await app.listen({ port: config.port, host: config.host });
  const warning = publicUrlWarning(config);
  if (warning) app.log.warn(warning);
  const shown = address.replace("://127.0.0.1", "://localhost");
  console.log(
    `Fanfold is running at ${shown} (${handle.engine}, ready in ${Math.round(performance.now() - started)} ms)`,
  );

  const stop = async () => {
    stopSweeping();
    await app.close();
    await deps.limiter.close();
    await handle.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

await main();
