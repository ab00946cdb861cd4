/**
 * Every filtered listing of works: /works, /works/search, a tag's works, a creator's works
 * (their Atom feeds are in feeds/). Each reads the same parameters (AO3's and our short ones).
 */
import { accountOr404, pseudOr404 } from "../../accounts/lookup.ts";
import type { FastifyInstance } from "fastify";
import type { ComponentChildren } from "preact";
import { z } from "zod";
import { HttpError, notFound } from "../../core/http/errors.ts";
import { limits } from "../../core/limits.ts";
import { redirect, route, type AppDeps, type RouteContext } from "../../core/http/route.tsx";
import type { Tag } from "../../core/db/schema.ts";
import { page } from "../../core/views/render.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { tagNameFromUrl, tagUrlName } from "../../tags/names.ts";
import { tagShownTo } from "../../tags/count-queries.ts";
import { findTagByName } from "../../tags/queries.ts";
import { findTagById } from "../../tags/wrangling-queries.ts";
import { audienceOf } from "../../works/visibility.ts";
import { blurbSourceOf } from "./blurbs.ts";
import { findWorks, type Finder, type ListingScope } from "./find-works.ts";
import { FilteredListing, type Snippet } from "./views.tsx";
import { parseWorkSearch, SearchParamError, type WorkSearch } from "./work-search-params.ts";

const UserParams = z.object({ login: z.string().max(100) });
const PseudParams = UserParams.extend({ pseud: z.string().max(200) });
const TagParams = z.object({ name: z.string().min(1).max(1_000) });
/** Parsed by parseWorkSearch, which names the parameter at fault. */
const RawQuery = z.record(z.string(), z.unknown());

export interface SearchDeps extends Finder {
  snippets?: (query: string, workIds: readonly number[]) => Promise<Map<number, Snippet>>;
}

/** The listing parameters of a request; a bad one is a 400 naming it. */
export function readSearch(raw: Record<string, unknown>): WorkSearch {
  try {
    return parseWorkSearch(raw);
  } catch (err) {
    if (err instanceof SearchParamError) {
      throw new HttpError(400, err.message, { [err.field]: err.message });
    }
    throw err;
  }
}

export interface Listing {
  title: string;
  suffix: string;
  path: string;
  scope: ListingScope;
  empty: string;
  searchPage?: boolean;
  /** For `<meta name="description">`: what this listing lists. */
  description?: string;
  /** Its Atom feed (feeds/): linked in the head and, as on AO3, above the list. */
  feed?: { href: string; title: string };
  /** Shown under the heading, above the feed link (a collection's navigation). */
  header?: ComponentChildren;
}

/** A listing's page (collections/ shows a collection's works through it too). */
export async function listingPage(
  search: SearchDeps,
  ctx: RouteContext<unknown, Record<string, unknown>, unknown>,
  listing: Listing,
  pageTitle: string,
) {
  const ws = readSearch(ctx.query);
  const exclusionsOff = ctx.query.exclusions === "off";
  // Past the deepest page served, the index is asked for page 1 only: the total and facets
  // for the page that asks for narrower filters, without the cost of a walk that deep.
  const deep = ws.page > limits.maxPage;
  const found = await findWorks(search, ctx.viewer, listing.scope, deep ? { ...ws, page: 1 } : ws, {
    exclusions: !exclusionsOff,
  });
  const rows = deep ? [] : found.works;
  const [works, snippets] = await Promise.all([
    blurbSourceOf(search.db, search.catalog).present(ctx.viewer, rows, ctx.deps.workCounts),
    ws.query && search.snippets && !deep ? search.snippets(ws.query, found.ids) : undefined,
  ]);
  return page(
    pageTitle,
    <FilteredListing
      title={listing.title}
      suffix={listing.suffix}
      path={listing.path}
      search={ws}
      found={found}
      works={works}
      exclusionsOff={exclusionsOff}
      empty={listing.empty}
      searchPage={listing.searchPage === true}
      {...(snippets ? { snippets } : {})}
    >
      {listing.header}
      {listing.feed ? (
        <p class="feed-link">
          {/* AO3's class: its tools read the tag's id from this address. */}
          <a class="rss" href={listing.feed.href} type="application/atom+xml">
            Subscribe to the feed<span class="landmark"> of {listing.feed.title}</span>
          </a>
        </p>
      ) : null}
    </FilteredListing>,
    {
      description: listing.description,
      ...(listing.feed
        ? {
            alternates: [
              { href: listing.feed.href, type: "application/atom+xml", title: listing.feed.title },
            ],
          }
        : {}),
    },
  );
}

