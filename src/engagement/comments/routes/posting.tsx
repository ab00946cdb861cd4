/**
 * Posting comments, at AO3's addresses: a new comment on a work or a chapter, a thread's own
 * page, replying, editing and deleting. The commands decide who may write (policy.ts); these
 * routes load what the pages show and render the commands' refusals.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { notFound } from "../../../core/http/errors.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
  type RouteContext,
} from "../../../core/http/route.tsx";
import type { Refusal } from "../../../core/result.ts";
import { settingsLimit } from "../../../core/settings.ts";
import {
  emptyForm,
  str,
  type FormErrors,
  type FormState,
  type FormValues,
} from "../../../core/views/forms.tsx";
import { page, type Page } from "../../../core/views/render.tsx";
import type { Viewer } from "../../../core/viewer.ts";
import type { LoadedWork } from "../../../works/load.ts";
import { restrictedLoginUrl } from "../../../works/restricted.ts";
import { ReadQuery } from "../../../works/schemas.ts";
import { AdultGateView } from "../../../works/views/reading.tsx";
import { rememberAdultConsent } from "../../../accounts/sessions.ts";
import { deleteComment, editComment, postComment } from "../commands.ts";
import {
  commentWork,
  loadSubtree,
  presentContextFor,
  readerContext,
  scopeUrl,
  threadUrl,
  type ReaderContext,
} from "../load.ts";
import { commentPolicy, editRefusal, replyRefusal } from "../policy.ts";
import { presentComment } from "../present.ts";
import * as q from "../queries.ts";
import { CommentInput, CommentParams, EditInput, WorkParams } from "../schemas.ts";
import {
  CommentFormPage,
  CommentPageView,
  ConfirmDeleteView,
  type CommentFormProps,
} from "../views.tsx";
import { commentAndWork, readableWork, workLink, type Ctx } from "./shared.ts";

const AWAITING = "Your comment was received and is awaiting the author's approval.";
const HELD_FOR_REVIEW =
  "Your comment was received. It is being held for review by the moderators and will appear once they release it.";

/** A guest on a restricted work's comment pages: AO3's login address, as the work's own pages. */
function loginRedirect(ctx: Ctx) {
  return redirect(restrictedLoginUrl(ctx.req.url));
}

/**
 * A thread can quote the work, so comment pages of Mature, Explicit and Not Rated works ask
 * first, as the work's own pages do (`?view_adult=true` proceeds, remembered for the session).
 */
function adultGate(ctx: Ctx & { query: { view_adult: boolean } }, loaded: LoadedWork) {
  if (ctx.query.view_adult) {
    rememberAdultConsent(ctx.deps, ctx.reply);
    return null;
  }
  if (!loaded.view.gated) return null;
  const url = new URL(ctx.req.url, "http://x");
  url.searchParams.set("view_adult", "true");
  return page(
    loaded.work.title,
    <AdultGateView work={loaded.view} continueUrl={url.pathname + url.search} />,
  );
}

/** One comment as its author or a creator sees it, whatever its status (forms, confirmations). */
async function singleView(deps: AppDeps, rc: ReaderContext, node: q.CommentNode) {
  const texts = await q.commentTexts(deps.db, [node.id]);
  const shown = { node, placeholder: undefined, replies: [], folded: false };
  return presentComment(shown, texts, rc.present);
}

/**
 * A refusal naming fields shows the form again, with what was typed; one about the whole
 * comment (the policy, a comment gone) is an error page.
 */
async function answerRefusal(
  req: FastifyRequest,
  refusal: Refusal,
  render: (form: FormState) => Page | Promise<Page>,
): Promise<Page> {
  if (refusal.errors._form !== undefined) throw refusalError(refusal);
  return refusedForm(req, refusal, render);
}

function formProps(
  viewer: Viewer,
  loaded: LoadedWork,
  action: string,
  form: FormState,
  extra: Partial<CommentFormProps> = {},
): CommentFormProps {
  return {
    action,
    form,
    guest: viewer.user === null,
    moderated: loaded.work.moderated_comments === 1 && !loaded.isCreator,
    submitLabel: "Comment",
    ...extra,
  };
}

/** The "Comment as" choices of a logged-in reader. */
const pseudsOf = async (deps: AppDeps, viewer: Viewer) =>
  viewer.user ? q.pseudChoices(deps.db, viewer.user.id) : undefined;

/** The new-comment form again, with what was typed and what is wrong. */
async function newCommentPage(ctx: Ctx, workId: number, form: FormState) {
  const loaded = await readableWork(ctx, workId);
  const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
  if (rc.refusal) throw refusalError(rc.refusal);
  const chapterId = Number(str(form.values, "chapter_id")) || null;
  const props = formProps(ctx.viewer, loaded, `/works/${workId}/comments`, form, {
    chapterId,
    pseuds: await pseudsOf(ctx.deps, ctx.viewer),
  });
  return page(
    `Comment on ${loaded.work.title}`,
    <CommentFormPage title="Leave a comment" work={workLink(loaded, chapterId)} form={props} />,
  );
}

