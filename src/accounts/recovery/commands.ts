/**
 * Account recovery's writes: mailing one-time links (confirm an address, reset a password,
 * confirm a new address), using them, and renaming an account. Links are 32 random bytes; only
 * their sha256 is stored, each works once and for a limited time. Mail is queued (`mail.send`)
 * in the transaction that made its token, so a link exists exactly when its message does.
 */
import { createHash, randomBytes } from "node:crypto";
import { isUniqueViolation, type Db, type Queryable } from "../../core/db/index.ts";
import { recordChanges } from "../../core/db/changes.ts";
import type { RateLimiter } from "../../core/http/rate-limit.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { inTransaction, ok, refuse, type Refusal, type Result } from "../../core/result.ts";
import { hashPassword, verifyPassword, type HashCost } from "../passwords.ts";
import * as accounts from "../queries.ts";
import { emailKey } from "../schemas.ts";
import { changeEmailMail, confirmationMail, emailChangeNotice, resetMail } from "./mail.ts";
import * as q from "./queries.ts";
import type { TokenPurpose } from "./queries.ts";

const HOUR = 60 * 60 * 1000;
/** How long each kind of link works. A reset link: one hour (issue 13). */
export const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  "reset-password": HOUR,
  "confirm-email": 72 * HOUR,
  "change-email": 24 * HOUR,
};

/** Requests for a reset link, per account (or per unknown name) and per hour. */
export const RESET_REQUESTS_PER_ACCOUNT = 3;

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

async function issueToken(
  db: Queryable,
  t: { userId: number; purpose: TokenPurpose; newEmail: string | null; now: number },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await q.insertToken(db, {
    ...t,
    tokenHash: tokenHash(token),
    expiresAt: t.now + TOKEN_LIFETIME[t.purpose],
  });
  return token;
}

export const confirmLink = (base: string, token: string) =>
  `${base}/users/confirm-email?token=${token}`;
export const resetLink = (base: string, token: string) =>
  `${base}/users/password/edit?reset_password_token=${token}`;

const LINK_DEAD = "This link has expired or was already used.";

/** Mails a link that confirms the account's current address (after sign-up; "Resend"). */
export async function sendEmailConfirmation(
  db: Db,
  args: { userId: number; now: number; base: string },
): Promise<Result> {
  const { userId, now, base } = args;
  return inTransaction(db, async (tx) => {
    const user = await q.userForRecovery(tx, userId);
    if (!user) return refuse(404, "There is no such account.");
    if (user.email_confirmed_at !== null)
      return refuse(409, "Your email address is already confirmed.");
    const token = await issueToken(tx, {
      userId,
      purpose: "confirm-email",
      newEmail: user.email,
      now,
    });
    const mail = confirmationMail(user.email, user.login, confirmLink(base, token));
    await enqueue(tx, { kind: "mail.send", payload: mail }, now);
    return ok();
  });
}

/**
 * "Forgot your password?": mails a reset link to the account named by username or address.
 * The answer is the same whether or not there is one (the route says so either way); only the
 * per-name limit can refuse, and it counts unknown names the same way.
 */
