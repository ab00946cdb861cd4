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
import { creatorsOfWorks, findWork, type Creator } from "../../works/queries.ts";
import { bumpCounts } from "../counters/queries.ts";
import { notifyMany } from "../notifications/notify.ts";
import { alreadyNotified } from "../notifications/queries.ts";
import * as q from "./queries.ts";

export type Toggled = "subscribed" | "unsubscribed";

/** What a reader follows: a work as loaded for them (so its creators are known), or a user. */
export type Followed = { type: "work"; loaded: LoadedWork } | { type: "user"; id: number };

/** Nobody follows themselves: a creator already knows when their work gets a new chapter. */
function ownRefusal(userId: number, followed: Followed): Refusal | null {
  if (followed.type === "work")
    return followed.loaded.isCreator
      ? refuse(
          422,
          "You can't subscribe to your own work: you already know when it gets a new chapter.",
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
    followed.type === "work" ? { type: "work", id: followed.loaded.work.id } : followed;
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

/** "Pseud (login)" when the pseud is not the login, as subscribers follow logins. */
const byline = (creators: readonly Creator[]) =>
  creators
    .map((c) => (c.pseudName === c.login ? c.login : `${c.pseudName} (${c.login})`))
    .join(", ");

/**
 * Everyone to tell about a post: `subscribers` minus the creators, minus readers who muted a
 * creator (their works disappear for them), minus anyone already told (a job can run twice).
 */
async function recipients(
  tx: Queryable,
  subscribers: readonly number[],
  creatorIds: readonly number[],
  already: (batch: number[]) => Promise<Set<number>>,
): Promise<number[]> {
  const out: number[] = [];
  const candidates = subscribers.filter((id) => !creatorIds.includes(id));
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const [muting, told] = await Promise.all([
      q.whoMutedAnyOf(tx, batch, creatorIds),
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
    const work = await findWork(tx, workId);
    // Hidden by a moderator or held as spam: nobody may read it, so nobody hears of it (a
    // released work is announced then).
    if (!work?.posted || work.hidden_reason !== null) return 0;
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    const creatorIds = [...new Set(creators.map((c) => c.userId))];
    const subscribers = await q.subscribersOf(tx, { userIds: creatorIds });
    const users = await recipients(tx, subscribers, creatorIds, (batch) =>
      alreadyNotified(tx, "new_work", { workId }, batch),
    );
    return notifyMany(
      tx,
      users,
      {
        kind: "new_work",
        workId,
        actorUserId: creatorIds[0] ?? null,
        text: `${byline(creators)} posted a new work, “${work.title}”.`,
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
    if (!work?.posted || !chapter?.posted || work.hidden_reason !== null) return 0;
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    const creatorIds = [...new Set(creators.map((c) => c.userId))];
    const subscribers = await q.subscribersOf(tx, { workId, userIds: creatorIds });
    const users = await recipients(tx, subscribers, creatorIds, (batch) =>
      alreadyNotified(tx, "new_chapter", { chapterId }, batch),
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
        actorUserId: creatorIds[0] ?? null,
        text: `${byline(creators)} posted ${name} of “${work.title}”.`,
        url: `/works/${workId}/chapters/${chapterId}`,
      },
      now,
    );
  });
}
