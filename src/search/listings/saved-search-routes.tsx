/** Named searches a reader keeps: re-run them, follow them by Atom, delete them. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { HttpError, notFound } from "../../core/http/errors.ts";
import { redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import * as q from "./saved-search-queries.ts";
import { readSearch } from "./routes.tsx";

/** Listings a search can be saved from (their Atom feed follows from the path). */
const LISTING_PATH = /^\/(works(\/search)?|tags\/[^?#]+\/works|users\/\w+\/works)$/;

const SaveInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the search a name")
    .max(100, "Keep the name under 100 characters"),
  path: z.string().regex(LISTING_PATH, "is not a listing of works"),
  query: z.string().max(4_000, "is too long"),
});
const IdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

/** Atom feed of a saved search: tag listings have their own feed, the rest the works feed. */
export function feedPath(path: string, query: string): string {
  const tag = /^\/tags\/([^?#]+)\/works$/.exec(path);
  const base = tag ? `/tags/${tag[1]}/feed.atom` : "/works/feed.atom";
  return query ? `${base}?${query}` : base;
}

export function registerSavedSearchRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/saved-searches",
    auth: "user",
    handler: async ({ deps, user }) => {
      const searches = await q.savedSearchesOf(deps.db, user.id);
      return page(
        "Saved searches",
        <section class="saved-searches">
          <h1>Saved searches</h1>
          {searches.length === 0 ? (
            <p class="empty">
              You have no saved searches. Filter any list of works and choose “Save this search”.
            </p>
          ) : (
            <ul>
              {searches.map((s) => (
                <li>
                  <a href={s.query ? `${s.path}?${s.query}` : s.path}>{s.name}</a> ·{" "}
                  <a href={feedPath(s.path, s.query)} type="application/atom+xml">
                    Atom feed<span class="landmark"> for {s.name}</span>
                  </a>{" "}
                  <PostForm action={`/saved-searches/${s.id}/delete`} class="inline">
                    <button type="submit" class="danger small">
                      Delete<span class="landmark"> {s.name}</span>
                    </button>
                  </PostForm>
                </li>
              ))}
            </ul>
          )}
        </section>,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/saved-searches",
    auth: "user",
    oncePerSubmission: true,
    limit: { name: "saved-search", limit: 60, windowMs: 60 * 60_000 },
    body: SaveInput,
    handler: async ({ deps, user, body }) => {
      readSearch(Object.fromEntries(new URLSearchParams(body.query)));
      if ((await q.countSavedSearches(deps.db, user.id)) >= limits.savedSearches) {
        throw new HttpError(
          422,
          `You can keep at most ${limits.savedSearches} saved searches; delete one first.`,
        );
      }
      await q.insertSavedSearch(deps.db, { userId: user.id, ...body, now: deps.now() });
      return redirect("/saved-searches", `Saved “${body.name}”.`);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/saved-searches/:id/delete",
    auth: "user",
    params: IdParams,
    handler: async ({ deps, user, params }) => {
      if (!(await q.deleteSavedSearch(deps.db, user.id, params.id))) throw notFound("saved search");
      return redirect("/saved-searches", "The saved search was deleted.");
    },
  });
}
