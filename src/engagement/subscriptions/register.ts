/** Wires subscriptions into the app: routes, the reading-page buttons, and the works events. */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../core/http/route.tsx";
import type { JobRunner } from "../../core/jobs/runner.ts";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { subscriptionsAddOn } from "./add-on.tsx";
import { announceNewChapter, announceNewWork } from "./commands.ts";
import { registerSubscriptionRoutes } from "./routes.tsx";

export function registerSubscriptions(
  app: FastifyInstance,
  deps: AppDeps,
  jobs: JobRunner,
  addOns: WorkPageAddOn[],
) {
  registerSubscriptionRoutes(app, deps);
  addOns.push(subscriptionsAddOn);
  // Queued by works/commands.ts in the transaction that posts.
  jobs.register("work.posted", async ({ workId }, { now }) => {
    await announceNewWork(deps.db, { workId, now });
  });
  jobs.register("chapter.posted", async ({ workId, chapterId }, { now }) => {
    await announceNewChapter(deps.db, { workId, chapterId, now });
  });
}
