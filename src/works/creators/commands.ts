/**
 * Co-creators (issue 15): inviting pseuds to a work, a chapter or a series, answering the
 * invitations, and removing oneself. A pseud is credited only once its user accepts; the
 * invitation reaches their inbox through the `creator.invited` job (engagement handles it).
 *
 * A chapter's creators are its own `chapter_creatorships` rows, or its work's when it has none.
 * Accepting a chapter credits the chapter and the work (as AO3 does), and gives the work's
 * other chapters rows of their own so that they keep the byline they had; accepting a work
 * credits it and every chapter that has creators of its own.
 */
import { recordChanges } from "../../core/db/changes.ts";
import type { Db, Queryable } from "../../core/db/index.ts";
import { enqueue } from "../../core/jobs/kinds.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { MAX_NAMES, parseNames, resolveName } from "./names.ts";
import * as q from "./queries.ts";

export type { Target } from "./queries.ts";

export interface InviteArgs {
  target: q.Target;
  /** The work of a chapter target (its creators are the chapter's when it has none). */
  workId?: number | undefined;
  /** The "Add co-creators" field as sent. */
  names: string;
  inviter: { id: number };
  /**
   * The work and chapter forms show the pending invitations in the field: a name taken out
   * withdraws its invitation, so saving the form unchanged changes nothing.
   */
  withdrawUnnamed: boolean;
  /** The form field refusals are shown at. */
  field: string;
  now: number;
}

/** The sentence for a name nobody may invite, whatever the reason (it does not say which). */
export const cannotInvite = (name: string) => `${name} can't be invited as a co-creator.`;

/**
 * Invites the pseuds named in the field who are neither credited nor invited yet, inside the
 * caller's transaction. Refuses (422, at `field`) names that match no pseud, or one the
 * inviter may not invite: their own, a user who turned invitations off, who blocked the
 * inviter or whom the inviter blocked (one sentence for all of these).
 */
export async function inviteIn(
  tx: Queryable,
  args: InviteArgs,
): Promise<Result<{ invited: number[]; withdrawn: number }>> {
  const { target, inviter, now, field } = args;
  const names = parseNames(args.names);
  if (names.length > MAX_NAMES)
    return refuse(422, `Invite at most ${MAX_NAMES} co-creators at a time.`, field);
  const candidates = await q.pseudCandidates(tx, [...new Set(names.map((n) => n.pseudKey))]);
  const [creators, pending] = await Promise.all([
    q.creatorsOf(tx, target, args.workId),
    q.pendingInvitations(tx, target),
  ]);
  const credited = new Set(creators.map((c) => c.pseudId));
  const invited = new Set(pending.map((p) => p.pseudId));
  const problems: string[] = [];
  const named = new Set<number>();
  const toInvite: { pseudId: number; userId: number; text: string }[] = [];
  for (const name of names) {
    const found = resolveName(name, candidates);
    if (!found.ok) {
      problems.push(
        found.why === "unknown"
          ? `We couldn't find a pseud named "${name.text}".`
          : `More than one user has a pseud named "${name.text}": write it as "pseud (username)".`,
      );
      continue;
    }
    const { pseud } = found;
    named.add(pseud.pseudId);
    if (pseud.userId === inviter.id) problems.push(cannotInvite(name.text));
    else if (!credited.has(pseud.pseudId) && !invited.has(pseud.pseudId))
      toInvite.push({ pseudId: pseud.pseudId, userId: pseud.userId, text: name.text });
  }
  const barred = await q.uninvitable(
    tx,
    inviter.id,
    toInvite.map((t) => t.userId),
  );
  for (const t of toInvite) if (barred.has(t.userId)) problems.push(cannotInvite(t.text));
  if (problems.length > 0) return refuse(422, problems.join(" "), field);

  const ids: number[] = [];
  for (const t of toInvite) {
    const id = await q.insertInvitation(tx, {
      target,
      pseudId: t.pseudId,
      inviterId: inviter.id,
      now,
    });
    if (id === undefined) continue;
    ids.push(id);
    await enqueue(tx, { kind: "creator.invited", payload: { invitationId: id } }, now);
  }
  const withdraw = args.withdrawUnnamed ? pending.filter((p) => !named.has(p.pseudId)) : [];
  await q.deleteInvitations(
    tx,
    withdraw.map((p) => p.id),
  );
  return ok({ invited: ids, withdrawn: withdraw.length });
}

/** `inviteIn` in a transaction of its own (the series creators page). */
export function invite(db: Db, args: InviteArgs) {
  return inTransaction(db, (tx) => inviteIn(tx, args));
}

/** The bylines of a work changed: the indexes follow the log, downloads the version. */
async function workBylineChanged(tx: Queryable, workId: number, now: number) {
  await q.bumpWorkVersion(tx, workId);
  await recordChanges(tx, "work", [workId], now);
}

