/**
 * The creators' moderation of their works' comments: approve, hide and unhide, freeze and
 * unfreeze a thread, and the queue of comments awaiting approval. The commands check that the
 * user is a creator of the work (policy.ts); the queue page asks the same rule before showing.
 */
import type { FastifyInstance } from "fastify";
import { redirect, refusalError, route, type AppDeps } from "../../../core/http/route.tsx";
import { limits } from "../../../core/limits.ts";
import { page } from "../../../core/views/render.tsx";
import type { ViewerUser } from "../../../core/viewer.ts";
import { freezeThread, moderateComment, type Moderation } from "../commands.ts";
import { commentWork, readerContext } from "../load.ts";
import { commentPolicy } from "../policy.ts";
import { presentComment } from "../present.ts";
import * as q from "../queries.ts";
import { CommentParams, PageQuery, WorkParams } from "../schemas.ts";
import { UnreviewedView } from "../views.tsx";
import { commentAndWork, readableWork, workLink, type Ctx } from "./shared.ts";

type ModerationCtx = Ctx & { user: ViewerUser; params: { id: number } };

async function moderate(ctx: ModerationCtx, action: Moderation, done: string) {
  const { deps, user, params } = ctx;
  const { work } = await commentAndWork(ctx, params.id);
  const result = await moderateComment(deps.db, {
    work,
    user,
    commentId: params.id,
    action,
    now: deps.now(),
  });
  if (!result.ok) throw refusalError(result);
  const back =
    action === "approve"
      ? `/works/${work.id}/comments/unreviewed`
      : `/comments/${params.id}#comment_${params.id}`;
  return redirect(back, done);
}

async function setFrozen(ctx: ModerationCtx, frozen: boolean) {
  const { deps, user, params } = ctx;
  const { work } = await commentAndWork(ctx, params.id);
  const result = await freezeThread(deps.db, { work, user, commentId: params.id, frozen });
  if (!result.ok) throw refusalError(result);
  return redirect(
    `/comments/${params.id}#comment_${params.id}`,
    frozen ? "Thread frozen: it takes no new replies." : "Thread unfrozen.",
  );
}

export function registerCommentModerationRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "POST",
    url: "/comments/:id/approve",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => moderate(ctx, "approve", "Comment approved."),
  });
  route(app, deps, {
    method: "POST",
    url: "/comments/:id/hide",
    auth: "user",
    params: CommentParams,
    handler: (ctx) =>
      moderate(ctx, "hide", "Comment hidden: only you and the work's other creators see it."),
  });
  route(app, deps, {
    method: "POST",
    url: "/comments/:id/unhide",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => moderate(ctx, "unhide", "Comment shown again."),
  });
  route(app, deps, {
    method: "POST",
    url: "/comments/:id/freeze",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => setFrozen(ctx, true),
  });
  route(app, deps, {
    method: "POST",
    url: "/comments/:id/unfreeze",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => setFrozen(ctx, false),
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/comments/unreviewed",
    auth: "user",
    params: WorkParams,
    query: PageQuery,
    handler: async (ctx) => {
      const { deps, user, params, query } = ctx;
      const loaded = await readableWork(ctx, params.workId);
      const work = commentWork(loaded);
      commentPolicy.authorize(user, "moderate", {
        commenterUserId: null,
        creatorUserIds: work.creatorUserIds,
      });
      const size = limits.commentThreadsPerPage;
      const [total, nodes] = await Promise.all([
        q.countPending(deps.db, work.id),
        q.pendingNodes(deps.db, work.id, { offset: (query.page - 1) * size, limit: size }),
      ]);
      const rc = await readerContext(deps.db, ctx.viewer, loaded);
      const texts = await q.commentTexts(
        deps.db,
        nodes.map((n) => n.id),
      );
      const comments = nodes.map((node) =>
        presentComment(
          { node, placeholder: undefined, replies: [], folded: false },
          texts,
          rc.present,
        ),
      );
      return page(
        `Unreviewed comments on ${loaded.work.title}`,
        <UnreviewedView
          workId={work.id}
          work={workLink(loaded, null)}
          comments={comments}
          total={total}
          page={query.page}
          pages={Math.max(1, Math.ceil(total / size))}
        />,
      );
    },
  });
}
