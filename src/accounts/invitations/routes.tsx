/**
 * Sign-up by invitation, the public side (issue 13): an invitation's own address, the request
 * queue at AO3's `/invite_requests`, and an account's invitations to share. The sign-up form
 * itself (accounts/routes.tsx) redeems the code; admins' batches are in admin/invitations.
 */
import type { FastifyInstance } from "fastify";
import { HttpError } from "../../core/http/errors.ts";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import { redirect, refusedForm, route, type AppDeps } from "../../core/http/route.tsx";
import { settingsLimit, siteSettings } from "../../core/settings.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import type { ViewerUser } from "../../core/viewer.ts";
import { ownAccount } from "../lookup.ts";
import { LoginParams } from "../schemas.ts";
import { requestInvitation, shareInvitation, type IssuedInvitation } from "./commands.ts";
import * as q from "./queries.ts";
import { InvitationParams, InviteRequestInput, ShareInvitationInput } from "./schemas.ts";
import { InviteRequestAnswerView, InviteRequestView, UserInvitationsView } from "./views.tsx";

export function registerInvitationRoutes(app: FastifyInstance, deps: AppDeps) {
  // AO3's invitation links: the code goes into the sign-up form, which checks it.
  route(app, deps, {
    method: "GET",
    url: "/invitations/:code",
    auth: "guest-ok",
    params: InvitationParams,
    handler: async ({ params }) =>
      redirect(`/signup?invitation=${encodeURIComponent(params.code.trim())}`),
  });

  const requestPage = async (form: FormState) => {
    const settings = await siteSettings(deps.db, deps.config, deps.now());
    const waiting = await q.waitingCount(deps.db);
    return page(
      "Ask for an invitation",
      <InviteRequestView form={form} mode={settings.signupMode} waiting={waiting} />,
    );
  };

  route(app, deps, {
    method: "GET",
    url: "/invite_requests",
    auth: "guest-ok",
    handler: () => requestPage(emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/invite_requests",
    auth: "guest-ok",
    // The sign-up allowance (FANFOLD_LIMIT_SIGNUPS), counted apart: asking is a step before it.
    limit: settingsLimit("invite-request", "signups", "ip"),
    honeypot: true,
    body: InviteRequestInput,
    onInvalid: (ctx, errors) => requestPage({ values: ctx.body, errors }),
    handler: async ({ deps, body }) => {
      const settings = await siteSettings(deps.db, deps.config, deps.now());
      if (settings.signupMode === "open")
        return redirect("/signup", "Sign-up is open: no invitation is needed.");
      if (settings.signupMode === "closed")
        throw new HttpError(403, "Sign-up is closed, so no invitations are being given out.");
      const result = await requestInvitation(deps.db, { email: body.email, now: deps.now() });
      if (!result.ok) throw new HttpError(result.status, "Your request could not be queued.");
      return page("Your request is in the queue", <InviteRequestAnswerView {...result.value} />);
    },
  });

  const invitationsPage = async (
    user: ViewerUser,
    login: string,
    form: FormState,
    issued?: { link: string; email: string | null },
  ) => {
    const account = await ownAccount(deps, user, login);
    const [left, invitations] = await Promise.all([
      q.invitationsLeft(deps.db, account.id),
      q.invitationsCreatedBy(deps.db, account.id),
    ]);
    return page(
      "Invitations",
      <UserInvitationsView
        login={account.login}
        left={left}
        invitations={invitations}
        form={form}
        now={deps.now()}
        {...(issued ? { issued } : {})}
      />,
    );
  };

  route(app, deps, {
    method: "GET",
    url: "/users/:login/invitations",
    auth: "user",
    params: LoginParams,
    handler: ({ user, params }) => invitationsPage(user, params.login, emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/invitations",
    auth: "user",
    // Inviting someone adds to the archive's community: not while suspended.
    contributes: true,
    params: LoginParams,
    body: ShareInvitationInput,
    onInvalid: (ctx, errors) =>
      invitationsPage(ctx.user, ctx.params.login, { values: ctx.body, errors }),
    handler: async ({ req, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const settings = await siteSettings(deps.db, deps.config, deps.now());
      const result = await shareInvitation(deps.db, {
        user: { id: account.id, login: account.login },
        email: body.email,
        baseUrl: publicBaseUrl(deps.config),
        archiveName: settings.archiveName,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => invitationsPage(user, account.login, form));
      const issued: IssuedInvitation = result.value;
      return invitationsPage(user, account.login, emptyForm(), {
        link: issued.link,
        email: body.email,
      });
    },
  });
}
