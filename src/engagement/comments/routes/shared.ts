/** What posting and moderation routes both load: the comment, its work, the link back to it. */
import { HttpError, notFound } from "../../../core/http/errors.ts";
import type { RouteContext } from "../../../core/http/route.tsx";
import { loadWork, type LoadedWork } from "../../../works/load.ts";
import { commentWork, scopeUrl } from "../load.ts";
import * as q from "../queries.ts";

export type Ctx = RouteContext<unknown, unknown, unknown>;

/** A work whose comments this reader may see: 404 for drafts, log-in for restricted works. */
export async function readableWork(ctx: Ctx, workId: number): Promise<LoadedWork> {
  const loaded = await loadWork(ctx.deps, ctx.viewer, workId);
  if (loaded.access === "login-required" && ctx.req.method !== "GET")
    throw new HttpError(401, "Please log in to see this work and its comments.");
  return loaded;
}

export async function commentAndWork(ctx: Ctx, id: number) {
  const comment = await q.findComment(ctx.deps.db, id);
  if (!comment) throw notFound("comment");
  const loaded = await readableWork(ctx, comment.work_id);
  return { comment, loaded, work: commentWork(loaded) };
}

/** The "back to the work" link of comment pages: where the comment's scope is read. */
export const workLink = (loaded: LoadedWork, chapterId: number | null) => ({
  title: loaded.work.title,
  url: `${scopeUrl(loaded.work.id, chapterId, loaded.work.chapter_count)}#comments`,
});
