/**
 * The OPDS 1.2 catalog, twice: the public one at /opds (what a guest sees: no restricted and
 * no adult works; no exclusions, there is no reader), and a reader's personal one at
 * /opds/u/TOKEN (what that reader may see: restricted works, their saved exclusions and mutes,
 * adult works only if they opted in, and their Bookmarks and Marked for Later). The token is
 * read-only: nothing here changes anything. A bad token is a 404, like an address that never
 * existed.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountOr404 } from "../accounts/lookup.ts";
import { HttpError, notFound } from "../core/http/errors.ts";
import { publicBaseUrl } from "../core/http/public-url.ts";
import { route, type AppDeps, type RouteContext } from "../core/http/route.tsx";
import { limits } from "../core/limits.ts";
import { GUEST, type Viewer } from "../core/viewer.ts";
import type { Finder, ListingScope } from "../search/listings/find-works.ts";
import { readSearch } from "../search/listings/routes.tsx";
import type { WorkSearch } from "../search/listings/work-search-params.ts";
import { tagShownTo } from "../tags/count-queries.ts";
import { findTagById } from "../tags/wrangling-queries.ts";
import { audienceOf } from "../works/visibility.ts";
import { workUpdated } from "./atom.ts";
import { archiveNameOf } from "./atom-routes.ts";
import { sendFeed } from "./http.ts";
import { feedReader, listingFor, present, type FeedReader, type FeedWork } from "./listing.ts";
import {
  acquisitionFeed,
  kindType,
  navigationFeed,
  openSearchDescription,
  OPENSEARCH_TYPE,
  type CatalogFrame,
  type Kind,
  type NavEntry,
  type Paging,
} from "./opds.ts";
import { bookmarkedWorks, markedForLaterWorks, tagsByWorkCount } from "./queries.ts";
import { viewerForFeedToken } from "./tokens.ts";
import type { DownloadCache } from "../downloads/cache.ts";
import { DownloadParams, DownloadQuery, serveDownload } from "../downloads/routes.tsx";

export const OPDS_ROOT = "/opds";
const PERSONAL = "/opds/u/:token";
/** Tags per page of the fandom and tag navigation feeds. */
const NAV_PAGE = 50;

/** Any token is looked up by its hash; one that opens nothing is a 404 (catalogOf). */
const TokenParams = z.object({ token: z.string().max(200) });
const id = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
const PageNumber = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.coerce.number().int().min(1, "must be 1 or more").max(limits.maxPage).default(1),
);
const PageQuery = z.object({ page: PageNumber });
const SearchQuery = z.object({
  // Checked in the handler, after the token: a bad token is a 404 whatever else is sent.
  q: z.string().trim().max(1_000).default(""),
  page: PageNumber,
});

interface Catalog {
  deps: AppDeps;
  reader: FeedReader;
  /** The catalog root this request belongs to ("/opds" or "/opds/u/TOKEN"). */
  root: string;
  personal: boolean;
  base: string;
  archiveName: string;
}

type Ctx = RouteContext<Record<string, unknown> | undefined, unknown, unknown>;

async function catalogOf(ctx: Ctx): Promise<Catalog> {
  const token = ctx.params?.token;
  let viewer: Viewer = GUEST;
  let root = OPDS_ROOT;
  if (typeof token === "string") {
    const reader = await viewerForFeedToken(ctx.deps, token);
    if (!reader) throw notFound("feed");
    viewer = reader;
    root = `${OPDS_ROOT}/u/${token}`;
  }
  return {
    deps: ctx.deps,
    reader: await feedReader(ctx.deps.db, viewer),
    root,
    personal: viewer.user !== null,
    base: publicBaseUrl(ctx.deps.config),
    archiveName: archiveNameOf(ctx),
  };
}

function send(ctx: Ctx, c: Catalog, kind: Kind, body: string, lastModified: number) {
  return sendFeed(ctx.req, ctx.reply, {
    body,
    type: kindType(kind),
    lastModified,
    personal: c.personal,
  });
}

const withPage = (path: string, page: number) =>
  page === 1 ? path : `${path}${path.includes("?") ? "&" : "?"}page=${page}`;

/** An acquisition feed of one page of works. */
function sendWorks(
  ctx: Ctx,
  c: Catalog,
  feed: { path: string; title: string; up: string; emptyUpdated: number },
  works: FeedWork[],
  page: { number: number; total: number },
) {
  const pages = Math.max(1, Math.min(Math.ceil(page.total / limits.pageSize), limits.maxPage));
  const paging: Paging = {
    page: page.number,
    size: limits.pageSize,
    hasNext: page.number < pages,
    last: { page: pages, total: page.total },
    pathFor: (n) => withPage(feed.path, n),
  };
  const frame: CatalogFrame = {
    base: c.base,
    archiveName: c.archiveName,
    root: c.root,
    selfPath: withPage(feed.path, page.number),
    title: feed.title,
    kind: "acquisition",
    up: feed.up,
    emptyUpdated: feed.emptyUpdated,
    paging,
  };
  const newest = Math.max(feed.emptyUpdated, ...works.map((w) => workUpdated(w.row)));
  return send(ctx, c, "acquisition", acquisitionFeed(frame, works), newest);
}

