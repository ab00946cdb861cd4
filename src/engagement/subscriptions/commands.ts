/**
 * Subscribing and unsubscribing (work subscriptions are counted in `work_stats`), and telling
 * subscribers about new works and chapters when the works domain announces them: one job per
 * post writes every subscriber's inbox entry in a few statements and queues their email jobs,
 * which run after it at the rate the mail server allows.
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import { inTransaction, ok, refuse, type Refusal, type Result } from "../../core/result.ts";
import type { LoadedWork } from "../../works/load.ts";
import { findChapter } from "../../works/chapter-queries.ts";
import type { Work } from "../../core/db/schema.ts";
import { bylineOf } from "../../works/present.ts";
import { creatorsOfWorks, findWork, type Creator } from "../../works/queries.ts";
import { seenBy } from "../../works/visibility.ts";
import { bumpCounts } from "../counters/queries.ts";
import { notifyMany } from "../notifications/notify.ts";
import { alreadyNotified } from "../notifications/queries.ts";
import * as q from "./queries.ts";
import { lockForAnnouncing } from "./series-queries.ts";

export type Toggled = "subscribed" | "unsubscribed";

/**
 * What a reader follows: a work as loaded for them (so its creators are known), a user, or a
 * series they may see (`isCreator`: they made it; engagement/series/queries.ts).
 */
export type Followed =
  | { type: "work"; loaded: LoadedWork }
  | { type: "user"; id: number }
  | { type: "series"; id: number; isCreator: boolean };

/** Nobody follows themselves: a creator already knows when their work gets a new chapter. */
function ownRefusal(userId: number, followed: Followed): Refusal | null {
  if (followed.type === "work")
    return followed.loaded.isCreator
      ? refuse(
          422,
          "You can't subscribe to your own work: you already know when it gets a new chapter.",
        )
      : null;
  if (followed.type === "series")
    return followed.isCreator
      ? refuse(
          422,
          "You can't subscribe to your own series: you already know when it gets a new work.",
        )
      : null;
  return followed.id === userId ? refuse(422, "You can't subscribe to yourself.") : null;
}

/** Subscribes when not subscribed, else unsubscribes; counts follow the rows actually changed. */
export async function toggleSubscription(
  db: Db,
  args: { userId: number; followed: Followed; now: number },
): Promise<Result<Toggled>> {
  const { userId, followed, now } = args;
  const refused = ownRefusal(userId, followed);
  if (refused) return refused;
  const target: q.Target =
    followed.type === "work"
      ? { type: "work", id: followed.loaded.work.id }
      : { type: followed.type, id: followed.id };
  return inTransaction(db, async (tx) => {
    if (await q.removeSubscription(tx, userId, target)) {
      if (target.type === "work")
        await bumpCounts(tx, { workId: target.id }, { subscriptions: -1 }, now);
      return ok("unsubscribed" as const);
    }
    if ((await q.addSubscription(tx, userId, target, now)) && target.type === "work")
      await bumpCounts(tx, { workId: target.id }, { subscriptions: 1 }, now);
    return ok("subscribed" as const);
  });
}

/** Removes one of the user's subscriptions by id; 404 if it is not theirs. */
export async function unsubscribeById(
  db: Db,
  args: { userId: number; id: number; now: number },
): Promise<Result> {
  const { userId, id, now } = args;
  return inTransaction(db, async (tx) => {
    const row = await q.findSubscription(tx, userId, id);
    if (!row) return refuse(404, "Sorry, we couldn't find the subscription you were looking for.");
    const target = { type: row.target_type, id: row.target_id };
    if ((await q.removeSubscription(tx, userId, target)) && target.type === "work")
      await bumpCounts(tx, { workId: target.id }, { subscriptions: -1 }, now);
    return ok();
  });
}

// ── Events from the works domain (job handlers) ───────────────────────────────────────────

/** Subscribers told per statement: keeps `in (…)` lists well inside both engines' limits. */
const BATCH = 500;

/**
 * "Pseud (login)" when the pseud is not the login, as subscribers follow logins; "Anonymous"
 * for a work in an anonymous collection (works/present.ts `bylineOf`).
 */
