/**
 * `GET /downloads/:workId/:name.(epub|html|txt|pdf)`, AO3's download addresses (any name is
 * accepted for the id, so a retitled work's old links keep working). The work page's rules
 * apply unchanged: a draft is its creators' alone, a hidden or unrevealed work answers 404
 * except to them and moderators, a guest asking for a restricted work is sent to log in, and
 * an adult work asks for the same consent (`?view_adult=true` as on AO3). The file is built once per
 * version (cache.ts) and served with an ETag; long works are built by a job meanwhile.
 */
import { createReadStream } from "node:fs";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { rememberAdultConsent } from "../accounts/sessions.ts";
import { archiveId } from "../core/db/changes.ts";
import { HttpError } from "../core/http/errors.ts";
import { publicBaseUrl } from "../core/http/public-url.ts";
import { sameSiteReferer } from "../core/http/return-to.ts";
import { route, type AppDeps, type RouteContext } from "../core/http/route.tsx";
import type { Viewer } from "../core/viewer.ts";
import { enqueue } from "../core/jobs/kinds.ts";
import { page } from "../core/views/render.tsx";
import { GATED_RATINGS } from "../tags/fixed.ts";
import { chaptersOfWork } from "../works/chapter-queries.ts";
import { loadWork } from "../works/load.ts";
import { restrictedLoginUrl } from "../works/restricted.ts";
import { seenBy } from "../works/visibility.ts";
import { recordId } from "../core/http/params.ts";
import { AdultGateView } from "../works/views/reading.tsx";
import { DOWNLOAD_FORMATS, downloadName, type DownloadFormat } from "../works/views/links.tsx";
import { buildsInBackground, CONTENT_TYPES } from "./build.ts";
import type { DownloadCache } from "./cache.ts";
import { chaptersInDownload, type WorkRows } from "./document.ts";
import { PreparingView } from "./views.tsx";

/** Formats AO3 offers that need Calibre; we say so instead of a bare 404. */
const NOT_OFFERED = new Set(["azw3", "mobi"]);

export const DownloadParams = z.object({
  workId: recordId("work"),
  /** `NAME.ext`; a name without a download format's extension is a 404 (formatOf). */
  file: z.string().max(100, "must be at most 100 characters"),
});

export const DownloadQuery = z.object({
  view_adult: z
    .string()
    .optional()
    .transform((v) => v === "true" || v === "1"),
});

/** Seconds a reader waits before the "being prepared" page asks again. */
export const RETRY_AFTER_SECONDS = 5;

function formatOf(file: string): DownloadFormat {
  const dot = file.lastIndexOf(".");
  if (dot < 0)
    throw new HttpError(
      404,
      `Address part "file": a download's name ends in .epub, .html, .txt or .pdf.`,
    );
  const ext = file.slice(dot + 1).toLowerCase();
  if ((DOWNLOAD_FORMATS as readonly string[]).includes(ext)) return ext as DownloadFormat;
  if (NOT_OFFERED.has(ext))
    throw new HttpError(
      404,
      `Downloads come as EPUB, HTML, TXT or PDF: ${ext.toUpperCase()} is not offered here. Most e-readers open EPUB; Calibre converts it to ${ext.toUpperCase()}.`,
    );
  throw new HttpError(
    404,
    `Address part "file": .${ext} is not a download format (use .epub, .html, .txt or .pdf).`,
  );
}

/** `attachment` with an ASCII name (AO3's) and the title in UTF-8 for browsers that read it. */
export function contentDisposition(title: string, format: DownloadFormat): string {
  const ascii = `${downloadName(title)}.${format}`;
  const full =
    title
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\\/:*?"<>|]+/g, "")
      .trim()
      .slice(0, 80) || downloadName(title);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${full}.${format}`)}`;
}

export function registerDownloadRoutes(app: FastifyInstance, deps: AppDeps, cache: DownloadCache) {
  route(app, deps, {
    method: "GET",
    url: "/downloads/:workId/:file",
    auth: "guest-ok",
    params: DownloadParams,
    query: DownloadQuery,
    handler: (ctx) => serveDownload(ctx, cache, ctx.viewer),
  });
}

type DownloadContext = RouteContext<
  z.output<typeof DownloadParams>,
  z.output<typeof DownloadQuery>,
  unknown
>;

/**
 * Answers a download for `viewer`: the session's reader here, or the reader a personal feed
 * token stands for (feeds/: e-reader apps carry no session but may fetch restricted works).
 */
export async function serveDownload(ctx: DownloadContext, cache: DownloadCache, viewer: Viewer) {
  const { req, reply } = ctx;
  const format = formatOf(ctx.params.file);
  const loaded = await loadWork(ctx.deps, viewer, ctx.params.workId);
  if (loaded.access === "login-required") return reply.redirect(restrictedLoginUrl(req.url), 302);
  if (ctx.query.view_adult) {
    rememberAdultConsent(ctx.deps, reply);
    loaded.view.gated = false;
  }
  if (loaded.view.gated) {
    const url = new URL(req.url, "http://x");
    url.searchParams.set("view_adult", "true");
    reply.header("cache-control", "no-store");
    return page(
      loaded.work.title,
      <AdultGateView
        work={loaded.view}
        continueUrl={url.pathname + url.search}
        backUrl={sameSiteReferer(req, `/works/${loaded.work.id}`)}
      />,
    );
  }

  const { work } = loaded;
  const rows: WorkRows = {
    work,
    tags: loaded.tags,
    creators: loaded.creators,
    chapters: await chaptersOfWork(ctx.deps.db, work.id),
    archive: (await archiveId(ctx.deps.db)) ?? "fanfold",
  };
  const key = cache.keyOf(rows, format, publicBaseUrl(ctx.deps.config));
  const etag = `"${key}"`;
  // Shared caches may keep only what any guest may have without asking.
  const rating = loaded.tags.find((t) => t.id === work.rating_id)?.name ?? "Not Rated";
  // (works/visibility.ts `seenBy`: no draft, restricted, hidden or unrevealed work.)
  const everyone = seenBy(work) === "public" && !GATED_RATINGS.has(rating);
  reply.header("cache-control", `${everyone ? "public" : "private"}, no-cache`);
  reply.header("etag", etag);
  reply.header("vary", "Cookie");
  const match = req.headers["if-none-match"];
  if (match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
    return reply.code(304).send();
  }

  let file = await cache.find(work.id, key, format);
  if (!file) {
    const words = chaptersInDownload(rows).reduce((n, c) => n + c.word_count, 0);
    if (buildsInBackground(format, words)) {
      await enqueue(
        ctx.deps.db,
        {
          kind: "download.build",
          payload: { workId: work.id, format },
          uniqueKey: `download:${work.id}:${format}:${key}`,
        },
        ctx.deps.now(),
      );
      reply.removeHeader("etag");
      reply.header("cache-control", "no-store");
      reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      reply.header("refresh", String(RETRY_AFTER_SECONDS));
      return page(
        `Preparing ${work.title}`,
        <PreparingView
          title={work.title}
          format={format}
          workUrl={`/works/${work.id}`}
          retryUrl={req.url}
          seconds={RETRY_AFTER_SECONDS}
        />,
        202,
      );
    }
    file = await cache.build(rows, format, key);
  }
  return reply
    .code(200)
    .header("content-type", CONTENT_TYPES[format])
    .header("content-disposition", contentDisposition(work.title, format))
    .header("content-length", String(file.size))
    .header("last-modified", new Date(file.mtimeMs).toUTCString())
    .header("x-content-type-options", "nosniff")
    .send(createReadStream(file.path));
}
