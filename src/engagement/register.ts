/**
 * Everything readers do with works — kudos, comments, bookmarks, subscriptions and the inbox,
 * history and reading position, hits and statistics, blocking — registered in one call. The
 * works domain knows none of it: engagement shows on reading pages through add-ons, on the
 * home page through `home`, on blurbs through `workCounts`, and hears about new and deleted
 * chapters through the job queue.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../core/http/route.tsx";
import type { JobRunner } from "../core/jobs/runner.ts";
import type { WorkPageAddOn } from "../works/page-addons.ts";
import type { SeriesPageAddOn } from "../works/series/page-addons.ts";
import { registerBlockingRoutes } from "./blocking/routes.tsx";
import { registerBookmarkRoutes } from "./bookmarks/routes.tsx";
import { bookmarksAddOn } from "./bookmarks/add-on.tsx";
import { registerSeriesBookmarkRoutes, seriesBookmarksAddOn } from "./bookmarks/series-routes.tsx";
import { commentsAddOn } from "./comments/add-on.tsx";
import { registerCommentRoutes } from "./comments/routes/index.ts";
import { kudosAddOn } from "./kudos/add-on.tsx";
import { registerKudosRoutes } from "./kudos/routes.tsx";
import { registerNotifications } from "./notifications/register.ts";
import { registerCreatorInvitationNotices } from "./notifications/creator-invitations.ts";
import { registerCollectionItemNotices } from "./notifications/collection-items.ts";
import { registerGiftNotifications } from "./notifications/gifts.ts";
import { profileActions } from "./profile-actions.tsx";
import { readingAddOn } from "./reading/add-on.tsx";
import { continueReadingHome, registerReadingHistoryRoutes } from "./reading/routes.tsx";
import { registerRecounts } from "./counters/recount.ts";
import { HitBuffer } from "./stats/hit-buffer.ts";
import { hitCounter, scheduleHitPruning } from "./stats/hits.ts";
import { registerStatsRoutes } from "./stats/routes.tsx";
import { registerSubscriptions } from "./subscriptions/register.ts";

export function registerEngagement(
  app: FastifyInstance,
  deps: AppDeps,
  jobs: JobRunner,
  /** "manual": hits are written when the caller flushes them (tests), else every second. */
  opts: { hits?: "background" | "manual" } = {},
) {
  // Hits wait in memory for a batch; closing the server writes what is left.
  const hits = new HitBuffer(deps.db, {
    now: deps.now,
    mode: opts.hits ?? "background",
    log: (m, err) => app.log.warn({ err }, m),
  });
  app.addHook("onClose", () => hits.close());
  // Reading-page add-ons, in page order: "Continue reading" above the work, hits, then the
  // actions bar (bookmark, subscribe), then kudos and comments under the text.
  const addOns: WorkPageAddOn[] = [readingAddOn, hitCounter(hits), bookmarksAddOn];
  // Series page add-ons (issue 15), in the same order: bookmark, then subscribe.
  const seriesAddOns: SeriesPageAddOn[] = [seriesBookmarksAddOn];
  registerReadingHistoryRoutes(app, deps);
  registerStatsRoutes(app, deps, hits);
  scheduleHitPruning(jobs, deps.db);
  registerBookmarkRoutes(app, deps);
  registerSeriesBookmarkRoutes(app, deps);
  registerNotifications(app, deps, jobs);
  registerCreatorInvitationNotices(jobs, deps.db);
  registerCollectionItemNotices(jobs, deps.db);
  registerGiftNotifications(deps, jobs);
  registerSubscriptions(app, deps, jobs, addOns, seriesAddOns);
  registerKudosRoutes(app, deps);
  registerBlockingRoutes(app, deps);
  registerCommentRoutes(app, deps);
  registerRecounts(jobs, deps.db);
  addOns.push(kudosAddOn, commentsAddOn);
  return { addOns, seriesAddOns, home: continueReadingHome, profile: profileActions, hits };
}