async function tagOrRedirect(
  deps: AppDeps,
  viewer: Viewer,
  urlName: string,
  suffix: string,
  rawQuery: string,
): Promise<{ redirect: string } | { tag: Tag }> {
  const tag = await findTagByName(deps.db, tagNameFromUrl(urlName));
  // A tag that only works hidden from this viewer carry does not exist for them.
  if (!tag || !(await tagShownTo(deps.db, audienceOf(viewer), tag))) throw notFound("tag");
  if (tag.merger_id !== null) {
    // A synonym's works are its canonical tag's works.
    const canonical = await findTagById(deps.db, tag.merger_id);
    if (canonical) return { redirect: `/tags/${tagUrlName(canonical.name)}/${suffix}${rawQuery}` };
  }
  return { tag };
}

const queryPart = (url: string) => {
  const i = url.indexOf("?");
  return i < 0 ? "" : url.slice(i);
};

export function registerSearchRoutes(app: FastifyInstance, deps: AppDeps, search: SearchDeps) {
  route(app, deps, {
    method: "GET",
    url: "/works",
    auth: "guest-ok",
    query: RawQuery,
    handler: (ctx) =>
      listingPage(
        search,
        ctx,
        {
          title: "Works",
          suffix: "",
          path: "/works",
          scope: { kind: "all" },
          empty: "No works match.",
          feed: { href: "/works/feed.atom", title: "all works" },
        },
        "Works",
      ),
  });

  route(app, deps, {
    method: "GET",
    url: "/works/search",
    auth: "guest-ok",
    query: RawQuery,
    handler: (ctx) =>
      listingPage(
        search,
        ctx,
        {
          title: "Search works",
          suffix: ctx.query.q || ctx.query.work_search ? " found" : "",
          path: "/works/search",
          scope: { kind: "all" },
          empty: "No works match your search.",
          searchPage: true,
        },
        "Search works",
      ),
  });

  route(app, deps, {
    method: "GET",
    url: "/tags/:name/works",
    auth: "guest-ok",
    params: TagParams,
    query: RawQuery,
    handler: async (ctx) => {
      const found = await tagOrRedirect(
        ctx.deps,
        ctx.viewer,
        ctx.params.name,
        "works",
        queryPart(ctx.req.url),
      );
      if ("redirect" in found) return redirect(found.redirect);
      const { tag } = found;
      return listingPage(
        search,
        ctx,
        {
          title: tag.name,
          suffix: ` in ${tag.name}`,
          path: `/tags/${tagUrlName(tag.name)}/works`,
          scope: { kind: "tag", tagId: tag.id },
          description: `Fan works tagged “${tag.name}” on Fanfold, with filters to narrow them down.`,
          feed: { href: `/tags/${tag.id}/feed.atom`, title: `works tagged ${tag.name}` },
          empty: "There are no works with this tag that you can see.",
        },
        `${tag.name} - Works`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works",
    auth: "guest-ok",
    params: UserParams,
    query: RawQuery,
    handler: async (ctx) => {
      const user = await accountOr404(ctx.deps, ctx.params.login);
      return listingPage(
        search,
        ctx,
        {
          title: `Works by ${user.login}`,
          suffix: ` by ${user.login}`,
          path: `/users/${user.login}/works`,
          scope: { kind: "user", userId: user.id },
          empty: "No works yet.",
          feed: { href: `/users/${user.login}/works/feed.atom`, title: `works by ${user.login}` },
        },
        `Works by ${user.login}`,
      );
    },
  });

  for (const url of ["/users/:login/pseuds/:pseud", "/users/:login/pseuds/:pseud/works"]) {
    route(app, deps, {
      method: "GET",
      url,
      auth: "guest-ok",
      params: PseudParams,
      query: RawQuery,
      handler: async (ctx) => {
        const { user, pseud, name } = await pseudOr404(
          ctx.deps,
          ctx.params.login,
          ctx.params.pseud,
        );
        return listingPage(
          search,
          ctx,
          {
            title: name,
            suffix: ` by ${name}`,
            path: `/users/${user.login}/pseuds/${encodeURIComponent(pseud.name)}`,
            scope: { kind: "pseud", pseudId: pseud.id },
            empty: "No works yet.",
            feed: {
              href: `/users/${user.login}/pseuds/${encodeURIComponent(pseud.name)}/works/feed.atom`,
              title: `works by ${name}`,
            },
          },
          `Works by ${name}`,
        );
      },
    });
  }
}
