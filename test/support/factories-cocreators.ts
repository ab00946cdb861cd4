/** Co-creator factories (issue 15): invitations and acceptances through the real commands. */
import type { Db } from "../../src/core/db/index.ts";
import { answerInvitations, invite, type Target } from "../../src/works/creators/commands.ts";
import type { FactoryUser } from "./factories.ts";

/** Invites `names` (the field's text) to `target` as `inviter`; throws when refused. */
export async function inviteNames(
  db: Db,
  args: { target: Target; workId?: number; inviter: FactoryUser; names: string; now?: number },
) {
  const result = await invite(db, {
    target: args.target,
    workId: args.workId,
    names: args.names,
    inviter: args.inviter,
    withdrawUnnamed: false,
    field: "co_creators",
    now: args.now ?? Date.now(),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.invited;
}

/** The invitee accepts every invitation they have. */
export async function acceptAll(db: Db, user: FactoryUser, now = Date.now()) {
  const result = await answerInvitations(db, { userId: user.id, ids: "all", accept: true, now });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.count;
}

/** `invitee` becomes a co-creator of the work: invited by `inviter`, then accepted. */
export async function coCreate(db: Db, workId: number, inviter: FactoryUser, invitee: FactoryUser) {
  await inviteNames(db, { target: { type: "work", id: workId }, inviter, names: invitee.login });
  await acceptAll(db, invitee);
}

/** The pseud ids credited on a work, in byline order. */
export async function creatorPseudsOf(db: Db, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("creatorships")
    .select("pseud_id")
    .where("work_id", "=", workId)
    .orderBy("position")
    .orderBy("pseud_id")
    .execute();
  return rows.map((r) => r.pseud_id);
}