const byline = (work: Work, creators: readonly Creator[]) =>
  bylineOf(work, [...creators])
    .map((c) => c.name)
    .join(", ");

/**
 * Whose subscribers hear of a post: nobody's while the work waits for its collection's
 * reveal (nobody may read it; `work.revealed` announces it then), as for a hidden work; an
 * anonymous work's subscribers but never its creators' (issue 15: following a writer must
 * not find their anonymous works), and it names no actor.
 */
function audience(work: Work | undefined, creators: readonly Creator[]) {
  if (!work?.posted || seenBy(work) === "nobody") return null;
  const creatorIds = [...new Set(creators.map((c) => c.userId))];
  const anonymous = work.in_anon_collection === 1;
  return {
    creatorIds,
    followedIds: anonymous ? [] : creatorIds,
    actorUserId: anonymous ? null : (creatorIds[0] ?? null),
  };
}

/**
 * Everyone to tell about a post: `subscribers` minus the creators, minus readers who muted a
 * creator (their works disappear for them: `mutedIds`, the creators unless the work is
 * anonymous, which a mute leaves listed), minus anyone already told (a job can run twice).
 */
export async function recipients(
  tx: Queryable,
  subscribers: readonly number[],
  creatorIds: readonly number[],
  already: (batch: number[]) => Promise<Set<number>>,
  mutedIds: readonly number[] = creatorIds,
): Promise<number[]> {
  const out: number[] = [];
  const candidates = subscribers.filter((id) => !creatorIds.includes(id));
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const [muting, told] = await Promise.all([
      q.whoMutedAnyOf(tx, batch, mutedIds),
      already(batch),
    ]);
    out.push(...batch.filter((id) => !muting.has(id) && !told.has(id)));
  }
  return out;
}

/** A work became visible: tell those subscribed to any of its creators. */
export async function announceNewWork(
  db: Db,
  args: { workId: number; now: number },
): Promise<number> {
  const { workId, now } = args;
  return db.transaction().execute(async (tx) => {
    // One announcement of a work at a time: a series' may run beside it (series.ts).
    await lockForAnnouncing(tx, workId);
    const work = await findWork(tx, workId);
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    // Hidden by a moderator, held as spam or unrevealed: nobody may read it, so nobody hears
    // of it (a released or revealed work is announced then). Anonymous: no creator's
    // subscribers, and a new work has no others.
    const to = audience(work, creators);
    if (!work || !to || to.followedIds.length === 0) return 0;
    const subscribers = await q.subscribersOf(tx, { userIds: to.followedIds });
    const users = await recipients(
      tx,
      subscribers,
      to.creatorIds,
      (batch) => alreadyNotified(tx, "new_work", { workId }, batch),
      to.followedIds,
    );
    return notifyMany(
      tx,
      users,
      {
        kind: "new_work",
        workId,
        actorUserId: to.actorUserId,
        text: `${byline(work, creators)} posted a new work, “${work.title}”.`,
        url: `/works/${workId}`,
      },
      now,
    );
  });
}

/** A chapter of a posted work became visible: tell the work's and the creators' subscribers. */
export async function announceNewChapter(
  db: Db,
  args: { workId: number; chapterId: number; now: number },
): Promise<number> {
  const { workId, chapterId, now } = args;
  return db.transaction().execute(async (tx) => {
    const work = await findWork(tx, workId);
    const chapter = await findChapter(tx, workId, chapterId);
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    const to = audience(work, creators);
    if (!work || !to || !chapter?.posted) return 0;
    const subscribers = await q.subscribersOf(tx, { workId, userIds: to.followedIds });
    const users = await recipients(
      tx,
      subscribers,
      to.creatorIds,
      (batch) => alreadyNotified(tx, "new_chapter", { chapterId }, batch),
      to.followedIds,
    );
    const name = chapter.title
      ? `Chapter ${chapter.position}: ${chapter.title}`
      : `Chapter ${chapter.position}`;
    return notifyMany(
      tx,
      users,
      {
        kind: "new_chapter",
        workId,
        chapterId,
        actorUserId: to.actorUserId,
        text: `${byline(work, creators)} posted ${name} of “${work.title}”.`,
        url: `/works/${workId}/chapters/${chapterId}`,
      },
      now,
    );
  });
}
