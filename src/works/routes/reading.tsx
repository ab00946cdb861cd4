import type { FastifyInstance } from "fastify";
import { rememberAdultConsent } from "../../accounts/sessions.ts";
import { notFound } from "../../core/http/errors.ts";
import { route, type AppDeps, type RouteContext } from "../../core/http/route.tsx";
import { formatDate } from "../../core/views/format.ts";
import { page } from "../../core/views/render.tsx";
import * as chaptersQ from "../chapter-queries.ts";
import { loadWork, type LoadedWork } from "../load.ts";
import { renderAddOns, type WorkPageAddOn } from "../page-addons.ts";
import { ChapterParams, ReadQuery, WorkParams } from "../schemas.ts";
import { chapterShown } from "../visibility.ts";
import {
  AdultGateView,
  NavigateView,
  ReadingView,
  RestrictedView,
  type ChapterNav,
} from "../views/reading.tsx";

type ReadFlags = { view_adult: boolean; view_full_work: boolean };

async function visibleIndex(deps: AppDeps, loaded: LoadedWork): Promise<ChapterNav[]> {
  const index = await chaptersQ.chapterIndex(deps.db, loaded.work.id);
  return index
    .filter((c) => chapterShown(c, loaded.isCreator))
    .map((c) => ({
      id: c.id,
      position: c.position,
      title: c.title,
      posted: c.posted === 1,
      publishedAt: formatDate(c.published_at),
    }));
}

/** The checks every reading page makes before showing text: access, then the adult gate. */
async function guard(ctx: RouteContext<unknown, ReadFlags, unknown>, workId: number) {
  const loaded = await loadWork(ctx.deps, ctx.viewer, workId);
  if (loaded.access === "login-required") {
    const loginUrl = `/login?return_to=${encodeURIComponent(ctx.req.url)}`;
    return { blocked: page("Registered users only", <RestrictedView loginUrl={loginUrl} />, 403) };
  }
  if (ctx.query.view_adult) {
    rememberAdultConsent(ctx.deps, ctx.reply);
    loaded.view.gated = false;
  }
  if (loaded.view.gated) {
    const url = new URL(ctx.req.url, "http://x");
    url.searchParams.set("view_adult", "true");
    return {
      blocked: page(
        loaded.work.title,
        <AdultGateView work={loaded.view} continueUrl={url.pathname + url.search} />,
      ),
    };
  }
  return { loaded };
}

async function readingPage(
  ctx: RouteContext<unknown, ReadFlags, unknown>,
  addOns: readonly WorkPageAddOn[],
  workId: number,
  chapterId: number | null,
) {
  const guarded = await guard(ctx, workId);
  if (!guarded.loaded) return guarded.blocked;
  const { loaded } = guarded;
  const index = await visibleIndex(ctx.deps, loaded);
  const fullWork = ctx.query.view_full_work && chapterId === null;
  let chapters;
  if (fullWork) {
    const shown = new Set(index.map((c) => c.id));
    chapters = (await chaptersQ.chaptersOfWork(ctx.deps.db, workId)).filter((c) => shown.has(c.id));
  } else {
    const target = chapterId === null ? index[0] : index.find((c) => c.id === chapterId);
    const chapter = target && (await chaptersQ.findChapter(ctx.deps.db, workId, target.id));
    if (!chapter) throw notFound("chapter");
    chapters = [chapter];
  }
  const title =
    !fullWork && index.length > 1 && chapters[0]
      ? `${loaded.work.title} - Chapter ${chapters[0].position}`
      : loaded.work.title;
  const parts = await renderAddOns(addOns, {
    deps: ctx.deps,
    req: ctx.req,
    viewer: ctx.viewer,
    loaded,
    index,
    chapters,
    chapter: fullWork ? null : (chapters[0] ?? null),
  });
  return page(
    title,
    <ReadingView
      work={loaded.view}
      chapters={chapters}
      index={index}
      fullWork={fullWork}
      parts={parts}
    />,
  );
}

/** `addOns`: what other domains show on reading pages (see page-addons.ts). */
export function registerReadingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  addOns: readonly WorkPageAddOn[] = [],
) {
  route(app, deps, {
    method: "GET",
    url: "/works/:workId",
    auth: "guest-ok",
    params: WorkParams,
    query: ReadQuery,
    handler: (ctx) => readingPage(ctx, addOns, ctx.params.workId, null),
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/:chapterId",
    auth: "guest-ok",
    params: ChapterParams,
    query: ReadQuery,
    handler: (ctx) => readingPage(ctx, addOns, ctx.params.workId, ctx.params.chapterId),
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/navigate",
    auth: "guest-ok",
    params: WorkParams,
    query: ReadQuery,
    handler: async (ctx) => {
      const guarded = await guard(ctx, ctx.params.workId);
      if (!guarded.loaded) return guarded.blocked;
      const index = await visibleIndex(ctx.deps, guarded.loaded);
      return page(
        `Chapter index for ${guarded.loaded.work.title}`,
        <NavigateView work={guarded.loaded.view} index={index} />,
      );
    },
  });
}
