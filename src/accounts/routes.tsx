import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { ownAccount } from "./lookup.ts";
import {
  json,
  redirect,
  refusedForm,
  route,
  type AppDeps,
  type HandlerResult,
} from "../core/http/route.tsx";
import { safeReturnTo } from "../core/http/return-to.ts";
import { HttpError } from "../core/http/errors.ts";
import { settingsLimit, siteSettings } from "../core/settings.ts";
import { emptyForm, str, type FormState } from "../core/views/forms.tsx";
import { page, type Page } from "../core/views/render.tsx";
import { invitationProblem, INVITATION_MESSAGES } from "./invitations/commands.ts";
import { SignupPageQuery } from "./invitations/schemas.ts";
import { addPseud, changePassword, logIn, signUp } from "./commands.ts";
import { mailConfirmationAfterSignUp } from "./recovery/register.ts";
import * as q from "./queries.ts";
import {
  Ao3LoginInput,
  ChangePasswordInput,
  fromAo3Login,
  isRestrictedNotice,
  LoginInput,
  LoginPageQuery,
  LoginParams,
  PreferencesInput,
  PseudInput,
  SignupInput,
} from "./schemas.ts";
import { endSession, startSession } from "./sessions.ts";
import {
  ChangePasswordView,
  LoginView,
  LogoutConfirmView,
  PreferencesView,
  PseudsView,
  SignupView,
} from "./views.tsx";

/**
 * The one log-in behind both forms: the limiter and the password check (commands.ts `logIn`),
 * then a fresh session, 30 days when "remember me" was ticked, and the reader sent back to
 * `return_to` if it is on this archive. A refusal shows the form again with its status, filled
 * from the parsed input (not refusedForm's raw fields), as AO3's form names its fields `user[…]`.
 */
async function completeLogIn(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  body: LoginInput,
): Promise<HandlerResult> {
  const result = await logIn(deps.db, {
    login: body.login,
    password: body.password,
    ip: req.ip,
    limiter: deps.limiter,
    hashCost: deps.config.passwordHashCost,
  });
  if (!result.ok) {
    const values = {
      login: body.login,
      return_to: body.return_to ?? "",
      remember_me: body.remember_me ? "1" : "",
    };
    return page("Log in", <LoginView form={{ values, errors: result.errors }} />, result.status);
  }
  await startSession(deps, req, reply, result.value.userId, body.remember_me);
  return redirect(safeReturnTo(body.return_to), "Successfully logged in.");
}

const SIGNUP_CLOSED = "Sign-up is closed: this archive is not taking new accounts.";

/**
 * The sign-up page as the site settings shape it (issue 13): closed, by invitation (without a
 * code it explains where to ask for one) or open, with the minimum age in the terms box.
 * `checkCode`: say at once what is wrong with the invitation in the link; `posted`: a form
 * sent while sign-up is closed is refused.
 */
async function signupPage(
  deps: AppDeps,
  form: FormState,
  opts: { checkCode?: boolean; posted?: boolean } = {},
): Promise<Page> {
  const settings = await siteSettings(deps.db, deps.config, deps.now());
  if (opts.posted && settings.signupMode === "closed") throw new HttpError(403, SIGNUP_CLOSED);
  const code = str(form.values, "invitation");
  if (opts.checkCode && settings.signupMode === "invitation" && code !== "") {
    const problem = await invitationProblem(deps.db, code, deps.now());
    if (problem)
      form = { ...form, errors: { ...form.errors, invitation: INVITATION_MESSAGES[problem] } };
  }
  const gate = { mode: settings.signupMode, minimumAge: settings.minimumAge };
  return page("Create an account", <SignupView form={form} gate={gate} />);
}

/** What other domains add to the preferences page (feeds: the personal feed address). */
export type PreferencesAddOn = (
  deps: AppDeps,
  account: { id: number; login: string },
) => Promise<VNode>;

