/**
 * The account named in an address (`/users/:login/…`): every domain's pages about a user
 * find it here, so "no such user" and "not yours" answer the same everywhere.
 */
import type { AppDeps } from "../core/http/route.tsx";
import { forbidden, notFound } from "../core/http/errors.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { accountPolicy } from "./policy.ts";
import { findUserByLogin } from "./queries.ts";

/** The account at `login`, or 404. */
export async function accountOr404(deps: AppDeps, login: string) {
  const account = await findUserByLogin(deps.db, login);
  if (!account) throw notFound("user");
  return account;
}

/**
 * The account at `login` when it is the viewer's own: 404 for nobody, 403 (with `why`, or a
 * general sentence) for anyone else's.
 */
export async function ownAccount(deps: AppDeps, user: ViewerUser, login: string, why?: string) {
  const account = await accountOr404(deps, login);
  if (!accountPolicy.can(user, "manage", { userId: account.id })) {
    throw forbidden(why);
  }
  return account;
}
