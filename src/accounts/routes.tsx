import type { FastifyInstance } from "fastify";
import { ownAccount } from "./lookup.ts";
import { redirect, route, type AppDeps } from "../core/http/route.tsx";
import { safeReturnTo } from "../core/http/return-to.ts";
import { emptyForm } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import { addPseud, changePassword, logIn, signUp } from "./commands.ts";
import * as q from "./queries.ts";
import {
  ChangePasswordInput,
  LoginInput,
  LoginParams,
  PreferencesInput,
  PseudInput,
  ReturnToQuery,
  SignupInput,
} from "./schemas.ts";
import { endSession, startSession } from "./sessions.ts";
import {
  ChangePasswordView,
  LoginView,
  PreferencesView,
  PseudsView,
  SignupView,
} from "./views.tsx";

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/signup",
    auth: "guest-ok",
    handler: async ({ viewer }) => {
      if (viewer.user) return redirect(`/users/${viewer.user.login}`);
      return page("Create an account", <SignupView form={emptyForm()} />);
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
    limit: { name: "signup", ...deps.config.rateLimits.signups, by: "ip" },
    honeypot: true,
    body: SignupInput,
    onInvalid: (ctx, errors) =>
      page("Create an account", <SignupView form={{ values: ctx.body, errors }} />),
    handler: async ({ req, reply, deps, body }) => {
      const result = await signUp(deps.db, body, deps.config.passwordHashCost, deps.now());
      if (!result.ok) {
        return page(
          "Create an account",
          <SignupView
            form={{ values: { login: body.login, email: body.email }, errors: result.errors }}
          />,
          422,
        );
      }
      await startSession(deps, req, reply, result.value.userId, false);
      return redirect(
        `/users/${body.login}`,
        `Welcome to Fanfold, ${body.login}! Your account is ready.`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/login",
    auth: "guest-ok",
    query: ReturnToQuery,
    handler: async ({ viewer, query }) => {
      if (viewer.user) return redirect(safeReturnTo(query.return_to));
      return page("Log in", <LoginView form={emptyForm({ return_to: query.return_to ?? "" })} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/login",
    auth: "guest-ok",
    body: LoginInput,
    onInvalid: (ctx, errors) => page("Log in", <LoginView form={{ values: ctx.body, errors }} />),
    handler: async ({ req, reply, deps, body }) => {
      const result = await logIn(deps, body, req.ip);
      if (!result.ok) {
        const values = { login: body.login, return_to: body.return_to ?? "" };
        return page(
          "Log in",
          <LoginView form={{ values, errors: result.errors }} />,
          result.status ?? 401,
        );
      }
      await startSession(deps, req, reply, result.value.userId, body.remember_me !== undefined);
      return redirect(safeReturnTo(body.return_to), "Successfully logged in.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/logout",
    auth: "guest-ok",
    handler: async ({ req, reply, deps }) => {
      await endSession(deps, req, reply);
      return redirect("/", "You have logged out.");
    },
  });

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
      const result = await changePassword(deps, account.id, body, req.state.sessionId);
      if (!result.ok) {
        return page(
          "Change password",
          <ChangePasswordView login={account.login} form={{ values: {}, errors: result.errors }} />,
          422,
        );
      }
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
      const form = emptyForm({ view_adult: account.view_adult ? "1" : "" });
      return page("Preferences", <PreferencesView login={account.login} form={form} />);
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
      await q.updatePreferences(deps.db, account.id, { viewAdult: body.view_adult !== undefined });
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
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await addPseud(deps.db, account.id, body, deps.now());
      if (!result.ok) {
        const pseuds = await q.pseudsOfUser(deps.db, account.id);
        const form = {
          values: { name: body.name, description: body.description },
          errors: result.errors,
        };
        return page(
          "Pseuds",
          <PseudsView login={account.login} pseuds={pseuds} form={form} />,
          422,
        );
      }
      return redirect(`/users/${account.login}/pseuds`, `Pseud "${body.name}" was created.`);
    },
  });
}
