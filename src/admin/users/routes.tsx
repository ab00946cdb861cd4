/** /admin/users: find accounts (users.lookup), see one, grant and revoke roles (roles.manage). */
import type { FastifyInstance } from "fastify";
import { accountOr404 } from "../../accounts/lookup.ts";
import { redirect, refusedForm, route, type AppDeps } from "../../core/http/route.tsx";
import { may } from "../../core/permissions.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import { setUserRoles } from "../commands.ts";
import { countAccounts, searchAccounts } from "../queries.ts";
import { AccountParams, AccountSearchQuery, RolesInput } from "../schemas.ts";
import { AccountsView, AccountView, accountPath } from "./views.tsx";

const PER_PAGE = 50;

/** Staff pages name it an account: "Sorry, we couldn't find that account." */
const findAccount = (deps: AppDeps, login: string) => accountOr404(deps, login, "account");

function accountPage(
  deps: AppDeps,
  user: ViewerUser,
  account: Awaited<ReturnType<typeof findAccount>>,
  form: FormState,
) {
  return page(
    `Account: ${account.login}`,
    <AccountView
      account={account}
      now={deps.now()}
      canManageRoles={may(user, "roles.manage")}
      canReadAudit={may(user, "audit.read")}
      form={form}
    />,
  );
}

export function registerAdminUserRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/admin/users",
    auth: "user",
    allow: (u) => may(u, "users.lookup"),
    query: AccountSearchQuery,
    handler: async ({ deps, query }) => {
      const total = await countAccounts(deps.db, query.q);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      const current = Math.min(query.page, pages);
      const accounts = await searchAccounts(deps.db, {
        prefix: query.q,
        limit: PER_PAGE,
        offset: (current - 1) * PER_PAGE,
      });
      return page(
        "Accounts",
        <AccountsView
          q={query.q}
          accounts={accounts}
          total={total}
          page={current}
          pages={pages}
          now={deps.now()}
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/admin/users/:login",
    auth: "user",
    allow: (u) => may(u, "users.lookup"),
    params: AccountParams,
    handler: async ({ deps, user, params }) =>
      accountPage(deps, user, await findAccount(deps, params.login), emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/users/:login/roles",
    auth: "user",
    allow: (u) => may(u, "roles.manage"),
    params: AccountParams,
    body: RolesInput,
    onInvalid: async ({ deps, user, params, body }, errors) =>
      accountPage(deps, user, await findAccount(deps, params.login), { values: body, errors }),
    handler: async ({ req, deps, user, params, body }) => {
      const account = await findAccount(deps, params.login);
      const result = await setUserRoles(deps.db, {
        actor: { id: user.id, login: user.login },
        userId: account.id,
        roles: body.roles,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => accountPage(deps, user, account, form));
      const { before, after } = result.value;
      const flash =
        before.join() === after.join()
          ? `${account.login}'s roles are unchanged.`
          : `${account.login}'s roles are now: ${after.join(", ") || "none"}.`;
      return redirect(accountPath(account.login), flash);
    },
  });
}
