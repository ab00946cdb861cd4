/**
 * Sign-up by invitation (issue 13): asking for one (the request queue), issuing one (a link
 * its creator passes on, or a mail), and redeeming one in the sign-up's transaction. A code is
 * shown or mailed once and only its sha256 is stored, as with session tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db, Queryable } from "../../core/db/index.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { escapeHtml } from "../../core/mail/mailer.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { emailKey } from "../schemas.ts";
import * as q from "./queries.ts";

/** How long an invitation can be used: long enough for a holiday, short enough that the queue moves. */
export const INVITATION_VALID_DAYS = 30;
const VALID_MS = INVITATION_VALID_DAYS * 86_400_000;

export const hashInvitationCode = (code: string) =>
  createHash("sha256").update(code.trim()).digest("hex");

/** Where a code is used: its own address, which leads to the sign-up form. */
export const invitationPath = (code: string) => `/invitations/${encodeURIComponent(code)}`;

export type InvitationProblem = "unknown" | "used" | "expired";

export const INVITATION_MESSAGES: Record<InvitationProblem | "missing", string> = {
  missing: "Sign-up is by invitation: enter the code from your invitation.",
  unknown: "That invitation code is not valid. Check the link in your invitation.",
  used: "That invitation has already been used.",
  expired: "That invitation has expired. Please ask for a new one.",
};

/** What is wrong with a code, if anything (the sign-up page says it before the form is sent). */
export async function invitationProblem(
  db: Queryable,
  code: string,
  now: number,
): Promise<InvitationProblem | undefined> {
  const inv = await q.findInvitation(db, hashInvitationCode(code));
  if (!inv) return "unknown";
  if (inv.used_at !== null) return "used";
  if (inv.expires_at !== null && inv.expires_at <= now) return "expired";
  return undefined;
}

/**
 * Uses the invitation for the new account: a step of the sign-up's transaction, so the account
 * and the used invitation exist together or not at all. Refuses on the field `invitation`.
 */
export async function redeemInvitation(
  tx: Queryable,
  args: { code: string; userId: number; now: number },
): Promise<Result> {
  const code = args.code.trim();
  if (code === "") return refuse(422, INVITATION_MESSAGES.missing, "invitation");
  const claimed = await q.claimInvitation(tx, hashInvitationCode(code), args.userId, args.now);
  if (claimed !== undefined) return ok();
  const problem = (await invitationProblem(tx, code, args.now)) ?? "used";
  return refuse(422, INVITATION_MESSAGES[problem], "invitation");
}

export interface IssuedInvitation {
  id: number;
  code: string;
  /** The full address to send: `base` + /invitations/CODE. */
  link: string;
}

/**
 * Creates an invitation and, when `email` is given, queues the mail that carries it (in the
 * caller's transaction: the mail exists exactly if the invitation does).
 */
export async function issueInvitation(
  tx: Queryable,
  args: {
    creator: { id: number; login: string } | null;
    email: string | null;
    baseUrl: string;
    archiveName: string;
    now: number;
  },
): Promise<IssuedInvitation> {
  const code = randomBytes(18).toString("base64url");
  const id = await q.insertInvitation(tx, {
    tokenHash: hashInvitationCode(code),
    creatorUserId: args.creator?.id ?? null,
    sentToEmail: args.email,
    now: args.now,
    expiresAt: args.now + VALID_MS,
  });
  const link = `${args.baseUrl}${invitationPath(code)}`;
  if (args.email !== null) {
    await enqueue(
      tx,
      {
        kind: "mail.send",
        payload: invitationMail({ ...args, email: args.email, link }),
      },
      args.now,
    );
  }
  return { id, code, link };
}

function invitationMail(args: {
  email: string;
  link: string;
  archiveName: string;
  creator: { login: string } | null;
}) {
  const from = args.creator ? `${args.creator.login} has invited you` : "You are invited";
  const intro = `${from} to create an account on ${args.archiveName}.`;
  const valid = `The invitation can be used once, within ${INVITATION_VALID_DAYS} days.`;
  return {
    to: args.email,
    subject: `Your invitation to ${args.archiveName}`,
    text: [intro, "", "Create your account here:", args.link, "", valid].join("\n"),
    html: [
      `<p>${escapeHtml(intro)}</p>`,
      `<p><a href="${escapeHtml(args.link)}">Create your account</a><br>${escapeHtml(args.link)}</p>`,
      `<p>${escapeHtml(valid)}</p>`,
    ].join("\n"),
  };
}

/**
 * An account shares one of its invitations: a link shown once to its creator, or mailed to
 * `email`. Refused (409) when the allowance is spent.
 */
export async function shareInvitation(
  db: Db,
  args: {
    user: { id: number; login: string };
    email: string | null;
    baseUrl: string;
    archiveName: string;
    now: number;
  },
): Promise<Result<IssuedInvitation>> {
  return inTransaction(db, async (tx) => {
    if (!(await q.spendInvitation(tx, args.user.id)))
      return refuse(409, "You have no invitations left to share.");
    const issued = await issueInvitation(tx, {
      creator: args.user,
      email: args.email === null ? null : emailKey(args.email),
      baseUrl: args.baseUrl,
      archiveName: args.archiveName,
      now: args.now,
    });
    return ok(issued);
  });
}

/**
 * Puts an address in the invitation queue. The same address again changes nothing: it keeps
 * its place, and the answer is the one the first request got. An address already invited
 * gets no position (and no second invitation).
 */
export async function requestInvitation(
  db: Db,
  args: { email: string; now: number },
): Promise<Result<{ position: number | null; waiting: number }>> {
  const key = emailKey(args.email);
  return inTransaction<{ position: number | null; waiting: number }>(db, async (tx) => {
    await q.insertRequestUnlessQueued(tx, {
      email: args.email.trim(),
      emailKey: key,
      now: args.now,
    });
    const request = await q.findRequest(tx, key);
    const waiting = await q.waitingCount(tx);
    if (!request || request.invited_at !== null) return ok({ position: null, waiting });
    return ok({ position: await q.waitingCount(tx, request.id), waiting });
  });
}
