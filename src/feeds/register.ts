/**
 * Feeds and catalogs (issue 14): Atom feeds, the OPDS catalog with its OpenSearch description,
 * and the personal feed address on the preferences page (accounts/routes.tsx takes the
 * section as an add-on: accounts never import feeds).
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../core/http/route.tsx";
import type { DownloadCache } from "../downloads/cache.ts";
import type { Finder } from "../search/listings/find-works.ts";
import { registerFeedAccountRoutes } from "./account.tsx";
import { registerAtomRoutes } from "./atom-routes.ts";
import { registerOpdsRoutes } from "./opds-routes.ts";

export { feedsPreferences } from "./account.tsx";

export function registerFeeds(
  app: FastifyInstance,
  deps: AppDeps,
  finder: Finder,
  downloads: DownloadCache,
) {
  registerAtomRoutes(app, deps, finder);
  registerOpdsRoutes(app, deps, finder, downloads);
  registerFeedAccountRoutes(app, deps);
}
