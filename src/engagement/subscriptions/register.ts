/** Wires subscriptions into the app: routes, the reading-page buttons, and the works events. */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../core/http/route.tsx";
import type { JobRunner } from "../../core/jobs/runner.ts";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import type { SeriesPageAddOn } from "../../works/series/page-addons.ts";
import { subscriptionsAddOn } from "./add-on.tsx";
import { announceNewChapter, announceNewWork } from "./commands.ts";
import { registerSubscriptionRoutes } from "./routes.tsx";
import { announceInSeries } from "./series.ts";
import { announceAssociations, announceRevealedWork } from "../notifications/gifts.ts";
import { registerSeriesSubscriptionRoutes, seriesSubscribeAddOn } from "./series-routes.tsx";

export function registerSubscriptions(
  app: FastifyInstance,
  deps: AppDeps,
  jobs: JobRunner,
  addOns: WorkPageAddOn[],
  seriesAddOns: SeriesPageAddOn[],
) {
  registerSubscriptionRoutes(app, deps);
  registerSeriesSubscriptionRoutes(app, deps);
  addOns.push(subscriptionsAddOn);
  seriesAddOns.push(seriesSubscribeAddOn);
  // A work readers see for the first time: its series' subscribers hear first ("New work in
  // series …"), then its creators' subscribers who were not told already (one notice each).
  const announce = async (workId: number, now: number) => {
    await announceInSeries(deps.db, { workId, now });
    await announceNewWork(deps.db, { workId, now });
    // Then its gift recipients and the creators of works it names as parents (issue 15).
    await announceAssociations(deps.db, { workId, now });
  };
  // Queued by works/commands.ts in the transaction that posts.
  jobs.register("work.posted", ({ workId }, { now }) => announce(workId, now));
  // Queued by works/commands.ts when a posted work leaves its last unrevealed collection: the
  // same announcements, except to its creators' subscribers while it is still anonymous
  // (notifications/gifts.ts).
  jobs.register("work.revealed", async ({ workId }, { now }) => {
    await announceRevealedWork(deps.db, { workId, now });
  });
  // Queued by works/series/ when a posted work joins a series.
  jobs.register("series.work-added", async ({ seriesId, workId }, { now }) => {
    await announceInSeries(deps.db, { workId, seriesId, now });
  });
  jobs.register("chapter.posted", async ({ workId, chapterId }, { now }) => {
    await announceNewChapter(deps.db, { workId, chapterId, now });
  });
}
