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
    const userId = await q.insertUserUnlessTaken(tx, {
      login: input.login,
      email: input.email,
      passwordHash,
      now,
    });
    // The unique indexes refused it: say which of the two is taken (both, if both are).
    if (userId === undefined) return { ok: false, errors: await takenErrors(tx, input) };
    const pseudId = await q.insertPseud(tx, { userId, name: input.login, isDefault: true, now });
    return { ok: true, value: { userId, pseudId } };
  });
}

const TAKEN = {
  login: "That username is taken. Please choose another.",
  email: "That email address is already used by another account. Log in, or use another address.",
};

async function takenErrors(
  db: Db,
  input: { login: string; email: string },
): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (await q.findUserByLogin(db, input.login)) errors.login = TAKEN.login;
  if (await q.findUserByEmail(db, input.email)) errors.email = TAKEN.email;
  // Only if the account that held the name was deleted in between: trying again will work.
  if (Object.keys(errors).length === 0)
    errors._form = "Something changed meanwhile. Please try again.";
  return errors;
}

const WINDOW = 15 * 60 * 1000;
export const LOGIN_LIMITS = { perAccount: 10, perIp: 50, windowMs: WINDOW };

/**
 * The per-account counter's key: the account itself, so its username, its e-mail and any
 * case of either share one allowance. A login naming no account is counted under its
 * normalized text, so guessing at unknown names is limited the same way.
 */
const accountKey = (user: { id: number } | undefined, login: string) =>
  user ? `login-fail:account:${user.id}` : `login-fail:unknown:${login.trim().toLowerCase()}`;

/**
 * Checks a login. Attempts are counted before the password is verified (the limiter's hit is
 * atomic), so parallel guesses cannot all slip past one check; a correct password then takes
 * its count back. The address counts failures only, so many people behind one address (a
 * school, a library, a mobile carrier) can all log in, while one address is still refused
 * after too many wrong passwords whichever accounts they named.
 */
export async function logIn(
  deps: AppDeps,
  input: { login: string; password: string },
  ip: string,
): Promise<Result<{ userId: number }>> {
  const ipKey = `login-fail:ip:${ip}`;
  const ipDecision = await deps.limiter.hit(ipKey, LOGIN_LIMITS.perIp, WINDOW);
  if (!ipDecision.allowed) return tooManyAttempts(ipDecision.retryAfter);

  const user = input.login.includes("@")
    ? await q.findUserByEmail(deps.db, input.login)
    : await q.findUserByLogin(deps.db, input.login);
  const key = accountKey(user, input.login);
  const accountDecision = await deps.limiter.hit(key, LOGIN_LIMITS.perAccount, WINDOW);
  if (!accountDecision.allowed) {
    // No password was checked, so the address has spent no guess on this one.
    await deps.limiter.undo(ipKey);
    return tooManyAttempts(accountDecision.retryAfter);
  }

  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await dummyVerify(input.password, deps.config.passwordHashCost);
  if (!user || !valid) {
    return {
      ok: false,
      status: 401,
      errors: { _form: "The username or password you entered doesn't match our records." },
    };
  }
  await deps.limiter.reset(key);
  // Only this attempt is taken back: logging in to one's own account must not wipe the
  // address's failures against others.
  await deps.limiter.undo(ipKey);
  return { ok: true, value: { userId: user.id } };
}

function tooManyAttempts(retryAfterSeconds: number): Result<never> {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    ok: false,
    status: 429,
    errors: {
      _form: `Too many login attempts. Please wait ${wait} minute${wait === 1 ? "" : "s"} and try again.`,
    },
  };
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
