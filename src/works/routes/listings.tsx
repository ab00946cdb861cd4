/** Listings answered by SQL: the home page, a profile's recent works, one's drafts. Filtered
 * listings live in src/search. */
import { accountOr404 } from "../../accounts/lookup.ts";
import type { FastifyInstance } from "fastify";
import type { ComponentChildren } from "preact";
import { z } from "zod";
import { pseudsOfUser } from "../../accounts/queries.ts";
import { forbidden } from "../../core/http/errors.ts";
import { route, type AppDeps } from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { page } from "../../core/views/render.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { presentWorks } from "../present.ts";
import { listWorks, type WorkScope } from "../queries.ts";
import { PageQuery } from "../schemas.ts";
import { WorkList } from "../views/blurb.tsx";
import { ListingView, type ListingPage } from "../views/listing.tsx";

const UserParams = z.object({ login: z.string().max(100) });

async function listing(
  deps: AppDeps,
  viewer: Viewer,
  scope: WorkScope,
  pageNumber: number,
): Promise<ListingPage> {
  const size = limits.pageSize;
  const { works, total } = await listWorks(deps.db, viewer, scope, { number: pageNumber, size });
  return {
    works: await presentWorks(deps.db, viewer, works, deps.workCounts),
    total,
    page: pageNumber,
    pages: Math.min(Math.ceil(total / size), limits.maxPage),
    size,
  };
}

export interface ListingOptions {
  /** A block the composition root adds to the home page, above the newest works. */
  home?: (ctx: { deps: AppDeps; viewer: Viewer }) => Promise<ComponentChildren>;
  /** Actions on a user's page (subscribe, mute, block), each becoming a list item. */
  profile?: (ctx: {
    deps: AppDeps;
    viewer: Viewer;
    user: { id: number; login: string };
  }) => Promise<ComponentChildren[]>;
}

export function registerListingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  opts: ListingOptions = {},
) {
  route(app, deps, {
    method: "GET",
    url: "/",
    auth: "guest-ok",
    handler: async ({ deps, viewer }) => {
      const [newest, extra] = await Promise.all([
        listing(deps, viewer, { kind: "all" }, 1),
        opts.home?.({ deps, viewer }),
      ]);
      return page(
        "",
        <section class="home">
          <h1>Fanfold</h1>
          <p class="intro">
            An archive of fan works: stories written by fans, for fans. Read freely; sign up to post
            your own.
          </p>
          {extra}
          <h2>Newest works</h2>
          <WorkList works={newest.works} empty="No works have been posted yet." />
          <p>
            <a href="/works">Browse all {newest.total.toLocaleString("en-US")} works</a>
          </p>
        </section>,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login",
    auth: "guest-ok",
    params: UserParams,
    handler: async ({ deps, viewer, params }) => {
      const user = await accountOr404(deps, params.login);
      const [pseuds, result, actions = []] = await Promise.all([
        pseudsOfUser(deps.db, user.id),
        listing(deps, viewer, { kind: "user", userId: user.id }, 1),
        opts.profile?.({ deps, viewer, user: { id: user.id, login: user.login } }),
      ]);
      const own = viewer.user?.id === user.id;
      return page(
        user.login,
        <ListingView
          title={user.login}
          heading={`Recent works (${result.total.toLocaleString("en-US")} in all)`}
          listing={{ ...result, pages: 1 }}
          baseUrl={`/users/${user.login}`}
          empty="No works yet."
        >
          <p>
            Pseuds:{" "}
            {pseuds.map((p, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={`/users/${user.login}/pseuds/${encodeURIComponent(p.name)}`}>{p.name}</a>
              </>
            ))}
          </p>
          <ul class="actions">
            <li>
              <a href={`/users/${user.login}/works`}>All works</a>
            </li>
            {actions.map((item, i) => (
              <li key={`action-${i}`}>{item}</li>
            ))}
            {own ? (
              <>
                <li>
                  <a href={`/users/${user.login}/works/drafts`}>Drafts</a>
                </li>
                <li>
                  <a href="/works/new">Post new work</a>
                </li>
              </>
            ) : null}
          </ul>
        </ListingView>,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works/drafts",
    auth: "user",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, user: me, params, query }) => {
      const user = await accountOr404(deps, params.login);
      if (user.id !== me.id) throw forbidden("Drafts are visible only to their creator.");
      const result = await listing(deps, viewer, { kind: "drafts", userId: user.id }, query.page);
      return page(
        "Drafts",
        <ListingView
          title="Your drafts"
          heading={`${result.total.toLocaleString("en-US")} drafts`}
          listing={result}
          baseUrl={`/users/${user.login}/works/drafts`}
          empty="You have no drafts."
        />,
      );
    },
  });
}
