/**
 * Accounts' writes: signing up, logging in (its limiter), changing the password, adding a
 * pseud. Each answers a core `Result`; refusals name the form field they are about.
 */
import type { Db } from "../core/db/index.ts";
import type { RateLimiter } from "../core/http/rate-limit.ts";
import { limits } from "../core/limits.ts";
import { inTransaction, ok, refuse, type Errors, type Result } from "../core/result.ts";
import type { HashCost } from "./passwords.ts";
import { dummyVerify, hashPassword, verifyPassword } from "./passwords.ts";
import * as q from "./queries.ts";
import { redeemInvitation } from "./invitations/commands.ts";
import { recordTermsAccepted } from "./invitations/queries.ts";
import type { ChangePasswordInput, SignupInput } from "./schemas.ts";

/**
 * Creates the account and its default pseud (the pen name equal to the username). With
 * `acceptedTerms` the acceptance is recorded; with `invitation` (sign-up by invitation) the
 * code is used up in the same transaction, so a refused code creates no account.
 */
export async function signUp(
  db: Db,
  args: Pick<SignupInput, "login" | "email" | "password"> & {
    hashCost: HashCost;
    now: number;
    acceptedTerms?: boolean;
    invitation?: string;
  },
): Promise<Result<{ userId: number; pseudId: number }>> {
  const { login, email, now } = args;
  // Hashed before the transaction opens: it is slow on purpose, and needs no lock.
  const passwordHash = await hashPassword(args.password, args.hashCost);
  return inTransaction(db, async (tx) => {
    const userId = await q.insertUserUnlessTaken(tx, { login, email, passwordHash, now });
    // The unique indexes refused it: say which of the two is taken (both, if both are).
    if (userId === undefined) return refuse(422, await takenErrors(tx, { login, email }));
    if (args.invitation !== undefined) {
      const redeemed = await redeemInvitation(tx, { code: args.invitation, userId, now });
      if (!redeemed.ok) return redeemed;
    }
    if (args.acceptedTerms) await recordTermsAccepted(tx, userId, now);
    const pseudId = await q.insertPseud(tx, { userId, name: login, isDefault: true, now });
    return ok({ userId, pseudId });
  });
}

const TAKEN = {
  login: "That username is taken. Please choose another.",
  email: "That email address is already used by another account. Log in, or use another address.",
};

async function takenErrors(db: Db, input: { login: string; email: string }): Promise<Errors> {
  const errors: Errors = {};
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
 *
 * No transaction: a refused login must keep its counts (they live in the limiter, not in the
 * database), and nothing else is written.
 */
export async function logIn(
  db: Db,
  args: {
    login: string;
    password: string;
    ip: string;
    limiter: RateLimiter;
    /** For the dummy check spent on unknown accounts. */
    hashCost: HashCost;
  },
): Promise<Result<{ userId: number }>> {
  const { login, password, limiter } = args;
  const ipKey = `login-fail:ip:${args.ip}`;
  const ipDecision = await limiter.hit(ipKey, LOGIN_LIMITS.perIp, WINDOW);
  if (!ipDecision.allowed) return tooManyAttempts(ipDecision.retryAfter);

  const user = login.includes("@")
    ? await q.findUserByEmail(db, login)
    : await q.findUserByLogin(db, login);
  const key = accountKey(user, login);
  const accountDecision = await limiter.hit(key, LOGIN_LIMITS.perAccount, WINDOW);
  if (!accountDecision.allowed) {
    // No password was checked, so the address has spent no guess on this one.
    await limiter.undo(ipKey);
    return tooManyAttempts(accountDecision.retryAfter);
  }

  const valid = user
    ? await verifyPassword(user.password_hash, password)
    : await dummyVerify(password, args.hashCost);
  if (!user || !valid)
    return refuse(401, "The username or password you entered doesn't match our records.");
  await limiter.reset(key);
  // Only this attempt is taken back: logging in to one's own account must not wipe the
  // address's failures against others.
  await limiter.undo(ipKey);
  // A ban (moderation/) ends the account's sessions and refuses every log-in after it; only
  // someone who knows the password learns that the account is banned.
  if (user.banned_at !== null) return refuse(403, BANNED);
  return ok({ userId: user.id });
}

export const BANNED =
  "This account has been banned by the archive's moderators, so you can't log in. If you think this is a mistake, please contact the archive's administrators.";

function tooManyAttempts(retryAfterSeconds: number) {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return refuse(
    429,
    `Too many login attempts. Please wait ${wait} minute${wait === 1 ? "" : "s"} and try again.`,
  );
}

/** Changes the password when the current one is right; other sessions of the user end. */
export async function changePassword(
  db: Db,
  args: ChangePasswordInput & {
    userId: number;
    /** The session that asked: it stays logged in. */
    keepSessionId: string | null;
    hashCost: HashCost;
  },
): Promise<Result> {
  const { userId, keepSessionId } = args;
  const user = await q.findUserById(db, userId);
  if (!user || !(await verifyPassword(user.password_hash, args.current_password)))
    return refuse(422, "Your current password is not correct.", "current_password");
  const passwordHash = await hashPassword(args.password, args.hashCost);
  return inTransaction(db, async (tx) => {
    await q.updatePasswordHash(tx, userId, passwordHash);
    // Anyone else holding a session loses it when the password changes.
    await q.deleteOtherSessions(tx, userId, keepSessionId);
    return ok();
  });
}

export async function addPseud(
  db: Db,
  args: { userId: number; name: string; description: string; now: number },
): Promise<Result<{ pseudId: number }>> {
  const { userId, name, description, now } = args;
  return inTransaction(db, async (tx) => {
    if (await q.findPseud(tx, userId, name))
      return refuse(422, "You already have a pseud with that name.", "name");
    const existing = await q.pseudsOfUser(tx, userId);
    if (existing.length >= limits.pseudsPerUser)
      return refuse(422, "You have the maximum number of pseuds.", "name");
    const pseudId = await q.insertPseud(tx, { userId, name, isDefault: false, description, now });
    return ok({ pseudId });
  });
}
