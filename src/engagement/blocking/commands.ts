/** Blocking a user by name: checks and messages (the rule itself lives in queries.ts). */
import { findUserByLogin } from "../../accounts/queries.ts";
import type { Queryable } from "../../core/db/index.ts";
import { limits } from "../../core/limits.ts";
import * as q from "./queries.ts";

export type BlockOutcome =
  { ok: true; message: string } | { ok: false; field: "login"; message: string };

export async function blockUserByLogin(
  db: Queryable,
  userId: number,
  login: string,
  now: number,
): Promise<BlockOutcome> {
  const other = await findUserByLogin(db, login);
  if (!other) return { ok: false, field: "login", message: `There is no user named "${login}".` };
  if (other.id === userId)
    return { ok: false, field: "login", message: "You can't block yourself." };
  if (await q.isBlocked(db, userId, other.id))
    return { ok: true, message: `${other.login} is already blocked.` };
  if ((await q.countBlocked(db, userId)) >= limits.blockedUsers) {
    return {
      ok: false,
      field: "login",
      message: `You can block at most ${limits.blockedUsers.toLocaleString("en-US")} users; unblock one first.`,
    };
  }
  await q.blockUser(db, userId, other.id, now);
  return {
    ok: true,
    message: `${other.login} is blocked: they can no longer comment on or leave kudos on your works, nor reply to your comments.`,
  };
}
