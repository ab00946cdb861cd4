/**
 * Series pages (issue 15), at AO3's addresses: `/series/:id`, its edit page and delete
 * confirmation, and the series a user or one of their pseuds created.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountOr404, pseudOr404 } from "../../accounts/lookup.ts";
import { PageQuery } from "../../core/http/params.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { formatNumber } from "../../core/views/format.ts";
import { htmlExcerpt, META_DESCRIPTION_LENGTH } from "../../core/text/excerpt.ts";
import { page } from "../../core/views/render.tsx";
import { GUEST, type Viewer } from "../../core/viewer.ts";
import { presentWorks } from "../present.ts";
import { ConfirmDelete } from "../views/forms.tsx";
import { deleteSeries, editSeries } from "./commands.ts";
import { loadOwnSeries, loadSeries, type LoadedSeries } from "./load.ts";
import { renderSeriesAddOns, type SeriesPageAddOn } from "./page-addons.ts";
import { presentSeriesList } from "./present.ts";
import {
  listSeriesBy,
  seriesPartsFor,
  seriesTotals,
  seriesWorkIds,
  seriesWorksFor,
} from "./queries.ts";
import { SeriesInput, SeriesParams } from "./schemas.ts";
import { EditSeriesForm, SeriesIndex, SeriesPage } from "./views.tsx";

const UserParams = z.object({ login: z.string().max(100) });
const PseudParams = UserParams.extend({ pseud: z.string().max(200) });

const pagesOf = (total: number, size: number) => Math.min(Math.ceil(total / size), limits.maxPage);

async function editPage(deps: AppDeps, viewer: Viewer, loaded: LoadedSeries, form: FormState) {
  const [works, all] = await Promise.all([
    seriesPartsFor(deps.db, viewer, loaded.series.id),
    seriesWorkIds(deps.db, loaded.series.id),
  ]);
  return page(
    `Edit ${loaded.series.title}`,
    <EditSeriesForm
      series={loaded.view}
      works={works}
      unlisted={all.length - works.length}
      form={form}
    />,
  );
}

/** The series a user (or pseud) created, as `viewer` may see them. */
async function seriesIndex(
  deps: AppDeps,
  viewer: Viewer,
  by: { userId: number } | { pseudId: number },
  opts: { name: string; baseUrl: string; page: number },
) {
  const size = limits.pageSize;
  const { series, total } = await listSeriesBy(deps.db, viewer, by, {
    number: opts.page,
    size,
  });
  return page(
    `Series by ${opts.name}`,
    <SeriesIndex
      title={opts.name}
      heading={`${formatNumber(total)} Series by ${opts.name}`}
      series={await presentSeriesList(deps.db, viewer, series)}
      page={opts.page}
      pages={pagesOf(total, size)}
      baseUrl={opts.baseUrl}
      empty="No series yet."
    />,
    { description: `Series by ${opts.name} on Fanfold.` },
  );
}

/** `addOns`: what other domains show on the series page (see page-addons.ts). */
export function registerSeriesRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  addOns: readonly SeriesPageAddOn[] = [],
) {
  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId",
    auth: "guest-ok",
    params: SeriesParams,
    query: PageQuery,
    handler: async ({ req, deps, viewer, params, query }) => {
      const loaded = await loadSeries(deps, viewer, params.seriesId);
      const size = limits.pageSize;
      const [{ works, total }, parts, inGuestFeed] = await Promise.all([
        seriesWorksFor(deps.db, viewer, loaded.series.id, { number: query.page, size }),
        renderSeriesAddOns(addOns, {
          deps,
          req,
          viewer,
          series: { id: loaded.series.id, title: loaded.series.title },
          isCreator: loaded.isCreator,
        }),
        // Its Atom feed (feeds/) is read as a guest: offered when a guest sees a work in it.
        viewer.user === null ||
          seriesTotals(deps.db, GUEST, [loaded.series.id]).then((t) => t.size > 0),
      ]);
      return page(
        loaded.series.title,
        <SeriesPage
          series={loaded.view}
          works={await presentWorks(deps.db, viewer, works, deps.workCounts)}
          page={query.page}
          pages={pagesOf(total, size)}
          actions={parts.actions}
          stats={parts.stats}
        />,
        {
          mainClass: "series-show",
          description: htmlExcerpt(loaded.series.summary_html, META_DESCRIPTION_LENGTH),
          alternates: inGuestFeed
            ? [
                {
                  href: `${loaded.view.url}/feed.atom`,
                  type: "application/atom+xml",
                  title: `${loaded.series.title}: new works`,
                },
              ]
            : [],
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/edit",
    auth: "user",
    params: SeriesParams,
    handler: async ({ deps, user, viewer, params }) => {
      const loaded = await loadOwnSeries(deps, user, viewer, params.seriesId);
      const { series } = loaded;
      return editPage(
        deps,
        viewer,
        loaded,
        emptyForm({ title: series.title, summary: series.summary_html, notes: series.notes_html }),
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId",
    contributes: true,
    auth: "user",
    params: SeriesParams,
    body: SeriesInput,
    onInvalid: async ({ deps, user, viewer, params, body }, errors) => {
      const loaded = await loadOwnSeries(deps, user, viewer, params.seriesId);
      return editPage(deps, viewer, loaded, { values: body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const loaded = await loadOwnSeries(deps, user, viewer, params.seriesId);
      const result = await editSeries(deps.db, {
        seriesId: loaded.series.id,
        input: body,
        parts: body.parts,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => editPage(deps, viewer, loaded, form));
      return redirect(loaded.view.url, "Series was successfully updated.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/confirm_delete",
    auth: "user",
    params: SeriesParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { series, view } = await loadOwnSeries(deps, user, viewer, params.seriesId, "delete");
      return page(
        `Delete ${series.title}`,
        <ConfirmDelete
          heading={`Delete the series "${series.title}"?`}
          message="This deletes the series for good. Its works stay: they are only taken out of it."
          action={`${view.url}/delete`}
          cancelUrl={view.url}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId/delete",
    auth: "user",
    params: SeriesParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { series } = await loadOwnSeries(deps, user, viewer, params.seriesId, "delete");
      const deleted = await deleteSeries(deps.db, { seriesId: series.id, now: deps.now() });
      if (!deleted.ok) throw refusalError(deleted);
      return redirect(
        `/users/${encodeURIComponent(user.login)}/series`,
        `The series "${series.title}" was deleted. Its works were kept.`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/series",
    auth: "guest-ok",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const user = await accountOr404(deps, params.login);
      return seriesIndex(
        deps,
        viewer,
        { userId: user.id },
        {
          name: user.login,
          baseUrl: `/users/${encodeURIComponent(user.login)}/series`,
          page: query.page,
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/pseuds/:pseud/series",
    auth: "guest-ok",
    params: PseudParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const { user, pseud, name } = await pseudOr404(deps, params.login, params.pseud);
      return seriesIndex(
        deps,
        viewer,
        { pseudId: pseud.id },
        {
          name,
          baseUrl: `/users/${encodeURIComponent(user.login)}/pseuds/${encodeURIComponent(pseud.name)}/series`,
          page: query.page,
        },
      );
    },
  });
}
