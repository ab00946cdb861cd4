/**
 * Account recovery's pages, at AO3's addresses where AO3 has them: "Forgot your password?"
 * (`/users/password/new`), the reset form (`/users/password/edit?reset_password_token=…`),
 * e-mail confirmation, and the account's own "Change email" and "Change username".
 */
import type { FastifyInstance } from "fastify";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import { redirect, refusedForm, route, type AppDeps } from "../../core/http/route.tsx";
import { emptyForm, str, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import { refusalMessage } from "../../core/result.ts";
import { ownAccount } from "../lookup.ts";
import { LoginParams } from "../schemas.ts";
import {
  changeUsername,
  confirmEmail,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  resetTokenIsLive,
  sendEmailConfirmation,
} from "./commands.ts";
import {
  ChangeEmailInput,
  ChangeUsernameInput,
  ConfirmEmailQuery,
  ForgotPasswordInput,
  ResetPageQuery,
  ResetPasswordInput,
} from "./schemas.ts";
import {
  ChangeEmailView,
  ChangeUsernameView,
  DeadLinkView,
  ForgotPasswordView,
  RESET_REQUESTED,
  ResetPasswordView,
} from "./views.tsx";

const HOUR = 60 * 60 * 1000;
const DEAD_LINK = "This link has expired or was already used.";

type Account = Awaited<ReturnType<typeof ownAccount>>;

const emailPage = (account: Account, form: FormState) =>
  page(
    "Change email",
    <ChangeEmailView
      login={account.login}
      email={account.email}
      confirmed={account.email_confirmed_at !== null}
      form={form}
    />,
  );

const usernamePage = (account: Account, form: FormState) =>
  page("Change username", <ChangeUsernameView login={account.login} form={form} />);

export function registerRecoveryRoutes(app: FastifyInstance, deps: AppDeps) {
  const base = () => publicBaseUrl(deps.config);

  route(app, deps, {
    method: "GET",
    url: "/users/password/new",
    auth: "guest-ok",
    handler: async () => page("Forgot your password?", <ForgotPasswordView form={emptyForm()} />),
  });

  route(app, deps, {
    method: "POST",
    url: "/users/password/new",
    auth: "guest-ok",
    limit: { name: "password-reset-request", limit: 10, windowMs: HOUR, by: "ip" },
    body: ForgotPasswordInput,
    onInvalid: (ctx, errors) =>
      page("Forgot your password?", <ForgotPasswordView form={{ values: ctx.body, errors }} />),
    handler: async ({ req, deps, body }) => {
      const result = await requestPasswordReset(deps.db, {
        login: body.login,
        now: deps.now(),
        base: base(),
        limiter: deps.limiter,
      });
      if (!result.ok)
        return refusedForm(req, result, (form) =>
          page("Forgot your password?", <ForgotPasswordView form={form} />),
        );
      return redirect("/login", RESET_REQUESTED);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/password/edit",
    auth: "guest-ok",
    query: ResetPageQuery,
    handler: async ({ reply, deps, query }) => {
      reply.header("cache-control", "no-store");
      const token = query.reset_password_token ?? "";
      if (!token || !(await resetTokenIsLive(deps.db, token, deps.now())))
        return page("Reset your password", <DeadLinkView message={DEAD_LINK} />, 404);
      return page("Choose a new password", <ResetPasswordView token={token} form={emptyForm()} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/password/edit",
    auth: "guest-ok",
    limit: { name: "password-reset", limit: 20, windowMs: HOUR, by: "ip" },
    body: ResetPasswordInput,
    onInvalid: (ctx, errors) =>
      page(
        "Choose a new password",
        <ResetPasswordView
          token={str(ctx.body, "reset_password_token")}
          form={{ values: {}, errors }}
        />,
      ),
    handler: async ({ req, deps, body }) => {
      const result = await resetPassword(deps.db, {
        token: body.reset_password_token,
        password: body.password,
        hashCost: deps.config.passwordHashCost,
        now: deps.now(),
      });
      if (!result.ok) {
        if (result.status === 404)
          return page(
            "Reset your password",
            <DeadLinkView message={refusalMessage(result)} />,
            404,
          );
        return refusedForm(req, result, (form) =>
          page(
            "Choose a new password",
            <ResetPasswordView token={body.reset_password_token} form={form} />,
          ),
        );
      }
      return redirect(
        "/login",
        "Your password has been changed and your account was logged out everywhere. Please log in with your new password.",
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/confirm-email",
    auth: "guest-ok",
    query: ConfirmEmailQuery,
    handler: async ({ reply, deps, viewer, query }) => {
      reply.header("cache-control", "no-store");
      const result = await confirmEmail(deps.db, { token: query.token ?? "", now: deps.now() });
      if (!result.ok)
        return page(
          "Confirm your email",
          <DeadLinkView message={refusalMessage(result)} />,
          result.status,
        );
      const { login, changed } = result.value;
      const flash = changed
        ? "Your new email address is confirmed and is now the address of your account."
        : "Thank you: your email address is confirmed.";
      return redirect(viewer.user?.login === login ? `/users/${login}/preferences` : "/", flash);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/confirm-email/resend",
    auth: "user",
    limit: { name: "confirm-email-resend", limit: 3, windowMs: HOUR, by: "viewer" },
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await sendEmailConfirmation(deps.db, {
        userId: account.id,
        now: deps.now(),
        base: base(),
      });
      const back = `/users/${account.login}/preferences`;
      if (!result.ok) return redirect(back, refusalMessage(result));
      return redirect(back, `We've sent a new confirmation link to ${account.email}.`);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/email",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      return emailPage(account, emptyForm());
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/email",
    auth: "user",
    limit: { name: "email-change", limit: 5, windowMs: HOUR, by: "viewer" },
    params: LoginParams,
    body: ChangeEmailInput,
    onInvalid: async (ctx, errors) => {
      const account = await ownAccount(ctx.deps, ctx.user, ctx.params.login);
      return emailPage(account, { values: { email: str(ctx.body, "email") }, errors });
    },
    handler: async ({ req, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await requestEmailChange(deps.db, {
        userId: account.id,
        email: body.email,
        currentPassword: body.current_password,
        now: deps.now(),
        base: base(),
      });
      if (!result.ok) return refusedForm(req, result, (form) => emailPage(account, form));
      return redirect(
        `/users/${account.login}/preferences`,
        `We've sent a link to ${result.value.email}. Your email address changes once you follow it.`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/username",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      return usernamePage(account, emptyForm());
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/username",
    auth: "user",
    limit: { name: "username-change", limit: 5, windowMs: 24 * HOUR, by: "viewer" },
    params: LoginParams,
    body: ChangeUsernameInput,
    onInvalid: async (ctx, errors) => {
      const account = await ownAccount(ctx.deps, ctx.user, ctx.params.login);
      return usernamePage(account, { values: { login: str(ctx.body, "login") }, errors });
    },
    handler: async ({ req, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await changeUsername(deps.db, {
        userId: account.id,
        login: body.login,
        currentPassword: body.current_password,
        now: deps.now(),
      });
      if (!result.ok) return refusedForm(req, result, (form) => usernamePage(account, form));
      return redirect(
        `/users/${result.value.login}/preferences`,
        `Your username is now ${result.value.login}.`,
      );
    },
  });
}
