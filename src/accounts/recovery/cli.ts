/** `fanfold user reset-link LOGIN`: a password reset link for the operator to pass on. */
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/index.ts";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import { findUserByLogin } from "../queries.ts";
import { createResetLink, TOKEN_LIFETIME } from "./commands.ts";

/** Prints the link (or why there is none, exit status 2). Nothing is mailed. */
export async function printResetLink(db: Db, config: Config, login: string | undefined) {
  if (!login) {
    console.error("usage: user reset-link LOGIN");
    process.exitCode = 2;
    return;
  }
  const user = await findUserByLogin(db, login);
  if (!user) {
    console.error(`No user named "${login}".`);
    process.exitCode = 2;
    return;
  }
  const link = await createResetLink(db, {
    userId: user.id,
    now: Date.now(),
    base: publicBaseUrl(config),
  });
  const minutes = TOKEN_LIFETIME["reset-password"] / 60_000;
  console.log(`Password reset link for ${user.login} (works once, for ${minutes} minutes):`);
  console.log(link);
}
