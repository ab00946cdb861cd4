/**
 * Downloads, wired into the app: the route, the job that builds long works' files, and an
 * hourly sweep of files whose work is gone.
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { publicBaseUrl } from "../core/http/public-url.ts";
import type { AppDeps } from "../core/http/route.tsx";
import type { JobRunner } from "../core/jobs/runner.ts";
import { worksByIds } from "../works/queries.ts";
import { DownloadCache } from "./cache.ts";
import { loadWorkRows } from "./document.ts";
import { registerDownloadRoutes } from "./routes.tsx";

const PRUNE_EVERY_MS = 3_600_000;

export function registerDownloads(app: FastifyInstance, deps: AppDeps, jobs: JobRunner) {
  const cache = DownloadCache.forConfig(deps.config);
  registerDownloadRoutes(app, deps, cache);
  // Builds the work's current version (an edit since the request just makes a newer file).
  jobs.register("download.build", async ({ workId, format }) => {
    const rows = await loadWorkRows(deps.db, workId);
    if (!rows) return;
    await cache.build(rows, format, cache.keyOf(rows, format, publicBaseUrl(deps.config)));
  });
  jobs.every("downloads.prune", PRUNE_EVERY_MS, async () => {
    const names = await readdir(cache.dir).catch(() => [] as string[]);
    const ids = names.filter((n) => /^\d+$/.test(n)).map(Number);
    if (ids.length === 0) return;
    const live = new Set((await worksByIds(deps.db, ids)).map((w) => w.id));
    await Promise.all(
      ids
        .filter((id) => !live.has(id))
        .map((id) => rm(join(cache.dir, String(id)), { recursive: true, force: true })),
    );
  });
  return cache;
}
