/** Subscribe / unsubscribe (work or author), and the owner's list of subscriptions. */
import { recordId, ReturnToInput } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { accountOr404, ownAccount } from "../../accounts/lookup.ts";
import { LoginParams } from "../../accounts/schemas.ts";
import { safeReturnTo } from "../../core/http/return-to.ts";
import { HttpError, notFound } from "../../core/http/errors.ts";
import { redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { loadWork } from "../../works/load.ts";
import { PageQuery } from "../../core/http/params.ts";
import { WorkParams } from "../../works/schemas.ts";
import { toggleSubscription, unsubscribeById } from "./commands.ts";
import * as q from "./queries.ts";
import { SubscriptionsView } from "./views.tsx";
import { page } from "../../core/views/render.tsx";

const PER_PAGE = 20;
const WRITE_LIMIT = { name: "subscriptions", limit: 120, windowMs: 60 * 60_000 };
const ReturnTo = ReturnToInput;
const ItemParams = LoginParams.extend({ id: recordId("subscription") });

export function registerSubscriptionRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "POST",
    url: "/works/:workId/subscriptions",
    auth: "user",
    limit: WRITE_LIMIT,
    params: WorkParams,
    body: ReturnTo,
    handler: async ({ deps, viewer, user, params, body }) => {
      // Drafts are their creators' alone: anyone else gets the same 404 as for no work.
      const loaded = await loadWork(deps, viewer, params.workId);
      if (loaded.isCreator)
        throw new HttpError(
          422,
          "You can't subscribe to your own work: you already know when it gets a new chapter.",
        );
      const done = await toggleSubscription(
        deps.db,
        user.id,
        { type: "work", id: loaded.work.id },
        deps.now(),
      );
      return redirect(
        safeReturnTo(body.return_to, `/works/${loaded.work.id}`),
        done === "subscribed"
          ? `You are now subscribed to ${loaded.work.title}: you'll be notified of new chapters.`
          : `You have unsubscribed from ${loaded.work.title}.`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/subscriptions",
    auth: "user",
    limit: WRITE_LIMIT,
    params: LoginParams,
    body: ReturnTo,
    handler: async ({ deps, user, params, body }) => {
      const author = await accountOr404(deps, params.login);
      if (author.id === user.id) throw new HttpError(422, "You can't subscribe to yourself.");
      const done = await toggleSubscription(
        deps.db,
        user.id,
        { type: "user", id: author.id },
        deps.now(),
      );
      return redirect(
        safeReturnTo(body.return_to, `/users/${author.login}`),
        done === "subscribed"
          ? `You are now subscribed to ${author.login}: you'll be notified of their new works and chapters.`
          : `You have unsubscribed from ${author.login}.`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/subscriptions",
    auth: "user",
    params: LoginParams,
    query: PageQuery,
    handler: async ({ deps, user, params, query }) => {
      const account = await ownAccount(deps, user, params.login);
      const total = await q.countSubscriptions(deps.db, account.id);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      const current = Math.min(query.page, pages);
      const items = await q.subscriptionsPage(deps.db, account.id, {
        offset: (current - 1) * PER_PAGE,
        limit: PER_PAGE,
      });
      return page(
        "Subscriptions",
        <SubscriptionsView login={account.login} items={items} page={current} pages={pages} />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/subscriptions/:id/delete",
    auth: "user",
    params: ItemParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      if (!(await unsubscribeById(deps.db, account.id, params.id, deps.now())))
        throw notFound("subscription");
      return redirect(`/users/${account.login}/subscriptions`, "Unsubscribed.");
    },
  });
}
