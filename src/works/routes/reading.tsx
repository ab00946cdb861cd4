import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rememberAdultConsent } from "../../accounts/sessions.ts";
import { notFound } from "../../core/http/errors.ts";
import { sameSiteReferer } from "../../core/http/return-to.ts";
import { route, type AppDeps, type RouteContext } from "../../core/http/route.tsx";
import { formatDate } from "../../core/views/format.ts";
import { page } from "../../core/views/render.tsx";
import * as chaptersQ from "../chapter-queries.ts";
import { workDescription } from "../description.ts";
import { loadWork, type LoadedWork } from "../load.ts";
import { renderAddOns, type ShownChapter, type WorkPageAddOn } from "../page-addons.ts";
import { presentChapter, type CreatorLink } from "../present.ts";
import type { Chapter } from "../../core/db/schema.ts";
import { chapterBylines } from "../creators/present.ts";
import {
  ChapterIdParams,
  ChapterParams,
  ChapterSelectQuery,
  ReadQuery,
  WorkParams,
} from "../schemas.ts";
import { restrictedLoginUrl } from "../restricted.ts";
import { NO_RELATED, relatedOf } from "../related/present.ts";
import { renderChapterText } from "../rendered.ts";
import { renderedTextsOf } from "../rendered-cache.ts";
import { EMPTY_HTML, type SanitizedHtml } from "../../core/text/sanitize.ts";
import { chapterShown, seenBy } from "../visibility.ts";
import { GATED_RATINGS } from "../../tags/fixed.ts";
import { AdultGateView, NavigateView, ReadingView, type ChapterNav } from "../views/reading.tsx";

type ReadFlags = { view_adult: boolean; view_full_work: boolean };

/** The chapters this reader may see, for navigation. */
function shownIndex(rows: readonly chaptersQ.ChapterIndexRow[], isCreator: boolean): ChapterNav[] {
  return rows
    .filter((c) => chapterShown(c, isCreator))
    .map((c) => ({
      id: c.id,
      position: c.position,
      title: c.title,
      posted: c.posted === 1,
      publishedAt: formatDate(c.published_at),
    }));
}

async function visibleIndex(deps: AppDeps, loaded: LoadedWork): Promise<ChapterNav[]> {
  return shownIndex(await chaptersQ.chapterIndex(deps.db, loaded.work.id), loaded.isCreator);
}

/**
 * Chapters as stored, with their rendered text: rows saved before it was stored (or bulk
 * loaded without it) are rendered here once and kept, so the next view serves them as is.
 */
async function withRenderedText(deps: AppDeps, chapters: Chapter[]): Promise<ShownChapter[]> {
  const out: ShownChapter[] = [];
  for (const { text_html, rendered_html, ...c } of chapters) {
    out.push({ ...c, rendered_html: rendered_html ?? (await renderAndKeep(deps, c, text_html)) });
  }
  return out;
}

async function renderAndKeep(
  deps: AppDeps,
  chapter: { id: number; position: number },
  text: SanitizedHtml,
): Promise<SanitizedHtml> {
  const rendered = renderChapterText(text, chapter.position);
  await chaptersQ.keepRendered(deps.db, chapter, rendered);
  return rendered;
}

/**
 * The one chapter shown, with its rendered text from memory when the work's version and the
 * chapter's position and edit time are those it was kept for (rendered-cache.ts), else read.
 */
async function withShownText(
  deps: AppDeps,
  work: { version: number },
  chapter: chaptersQ.ChapterMeta,
): Promise<ShownChapter | undefined> {
  const cache = renderedTextsOf(deps.db);
  const stamp = { version: work.version, position: chapter.position, editedAt: chapter.edited_at };
  const kept = cache.get(chapter.id, stamp);
  if (kept !== undefined) return { ...chapter, rendered_html: kept.html, rendered_utf8: kept.utf8 };
  const row = await chaptersQ.renderedText(deps.db, chapter.id);
  if (!row) return undefined;
  const html =
    row.rendered_html ??
    (await renderAndKeep(
      deps,
      { id: chapter.id, position: row.position },
      row.text_html ?? EMPTY_HTML,
    ));
  const text = cache.set(
    chapter.id,
    { version: row.version, position: row.position, editedAt: row.edited_at },
    html,
  );
  return { ...chapter, rendered_html: text.html, rendered_utf8: text.utf8 };
}

/**
 * A guest asking for a work shown only to logged-in readers goes to the login page and comes
 * back, as on AO3 (`/users/login?restricted=true&return_to=…`): FanFicFare logs in when it
 * lands there, where a 403 stopped it (#11).
 */
function toLogin(ctx: { req: FastifyRequest; reply: FastifyReply }) {
  return ctx.reply.redirect(restrictedLoginUrl(ctx.req.url), 302);
}

/** "No, Go Back": the page the reader came from on this site (not this one), else `/works`. */
function backAddress(req: FastifyRequest): string {
  const back = sameSiteReferer(req, "/works");
  return back.split(/[?#]/)[0] === req.url.split(/[?#]/)[0] ? "/works" : back;
}

/** The checks every reading page makes before showing text: access, then the adult gate. */
async function guard(ctx: RouteContext<unknown, ReadFlags, unknown>, workId: number) {
  const loaded = await loadWork(ctx.deps, ctx.viewer, workId);
  if (loaded.access === "login-required") return { blocked: toLogin(ctx) };
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
        <AdultGateView
          work={loaded.view}
          continueUrl={url.pathname + url.search}
          backUrl={backAddress(ctx.req)}
        />,
      ),
    };
  }
  return { loaded };
}

