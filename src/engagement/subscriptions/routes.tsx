/** Subscribe / unsubscribe (work or author), and the owner's list of subscriptions. */
import { recordId, ReturnToInput } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { accountOr404, ownAccount } from "../../accounts/lookup.ts";
import { LoginParams } from "../../accounts/schemas.ts";
import { safeReturnTo } from "../../core/http/return-to.ts";
import { redirect, refusalError, route, type AppDeps } from "../../core/http/route.tsx";
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
      const result = await toggleSubscription(deps.db, {
        userId: user.id,
        followed: { type: "work", loaded },
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        safeReturnTo(body.return_to, `/works/${loaded.work.id}`),
        result.value === "subscribed"
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
      const result = await toggleSubscription(deps.db, {
        userId: user.id,
        followed: { type: "user", id: author.id },
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        safeReturnTo(body.return_to, `/users/${author.login}`),
        result.value === "subscribed"
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
      const result = await unsubscribeById(deps.db, {
        userId: account.id,
        id: params.id,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(`/users/${account.login}/subscriptions`, "Unsubscribed.");
    },
  });
}