export async function requestPasswordReset(
  db: Db,
  args: { login: string; now: number; base: string; limiter: RateLimiter },
): Promise<Result> {
  const { login, now, base, limiter } = args;
  const user = login.includes("@")
    ? await accounts.findUserByEmail(db, login)
    : await accounts.findUserByLogin(db, login);
  const key = user
    ? `reset-request:account:${user.id}`
    : `reset-request:unknown:${login.trim().toLowerCase()}`;
  const decision = await limiter.hit(key, RESET_REQUESTS_PER_ACCOUNT, HOUR);
  if (!decision.allowed) {
    const minutes = Math.max(1, Math.ceil(decision.retryAfter / 60));
    return refuse(
      429,
      `Too many reset requests for that account. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    );
  }
  // A banned account cannot log in, so a new password would be of no use to it.
  if (!user || user.banned_at !== null) return ok();
  return inTransaction(db, async (tx) => {
    const token = await issueToken(tx, {
      userId: user.id,
      purpose: "reset-password",
      newEmail: null,
      now,
    });
    const mail = resetMail(user.email, user.login, resetLink(base, token));
    await enqueue(tx, { kind: "mail.send", payload: mail }, now);
    return ok();
  });
}

/** A reset link for the operator to pass on (`fanfold user reset-link LOGIN`); nothing is mailed. */
export async function createResetLink(
  db: Db,
  args: { userId: number; now: number; base: string },
): Promise<string> {
  const token = await issueToken(db, {
    userId: args.userId,
    purpose: "reset-password",
    newEmail: null,
    now: args.now,
  });
  return resetLink(args.base, token);
}

/** Whether a reset link still works (the reset page shows its form only then). */
export async function resetTokenIsLive(db: Db, token: string, now: number): Promise<boolean> {
  return (await q.findLiveToken(db, tokenHash(token), ["reset-password"], now)) !== undefined;
}

/**
 * Sets a new password through a reset link: the link is used up (with every other reset link
 * of the account), and every session of the account ends. Following the link also proves the
 * address, so an unconfirmed one becomes confirmed.
 */
export async function resetPassword(
  db: Db,
  args: { token: string; password: string; hashCost: HashCost; now: number },
): Promise<Result<{ login: string }>> {
  const { now } = args;
  const hash = tokenHash(args.token);
  const found = await q.findLiveToken(db, hash, ["reset-password"], now);
  if (!found) return refuse(404, LINK_DEAD);
  const user = await q.userForRecovery(db, found.user_id);
  if (!user) return refuse(404, LINK_DEAD);
  const lower = args.password.toLowerCase();
  if (lower === user.login.toLowerCase() || lower === user.email.toLowerCase())
    return refuse(422, "Your password can't be your username or email.", "password");
  // Hashed before the transaction opens: slow on purpose, and needs no lock.
  const passwordHash = await hashPassword(args.password, args.hashCost);
  return inTransaction(db, async (tx) => {
    if (!(await q.claimToken(tx, found.id, now))) return refuse(404, LINK_DEAD);
    await accounts.updatePasswordHash(tx, user.id, passwordHash);
    await accounts.deleteOtherSessions(tx, user.id, null);
    await q.retireTokens(tx, user.id, ["reset-password"], now);
    await q.confirmIfUnconfirmed(tx, user.id, now);
    return ok({ login: user.login });
  });
}

/** Follows a confirmation link: the address at sign-up, or a new address asked for. */
export async function confirmEmail(
  db: Db,
  args: { token: string; now: number },
): Promise<Result<{ login: string; changed: boolean }>> {
  const { now } = args;
  const found = await q.findLiveToken(
    db,
    tokenHash(args.token),
    ["confirm-email", "change-email"],
    now,
  );
  if (!found || found.new_email === null) return refuse(404, LINK_DEAD);
  const email = found.new_email;
  const taken = () =>
    refuse(409, "That address is now used by another account, so it was not changed.");
  try {
    return await confirmIn(db, found, email, now, taken);
  } catch (err) {
    // Another account took the address between the check and the write (the unique index).
    if (isUniqueViolation(err)) return taken();
    throw err;
  }
}

async function confirmIn(
  db: Db,
  found: { id: number; user_id: number; purpose: string },
  email: string,
  now: number,
  taken: () => Refusal,
) {
  return inTransaction<{ login: string; changed: boolean }>(db, async (tx) => {
    if (!(await q.claimToken(tx, found.id, now))) return refuse(404, LINK_DEAD);
    const user = await q.userForRecovery(tx, found.user_id);
    if (!user) return refuse(404, LINK_DEAD);
    if (found.purpose === "confirm-email") {
      if (!(await q.markEmailConfirmed(tx, user.id, email, now)))
        return refuse(409, "This link was for an address your account no longer uses.");
      await q.retireTokens(tx, user.id, ["confirm-email"], now);
      return ok({ login: user.login, changed: false });
    }
    if (!(await q.setConfirmedEmail(tx, user.id, email, now))) return taken();
    await q.retireTokens(tx, user.id, ["confirm-email", "change-email"], now);
    return ok({ login: user.login, changed: true });
  });
}

const TAKEN_EMAIL =
  "That email address is already used by another account. Log in, or use another address.";

/**
 * Asks to move the account to a new address: a link to confirm it goes there, and a notice to
 * the current address. Nothing changes until the link is followed; a newer request replaces an
 * older one.
 */
export async function requestEmailChange(
  db: Db,
  args: { userId: number; email: string; currentPassword: string; now: number; base: string },
): Promise<Result<{ email: string }>> {
  const { userId, now, base } = args;
  const email = emailKey(args.email);
  const user = await accounts.findUserById(db, userId);
  if (!user || !(await verifyPassword(user.password_hash, args.currentPassword)))
    return refuse(422, "Your current password is not correct.", "current_password");
  if (emailKey(user.email) === email)
    return refuse(422, "That is already your email address.", "email");
  const holder = await accounts.findUserByEmail(db, email);
  if (holder && holder.id !== userId) return refuse(422, TAKEN_EMAIL, "email");
  return inTransaction(db, async (tx) => {
    await q.retireTokens(tx, userId, ["change-email"], now);
    const token = await issueToken(tx, { userId, purpose: "change-email", newEmail: email, now });
    await enqueue(
      tx,
      { kind: "mail.send", payload: changeEmailMail(email, user.login, confirmLink(base, token)) },
      now,
    );
    await enqueue(
      tx,
      { kind: "mail.send", payload: emailChangeNotice(user.email, user.login, email, base) },
      now,
    );
    return ok({ email });
  });
}

/**
 * Renames the account. Its old username keeps leading to it (`/users/OLD/…` answers 301)
 * until another account takes that name.
 */
export async function changeUsername(
  db: Db,
  args: { userId: number; login: string; currentPassword: string; now: number },
): Promise<Result<{ login: string }>> {
  const { userId, login, now } = args;
  const user = await accounts.findUserById(db, userId);
  if (!user || !(await verifyPassword(user.password_hash, args.currentPassword)))
    return refuse(422, "Your current password is not correct.", "current_password");
  if (user.login === login) return refuse(422, "That is already your username.", "login");
  const taken = () => refuse(422, "That username is taken. Please choose another.", "login");
  try {
    return await inTransaction(db, async (tx) => {
      const holder = await accounts.findUserByLogin(tx, login);
      if (holder && holder.id !== userId) return taken();
      await q.renameUser(tx, { userId, oldLogin: user.login, newLogin: login, now });
      // The default pseud may carry the name: the browse and text indexes re-read these
      // works' creators (sort by creator, search by name) from the change log.
      await recordChanges(tx, "work", await q.worksCreditedTo(tx, userId), now);
      return ok({ login });
    });
  } catch (err) {
    // Someone took the name between the check and the rename (the unique index said so).
    if (isUniqueViolation(err)) return taken();
    throw err;
  }
}
