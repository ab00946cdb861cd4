import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { findPseud, findUserByLogin, pseudsOfUser } from "../../accounts/queries.ts";
import { forbidden, notFound } from "../../core/http/errors.ts";
import { redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { page } from "../../core/views/render.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { tagNameFromUrl, tagUrlName } from "../../tags/names.ts";
import { findTagByName } from "../../tags/queries.ts";
import { findTagById } from "../../tags/wrangling-queries.ts";
import { presentWorks } from "../present.ts";
import { listWorks, type WorkScope } from "../queries.ts";
import { PageQuery } from "../schemas.ts";
import { WorkList } from "../views/blurb.tsx";
import { countHeading, ListingView, type ListingPage } from "../views/listing.tsx";

const UserParams = z.object({ login: z.string().max(100) });
const PseudParams = UserParams.extend({ pseud: z.string().max(200) });
const TagParams = z.object({ name: z.string().min(1).max(1_000) });

async function listing(
  deps: AppDeps,
  viewer: Viewer,
  scope: WorkScope,
  pageNumber: number,
): Promise<ListingPage> {
  const size = limits.pageSize;
  const { works, total } = await listWorks(deps.db, viewer, scope, { number: pageNumber, size });
  return {
    works: await presentWorks(deps.db, viewer, works),
    total,
    page: pageNumber,
    pages: Math.min(Math.ceil(total / size), limits.maxPage),
    size,
  };
}

async function userOr404(deps: AppDeps, login: string) {
  const user = await findUserByLogin(deps.db, login);
  if (!user) throw notFound("user");
  return user;
}

export function registerListingRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/",
    auth: "guest-ok",
    handler: async ({ deps, viewer }) => {
      const newest = await listing(deps, viewer, { kind: "all" }, 1);
      return page(
        "",
        <section class="home">
          <h1>Fanfold</h1>
          <p class="intro">
            An archive of fan works: stories written by fans, for fans. Read freely; sign up to post
            your own.
          </p>
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
    url: "/works",
    auth: "guest-ok",
    query: PageQuery,
    handler: async ({ deps, viewer, query }) => {
      const result = await listing(deps, viewer, { kind: "all" }, query.page);
      return page(
        "Works",
        <ListingView
          title="Works"
          heading={countHeading(result, "")}
          listing={result}
          baseUrl="/works"
          empty="No works yet."
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/tags/:name/works",
    auth: "guest-ok",
    params: TagParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const tag = await findTagByName(deps.db, tagNameFromUrl(params.name));
      if (!tag) throw notFound("tag");
      if (tag.merger_id !== null) {
        // A synonym's works are its canonical tag's works.
        const canonical = await findTagById(deps.db, tag.merger_id);
        if (canonical) return redirect(`/tags/${tagUrlName(canonical.name)}/works`);
      }
      const result = await listing(deps, viewer, { kind: "tag", tagId: tag.id }, query.page);
      return page(
        `${tag.name} - Works`,
        <ListingView
          title={tag.name}
          heading={countHeading(result, ` in ${tag.name}`)}
          listing={result}
          baseUrl={`/tags/${tagUrlName(tag.name)}/works`}
          empty="There are no works with this tag that you can see."
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login",
    auth: "guest-ok",
    params: UserParams,
    handler: async ({ deps, viewer, params }) => {
      const user = await userOr404(deps, params.login);
      const [pseuds, result] = await Promise.all([
        pseudsOfUser(deps.db, user.id),
        listing(deps, viewer, { kind: "user", userId: user.id }, 1),
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
    url: "/users/:login/works",
    auth: "guest-ok",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const user = await userOr404(deps, params.login);
      const result = await listing(deps, viewer, { kind: "user", userId: user.id }, query.page);
      return page(
        `Works by ${user.login}`,
        <ListingView
          title={`Works by ${user.login}`}
          heading={countHeading(result, ` by ${user.login}`)}
          listing={result}
          baseUrl={`/users/${user.login}/works`}
          empty="No works yet."
        />,
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
      const user = await userOr404(deps, params.login);
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

  for (const url of ["/users/:login/pseuds/:pseud", "/users/:login/pseuds/:pseud/works"]) {
    route(app, deps, {
      method: "GET",
      url,
      auth: "guest-ok",
      params: PseudParams,
      query: PageQuery,
      handler: async ({ deps, viewer, params, query }) => {
        const user = await userOr404(deps, params.login);
        const pseud = await findPseud(deps.db, user.id, params.pseud);
        if (!pseud) throw notFound("pseud");
        const result = await listing(
          deps,
          viewer,
          { kind: "pseud", pseudId: pseud.id },
          query.page,
        );
        const name = pseud.name === user.login ? user.login : `${pseud.name} (${user.login})`;
        return page(
          `Works by ${name}`,
          <ListingView
            title={name}
            heading={countHeading(result, ` by ${name}`)}
            listing={result}
            baseUrl={`/users/${user.login}/pseuds/${encodeURIComponent(pseud.name)}`}
            empty="No works yet."
          >
            {pseud.description ? <p class="pseud-description">{pseud.description}</p> : null}
          </ListingView>,
        );
      },
    });
  }
}
