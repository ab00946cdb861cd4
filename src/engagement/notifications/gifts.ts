/**
 * Gifts and related works in the inbox (issue 15), and the reveal of a work that waited for
 * its collection:
 *
 * - `gift.given`: a gift to a pseud added to a posted work; its recipient hears of it.
 * - `related.linked`: a link to a parent on this archive added to a posted work; the parent's
 *   creators hear of it, with the page where they approve it.
 * - `work.posted` and `work.revealed` (registered with the subscriptions' announcements): a
 *   work readers see for the first time announces its gifts and its links waiting for
 *   approval; a revealed one is announced to subscribers as a new work, unless anonymous.
 *
 * Nothing is said while readers cannot see the work (a draft, a work hidden by a moderator or
 * waiting for its collection's reveal): each handler checks when it runs, and the work's first
 * showing says it then. Notices name the work's creators as every page does (`bylineOf`):
 * "Anonymous" for a work in an anonymous collection.
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import type { Work } from "../../core/db/schema.ts";
import type { AppDeps } from "../../core/http/route.tsx";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { findGift, giftsOfWorks, type GiftRow } from "../../works/gifts/queries.ts";
import { bylineOf } from "../../works/present.ts";
import { creatorsOfWorks, findWork, type Creator } from "../../works/queries.ts";
import { RELATION_VERB } from "../../works/related/present.ts";
import { findRelated, pendingParentLinks } from "../../works/related/queries.ts";
import { seenBy } from "../../works/visibility.ts";
import { announceNewWork } from "../subscriptions/commands.ts";
import { announceInSeries } from "../subscriptions/series.ts";
import { toldAlready } from "./gifts-queries.ts";
import { notify } from "./notify.ts";

/** Whether readers can see the work now (the visibility rules' own answer). */
const readersSee = (work: Work) => seenBy(work) !== "nobody";

/** The work as its notices name it: its byline's names, and no actor for an anonymous one. */
function credit(work: Work, creators: Creator[]) {
  return {
    names: bylineOf(work, creators)
      .map((c) => c.name)
      .join(", "),
    actorUserId: work.in_anon_collection ? null : (creators[0]?.userId ?? null),
    creatorIds: new Set(creators.map((c) => c.userId)),
  };
}

/** Tells the users given `gifts` of `work` (each user once per work). */
async function tellRecipients(
  tx: Queryable,
  work: Work,
  creators: Creator[],
  gifts: readonly GiftRow[],
  now: number,
): Promise<number> {
  const { names, actorUserId, creatorIds } = credit(work, creators);
  const userIds = [...new Set(gifts.flatMap((g) => (g.userId === null ? [] : [g.userId])))].filter(
    (id) => !creatorIds.has(id),
  );
  const url = `/works/${work.id}`;
  const told = await toldAlready(tx, { kind: "gift", workId: work.id, url }, userIds);
  let sent = 0;
  for (const userId of userIds) {
    if (told.has(userId)) continue;
    await notify(
      tx,
      {
        userId,
        kind: "gift",
        workId: work.id,
        actorUserId,
        text: `${names} gave you a gift: “${work.title}”.`,
        url,
      },
      now,
    );
    sent += 1;
  }
  return sent;
}

/** Tells the creators of the parent a pending link of `child` names, if still pending. */
async function tellParentCreators(
  tx: Queryable,
  child: Work,
  childCreators: Creator[],
  relatedId: number,
  now: number,
): Promise<number> {
  const link = await findRelated(tx, relatedId);
  if (!link || link.work_id !== child.id || link.approved || link.parent_work_id === null) return 0;
  const parent = await findWork(tx, link.parent_work_id);
  if (!parent) return 0;
  const { names, actorUserId, creatorIds } = credit(child, childCreators);
  const parentCreators = (await creatorsOfWorks(tx, [parent.id])).get(parent.id) ?? [];
  const userIds = [...new Set(parentCreators.map((c) => c.userId))].filter(
    (id) => !creatorIds.has(id),
  );
  const url = `/works/${parent.id}/related_works`;
  const told = await toldAlready(tx, { kind: "related_work", workId: child.id, url }, userIds);
  let sent = 0;
  for (const userId of userIds) {
    if (told.has(userId)) continue;
    await notify(
      tx,
      {
        userId,
        kind: "related_work",
        workId: child.id,
        actorUserId,
        text:
          `“${child.title}” by ${names} is ${RELATION_VERB[link.relation]} your work ` +
          `“${parent.title}”. Approve it to list it on your work.`,
        url,
      },
      now,
    );
    sent += 1;
  }
  return sent;
}

const creatorsOf = async (tx: Queryable, workId: number) =>
  (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];

/** `gift.given`: the recipient of one gift hears of it, once readers can see the work. */
export async function announceGift(db: Db, args: { giftId: number; now: number }) {
  return db.transaction().execute(async (tx) => {
    const gift = await findGift(tx, args.giftId);
    if (!gift) return 0;
    const work = await findWork(tx, gift.workId);
    if (!work || !readersSee(work)) return 0;
    const gifts = (await giftsOfWorks(tx, [work.id])).get(work.id) ?? [];
    return tellRecipients(
      tx,
      work,
      await creatorsOf(tx, work.id),
      gifts.filter((g) => g.id === args.giftId),
      args.now,
    );
  });
}

/** `related.linked`: the parent's creators hear of one link, once readers can see the child. */
export async function announceRelatedLink(db: Db, args: { relatedId: number; now: number }) {
  return db.transaction().execute(async (tx) => {
    const link = await findRelated(tx, args.relatedId);
    if (!link) return 0;
    const child = await findWork(tx, link.work_id);
    if (!child || !readersSee(child)) return 0;
    return tellParentCreators(tx, child, await creatorsOf(tx, child.id), link.id, args.now);
  });
}

/**
 * A work readers see for the first time (posted, or revealed): its gift recipients and the
 * creators of the parents it links to, waiting for approval, hear of it.
 */
export async function announceAssociations(db: Db, args: { workId: number; now: number }) {
  return db.transaction().execute(async (tx) => {
    const work = await findWork(tx, args.workId);
    if (!work || !readersSee(work)) return 0;
    const creators = await creatorsOf(tx, work.id);
    const gifts = (await giftsOfWorks(tx, [work.id])).get(work.id) ?? [];
    let sent = await tellRecipients(tx, work, creators, gifts, args.now);
    for (const link of await pendingParentLinks(tx, work.id))
      sent += await tellParentCreators(tx, work, creators, link.id, args.now);
    return sent;
  });
}

/**
 * `work.revealed`: a posted work left its last unrevealed collection. It is announced as a
 * new work would have been, except that a work still anonymous is not announced to its
 * creators' subscribers (that would name them); then its gifts and related links.
 */
export async function announceRevealedWork(db: Db, args: { workId: number; now: number }) {
  const work = await findWork(db, args.workId);
  if (!work || !readersSee(work)) return;
  // Its series' subscribers (announceInSeries leaves out anonymous works itself).
  await announceInSeries(db, args);
  if (!work.in_anon_collection) await announceNewWork(db, args);
  await announceAssociations(db, args);
}

/** The gift and related-work jobs (`work.posted` and `work.revealed`: subscriptions/register.ts). */
export function registerGiftNotifications(deps: AppDeps, jobs: JobRunner) {
  jobs.register("gift.given", async ({ giftId }, { now }) => {
    await announceGift(deps.db, { giftId, now });
  });
  jobs.register("related.linked", async ({ relatedId }, { now }) => {
    await announceRelatedLink(deps.db, { relatedId, now });
  });
}
