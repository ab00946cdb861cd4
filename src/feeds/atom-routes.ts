/**
 * Atom feeds, as a guest sees things (feed readers carry no session): every work, a tag's
 * works (folded by wrangling: a synonym's address leads to its canonical tag's feed), a
 * creator's works (all their pseuds, or one), a work's chapters, and saved searches (the works
 * or tag feed with the search's parameters). Absolute links come from configuration, never the
 * Host header. A series' feed (issue 15) lists the works a guest sees in it.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountOr404, pseudOr404 } from "../accounts/lookup.ts";
import type { Tag } from "../core/db/schema.ts";
import { HttpError, notFound } from "../core/http/errors.ts";
import { publicBaseUrl } from "../core/http/public-url.ts";
import { route, type AppDeps, type RouteContext } from "../core/http/route.tsx";
import { limits } from "../core/limits.ts";
import { GUEST } from "../core/viewer.ts";
import type { Finder, ListingScope } from "../search/listings/find-works.ts";
import { readSearch } from "../search/listings/routes.tsx";
import { tagShownTo } from "../tags/count-queries.ts";
import { tagNameFromUrl, tagUrlName } from "../tags/names.ts";
import { findTagByName } from "../tags/queries.ts";
import { findTagById } from "../tags/wrangling-queries.ts";
import { chaptersOfWork } from "../works/chapter-queries.ts";
import { loadWork } from "../works/load.ts";
import { ATOM_TYPE, chaptersFeed, workUpdated, worksFeed, type FeedFrame } from "./atom.ts";
import { sendFeed } from "./http.ts";
import { listingFor, present } from "./listing.ts";
import { seriesFeedWorks } from "./queries.ts";

const RawQuery = z.record(z.string(), z.unknown());
const TagParams = z.object({ name: z.string().min(1).max(1_000) });
const UserParams = z.object({ login: z.string().max(100) });
const PseudParams = UserParams.extend({ pseud: z.string().max(200) });
const WorkParams = z.object({
  workId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
const SeriesParams = z.object({
  seriesId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** The archive's name (site settings) for feed titles and the feed's author. */
export const archiveNameOf = (ctx: RouteContext<unknown, unknown, unknown>) =>
  ctx.req.state.site?.archiveName ?? "Fanfold";

const queryPart = (url: string) => {
  const i = url.indexOf("?");
  return i < 0 ? "" : url.slice(i);
};

/**
 * The tag an address names: AO3's feed addresses carry the tag's id (`/tags/123/feed.atom`,
 * what AO3 tools read from the "Subscribe" link), ours its name; an all-digit segment is an id
 * when such a tag exists. A tag only works hidden from guests carry does not exist here.
 */
async function feedTag(deps: AppDeps, segment: string): Promise<Tag> {
  const byId = /^\d{1,10}$/.test(segment) ? await findTagById(deps.db, Number(segment)) : undefined;
  const tag = byId ?? (await findTagByName(deps.db, tagNameFromUrl(segment)));
  if (!tag || !(await tagShownTo(deps.db, "public", tag))) throw notFound("tag");
  return tag;
}