/** Feeds are read as a guest: no drafts, restricted, hidden or adult works (feeds/). */
const inGuestFeeds = (
  work: {
    posted: number;
    restricted: number;
    hidden_reason: string | null;
    in_unrevealed_collection: number;
  },
  rating: string,
) => seenBy(work) === "public" && !GATED_RATINGS.has(rating);

async function readingPage(
  ctx: RouteContext<unknown, ReadFlags, unknown>,
  addOns: readonly WorkPageAddOn[],
  workId: number,
  chapterId: number | null,
) {
  const guarded = await guard(ctx, workId);
  if (!guarded.loaded) return guarded.blocked;
  const { loaded } = guarded;
  const { isCreator } = loaded;
  const has = loaded.parts;
  const fullWork = ctx.query.view_full_work && chapterId === null;
  // One statement for the chapters either way: all of them for the entire work, else the
  // index with the one chapter shown, whose text is in memory but after a change (one more).
  const [chapterRows, related] = await Promise.all([
    fullWork
      ? chaptersQ.chaptersOfWork(ctx.deps.db, workId).then(async (all) => {
          const shown = all.filter((c) => chapterShown(c, isCreator));
          return { index: shown, chapters: await withRenderedText(ctx.deps, shown) };
        })
      : chaptersQ
          .chapterIndexWith(ctx.deps.db, workId, chapterId, isCreator)
          .then(async ({ index, chapter }) => {
            const shown =
              chapter && chapterShown(chapter, isCreator)
                ? await withShownText(ctx.deps, loaded.work, chapter)
                : undefined;
            return { index, chapters: shown ? [shown] : [] };
          }),
    has.related ? relatedOf(ctx.deps.db, ctx.viewer, workId) : NO_RELATED,
  ]);
  loaded.view.related = related;
  const index = shownIndex(chapterRows.index, isCreator);
  const { chapters } = chapterRows;
  if (chapters.length === 0 && !fullWork) throw notFound("chapter");
  const bylines = has.chapterCreators
    ? await chapterBylines(
        ctx.deps.db,
        loaded.work,
        loaded.creators,
        chapters.map((c) => c.id),
      )
    : new Map<number, CreatorLink[]>();
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
      chapters={chapters.map((c) => ({ ...presentChapter(c), byline: bylines.get(c.id) }))}
      index={index}
      fullWork={fullWork}
      parts={parts}
    />,
    {
      // The summary as plain text, shortened: what search engines and link previews show.
      description: workDescription(loaded.work.summary_html),
      // Its new chapters as Atom (feeds/), where a guest's feed reader may have them.
      alternates: inGuestFeeds(loaded.work, loaded.view.rating.name)
        ? [
            {
              href: `/works/${loaded.work.id}/chapters/feed.atom`,
              type: "application/atom+xml",
              title: `${loaded.work.title}: new chapters`,
            },
          ]
        : [],
    },
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

  // The chapter index is not behind the adult notice (AO3 shows it to everyone who may see
  // the work): it carries only titles and dates.
  route(app, deps, {
    method: "GET",
    url: "/works/:workId/navigate",
    auth: "guest-ok",
    params: WorkParams,
    query: ReadQuery,
    handler: async (ctx) => {
      const loaded = await loadWork(ctx.deps, ctx.viewer, ctx.params.workId);
      if (loaded.access === "login-required") return toLogin(ctx);
      const index = await visibleIndex(ctx.deps, loaded);
      return page(
        `Chapter index for ${loaded.work.title}`,
        <NavigateView work={loaded.view} index={index} />,
        { mainClass: "works-navigate" },
      );
    },
  });

  // The chapter menu on a work page (a GET form, so it works without JavaScript).
  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters",
    auth: "guest-ok",
    params: WorkParams,
    query: ChapterSelectQuery,
    handler: async ({ params, query, reply }) => {
      const to = query.selected_id
        ? `/works/${params.workId}/chapters/${query.selected_id}`
        : `/works/${params.workId}`;
      return reply.redirect(to, 303);
    },
  });

  // AO3's short chapter address: a permanent redirect to the chapter in its work, only for a
  // chapter the reader may see (otherwise a 404 that does not tell which work it belongs to).
  route(app, deps, {
    method: "GET",
    url: "/chapters/:chapterId",
    auth: "guest-ok",
    params: ChapterIdParams,
    handler: async (ctx) => {
      const chapter = await chaptersQ.findChapterById(ctx.deps.db, ctx.params.chapterId);
      if (!chapter) throw notFound("chapter");
      const loaded = await loadWork(ctx.deps, ctx.viewer, chapter.work_id);
      if (loaded.access === "login-required") return toLogin(ctx);
      if (!chapterShown(chapter, loaded.isCreator)) throw notFound("chapter");
      return ctx.reply.redirect(`/works/${chapter.work_id}/chapters/${chapter.id}`, 301);
    },
  });
}
