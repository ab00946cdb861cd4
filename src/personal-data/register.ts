/**
 * A person's data, wired into the app: its pages, the job that builds archives (a failure on
 * the last attempt marks the export failed, so the page says so), and the prune every hour.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../core/http/route.tsx";
import type { JobRunner } from "../core/jobs/runner.ts";
import { EXPORT_ATTEMPTS } from "./commands.ts";
import { buildExport } from "./export.tsx";
import { pruneExports } from "./prune.ts";
import { markExportFailed } from "./queries.ts";
import { registerPersonalDataRoutes } from "./routes.tsx";

const PRUNE_EVERY_MS = 3_600_000;

export function registerPersonalData(app: FastifyInstance, deps: AppDeps, jobs: JobRunner) {
  registerPersonalDataRoutes(app, deps);
  jobs.register("personal-data.export", async ({ exportId }, { now, attempt }) => {
    try {
      await buildExport(deps.db, deps.config.dataDir, exportId, now);
    } catch (err) {
      if (attempt >= EXPORT_ATTEMPTS)
        await markExportFailed(
          deps.db,
          exportId,
          err instanceof Error ? err.message : String(err),
          now,
        );
      throw err;
    }
  });
  jobs.every("personal-data.prune", PRUNE_EVERY_MS, async (_payload, { now }) => {
    await pruneExports(deps.db, deps.config.dataDir, now);
  });
}
