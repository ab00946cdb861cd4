import type { AppDeps } from "../core/http/route.tsx";
import type { Db } from "../core/db/index.ts";
import { limits } from "../core/limits.ts";
import type { HashCost } from "./passwords.ts";
import { dummyVerify, hashPassword, verifyPassword } from "./passwords.ts";
import * as q from "./queries.ts";
import type { ChangePasswordInput, SignupInput } from "./schemas.ts";

export type Result<T> =
  { ok: true; value: T } | { ok: false; errors: Record<string, string>; status?: number };

/** Creates the account and its default pseud (the pen name equal to the username). */
export async function signUp(
  db: Db,
  input: Pick<SignupInput, "login" | "email" | "password">,
  cost: HashCost,
  now: number,
): Promise<Result<{ userId: number; pseudId: number }>> {
  const passwordHash = await hashPassword(input.password, cost);
  return db.transaction().execute(async (tx) => {
    if (await q.findUserByLogin(tx, input.login)) {
      return { ok: false, errors: { login: "That username is taken. Please choose another." } };
    }
    const userId = await q.insertUser(tx, {
      login: input.login,
      email: input.email,
      passwordHash,
      now,
    });
    const pseudId = await q.insertPseud(tx, { userId, name: input.login, isDefault: true, now });
    return { ok: true, value: { userId, pseudId } };
  });
}

const WINDOW = 15 * 60 * 1000;
export const LOGIN_LIMITS = { perAccount: 10, perIp: 50, windowMs: WINDOW };

/**
 * Checks a login; failed attempts are counted per account and per IP so that neither one
 * account nor one address can be guessed at quickly.
 */
export async function logIn(
  deps: AppDeps,
  input: { login: string; password: string },
  ip: string,
): Promise<Result<{ userId: number }>> {
  const accountKey = `login-fail:account:${input.login.toLowerCase()}`;
  const ipKey = `login:ip:${ip}`;
  const ipDecision = await deps.limiter.hit(ipKey, LOGIN_LIMITS.perIp, WINDOW);
  const accountDecision = await deps.limiter.peek(accountKey, LOGIN_LIMITS.perAccount);
  if (!ipDecision.allowed || !accountDecision.allowed) {
    const wait = Math.ceil(Math.max(ipDecision.retryAfter, accountDecision.retryAfter) / 60);
    return {
      ok: false,
      status: 429,
      errors: {
        _form: `Too many login attempts. Please wait ${wait} minute${wait === 1 ? "" : "s"} and try again.`,
      },
    };
  }
  const user = input.login.includes("@")
    ? await q.findUserByEmail(deps.db, input.login)
    : await q.findUserByLogin(deps.db, input.login);
  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await dummyVerify(input.password, deps.config.passwordHashCost);
  if (!user || !valid) {
    await deps.limiter.hit(accountKey, LOGIN_LIMITS.perAccount, WINDOW);
    return {
      ok: false,
      status: 401,
      errors: { _form: "The username or password you entered doesn't match our records." },
    };
  }
  await deps.limiter.reset(accountKey);
  return { ok: true, value: { userId: user.id } };
}

export async function changePassword(
  deps: AppDeps,
  userId: number,
  input: ChangePasswordInput,
  keepSessionId: string | null,
): Promise<Result<null>> {
  const user = await q.findUserById(deps.db, userId);
  if (!user || !(await verifyPassword(user.password_hash, input.current_password))) {
    return { ok: false, errors: { current_password: "Your current password is not correct." } };
  }
  const passwordHash = await hashPassword(input.password, deps.config.passwordHashCost);
  await deps.db.transaction().execute(async (tx) => {
    await q.updatePasswordHash(tx, userId, passwordHash);
    // Anyone else holding a session loses it when the password changes.
    await q.deleteOtherSessions(tx, userId, keepSessionId);
  });
  return { ok: true, value: null };
}

export async function addPseud(
  db: Db,
  userId: number,
  input: { name: string; description: string },
  now: number,
): Promise<Result<{ pseudId: number }>> {
  return db.transaction().execute(async (tx) => {
    if (await q.findPseud(tx, userId, input.name)) {
      return { ok: false, errors: { name: "You already have a pseud with that name." } };
    }
    const existing = await q.pseudsOfUser(tx, userId);
    if (existing.length >= limits.pseudsPerUser)
      return { ok: false, errors: { name: "You have the maximum number of pseuds." } };
    const pseudId = await q.insertPseud(tx, {
      userId,
      name: input.name,
      isDefault: false,
      description: input.description,
      now,
    });
    return { ok: true, value: { pseudId } };
  });
}
