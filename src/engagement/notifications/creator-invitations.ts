/**
 * Co-creator invitations reach the invitee's inbox (issue 15): works/creators queues
 * `creator.invited` in the transaction that invites; this handler writes the notification,
 * which links to the user's "Co-Creator Requests" page.
 */
import type { Db } from "../../core/db/index.ts";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { findInvitation, targetExists } from "../../works/creators/queries.ts";
import type { InvitationDetails } from "../../works/creators/queries.ts";
import { notify } from "./notify.ts";

/** "a chapter of “Title”", "“Title”", "the series “Title”": what the invitation is for. */
function invitedTo(i: InvitationDetails): string {
  switch (i.targetType) {
    case "work":
      return `“${i.workTitle ?? ""}”`;
    case "chapter":
      return `Chapter ${i.chapterPosition ?? ""} of “${i.workTitle ?? ""}”`;
    case "series":
      return `the series “${i.seriesTitle ?? ""}”`;
  }
}

/** Tells the invitee; nothing when the invitation was answered or withdrawn before the job ran. */
export async function noticeInvitation(db: Db, invitationId: number, now: number) {
  await db.transaction().execute(async (tx) => {
    const inv = await findInvitation(tx, invitationId);
    if (!inv || !targetExists(inv)) return;
    const by = inv.inviterLogin ?? "Another creator";
    const as = inv.pseudName === inv.login ? "" : ` as ${inv.pseudName}`;
    await notify(
      tx,
      {
        userId: inv.userId,
        kind: "creator_invitation",
        workId: inv.targetType === "series" ? null : inv.workId,
        chapterId: inv.targetType === "chapter" ? inv.targetId : null,
        text: `${by} invited you${as} to be a co-creator of ${invitedTo(inv)}.`,
        url: `/users/${inv.login}/creatorships`,
      },
      now,
    );
  });
}

export function registerCreatorInvitationNotices(jobs: JobRunner, db: Db) {
  jobs.register("creator.invited", async ({ invitationId }, { now }) => {
    await noticeInvitation(db, invitationId, now);
  });
}
