/**
 * Importing works from files, wired into the app: the upload, preview and confirm pages, and
 * the hourly prune of uploads kept past their day (and of files no upload row names).
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../core/http/route.tsx";
import type { JobRunner } from "../core/jobs/runner.ts";
import { registerImportRoutes } from "./routes.tsx";
import { pruneUploads } from "./uploads.ts";

const PRUNE_EVERY_MS = 3_600_000;

export function registerImport(app: FastifyInstance, deps: AppDeps, jobs: JobRunner) {
  registerImportRoutes(app, deps);
  jobs.every("import-uploads.prune", PRUNE_EVERY_MS, async (_payload, { now }) => {
    await pruneUploads(deps.db, deps.config.dataDir, now);
  });
}
