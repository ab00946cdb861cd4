/**
 * Collections, wired into the app (issue 15): the reveal-by-date job, and the pages (which
 * need the search services for a collection's works listing). The work form's field and the
 * work page's add-on are plain values the composition root lists (association.tsx, add-on.tsx).
 */
import type { FastifyInstance } from "fastify";
import type { Db } from "../core/db/index.ts";
import type { AppDeps } from "../core/http/route.tsx";
import type { JobRunner } from "../core/jobs/runner.ts";
import type { SearchDeps } from "../search/listings/routes.tsx";
import { revealDue } from "./commands.ts";
import { registerCollectionRoutes } from "./routes.tsx";

/** How often the reveal dates are looked at: a reveal comes at most this long after its time. */
export const REVEAL_EVERY_MS = 5 * 60_000;

/** Registers the recurring reveal; call before the job runner starts (it schedules recurring jobs). */
export function scheduleCollectionReveals(jobs: JobRunner, db: Db) {
  jobs.every("collections.reveal", REVEAL_EVERY_MS, async (_payload, { now }) => {
    await revealDue(db, now);
  });
}

export function registerCollections(app: FastifyInstance, deps: AppDeps, search: SearchDeps) {
  registerCollectionRoutes(app, deps, search);
}
