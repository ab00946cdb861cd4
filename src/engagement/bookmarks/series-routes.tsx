/**
 * Bookmarking a series (issue 15), at AO3's addresses: the form (`/series/:id/bookmarks/new`),
 * saving it, and the series' public bookmarks. Editing, deleting and showing one bookmark are
 * the work bookmarks' routes (`/bookmarks/:id…`). The series page shows the Bookmark button and
 * the count through a series page add-on.
 */
import type { FastifyInstance } from "fastify";
import { notFound } from "../../core/http/errors.ts";
import { redirect, refusedForm, route, type AppDeps } from "../../core/http/route.tsx";
import { settingsLimit } from "../../core/settings.ts";
import { emptyForm } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { pseudOptions } from "../../works/load.ts";
import type { SeriesPageAddOn } from "../../works/series/page-addons.ts";
import { SeriesParams, seriesOr404 } from "../series/load.ts";
import type { LoadedSeries } from "../../works/series/load.ts";
import { createSeriesBookmark } from "./commands.ts";
import { presentBookmarks } from "./present.ts";
import { bookmarkListing, chosenPseud, formPage, listingHref, NOT_OWN_PSEUD } from "./routes.tsx";
import { BookmarkInput, BookmarkListQuery } from "./schemas.ts";
import { seriesView } from "./series-present.ts";
import { seriesBookmarkCount, seriesBookmarkIdFor } from "./series-queries.ts";
import { SeriesBookmarkCount } from "./series-views.tsx";
import { AlreadyBookmarkedPage, SeriesBookmarksView, type FormTarget } from "./views.tsx";

const seriesTarget = ({ series }: LoadedSeries): FormTarget => ({
  kind: "series",
  id: series.id,
  title: series.title,
});

/** The series page's "Bookmark Series" (or "Edit Bookmark") and its bookmark count. */
export const seriesBookmarksAddOn: SeriesPageAddOn = {
  async actions({ deps, viewer, series }) {
    // Guests follow the link through the log-in page.
    const own = viewer.user
      ? await seriesBookmarkIdFor(deps.db, viewer.user.id, series.id)
      : undefined;
    return [
      own === undefined ? (
        <a class="bookmark" href={`/series/${series.id}/bookmarks/new`}>
          Bookmark Series
        </a>
      ) : (
        <a class="bookmark" href={`/bookmarks/${own}/edit`}>
          Edit Bookmark
        </a>
      ),
    ];
  },
  async stats({ deps, series }) {
    const count = await seriesBookmarkCount(deps.db, series.id);
    return [
      {
        name: "bookmarks",
        label: "Bookmarks",
        value: <SeriesBookmarkCount seriesId={series.id} count={count} />,
      },
    ];
  },
};

export function registerSeriesBookmarkRoutes(app: FastifyInstance, deps: AppDeps) {
  const writeLimit = settingsLimit("bookmarks", "bookmarks", "both");
  const shown = (viewer: Viewer, id: number) => seriesOr404(deps, viewer, id);

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/bookmarks/new",
    auth: "user",
    params: SeriesParams,
    handler: async ({ deps, viewer, user, params }) => {
      const loaded = await shown(viewer, params.seriesId);
      const { series } = loaded;
      const existing = await seriesBookmarkIdFor(deps.db, user.id, series.id);
      if (existing !== undefined) {
        return page(
          `Bookmark ${series.title}`,
          <AlreadyBookmarkedPage id={existing} target={seriesTarget(loaded)} />,
        );
      }
      const [first] = await pseudOptions(deps, user.id);
      const form = emptyForm({ pseud_id: String(first?.id ?? "") });
      return formPage(deps, user, seriesTarget(loaded), form);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId/bookmarks",
    contributes: true,
    auth: "user",
    oncePerSubmission: true,
    limit: writeLimit,
    params: SeriesParams,
    body: BookmarkInput,
    onInvalid: async ({ deps, viewer, user, params, body }, errors) => {
      const loaded = await shown(viewer, params.seriesId);
      const { series } = loaded;
      const existing = await seriesBookmarkIdFor(deps.db, user.id, series.id);
      return formPage(deps, user, seriesTarget(loaded), { values: body, errors }, { existing });
    },
    handler: async ({ req, deps, viewer, user, params, body }) => {
      const loaded = await shown(viewer, params.seriesId);
      const { series } = loaded;
      const target = seriesTarget(loaded);
      const pseudId = await chosenPseud(deps, user.id, body.pseud_id);
      if (pseudId === null)
        return refusedForm(req, NOT_OWN_PSEUD, (form) => formPage(deps, user, target, form));
      const saved = await createSeriesBookmark(deps.db, {
        userId: user.id,
        seriesId: series.id,
        pseudId,
        input: body,
        now: deps.now(),
      });
      // A second bookmark (another pseud, an old tab) never overwrites the first one.
      if (!saved.ok) {
        const existing = "existingId" in saved ? saved.existingId : undefined;
        return refusedForm(req, saved, (form) => formPage(deps, user, target, form, { existing }));
      }
      return redirect(`/bookmarks/${saved.value.id}`, "Bookmark was successfully created.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/bookmarks",
    auth: "guest-ok",
    params: SeriesParams,
    query: BookmarkListQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const loaded = await shown(viewer, params.seriesId);
      const { series } = loaded;
      const base = `/series/${series.id}/bookmarks`;
      const [found, own, view] = await Promise.all([
        bookmarkListing(deps, viewer, { kind: "series", seriesId: series.id }, query, base),
        viewer.user ? seriesBookmarkIdFor(deps.db, viewer.user.id, series.id) : undefined,
        seriesView(deps.db, viewer, series.id),
      ]);
      if (!view) throw notFound("series");
      return page(
        `Bookmarks of ${series.title}`,
        <SeriesBookmarksView
          series={view}
          bookmarks={await presentBookmarks(deps.db, viewer, found.rows)}
          listing={found.listing}
          tags={found.tags}
          tagKey={found.tagKey}
          tagName={found.tagName}
          href={(tag) => listingHref(base, { tag, recs: query.recs })(1)}
          ownBookmarkId={own}
        />,
      );
    },
  });
}