/** The comment a reply answers, its work, and who is reading. */
async function replyTarget(ctx: Ctx, id: number) {
  const { comment, loaded } = await commentAndWork(ctx, id);
  const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
  return { comment, loaded, rc };
}

/** The reply form, with the comment it answers: only where a Reply link would show. */
async function replyPage(
  ctx: Ctx,
  { comment, loaded, rc }: Awaited<ReturnType<typeof replyTarget>>,
  form: FormState,
) {
  if (rc.refusal) throw refusalError(rc.refusal);
  const shown = await loadSubtree(ctx.deps.db, rc, comment);
  if (!shown || shown.placeholder || comment.deleted) throw notFound("comment");
  // What hid the Reply link refuses the page too, with its reason.
  const { blocks } = await presentContextFor(ctx.deps.db, rc, [comment]);
  const cannot = replyRefusal(rc.refusal, comment, blocks);
  if (cannot) throw refusalError(cannot);
  const props = formProps(ctx.viewer, loaded, `/comments/${comment.id}/reply`, form, {
    submitLabel: "Reply",
    label: "Reply",
    pseuds: await pseudsOf(ctx.deps, ctx.viewer),
  });
  return page(
    `Reply to a comment on ${loaded.work.title}`,
    <CommentFormPage
      title="Reply to comment"
      work={workLink(loaded, comment.chapter_id)}
      context={shown}
      form={props}
    />,
  );
}

type ReplyCtx = RouteContext<{ id: number }, unknown, CommentInput>;

/** A reply, from either of its two addresses. */
async function postReply(ctx: ReplyCtx) {
  const { req, deps, viewer, params, body } = ctx;
  const { work } = await commentAndWork(ctx, params.id);
  const result = await postComment(deps.db, {
    work,
    by: viewer.user,
    input: body,
    parentId: params.id,
    now: deps.now(),
  });
  if (!result.ok)
    return answerRefusal(req, result, async (form) =>
      replyPage(ctx, await replyTarget(ctx, params.id), form),
    );
  if (result.value.held) return redirect(`/comments/${params.id}`, HELD_FOR_REVIEW);
  if (result.value.status === "pending") return redirect(`/comments/${params.id}`, AWAITING);
  return redirect(`/comments/${params.id}#comment_${result.value.id}`, "Reply posted.");
}

/**
 * The edit form (the stored text when `form` is null): the commenter's own comment only, and
 * not once a creator of the work (or the author of the comment it answers) blocked them — the
 * rule that hides the Edit link.
 */
async function editPage(ctx: Ctx, id: number, form: FormState | null) {
  const { comment, loaded } = await commentAndWork(ctx, id);
  if (comment.deleted) throw notFound("comment");
  const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
  const parent =
    comment.parent_id === null ? undefined : await q.findComment(ctx.deps.db, comment.parent_id);
  const { blocks } = await presentContextFor(ctx.deps.db, rc, parent ? [parent] : []);
  const parentUserId = parent?.user_id ?? null;
  const cannot = editRefusal(ctx.viewer.user, { user_id: comment.user_id, parentUserId }, blocks);
  if (cannot) throw refusalError(cannot);
  const view = await singleView(ctx.deps, rc, comment);
  const props = formProps(
    ctx.viewer,
    loaded,
    `/comments/${id}/edit`,
    form ?? emptyForm({ comment_content: comment.body_html }),
    { submitLabel: "Update", label: "Comment", guest: false },
  );
  return page(
    "Edit comment",
    <CommentFormPage
      title="Edit comment"
      work={workLink(loaded, comment.chapter_id)}
      context={view}
      form={props}
    />,
  );
}

