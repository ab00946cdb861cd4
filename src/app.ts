/**
 * The composition root: the core HTTP server plus every domain's routes. Domains depend on
 * the core; only this file knows them all.
 */
import type { FastifyInstance } from "fastify";
import { registerAccountRoutes } from "./accounts/routes.tsx";
import { registerPersonalData } from "./personal-data/register.ts";
import { registerImport } from "./import/register.ts";
import { registerDownloads } from "./downloads/register.ts";
import { registerAccountRecovery } from "./accounts/recovery/register.ts";
import { registerInvitationRoutes } from "./accounts/invitations/routes.tsx";
import { registerAdminInvitationRoutes } from "./admin/invitations/routes.tsx";
import { registerAdminRoutes } from "./admin/routes.tsx";
import { registerSiteSettingsRoutes } from "./admin/settings/routes.tsx";
import { registerSitePages } from "./site-pages/routes.tsx";
import { registerSpamRoutes } from "./moderation/spam/routes.tsx";
import { registerModerationRoutes } from "./moderation/routes.tsx";
import { viewerResolver } from "./accounts/sessions.ts";
import type { AppDeps } from "./core/http/route.tsx";
import { createHttpServer } from "./core/http/server.tsx";
import { scheduleSubmissionPruning } from "./core/http/submissions.ts";
import { jobKinds } from "./core/jobs/kinds.ts";
import { JobRunner } from "./core/jobs/runner.ts";
import { workCountsSource } from "./engagement/counters/viewer-counts.ts";
import { registerEngagement } from "./engagement/register.ts";
import type { HitBuffer } from "./engagement/stats/hit-buffer.ts";
import { unreadCountOf } from "./engagement/notifications/viewer.ts";
import { registerExclusionRoutes } from "./exclusions/routes.tsx";
import { feedsPreferences, registerFeeds } from "./feeds/register.ts";
import { exclusionsOf } from "./exclusions/viewer.ts";
import { docCacheFile, WorkCatalog } from "./search/index/catalog.ts";
import { registerSearchRoutes } from "./search/listings/routes.tsx";
import { TextFollower } from "./search/text/follower.ts";
import { textSearcher } from "./search/text/search.ts";
import { registerSavedSearchRoutes } from "./search/listings/saved-search-routes.tsx";
import { registerTagRoutes } from "./tags/routes.tsx";
import { registerFandomRoutes } from "./works/routes/fandoms.tsx";
import { registerChapterRoutes } from "./works/routes/chapters.tsx";
import { registerListingRoutes } from "./works/routes/listings.tsx";
import { registerPostingRoutes } from "./works/routes/posting.tsx";
import { registerReadingRoutes } from "./works/routes/reading.tsx";
import { audienceOf } from "./works/visibility.ts";
import type { WorkAssociation } from "./works/associations.ts";
import { seriesAssociation } from "./works/series/association.tsx";
import { registerSeriesRoutes } from "./works/series/routes.tsx";
import { coCreatorsAssociation } from "./works/creators/association.tsx";
import { creatorsAddOn } from "./works/creators/add-on.tsx";
import { registerCreatorRoutes } from "./works/creators/routes.tsx";
import { giftsAssociation } from "./works/gifts/association.tsx";
import { registerGiftRoutes } from "./works/gifts/routes.tsx";
import { relatedAssociation } from "./works/related/association.tsx";
import { registerRelatedWorkRoutes } from "./works/related/routes.tsx";
import { collectionsAddOn } from "./collections/add-on.tsx";
import { collectionsAssociation } from "./collections/association.tsx";
import { registerCollections, scheduleCollectionReveals } from "./collections/register.ts";

