/**
 * /admin/spam (permission "spam.handle"): held items with their score and reasons, releasing
 * them or marking them as spam; and, per account, removing all of a spammer's content in one
 * action after a confirmation page.
 */
import type { FastifyInstance } from "fastify";
import { findUserByLogin } from "../../accounts/queries.ts";
import { notFound } from "../../core/http/errors.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { may } from "../../core/permissions.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { pluralize } from "../../core/views/format.ts";
import { page } from "../../core/views/render.tsx";
import { markAsSpam, releaseHeld, removeSpammer, spammerContent } from "./commands.ts";
import { heldEvents } from "./queries.ts";
import { HeldQuery, LoginParams, MarkInput, RemoveSpamInput, SubjectParams } from "./schemas.ts";
import { HeldListView, RemoveSpamView, userPath } from "./views.tsx";

const PER_PAGE = 50;
const allow = (u: ViewerUser) => may(u, "spam.handle");

async function removeSpamPage(deps: AppDeps, login: string, form: FormState) {
  const account = await findUserByLogin(deps.db, login);
  if (!account) throw notFound("account");
  const content = await spammerContent(deps.db, account.id);
  return page(
    `Remove ${account.login}'s content as spam`,
    <RemoveSpamView
      account={{
        login: account.login,
        banned: account.banned_at !== null,
        works: content.works.map((w) => ({ id: w.id, title: w.title })),
        comments: content.comments.length,
        bookmarks: content.bookmarks.length,
      }}
      form={form}
    />,
  );
}

export function registerSpamRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/admin/spam",
    auth: "user",
    allow,
    query: HeldQuery,
    handler: async ({ deps, query }) => {
      const items = await heldEvents(deps.db, { beforeId: query.before, limit: PER_PAGE + 1 });
      const shown = items.slice(0, PER_PAGE);
      const last = shown[shown.length - 1];
      const olderHref = items.length > PER_PAGE && last ? `/admin/spam?before=${last.id}` : null;
      return page("Spam", <HeldListView items={shown} olderHref={olderHref} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/spam/:type/:id/release",
    auth: "user",
    allow,
    params: SubjectParams,
    handler: async ({ deps, user, params }) => {
      const result = await releaseHeld(deps.db, { subject: params, by: user, now: deps.now() });
      if (!result.ok) throw refusalError(result);
      return redirect(
        "/admin/spam",
        params.type === "comment" ? "The comment was released." : "The work was released.",
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/spam/:type/:id/spam",
    auth: "user",
    allow,
    params: SubjectParams,
    body: MarkInput,
    handler: async ({ deps, user, params, body }) => {
      const result = await markAsSpam(deps.db, {
        subject: params,
        by: user,
        reason: body.reason,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        "/admin/spam",
        params.type === "comment"
          ? "The comment was marked as spam and hidden."
          : "The work was marked as spam and hidden.",
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/admin/users/:login/remove-spam",
    auth: "user",
    allow,
    params: LoginParams,
    handler: ({ deps, params }) => removeSpamPage(deps, params.login, emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/users/:login/remove-spam",
    auth: "user",
    allow,
    params: LoginParams,
    body: RemoveSpamInput,
    onInvalid: (ctx, errors) =>
      removeSpamPage(ctx.deps, ctx.params.login, { values: ctx.body, errors }),
    handler: async ({ req, deps, user, params, body }) => {
      const result = await removeSpammer(deps.db, {
        login: params.login,
        by: user,
        reason: body.reason,
        now: deps.now(),
      });
      if (!result.ok) {
        if (result.status === 404) throw refusalError(result);
        return refusedForm(req, result, (form) => removeSpamPage(deps, params.login, form));
      }
      const { works, comments, bookmarks } = result.value;
      return redirect(
        userPath(params.login),
        `Hidden as spam: ${pluralize(works, "work")}, ${pluralize(comments, "comment")}, ${pluralize(bookmarks, "bookmark")}. ${params.login} is banned.`,
      );
    },
  });
}