export function registerCommentPostingRoutes(app: FastifyInstance, deps: AppDeps) {
  const postingLimit = settingsLimit("comments", "comments", "both");

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/comments",
    contributes: true,
    auth: "guest-ok",
    oncePerSubmission: true,
    params: WorkParams,
    body: CommentInput,
    honeypot: true,
    limit: postingLimit,
    onInvalid: (ctx, errors) =>
      newCommentPage(ctx, ctx.params.workId, { values: ctx.body, errors }),
    handler: async (ctx) => {
      const { req, deps, viewer, params, body } = ctx;
      const loaded = await readableWork(ctx, params.workId);
      const result = await postComment(deps.db, {
        work: commentWork(loaded),
        by: viewer.user,
        input: body,
        parentId: null,
        now: deps.now(),
      });
      if (!result.ok)
        return answerRefusal(req, result, (form) => newCommentPage(ctx, params.workId, form));
      const chapterId = body.chapter_id ?? null;
      if (result.value.status === "pending" || result.value.held) {
        const back = scopeUrl(loaded.work.id, chapterId, loaded.work.chapter_count);
        return redirect(`${back}#comments`, result.value.held ? HELD_FOR_REVIEW : AWAITING);
      }
      const rc = await readerContext(deps.db, viewer, loaded);
      const url = await threadUrl(deps.db, rc, loaded, {
        id: result.value.id,
        chapter_id: chapterId,
      });
      return redirect(url, "Comment posted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/comments/:id",
    auth: "guest-ok",
    params: CommentParams,
    query: ReadQuery,
    handler: async (ctx) => {
      const { comment, loaded } = await commentAndWork(ctx, ctx.params.id);
      if (loaded.access === "login-required") return loginRedirect(ctx);
      const gate = adultGate(ctx, loaded);
      if (gate) return gate;
      const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
      const view = await loadSubtree(ctx.deps.db, rc, comment);
      if (!view) throw notFound("comment");
      return page(
        `Comment on ${loaded.work.title}`,
        <CommentPageView
          work={workLink(loaded, comment.chapter_id)}
          comment={view}
          parentId={comment.parent_id}
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/comments/:id/reply",
    auth: "guest-ok",
    params: CommentParams,
    query: ReadQuery,
    handler: async (ctx) => {
      const target = await replyTarget(ctx, ctx.params.id);
      if (target.loaded.access === "login-required") return loginRedirect(ctx);
      const gate = adultGate(ctx, target.loaded);
      if (gate) return gate;
      if (target.rc.refusal?.reason === "log-in") return loginRedirect(ctx);
      return replyPage(ctx, target, emptyForm());
    },
  });

  // `POST /comments/:id` is AO3's address for a reply; the reply form posts to /reply.
  const reply = {
    method: "POST",
    auth: "guest-ok",
    oncePerSubmission: true,
    params: CommentParams,
    body: CommentInput,
    honeypot: true,
    limit: postingLimit,
    onInvalid: async (ctx: RouteContext<{ id: number }, unknown, FormValues>, errors: FormErrors) =>
      replyPage(ctx, await replyTarget(ctx, ctx.params.id), { values: ctx.body, errors }),
    handler: postReply,
  } as const;
  route(app, deps, { ...reply, url: "/comments/:id" });
  route(app, deps, { ...reply, url: "/comments/:id/reply" });

  route(app, deps, {
    method: "GET",
    url: "/comments/:id/edit",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => editPage(ctx, ctx.params.id, null),
  });

  route(app, deps, {
    method: "POST",
    url: "/comments/:id/edit",
    contributes: true,
    auth: "user",
    params: CommentParams,
    body: EditInput,
    limit: postingLimit,
    onInvalid: (ctx, errors) => editPage(ctx, ctx.params.id, { values: ctx.body, errors }),
    handler: async (ctx) => {
      const { req, deps, user, params, body } = ctx;
      const { comment, loaded, work } = await commentAndWork(ctx, params.id);
      const result = await editComment(deps.db, {
        work,
        user,
        commentId: params.id,
        text: body.comment_content,
        now: deps.now(),
      });
      if (!result.ok) return answerRefusal(req, result, (form) => editPage(ctx, params.id, form));
      if (result.value.requeued) {
        const back = scopeUrl(work.id, comment.chapter_id, loaded.work.chapter_count);
        return redirect(
          `${back}#comments`,
          "Your edit was saved. It changed enough that the comment is awaiting the author's approval again.",
        );
      }
      return redirect(`/comments/${params.id}#comment_${params.id}`, "Comment updated.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/comments/:id/confirm_delete",
    auth: "user",
    params: CommentParams,
    handler: async (ctx) => {
      const { comment, loaded, work } = await commentAndWork(ctx, ctx.params.id);
      if (comment.deleted) throw notFound("comment");
      // Only offered to those deleteComment would accept.
      const subject = { commenterUserId: comment.user_id, creatorUserIds: work.creatorUserIds };
      commentPolicy.authorize(ctx.user, "delete", subject);
      const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
      const view = await singleView(ctx.deps, rc, comment);
      return page(
        "Delete comment?",
        <ConfirmDeleteView
          work={workLink(loaded, comment.chapter_id)}
          comment={view}
          cancelUrl={`/comments/${comment.id}`}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/comments/:id/delete",
    auth: "user",
    params: CommentParams,
    handler: async (ctx) => {
      const { deps, user, params } = ctx;
      const { comment, loaded, work } = await commentAndWork(ctx, params.id);
      const result = await deleteComment(deps.db, {
        work,
        user,
        commentId: params.id,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      const back = scopeUrl(work.id, comment.chapter_id, loaded.work.chapter_count);
      return redirect(`${back}#comments`, "Comment deleted.");
    },
  });
}