export function registerAccountRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  opts: { preferences?: PreferencesAddOn[] } = {},
) {
  route(app, deps, {
    method: "GET",
    url: "/signup",
    auth: "guest-ok",
    query: SignupPageQuery,
    handler: async ({ viewer, deps, query }) => {
      if (viewer.user) return redirect(`/users/${viewer.user.login}`);
      const code = query.invitation?.trim() ?? "";
      return signupPage(deps, emptyForm(code ? { invitation: code } : {}), { checkCode: true });
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/signup",
    auth: "guest-ok",
    // A repeat may come from a browser that never got the session cookie.
    oncePerSubmission: {
      repeated: "Your account was already created. Please log in if you are not logged in yet.",
    },
    limit: settingsLimit("signup", "signups", "ip"),
    honeypot: true,
    body: SignupInput,
    onInvalid: (ctx, errors) =>
      signupPage(ctx.deps, { values: ctx.body, errors }, { posted: true }),
    handler: async ({ req, reply, deps, body }) => {
      const settings = await siteSettings(deps.db, deps.config, deps.now());
      if (settings.signupMode === "closed") throw new HttpError(403, SIGNUP_CLOSED);
      const result = await signUp(deps.db, {
        login: body.login,
        email: body.email,
        password: body.password,
        hashCost: deps.config.passwordHashCost,
        now: deps.now(),
        // The form's required box; the schema refused the sign-up without it.
        acceptedTerms: true,
        ...(settings.signupMode === "invitation" ? { invitation: body.invitation ?? "" } : {}),
      });
      if (!result.ok) return refusedForm(req, result, (form) => signupPage(deps, form));
      await startSession(deps, req, reply, result.value.userId, false);
      await mailConfirmationAfterSignUp(deps, result.value.userId);
      return redirect(
        `/users/${body.login}`,
        `Welcome to Fanfold, ${body.login}! Your account is ready.`,
      );
    },
  });

  // `/users/login` is AO3's address for the same page: tools written for AO3 and a restricted
  // work's redirect (`?restricted=true&return_to=…`) come here.
  for (const url of ["/login", "/users/login"]) {
    route(app, deps, {
      method: "GET",
      url,
      auth: "guest-ok",
      query: LoginPageQuery,
      handler: async ({ viewer, query }) => {
        if (viewer.user) return redirect(safeReturnTo(query.return_to));
        const form = emptyForm({ return_to: query.return_to ?? "" });
        return page("Log in", <LoginView form={form} restricted={isRestrictedNotice(query)} />);
      },
    });
  }

  route(app, deps, {
    method: "POST",
    url: "/login",
    auth: "guest-ok",
    body: LoginInput,
    onInvalid: (ctx, errors) => page("Log in", <LoginView form={{ values: ctx.body, errors }} />),
    handler: ({ req, reply, deps, body }) => completeLogIn(deps, req, reply, body),
  });

  // AO3's log-in, as Devise takes it: `user[login]`, `user[password]`, `user[remember_me]` and
  // the CSRF token as `authenticity_token` (from /token_dispenser.json). A bad field answers
  // 400 naming it (`user[login]`), for the tool's log; a wrong password shows the form, 401.
  route(app, deps, {
    method: "POST",
    url: "/users/login",
    auth: "guest-ok",
    body: Ao3LoginInput,
    handler: ({ req, reply, deps, body }) => completeLogIn(deps, req, reply, fromAo3Login(body)),
  });

  // AO3's token dispenser: the CSRF token of this client (bound to its cookie, so a page on
  // another site can neither read it nor use one of its own), for tools that log in.
  route(app, deps, {
    method: "GET",
    url: "/token_dispenser.json",
    auth: "guest-ok",
    handler: async ({ req, reply }) => {
      reply.header("cache-control", "no-store");
      return json({ token: req.state.csrfToken });
    },
  });

  // Logging out changes state, so a link (AO3's "Log Out", `/users/logout`) only asks; the
  // form it shows posts. `/users/logout` takes the post too, as AO3's own form sends it there.
  route(app, deps, {
    method: "GET",
    url: "/users/logout",
    auth: "guest-ok",
    handler: async ({ viewer }) => {
      if (!viewer.user) return redirect("/", "You are not logged in.");
      return page("Log out", <LogoutConfirmView />);
    },
  });

  for (const url of ["/logout", "/users/logout"]) {
    route(app, deps, {
      method: "POST",
      url,
      auth: "guest-ok",
      handler: async ({ req, reply, deps }) => {
        await endSession(deps, req, reply);
        return redirect("/", "You have logged out.");
      },
    });
  }

  route(app, deps, {
    method: "GET",
    url: "/users/:login/password",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      return page(
        "Change password",
        <ChangePasswordView login={account.login} form={emptyForm()} />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/password",
    auth: "user",
    params: LoginParams,
    body: ChangePasswordInput,
    onInvalid: (ctx, errors) =>
      page(
        "Change password",
        <ChangePasswordView login={ctx.params.login} form={{ values: {}, errors }} />,
      ),
    handler: async ({ req, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await changePassword(deps.db, {
        ...body,
        userId: account.id,
        keepSessionId: req.state.sessionId,
        hashCost: deps.config.passwordHashCost,
      });
      if (!result.ok)
        return refusedForm(req, result, (form) =>
          page("Change password", <ChangePasswordView login={account.login} form={form} />),
        );
      return redirect(`/users/${account.login}/preferences`, "Your password has been changed.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/preferences",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const form = emptyForm({
        view_adult: account.view_adult ? "1" : "",
        history_enabled: account.history_enabled ? "1" : "",
        allow_cocreator: account.allow_cocreator ? "1" : "",
        allow_gifts: account.allow_gifts ? "1" : "",
      });
      const unconfirmedEmail = account.email_confirmed_at === null ? account.email : undefined;
      const addOns = await Promise.all((opts.preferences ?? []).map((add) => add(deps, account)));
      return page(
        "Preferences",
        <PreferencesView
          login={account.login}
          form={form}
          unconfirmedEmail={unconfirmedEmail}
          addOns={addOns}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/preferences",
    auth: "user",
    params: LoginParams,
    body: PreferencesInput,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      await q.updatePreferences(deps.db, account.id, {
        viewAdult: body.view_adult !== undefined,
        historyEnabled: body.history_enabled !== undefined,
        allowCocreator: body.allow_cocreator !== undefined,
        allowGifts: body.allow_gifts !== undefined,
      });
      return redirect(`/users/${account.login}/preferences`, "Your preferences were saved.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/pseuds",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const pseuds = await q.pseudsOfUser(deps.db, account.id);
      return page(
        "Pseuds",
        <PseudsView login={account.login} pseuds={pseuds} form={emptyForm()} />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/pseuds",
    auth: "user",
    oncePerSubmission: true,
    params: LoginParams,
    body: PseudInput,
    onInvalid: async (ctx, errors) => {
      const account = await ownAccount(ctx.deps, ctx.user, ctx.params.login);
      const pseuds = await q.pseudsOfUser(ctx.deps.db, account.id);
      return page(
        "Pseuds",
        <PseudsView login={account.login} pseuds={pseuds} form={{ values: ctx.body, errors }} />,
      );
    },
    handler: async ({ req, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await addPseud(deps.db, { ...body, userId: account.id, now: deps.now() });
      if (!result.ok) {
        const pseuds = await q.pseudsOfUser(deps.db, account.id);
        return refusedForm(req, result, (form) =>
          page("Pseuds", <PseudsView login={account.login} pseuds={pseuds} form={form} />),
        );
      }
      return redirect(`/users/${account.login}/pseuds`, `Pseud "${body.name}" was created.`);
    },
  });
}
