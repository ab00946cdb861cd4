/**
 * Admins' side of sign-up by invitation (issue 13): sending the next requests in the queue
 * their invitations, and giving every account more invitations to share. Both are audited in
 * the transaction that does them.
 */
import { issueInvitation } from "../../accounts/invitations/commands.ts";
import * as q from "../../accounts/invitations/queries.ts";
import { recordAudit } from "../../core/audit-queries.ts";
import type { Db } from "../../core/db/index.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";

type Actor = { id: number; login: string };

/** Invites the `count` oldest waiting requests: an invitation each, mailed (queued) to it. */
export async function sendInvitationBatch(
  db: Db,
  args: { admin: Actor; count: number; baseUrl: string; archiveName: string; now: number },
): Promise<Result<{ sent: number }>> {
  const { admin, now } = args;
  return inTransaction(db, async (tx) => {
    const requests = await q.waitingRequests(tx, args.count);
    if (requests.length === 0) return refuse(409, "Nobody is waiting for an invitation.");
    const invited: number[] = [];
    for (const request of requests) {
      // Another admin's batch at the same moment may have taken it: it gets one invitation.
      if (!(await q.markRequestInvited(tx, request.id, now))) continue;
      await issueInvitation(tx, {
        creator: admin,
        email: request.email,
        baseUrl: args.baseUrl,
        archiveName: args.archiveName,
        now,
      });
      invited.push(request.id);
    }
    await recordAudit(tx, {
      actor: admin,
      action: "invitations.send",
      subject: { type: "invitation_requests", id: null, label: `${invited.length} requests` },
      after: { count: invited.length, requestIds: invited },
      now,
    });
    return ok({ sent: invited.length });
  });
}

/** Gives every account (banned ones aside) `count` more invitations to share. */
export async function grantInvitations(
  db: Db,
  args: { admin: Actor; count: number; now: number },
): Promise<Result<{ accounts: number }>> {
  const { admin, count, now } = args;
  return inTransaction(db, async (tx) => {
    const accounts = await q.grantInvitationsToAll(tx, count);
    await recordAudit(tx, {
      actor: admin,
      action: "invitations.grant",
      subject: { type: "users", id: null, label: "every account" },
      after: { perAccount: count, accounts },
      now,
    });
    return ok({ accounts });
  });
}