export async function buildApp(
  deps: AppDeps,
  opts: {
    logger?: boolean;
    /** Filled with the services built here (benchmarks time the catalog on its own). */
    services?: {
      catalog?: WorkCatalog;
      follower?: TextFollower;
      jobs?: JobRunner;
      hits?: HitBuffer;
    };
    /** Index works lacking a text entry at start-up, in the background (default true). */
    textBackfill?: boolean;
    /** "background" polls the job queue; "manual" leaves it to the caller (tests drain it). */
    jobs?: "background" | "manual";
    /** false: works, tags and search alone (the reading benchmark compares the two). */
    engagement?: boolean;
    /**
     * false: a serving-only worker (src/serve/). Another process runs the job queue, the text
     * index's background catch-up and backfill, and writes the search cache; `wakeJobs` tells
     * it of writes that may have committed jobs.
     */
    duties?: boolean;
    wakeJobs?: () => void;
  } = {},
): Promise<FastifyInstance> {
  // Blurbs and work pages show engagement counts through this (works does not know engagement).
  const withEngagement = opts.engagement !== false;
  if (withEngagement) deps.workCounts ??= workCountsSource(deps.db);
  const app = await createHttpServer(deps, {
    resolveViewer: viewerResolver(deps),
    userDetails: [exclusionsOf(deps.db), ...(withEngagement ? [unreadCountOf(deps.db)] : [])],
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
  });
  const jobs = new JobRunner(deps.db, jobKinds, {
    now: deps.now,
    log: (m, err) => app.log.warn({ err }, m),
    concurrency: deps.config.jobConcurrency,
  });
  const duties = opts.duties !== false;
  const wakeJobs = opts.wakeJobs ?? (() => jobs.wake());
  // A write may have committed jobs (a chapter's announcement): look now, not at the next poll.
  app.addHook("onResponse", (req, _reply, done) => {
    if (req.method !== "GET" && req.method !== "HEAD") wakeJobs();
    done();
  });
  scheduleSubmissionPruning(jobs, deps.db);
  scheduleCollectionReveals(jobs, deps.db);
  const engagement = withEngagement
    ? registerEngagement(app, deps, jobs, {
        hits: opts.jobs === "manual" ? "manual" : "background",
      })
    : { addOns: [], seriesAddOns: [], home: undefined, profile: undefined };
  registerAccountRoutes(app, deps, { preferences: [feedsPreferences] });
  registerPersonalData(app, deps, jobs);
  const downloads = registerDownloads(app, deps, jobs);
  registerAccountRecovery(app, deps, jobs);
  registerInvitationRoutes(app, deps);
  registerAdminInvitationRoutes(app, deps);
  // What the work form carries besides the work, in AO3's order: co-creators, collections,
  // gifts, related works, series (works/associations.ts).
  const associations: WorkAssociation[] = [
    coCreatorsAssociation,
    collectionsAssociation,
    giftsAssociation,
    relatedAssociation(deps.config),
    seriesAssociation,
  ];
  registerPostingRoutes(app, deps, associations);
  registerImport(app, deps, jobs);
  registerChapterRoutes(app, deps);
  registerSeriesRoutes(app, deps, engagement.seriesAddOns);
  registerReadingRoutes(app, deps, [...engagement.addOns, creatorsAddOn, collectionsAddOn]);
  registerCreatorRoutes(app, deps);
  registerGiftRoutes(app, deps);
  registerRelatedWorkRoutes(app, deps);
  registerListingRoutes(app, deps, {
    ...(engagement.home ? { home: engagement.home } : {}),
    ...(engagement.profile ? { profile: engagement.profile } : {}),
  });
  // The text index follows the change log on its own, from the position it saved.
  const follower = new TextFollower(deps.db, deps.engine, {
    background: duties,
    log: (m) => app.log.info(m),
  });
  const catalogOpening = WorkCatalog.open(deps.db, deps.engine, {
    cacheFile: docCacheFile(deps.config),
    cacheWriter: duties,
    background: true,
    // On PostgreSQL the catalog hears of commits (LISTEN) instead of reading the log each time.
    ...(deps.config.database.kind === "postgres" ? { listenUrl: deps.config.database.url } : {}),
    log: (m) => app.log.info(m),
  });
  app.readiness.waitFor("searchIndex", catalogOpening, "building");
  const catalog = await catalogOpening;
  // Works without a current text entry (a bulk load, a restore) are indexed in the background.
  if (opts.textBackfill !== false && duties) void follower.backfill();
  app.addHook("onClose", async () => {
    await jobs.close();
    await follower.close();
    await catalog.close();
  });
  if (opts.services) Object.assign(opts.services, { catalog, follower, jobs });
  if (opts.services && "hits" in engagement) opts.services.hits = engagement.hits;
  if (opts.jobs === "manual") await jobs.scheduleRecurring();
  else if (duties) await jobs.start();
  const text = textSearcher(deps.db, deps.engine, follower);
  registerSearchRoutes(app, deps, {
    db: deps.db,
    catalog,
    text: text.search,
    snippets: text.snippets,
  });
  registerFeeds(app, deps, { db: deps.db, catalog, text: text.search }, downloads);
  registerSavedSearchRoutes(app, deps);
  registerCollections(app, deps, {
    db: deps.db,
    catalog,
    text: text.search,
    snippets: text.snippets,
  });
  registerExclusionRoutes(app, deps);
  registerTagRoutes(app, deps, { audienceOf });
  registerFandomRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerSiteSettingsRoutes(app, deps);
  registerSitePages(app, deps);
  registerSpamRoutes(app, deps);
  registerModerationRoutes(app, deps);
  return app;
}
