/**
 * Comment addresses (AO3's): posting on a work or a chapter, a thread's own page, replying,
 * editing, deleting, and the creators' moderation (approve, hide, freeze, the queue).
 */
import type { FastifyInstance } from "fastify";
import { HttpError, notFound } from "../../core/http/errors.ts";
import {
  redirect,
  route,
  type AppDeps,
  type RateLimitRule,
  type RouteContext,
} from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { str, type FormErrors, type FormValues } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { findChapter } from "../../works/chapter-queries.ts";
import { loadWork, type LoadedWork } from "../../works/load.ts";
import { restrictedLoginUrl } from "../../works/restricted.ts";
import { ReadQuery } from "../../works/schemas.ts";
import { AdultGateView } from "../../works/views/reading.tsx";
import { rememberAdultConsent } from "../../accounts/sessions.ts";
import {
  deleteComment,
  editComment,
  freezeThread,
  moderateComment,
  postComment,
  type Author,
  type Moderation,
  type Outcome,
} from "./commands.ts";
import {
  commentWork,
  loadSubtree,
  presentContextFor,
  readerContext,
  scopeUrl,
  threadUrl,
  type ReaderContext,
} from "./load.ts";
import { commentPolicy, editRefusal, replyRefusal } from "./policy.ts";
import { presentComment, type CommentView } from "./present.ts";
import * as q from "./queries.ts";
import {
  CommentInput,
  CommentParams,
  EditInput,
  GuestInput,
  PageQuery,
  WorkParams,
} from "./schemas.ts";
import {
  CommentFormPage,
  CommentPageView,
  ConfirmDeleteView,
  UnreviewedView,
  type CommentFormProps,
} from "./views.tsx";

type Ctx = RouteContext<unknown, unknown, unknown>;

const AWAITING = "Your comment was received and is awaiting the author's approval.";

/** A guest on a restricted work's comment pages: AO3's login address, as the work's own pages. */
function loginRedirect(ctx: Ctx) {
  return redirect(restrictedLoginUrl(ctx.req.url));
}

/** A work whose comments this reader may see: 404 for drafts, log-in for restricted works. */
async function readableWork(ctx: Ctx, workId: number): Promise<LoadedWork> {
  const loaded = await loadWork(ctx.deps, ctx.viewer, workId);
  if (loaded.access === "login-required" && ctx.req.method !== "GET")
    throw new HttpError(401, "Please log in to see this work and its comments.");
  return loaded;
}

