/**
 * `/admin/invitations` (issue 13): the request queue, sending the next N their invitations,
 * and giving every account more to share. Admins only (`invitations.manage`).
 */
import type { FastifyInstance } from "fastify";
import * as q from "../../accounts/invitations/queries.ts";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { may } from "../../core/permissions.ts";
import { siteSettings } from "../../core/settings.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { pluralize } from "../../core/views/format.ts";
import { page } from "../../core/views/render.tsx";
import { grantInvitations, sendInvitationBatch } from "./commands.ts";
import { GrantInput, SendBatchInput } from "./schemas.ts";
import { AdminInvitationsView } from "./views.tsx";

const QUEUE_SHOWN = 200;
const allow = (user: Parameters<typeof may>[0]) => may(user, "invitations.manage");

export function registerAdminInvitationRoutes(app: FastifyInstance, deps: AppDeps) {
  const adminPage = async (forms: { send?: FormState; grant?: FormState } = {}) => {
    const settings = await siteSettings(deps.db, deps.config, deps.now());
    const [waiting, queue] = await Promise.all([
      q.waitingCount(deps.db),
      q.waitingRequests(deps.db, QUEUE_SHOWN),
    ]);
    return page(
      "Invitations",
      <AdminInvitationsView
        mode={settings.signupMode}
        waiting={waiting}
        queue={queue}
        sendForm={forms.send ?? emptyForm({ count: "10" })}
        grantForm={forms.grant ?? emptyForm({ count: "1" })}
      />,
    );
  };

  route(app, deps, {
    method: "GET",
    url: "/admin/invitations",
    auth: "user",
    allow,
    handler: () => adminPage(),
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/invitations/send",
    auth: "user",
    allow,
    oncePerSubmission: true,
    body: SendBatchInput,
    onInvalid: (ctx, errors) => adminPage({ send: { values: ctx.body, errors } }),
    handler: async ({ req, deps, user, body }) => {
      const settings = await siteSettings(deps.db, deps.config, deps.now());
      const result = await sendInvitationBatch(deps.db, {
        admin: { id: user.id, login: user.login },
        count: body.count,
        baseUrl: publicBaseUrl(deps.config),
        archiveName: settings.archiveName,
        now: deps.now(),
      });
      if (!result.ok) return refusedForm(req, result, (send) => adminPage({ send }));
      return redirect(
        "/admin/invitations",
        `${pluralize(result.value.sent, "invitation")} sent (queued for email).`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/invitations/grant",
    auth: "user",
    allow,
    oncePerSubmission: true,
    body: GrantInput,
    onInvalid: (ctx, errors) => adminPage({ grant: { values: ctx.body, errors } }),
    handler: async ({ deps, user, body }) => {
      const result = await grantInvitations(deps.db, {
        admin: { id: user.id, login: user.login },
        count: body.count,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        "/admin/invitations",
        `${pluralize(result.value.accounts, "account")} got ${pluralize(body.count, "more invitation", "more invitations")}.`,
      );
    },
  });
}