export function registerAtomRoutes(app: FastifyInstance, deps: AppDeps, finder: Finder) {
  const listingFeed = async (
    ctx: RouteContext<unknown, Record<string, unknown>, unknown>,
    scope: ListingScope,
    frame: { title: string; htmlPath: string; emptyUpdated: number },
  ) => {
    // Newest update first, whatever the address asks to sort by: it is a feed.
    const search = {
      ...readSearch(ctx.query),
      sort: "revised" as const,
      descending: true,
      page: 1,
    };
    // Listing feeds carry what a guest's listing shows, adult works included (as on AO3): an
    // entry is a blurb (title, tags with the rating, summary), never the work's text.
    const reader = { viewer: GUEST, hideRatingIds: [] };
    const { works } = await listingFor(finder, reader, scope, search, limits.pageSize);
    const full: FeedFrame = {
      base: publicBaseUrl(ctx.deps.config),
      archiveName: archiveNameOf(ctx),
      selfPath: ctx.req.url,
      htmlPath: frame.htmlPath + queryPart(ctx.req.url),
      title: frame.title,
      emptyUpdated: frame.emptyUpdated,
    };
    const body = worksFeed(full, works);
    return sendFeed(ctx.req, ctx.reply, {
      body,
      type: ATOM_TYPE,
      lastModified: Math.max(frame.emptyUpdated, ...works.map((w) => workUpdated(w.row))),
    });
  };

  route(app, deps, {
    method: "GET",
    url: "/works/feed.atom",
    auth: "guest-ok",
    query: RawQuery,
    handler: (ctx) =>
      listingFeed(
        ctx,
        { kind: "all" },
        { title: `${archiveNameOf(ctx)}: works`, htmlPath: "/works", emptyUpdated: 0 },
      ),
  });

  route(app, deps, {
    method: "GET",
    url: "/tags/:name/feed.atom",
    auth: "guest-ok",
    params: TagParams,
    query: RawQuery,
    handler: async (ctx) => {
      const tag = await feedTag(ctx.deps, ctx.params.name);
      if (tag.merger_id !== null) {
        // A synonym's works are its canonical tag's: readers are moved there for good.
        const canonical = await findTagById(ctx.deps.db, tag.merger_id);
        if (canonical) {
          const to = `/tags/${tagUrlName(canonical.name)}/feed.atom${queryPart(ctx.req.url)}`;
          return ctx.reply.redirect(to, 301);
        }
      }
      return listingFeed(
        ctx,
        { kind: "tag", tagId: tag.id },
        {
          // AO3's title, which AO3 tools read the tag's name from.
          title: `${archiveNameOf(ctx)} works tagged '${tag.name}'`,
          htmlPath: `/tags/${tagUrlName(tag.name)}/works`,
          emptyUpdated: tag.created_at,
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works/feed.atom",
    auth: "guest-ok",
    params: UserParams,
    query: RawQuery,
    handler: async (ctx) => {
      const user = await accountOr404(ctx.deps, ctx.params.login);
      return listingFeed(
        ctx,
        { kind: "user", userId: user.id },
        {
          title: `${archiveNameOf(ctx)}: works by ${user.login}`,
          htmlPath: `/users/${user.login}/works`,
          emptyUpdated: user.created_at,
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/pseuds/:pseud/works/feed.atom",
    auth: "guest-ok",
    params: PseudParams,
    query: RawQuery,
    handler: async (ctx) => {
      const { user, pseud, name } = await pseudOr404(ctx.deps, ctx.params.login, ctx.params.pseud);
      return listingFeed(
        ctx,
        { kind: "pseud", pseudId: pseud.id },
        {
          title: `${archiveNameOf(ctx)}: works by ${name}`,
          htmlPath: `/users/${user.login}/pseuds/${encodeURIComponent(pseud.name)}/works`,
          emptyUpdated: pseud.created_at,
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/feed.atom",
    auth: "guest-ok",
    params: SeriesParams,
    handler: async (ctx) => {
      // As a guest sees the series: its works listed to guests, less anonymous ones (a series
      // names its creators); adult works included, as in every listing feed. A series with no
      // such work is not found, as its page is.
      const found = await seriesFeedWorks(ctx.deps.db, GUEST, ctx.params.seriesId, limits.pageSize);
      if (!found || found.works.length === 0) throw notFound("series");
      const works = await present(ctx.deps.db, GUEST, found.works);
      const frame: FeedFrame = {
        base: publicBaseUrl(ctx.deps.config),
        archiveName: archiveNameOf(ctx),
        selfPath: `/series/${found.series.id}/feed.atom`,
        htmlPath: `/series/${found.series.id}`,
        title: `${archiveNameOf(ctx)}: works in the series ${found.series.title}`,
        emptyUpdated: found.series.created_at,
      };
      return sendFeed(ctx.req, ctx.reply, {
        body: worksFeed(frame, works),
        type: ATOM_TYPE,
        lastModified: Math.max(...works.map((w) => workUpdated(w.row))),
      });
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/feed.atom",
    auth: "guest-ok",
    params: WorkParams,
    handler: async (ctx) => {
      const loaded = await loadWork({ db: ctx.deps.db }, GUEST, ctx.params.workId);
      // Restricted works are for logged-in readers: a feed reader is never one.
      if (loaded.access !== "ok") throw notFound("work");
      if (loaded.view.gated) {
        throw new HttpError(
          403,
          `This work is rated ${loaded.view.rating.name}: its chapters are not sent to feed readers, which cannot confirm you want to see adult content. Read it on the archive.`,
        );
      }
      const chapters = (await chaptersOfWork(ctx.deps.db, loaded.work.id))
        .filter((c) => c.posted === 1)
        .sort(
          (a, b) =>
            (b.published_at ?? b.created_at) - (a.published_at ?? a.created_at) ||
            b.position - a.position,
        );
      const frame: FeedFrame = {
        base: publicBaseUrl(ctx.deps.config),
        archiveName: archiveNameOf(ctx),
        selfPath: `/works/${loaded.work.id}/chapters/feed.atom`,
        htmlPath: `/works/${loaded.work.id}`,
        title: `${loaded.view.title}: new chapters`,
        emptyUpdated: loaded.work.edited_at,
      };
      return sendFeed(ctx.req, ctx.reply, {
        body: chaptersFeed(frame, loaded.view, chapters),
        type: ATOM_TYPE,
        lastModified: Math.max(loaded.work.edited_at, ...chapters.map((c) => c.edited_at)),
      });
    },
  });
}
