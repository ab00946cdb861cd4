/** The inbox (/users/:login/inbox) and notification email preferences; owner only. */
import { recordId, ReturnToInput } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { ownAccount } from "../../accounts/lookup.ts";
import { z } from "zod";
import { LoginParams } from "../../accounts/schemas.ts";
import { returnWithin } from "../../core/http/return-to.ts";
import type { NotificationKind } from "../../core/db/schema.ts";
import { notFound } from "../../core/http/errors.ts";
import { redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { emptyForm } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import { PageQuery } from "../../core/http/params.ts";
import { presentInbox } from "./present.ts";
import * as q from "./queries.ts";
import { InboxView, NotificationPreferencesView } from "./views.tsx";

const KINDS: readonly NotificationKind[] = [
  "new_chapter",
  "new_work",
  "comment",
  "reply",
  "kudos",
  "creator_invitation",
  "gift",
  "related_work",
  "collection",
];
const PER_PAGE = 20;

const InboxQuery = PageQuery.extend({
  filter: z.enum(["all", "unread"], { message: 'must be "all" or "unread"' }).default("all"),
});
const ItemParams = LoginParams.extend({ id: recordId("notification") });
const ReturnTo = ReturnToInput;
const PreferencesInput = z.object(
  Object.fromEntries(KINDS.map((k) => [k, z.string().max(10).optional()])) as Record<
    NotificationKind,
    z.ZodOptional<z.ZodString>
  >,
);

/** Back to the inbox page the form was on (only the owner's inbox). */
const backToInbox = (login: string, returnTo: string | undefined) =>
  returnWithin(returnTo, `/users/${login}/inbox`);

export function registerNotificationRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/inbox",
    auth: "user",
    params: LoginParams,
    query: InboxQuery,
    handler: async ({ deps, user, params, query }) => {
      const account = await ownAccount(deps, user, params.login);
      const unreadOnly = query.filter === "unread";
      const [total, unread] = await Promise.all([
        q.countInbox(deps.db, account.id, unreadOnly),
        q.countUnread(deps.db, account.id),
      ]);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      const current = Math.min(query.page, pages);
      const rows = await q.inboxPage(deps.db, account.id, {
        unreadOnly,
        offset: (current - 1) * PER_PAGE,
        limit: PER_PAGE,
      });
      const items = presentInbox(rows, user.exclusions.userIds);
      return page(
        unread > 0 ? `Inbox (${unread})` : "Inbox",
        <InboxView
          login={account.login}
          items={items}
          unreadOnly={unreadOnly}
          unread={unread}
          page={current}
          pages={pages}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/inbox/read-all",
    auth: "user",
    params: LoginParams,
    body: ReturnTo,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const n = await q.markAllRead(deps.db, account.id, deps.now());
      return redirect(
        backToInbox(account.login, body.return_to),
        n === 0 ? "Nothing was unread." : `Marked ${n} as read.`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/inbox/:id/read",
    auth: "user",
    params: ItemParams,
    body: ReturnTo,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      if (!(await q.markRead(deps.db, account.id, params.id, deps.now())))
        throw notFound("notification");
      return redirect(backToInbox(account.login, body.return_to), "Marked as read.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/inbox/:id/unread",
    auth: "user",
    params: ItemParams,
    body: ReturnTo,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      if (!(await q.markUnread(deps.db, account.id, params.id))) throw notFound("notification");
      return redirect(backToInbox(account.login, body.return_to), "Marked as unread.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/inbox/:id/delete",
    auth: "user",
    params: ItemParams,
    body: ReturnTo,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      if (!(await q.deleteNotification(deps.db, account.id, params.id)))
        throw notFound("notification");
      return redirect(backToInbox(account.login, body.return_to), "Notification deleted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/preferences/notifications",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const off = new Set(await q.emailOffKinds(deps.db, account.id));
      const form = emptyForm(Object.fromEntries(KINDS.map((k) => [k, off.has(k) ? "" : "1"])));
      return page(
        "Notification emails",
        <NotificationPreferencesView
          login={account.login}
          form={form}
          kinds={KINDS}
          mailConfigured={deps.config.smtpUrl !== undefined}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/preferences/notifications",
    auth: "user",
    params: LoginParams,
    body: PreferencesInput,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      await deps.db.transaction().execute(async (tx) => {
        for (const kind of KINDS)
          await q.setEmailPreference(tx, account.id, kind, Boolean(body[kind]));
      });
      return redirect(
        `/users/${account.login}/preferences/notifications`,
        "Your email preferences were saved.",
      );
    },
  });
}
