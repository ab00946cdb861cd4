/**
 * The account named in an address (`/users/:login/…`): every domain's pages about a user
 * find it here, so "no such user" and "not yours" answer the same everywhere.
 */
import type { AppDeps } from "../core/http/route.tsx";
import { forbidden, notFound } from "../core/http/errors.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { accountPolicy } from "./policy.ts";
import { findPseud, findUserByLogin } from "./queries.ts";

/** The account at `login`, or 404 ("that user", or `what` where staff say "account"). */
export async function accountOr404(deps: AppDeps, login: string, what = "user") {
  const account = await findUserByLogin(deps.db, login);
  if (!account) throw notFound(what);
  return account;
}

/**
 * The pseud at `/users/:login/pseuds/:pseud`, or 404, with the name pages and feeds show for
 * it: the login alone for the default-named pseud, else "Pseud (login)".
 */
export async function pseudOr404(deps: AppDeps, login: string, pseudName: string) {
  const user = await accountOr404(deps, login);
  const pseud = await findPseud(deps.db, user.id, pseudName);
  if (!pseud) throw notFound("pseud");
  const name = pseud.name === user.login ? user.login : `${pseud.name} (${user.login})`;
  return { user, pseud, name };
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
