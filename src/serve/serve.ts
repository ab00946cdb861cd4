/**
 * `npm start` and `fanfold serve`: prepares the archive once (migrations, demo content), then
 * serves from one process (`--workers 1`) or from a cluster of N workers (primary.ts).
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import type { Config } from "../core/config.ts";
import { entryModule } from "./options.ts";
import { stopWhenParentGoes } from "./parent-watch.ts";

export async function serve(config: Config, workers: number): Promise<void> {
  const startedAt = performance.now();
  stopWhenParentGoes(config.parentFd);
  if (workers > 1) {
    // The primary stays small: the app's modules and the seeding's garbage live elsewhere.
    const prepare = fork(entryModule("prepare-main"), [], { stdio: "inherit" });
    const [code] = (await once(prepare, "exit")) as [number | null];
    if (code !== 0) process.exit(code ?? 1);
    const { runPrimary } = await import("./primary.ts");
    return runPrimary(config, workers, startedAt);
  }
  const { prepareArchive } = await import("./prepare.ts");
  const { startServer } = await import("./server.ts");
  const { memoryRateLimiter, redisRateLimiter } = await import("../core/http/rate-limit.ts");
  await prepareArchive(config);
  const server = await startServer(config, {
    duties: true,
    limiter: config.redisUrl ? redisRateLimiter(config.redisUrl) : memoryRateLimiter(),
  });
  console.log(
    `Fanfold is running at ${server.url} (${server.engine}, 1 worker, ready in ${Math.round(performance.now() - startedAt)} ms)`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