/** Credits the invited pseud on the invitation's target. */
async function credit(tx: Queryable, inv: q.InvitationDetails, now: number) {
  switch (inv.targetType) {
    case "series":
      await q.addSeriesCreator(tx, inv.targetId, inv.pseudId);
      return;
    case "work": {
      const workId = inv.targetId;
      await q.addWorkCreator(tx, workId, inv.pseudId);
      // Chapters with creators of their own get the new co-creator too (the others have
      // their work's creators already).
      const chapterIds = await q.chapterIdsOf(tx, workId);
      const own = await q.ownChapterCreators(tx, chapterIds);
      for (const chapterId of own.keys()) await q.addChapterCreators(tx, chapterId, [inv.pseudId]);
      await workBylineChanged(tx, workId, now);
      return;
    }
    case "chapter": {
      const workId = inv.workId!;
      const before = (await q.workCreators(tx, workId)).map((c) => c.pseudId);
      const chapterIds = await q.chapterIdsOf(tx, workId);
      const own = await q.ownChapterCreators(tx, chapterIds);
      if (!before.includes(inv.pseudId)) {
        // The work gains a creator: chapters that were simply "by the work's creators" keep
        // the creators they had, as rows of their own.
        for (const chapterId of chapterIds)
          if (!own.has(chapterId)) await q.addChapterCreators(tx, chapterId, before);
        await q.addWorkCreator(tx, workId, inv.pseudId);
      } else if (!own.has(inv.targetId)) {
        await q.addChapterCreators(tx, inv.targetId, before);
      }
      await q.addChapterCreators(tx, inv.targetId, [inv.pseudId]);
      await workBylineChanged(tx, workId, now);
      return;
    }
  }
}

export interface Answered {
  /** How many invitations were answered. */
  count: number;
  /** The first one's target, named for the flash ("Co-creator of “Title”"). */
  first: q.InvitationDetails | undefined;
}

/**
 * Accepts or rejects the user's invitations: `ids`, or all of them. An invitation whose work
 * or series is gone is dropped either way; one that is not the user's is a 404.
 */
export async function answerInvitations(
  db: Db,
  args: { userId: number; ids: readonly number[] | "all"; accept: boolean; now: number },
): Promise<Result<Answered>> {
  const { userId, accept, now } = args;
  return inTransaction(db, async (tx) => {
    const mine = await q.invitationsOfUser(tx, userId);
    const ids = args.ids === "all" ? null : new Set(args.ids);
    const chosen = ids === null ? mine : mine.filter((i) => ids.has(i.id));
    if (ids !== null && chosen.length !== ids.size)
      return refuse(404, "Sorry, we couldn't find that invitation. It may have been withdrawn.");
    const live = chosen.filter(q.targetExists);
    if (accept) for (const inv of live) await credit(tx, inv, now);
    await q.deleteInvitations(
      tx,
      chosen.map((i) => i.id),
    );
    return ok({ count: live.length, first: live[0] });
  });
}

/** Whose pseuds are credited, by user: "never the last" counts people, not pseuds. */
const usersOf = (rows: readonly q.PseudRow[]) => new Set(rows.map((r) => r.userId));

/** Why the last creator of a work, chapter or series can't remove themselves, and instead? */
export function lastCreatorMessage(what: "work" | "chapter" | "series"): string {
  const instead =
    what === "work"
      ? " Orphan or delete the work instead, or invite a co-creator first."
      : what === "chapter"
        ? " Delete the chapter instead, or invite a co-creator to it first."
        : " Invite a co-creator first.";
  return `You are the only creator of this ${what}, so you can't remove yourself from it.${instead}`;
}

/**
 * Takes all of the user's pseuds off a work, chapter or series; never its last creator.
 * Removed from a work, the user can no longer edit it; removed from a chapter, they stay a
 * creator of the work.
 */
export async function removeMe(
  db: Db,
  args: { target: q.Target; workId?: number; userId: number; now: number },
): Promise<Result> {
  const { target, userId, now } = args;
  return inTransaction(db, async (tx) => {
    const creators = await q.creatorsOf(tx, target, args.workId);
    const users = usersOf(creators);
    if (!users.has(userId))
      return refuse(
        403,
        `You aren't a creator of this ${target.type}, so there is nothing to remove.`,
      );
    if (users.size === 1) return refuse(422, lastCreatorMessage(target.type));
    switch (target.type) {
      case "series":
        await q.removeUserFromSeries(tx, target.id, userId);
        return ok();
      case "work":
        await q.removeUserFromWork(tx, target.id, userId);
        await workBylineChanged(tx, target.id, now);
        return ok();
      case "chapter": {
        const workId = args.workId!;
        const own = await q.ownChapterCreators(tx, [target.id]);
        if (!own.has(target.id))
          await q.addChapterCreators(
            tx,
            target.id,
            creators.map((c) => c.pseudId),
          );
        await q.removeUserFromChapter(tx, target.id, userId);
        await workBylineChanged(tx, workId, now);
        return ok();
      }
    }
  });
}
