/** Blocking a user by name: its checks and refusals (the rule itself lives in queries.ts). */
import { findUserByLogin } from "../../accounts/queries.ts";
import type { Db } from "../../core/db/index.ts";
import { limits } from "../../core/limits.ts";
import { ok, refuse, type Result } from "../../core/result.ts";
import * as q from "./queries.ts";

/**
 * Blocks a user by name. Blocking someone already blocked is no error: `already` says so.
 * One write after its checks, so no transaction.
 */
export async function blockUserByLogin(
  db: Db,
  args: { userId: number; login: string; now: number },
): Promise<Result<{ login: string; already: boolean }>> {
  const { userId, login, now } = args;
  const other = await findUserByLogin(db, login);
  if (!other) return refuse(422, `There is no user named "${login}".`, "login");
  if (other.id === userId) return refuse(422, "You can't block yourself.", "login");
  if (await q.isBlocked(db, userId, other.id)) return ok({ login: other.login, already: true });
  if ((await q.countBlocked(db, userId)) >= limits.blockedUsers) {
    const most = limits.blockedUsers.toLocaleString("en-US");
    return refuse(422, `You can block at most ${most} users; unblock one first.`, "login");
  }
  await q.blockUser(db, userId, other.id, now);
  return ok({ login: other.login, already: false });
}