async function commentAndWork(ctx: Ctx, id: number) {
  const comment = await q.findComment(ctx.deps.db, id);
  if (!comment) throw notFound("comment");
  const loaded = await readableWork(ctx, comment.work_id);
  return { comment, loaded, work: commentWork(loaded) };
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

const workLink = (loaded: LoadedWork, chapterId: number | null) => ({
  title: loaded.work.title,
  url: `${scopeUrl(loaded.work.id, chapterId, loaded.work.chapter_count)}#comments`,
});

/** One comment as its author or a creator sees it, whatever its status (forms, confirmations). */
async function singleView(deps: AppDeps, rc: ReaderContext, node: q.CommentNode) {
  const texts = await q.commentTexts(deps.db, [node.id]);
  const shown = { node, placeholder: undefined, replies: [], folded: false };
  return presentComment(shown, texts, rc.present);
}

function failed<T>(outcome: Outcome<T>): never {
  if (outcome.ok) throw new Error("not a failure");
  throw new HttpError(outcome.status, outcome.message);
}

function formProps(
  viewer: Viewer,
  loaded: LoadedWork,
  action: string,
  form: { values: FormValues; errors: FormErrors },
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
export const pseudsOf = async (deps: AppDeps, viewer: Viewer) =>
  viewer.user ? q.pseudChoices(deps.db, viewer.user.id) : undefined;

/** Who signs the comment: the account, or a guest's checked name and email. */
function signedBy(
  viewer: Viewer,
  body: FormValues,
): { ok: true; author: Author } | { ok: false; errors: FormErrors } {
  if (viewer.user) {
    const pseudId = Number(str(body, "pseud_id")) || undefined;
    return { ok: true, author: { kind: "user", user: viewer.user, pseudId } };
  }
  const parsed = GuestInput.safeParse({ name: str(body, "name"), email: str(body, "email") });
  if (parsed.success) return { ok: true, author: { kind: "guest", ...parsed.data } };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { ok: false, errors };
}

export function registerCommentRoutes(app: FastifyInstance, deps: AppDeps) {
  const postingLimit: RateLimitRule = {
    name: "comments",
    ...deps.config.rateLimits.comments,
    by: "both",
  };

  /** The new-comment form again, with what was typed and what is wrong (422). */
  async function newCommentAgain(ctx: Ctx, workId: number, values: FormValues, errors: FormErrors) {
    const loaded = await readableWork(ctx, workId);
    const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
    if (rc.refusal) throw new HttpError(rc.refusal.status, rc.refusal.message);
    const chapterId = Number(str(values, "chapter_id")) || null;
    const form = formProps(
      ctx.viewer,
      loaded,
      `/works/${workId}/comments`,
      { values, errors },
      {
        chapterId,
        pseuds: await pseudsOf(ctx.deps, ctx.viewer),
      },
    );
    return page(
      `Comment on ${loaded.work.title}`,
      <CommentFormPage title="Leave a comment" work={workLink(loaded, chapterId)} form={form} />,
      422,
    );
  }

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/comments",
    auth: "guest-ok",
    oncePerSubmission: true,
    params: WorkParams,
    body: CommentInput,
    honeypot: true,
    limit: postingLimit,
    onInvalid: (ctx, errors) => newCommentAgain(ctx, ctx.params.workId, ctx.body, errors),
    handler: async (ctx) => {
      const { deps, viewer, params, body } = ctx;
      const values = {
        ...body,
        chapter_id: String(body.chapter_id ?? ""),
        pseud_id: String(body.pseud_id ?? ""),
      };
      const loaded = await readableWork(ctx, params.workId);
      if (!loaded.work.posted) throw new HttpError(403, "Comments open once the work is posted.");
      const chapterId = body.chapter_id ?? null;
      if (chapterId !== null) {
        const chapter = await findChapter(deps.db, loaded.work.id, chapterId);
        if (!chapter?.posted)
          throw new HttpError(
            422,
            'Field "chapter_id": that chapter of this work is not open for comments.',
          );
      }
      const signed = signedBy(viewer, values);
      if (!signed.ok) return newCommentAgain(ctx, params.workId, values, signed.errors);
      const outcome = await postComment(deps, {
        work: commentWork(loaded),
        author: signed.author,
        text: body.comment_content,
        chapterId,
        parentId: null,
        now: deps.now(),
      });
      if (!outcome.ok) {
        if (outcome.field)
          return newCommentAgain(ctx, params.workId, values, { [outcome.field]: outcome.message });
        failed(outcome);
      }
      const posted = loaded.work.chapter_count;
      if (outcome.value.status === "pending")
        return redirect(`${scopeUrl(loaded.work.id, chapterId, posted)}#comments`, AWAITING);
      const rc = await readerContext(deps.db, viewer, loaded);
      const url = await threadUrl(deps.db, rc, loaded, {
        id: outcome.value.id,
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

  /** The reply form, with the comment it answers; 422 with what was typed when it failed. */
  async function replyPage(ctx: Ctx, id: number, values: FormValues, errors: FormErrors) {
    const { comment, loaded } = await commentAndWork(ctx, id);
    if (loaded.access === "login-required") return loginRedirect(ctx);
    const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
    if (rc.refusal?.reason === "log-in" && ctx.req.method === "GET") return loginRedirect(ctx);
    if (rc.refusal) throw new HttpError(rc.refusal.status, rc.refusal.message);
    const shown = await loadSubtree(ctx.deps.db, rc, comment);
    if (!shown || shown.placeholder || comment.deleted) throw notFound("comment");
    // What hid the Reply link refuses the page too, with its reason.
    const { blocks } = await presentContextFor(ctx.deps.db, rc, [comment]);
    const cannot = replyRefusal(rc.refusal, comment, blocks);
    if (cannot) throw new HttpError(cannot.status, cannot.message);
    const form = formProps(
      ctx.viewer,
      loaded,
      `/comments/${id}/reply`,
      { values, errors },
      {
        submitLabel: "Reply",
        label: "Reply",
        pseuds: await pseudsOf(ctx.deps, ctx.viewer),
      },
    );
    const body = (
      <CommentFormPage
        title="Reply to comment"
        work={workLink(loaded, comment.chapter_id)}
        context={shown}
        form={form}
      />
    );
    return page(
      `Reply to a comment on ${loaded.work.title}`,
      body,
      Object.keys(errors).length ? 422 : undefined,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/comments/:id/reply",
    auth: "guest-ok",
    params: CommentParams,
    query: ReadQuery,
    handler: async (ctx) => {
      const { loaded } = await commentAndWork(ctx, ctx.params.id);
      const gate = loaded.access === "ok" ? adultGate(ctx, loaded) : null;
      return gate ?? replyPage(ctx, ctx.params.id, {}, {});
    },
  });

  // `POST /comments/:id` is AO3's address for a reply; the reply form posts to /reply.
  for (const url of ["/comments/:id", "/comments/:id/reply"]) {
    route(app, deps, {
      method: "POST",
      url,
      auth: "guest-ok",
      oncePerSubmission: true,
      params: CommentParams,
      body: CommentInput,
      honeypot: true,
      limit: postingLimit,
      onInvalid: (ctx, errors) => replyPage(ctx, ctx.params.id, ctx.body, errors),
      handler: async (ctx) => {
        const { deps, viewer, params, body } = ctx;
        const values = { ...body, chapter_id: undefined, pseud_id: String(body.pseud_id ?? "") };
        const { work } = await commentAndWork(ctx, params.id);
        const signed = signedBy(viewer, values);
        if (!signed.ok) return replyPage(ctx, params.id, values, signed.errors);
        const outcome = await postComment(deps, {
          work,
          author: signed.author,
          text: body.comment_content,
          chapterId: null,
          parentId: params.id,
          now: deps.now(),
        });
        if (!outcome.ok) {
          if (outcome.field)
            return replyPage(ctx, params.id, values, { [outcome.field]: outcome.message });
          failed(outcome);
        }
        if (outcome.value.status === "pending") return redirect(`/comments/${params.id}`, AWAITING);
        return redirect(`/comments/${params.id}#comment_${outcome.value.id}`, "Reply posted.");
      },
    });
  }

  /**
   * The edit form: the commenter's own comment only, and not once a creator of the work (or the
   * author of the comment it answers) blocked them — the rule that hides the Edit link.
   */
  async function editPage(ctx: Ctx, id: number, values: FormValues | null, errors: FormErrors) {
    const { comment, loaded } = await commentAndWork(ctx, id);
    if (comment.deleted) throw notFound("comment");
    const rc = await readerContext(ctx.deps.db, ctx.viewer, loaded);
    const parent =
      comment.parent_id === null ? undefined : await q.findComment(ctx.deps.db, comment.parent_id);
    const { blocks } = await presentContextFor(ctx.deps.db, rc, parent ? [parent] : []);
    const parentUserId = parent?.user_id ?? null;
    const cannot = editRefusal(ctx.viewer.user, { user_id: comment.user_id, parentUserId }, blocks);
    if (cannot) throw new HttpError(cannot.status, cannot.message);
    const view = await singleView(ctx.deps, rc, comment);
    const form = formProps(
      ctx.viewer,
      loaded,
      `/comments/${id}/edit`,
      { values: values ?? { comment_content: comment.body_html }, errors },
      { submitLabel: "Update", label: "Comment", guest: false },
    );
    const body = (
      <CommentFormPage
        title="Edit comment"
        work={workLink(loaded, comment.chapter_id)}
        context={view}
        form={form}
      />
    );
    return page("Edit comment", body, Object.keys(errors).length ? 422 : undefined);
  }

  route(app, deps, {
    method: "GET",
    url: "/comments/:id/edit",
    auth: "user",
    params: CommentParams,
    handler: (ctx) => editPage(ctx, ctx.params.id, null, {}),
  });

  route(app, deps, {
    method: "POST",
    url: "/comments/:id/edit",
    auth: "user",
    params: CommentParams,
    body: EditInput,
    limit: postingLimit,
    onInvalid: (ctx, errors) => editPage(ctx, ctx.params.id, ctx.body, errors),
    handler: async (ctx) => {
      const { deps, user, params, body } = ctx;
      const { comment, loaded, work } = await commentAndWork(ctx, params.id);
      const outcome = await editComment(deps, {
        work,
        user,
        commentId: params.id,
        text: body.comment_content,
        now: deps.now(),
      });
      if (!outcome.ok) {
        if (outcome.field)
          return editPage(ctx, params.id, body, { [outcome.field]: outcome.message });
        failed(outcome);
      }
      if (outcome.value.requeued) {
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
      const outcome = await deleteComment(deps, {
        work,
        user,
        commentId: params.id,
        now: deps.now(),
      });
      if (!outcome.ok) failed(outcome);
      const back = scopeUrl(work.id, comment.chapter_id, loaded.work.chapter_count);
      return redirect(`${back}#comments`, "Comment deleted.");
    },
  });

  // The creators' moderation: five literal routes over two shared handlers.
  type ModerationCtx = Ctx & { user: ViewerUser; params: { id: number } };
  async function moderate(ctx: ModerationCtx, action: Moderation, done: string) {
    const { deps, user, params } = ctx;
    const { work } = await commentAndWork(ctx, params.id);
    const outcome = await moderateComment(deps, {
      work,
      user,
      commentId: params.id,
      action,
      now: deps.now(),
    });
    if (!outcome.ok) failed(outcome);
    const back =
      action === "approve"
        ? `/works/${work.id}/comments/unreviewed`
        : `/comments/${params.id}#comment_${params.id}`;
    return redirect(back, done);
  }
  async function setFrozen(ctx: ModerationCtx, frozen: boolean) {
    const { deps, user, params } = ctx;
    const { work } = await commentAndWork(ctx, params.id);
    const outcome = await freezeThread(deps, { work, user, commentId: params.id, frozen });
    if (!outcome.ok) failed(outcome);
    return redirect(
      `/comments/${params.id}#comment_${params.id}`,
      frozen ? "Thread frozen: it takes no new replies." : "Thread unfrozen.",
    );
  }

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
      const comments: CommentView[] = nodes.map((node) =>
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