/** A page of the site's listing in `scope`, for the catalog's reader. */
async function listing(c: Catalog, finder: Finder, scope: ListingScope, search: WorkSearch) {
  const { found, works } = await listingFor(finder, c.reader, scope, search, limits.pageSize);
  return { works, total: found.total };
}

/** When the newest work the reader may see last changed (the root's `updated`). */
async function newestWork(c: Catalog, finder: Finder): Promise<number> {
  const search = { ...readSearch({}), sort: "revised" as const, descending: true, page: 1 };
  const { found } = await listingFor(finder, c.reader, { kind: "all" }, search, 1);
  return found.works[0] ? workUpdated(found.works[0]) : 0;
}

export function registerOpdsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  finder: Finder,
  downloads: DownloadCache,
) {
  // A personal catalog's EPUB links: the download as the token's reader may have it (an
  // e-reader app has no session, and restricted works need one).
  route(app, deps, {
    method: "GET",
    url: `${PERSONAL}/downloads/:workId/:file`,
    auth: "guest-ok",
    params: DownloadParams.extend(TokenParams.shape),
    query: DownloadQuery,
    handler: async (ctx) => {
      const reader = await viewerForFeedToken(ctx.deps, ctx.params.token);
      if (!reader) throw notFound("feed");
      return serveDownload(ctx, downloads, reader);
    },
  });

  /** Each catalog address, in the public catalog and in every personal one. */
  const both = <Q extends z.ZodType, P extends z.ZodRawShape>(
    suffix: string,
    opts: { query: Q; params?: P },
    handler: (
      ctx: Ctx,
      c: Catalog,
      input: { query: z.output<Q>; params: z.output<z.ZodObject<P>> },
    ) => Promise<unknown>,
  ) => {
    for (const prefix of [OPDS_ROOT, PERSONAL]) {
      const shape = prefix === PERSONAL ? { ...TokenParams.shape, ...opts.params } : opts.params;
      route(app, deps, {
        method: "GET",
        url: `${prefix}${suffix}`,
        auth: "guest-ok",
        params: z.object(shape ?? {}),
        query: opts.query,
        handler: async (ctx) => {
          const c = await catalogOf(ctx);
          await handler(ctx, c, {
            query: ctx.query as z.output<Q>,
            params: ctx.params as z.output<z.ZodObject<P>>,
          });
          return ctx.reply;
        },
      });
    }
  };
  const NoQuery = z.object({});

  both("", { query: NoQuery }, async (ctx, c) => {
    const updated = await newestWork(c, finder);
    const entries: NavEntry[] = [
      {
        href: `${c.root}/recent`,
        title: "Recent works",
        kind: "acquisition",
        rel: "http://opds-spec.org/sort/new",
        text: "Works by their latest update, newest first.",
        updated,
      },
      {
        href: `${c.root}/fandoms`,
        title: "By fandom",
        kind: "navigation",
        text: "Fandoms with the most works first.",
        updated,
      },
      {
        href: `${c.root}/tags`,
        title: "By tag",
        kind: "navigation",
        text: "Popular relationships and additional tags.",
        updated,
      },
    ];
    if (c.personal) {
      entries.push(
        {
          href: `${c.root}/bookmarks`,
          title: "Your bookmarks",
          kind: "acquisition",
          text: "Works you bookmarked, newest bookmark first.",
          updated,
        },
        {
          href: `${c.root}/marked-for-later`,
          title: "Marked for Later",
          kind: "acquisition",
          text: "Works you marked to read later.",
          updated,
        },
      );
    }
    const frame: CatalogFrame = {
      base: c.base,
      archiveName: c.archiveName,
      root: c.root,
      selfPath: c.root,
      title: c.personal ? `${c.archiveName} for ${c.reader.viewer.user?.login}` : c.archiveName,
      kind: "navigation",
      emptyUpdated: updated,
    };
    return send(ctx, c, "navigation", navigationFeed(frame, entries), updated);
  });

  both("/recent", { query: PageQuery }, async (ctx, c, { query }) => {
    const search = { ...readSearch({}), sort: "revised" as const, descending: true };
    const page = query.page;
    const { works, total } = await listing(c, finder, { kind: "all" }, { ...search, page });
    return sendWorks(
      ctx,
      c,
      { path: `${c.root}/recent`, title: "Recent works", up: c.root, emptyUpdated: 0 },
      works,
      { number: page, total },
    );
  });

  const tagNavigation = (
    suffix: "/fandoms" | "/tags",
    title: string,
    types: readonly ("fandom" | "relationship" | "freeform")[],
  ) =>
    both(suffix, { query: PageQuery }, async (ctx, c, { query }) => {
      const page = query.page;
      const [rows, updated] = await Promise.all([
        tagsByWorkCount(c.deps.db, c.reader.viewer, {
          types,
          hideRatingIds: c.reader.hideRatingIds,
          page: { number: page, size: NAV_PAGE + 1 },
        }),
        newestWork(c, finder),
      ]);
      const shown = rows.slice(0, NAV_PAGE);
      const path = `${c.root}${suffix}`;
      const frame: CatalogFrame = {
        base: c.base,
        archiveName: c.archiveName,
        root: c.root,
        selfPath: withPage(path, page),
        title,
        kind: "navigation",
        up: c.root,
        emptyUpdated: updated,
        paging: {
          page,
          size: NAV_PAGE,
          hasNext: rows.length > NAV_PAGE,
          pathFor: (n) => withPage(path, n),
        },
      };
      const entries: NavEntry[] = shown.map(({ tag, works }) => ({
        href: `${c.root}/tags/${tag.id}`,
        title: tag.name,
        kind: "acquisition",
        text: `${works.toLocaleString("en-US")} ${works === 1 ? "work" : "works"}`,
        updated,
      }));
      return send(ctx, c, "navigation", navigationFeed(frame, entries), updated);
    });
  tagNavigation("/fandoms", "By fandom", ["fandom"]);
  tagNavigation("/tags", "By tag", ["relationship", "freeform"]);

  both(
    "/tags/:tagId",
    { query: PageQuery, params: { tagId: id } },
    async (ctx, c, { query, params }) => {
      const tag = await findTagById(c.deps.db, params.tagId);
      if (!tag || !(await tagShownTo(c.deps.db, audienceOf(c.reader.viewer), tag)))
        throw notFound("tag");
      if (tag.merger_id !== null) {
        // Folded by wrangling: a synonym's works are listed under its canonical tag.
        return ctx.reply.redirect(`${c.root}/tags/${tag.merger_id}`, 301);
      }
      const page = query.page;
      const search = { ...readSearch({}), sort: "revised" as const, descending: true, page };
      const { works, total } = await listing(c, finder, { kind: "tag", tagId: tag.id }, search);
      return sendWorks(
        ctx,
        c,
        {
          path: `${c.root}/tags/${tag.id}`,
          title: tag.name,
          up: `${c.root}/${tag.type === "fandom" ? "fandoms" : "tags"}`,
          emptyUpdated: tag.created_at,
        },
        works,
        { number: page, total },
      );
    },
  );

  both(
    "/users/:login",
    { query: PageQuery, params: { login: z.string().max(100) } },
    async (ctx, c, { query, params }) => {
      const user = await accountOr404(c.deps, params.login);
      const page = query.page;
      const search = { ...readSearch({}), sort: "revised" as const, descending: true, page };
      const { works, total } = await listing(c, finder, { kind: "user", userId: user.id }, search);
      return sendWorks(
        ctx,
        c,
        {
          path: `${c.root}/users/${encodeURIComponent(user.login)}`,
          title: `Works by ${user.login}`,
          up: c.root,
          emptyUpdated: user.created_at,
        },
        works,
        { number: page, total },
      );
    },
  );

  both("/search", { query: SearchQuery }, async (ctx, c, { query }) => {
    const { q, page } = query;
    if (q === "") {
      throw new HttpError(400, 'Parameter "q": Type something to search for', {
        q: "Type something to search for",
      });
    }
    // The site's own search (text, and its sort by relevance), for this reader.
    const search = { ...readSearch({ q }), page };
    const { works, total } = await listing(c, finder, { kind: "all" }, search);
    return sendWorks(
      ctx,
      c,
      {
        path: `${c.root}/search?q=${encodeURIComponent(q)}`,
        title: `Search: ${q}`,
        up: c.root,
        emptyUpdated: 0,
      },
      works,
      { number: page, total },
    );
  });

  both("/opensearch.xml", { query: NoQuery }, async (ctx, c) => {
    ctx.reply
      .header("cache-control", c.personal ? "private, max-age=3600" : "public, max-age=3600")
      .type(`${OPENSEARCH_TYPE}; charset=utf-8`)
      .send(openSearchDescription(c.base, c.root, c.archiveName));
  });

  // A reader's own lists: only in their personal catalog.
  const ownList = (suffix: string, title: string, load: typeof bookmarkedWorks) =>
    route(app, deps, {
      method: "GET",
      url: `${PERSONAL}${suffix}`,
      auth: "guest-ok",
      params: TokenParams,
      query: PageQuery,
      handler: async (ctx) => {
        const c = await catalogOf(ctx);
        const viewer = c.reader.viewer;
        if (!viewer.user) throw new HttpError(404, "Sorry, we couldn't find that feed.");
        const page = ctx.query.page;
        const result = await load(
          c.deps.db,
          { ...viewer, user: viewer.user },
          {
            hideRatingIds: c.reader.hideRatingIds,
            page: { number: page, size: limits.pageSize },
          },
        );
        const works = await present(c.deps.db, viewer, result.works);
        return sendWorks(
          ctx,
          c,
          { path: `${c.root}${suffix}`, title, up: c.root, emptyUpdated: 0 },
          works,
          { number: page, total: result.total },
        );
      },
    });
  ownList("/bookmarks", "Your bookmarks", bookmarkedWorks);
  ownList("/marked-for-later", "Marked for Later", markedForLaterWorks);
}
