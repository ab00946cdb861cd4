/**
 * Telling a series' subscribers of a new work in it (issue 15). A work becomes visible in a
 * series when it is posted or revealed while in one (`work.posted`, `work.revealed`), or when a
 * posted work joins one (`series.work-added`, queued by works/series/). Each reader hears of a
 * work once, whatever they follow: the series, several series it is in, its creators
 * (`alreadyNotified` on the work's `new_work` notices, written in this transaction too).
 *
 * Never for a draft, a work hidden by a moderator, nor one in an anonymous or unrevealed
 * collection: a series names its creators, so such a work is not part of its series for
 * readers (works/visibility.ts `showsSeries`); a revealed work is announced at its reveal.
 * As with author subscriptions, restricted works are announced (subscribers are logged in),
 * the work's creators are not told, and readers who muted a creator are left out.
 */
import type { Db } from "../../core/db/index.ts";
import { creatorsOfWorks, findWork } from "../../works/queries.ts";
import { showsSeries } from "../../works/visibility.ts";
import { notifyMany } from "../notifications/notify.ts";
import { alreadyNotified } from "../notifications/queries.ts";
import { seriesOfWork } from "../series/queries.ts";
import { recipients } from "./commands.ts";
import { lockForAnnouncing, subscribersOfSeries } from "./series-queries.ts";

/**
 * Tells the subscribers of every series the work is in (or of `seriesId` alone) about it;
 * returns how many were told.
 */
export async function announceInSeries(
  db: Db,
  args: { workId: number; seriesId?: number; now: number },
): Promise<number> {
  const { workId, now } = args;
  return db.transaction().execute(async (tx) => {
    await lockForAnnouncing(tx, workId);
    const work = await findWork(tx, workId);
    if (!work?.posted || work.hidden_reason !== null || !showsSeries(work, false)) return 0;
    const series = await seriesOfWork(tx, workId, args.seriesId);
    if (series.length === 0) return 0;
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    const creatorIds = [...new Set(creators.map((c) => c.userId))];
    let told = 0;
    for (const s of series) {
      const subscribers = await subscribersOfSeries(tx, s.id);
      const users = await recipients(tx, subscribers, creatorIds, (batch) =>
        alreadyNotified(tx, "new_work", { workId }, batch),
      );
      told += await notifyMany(
        tx,
        users,
        {
          kind: "new_work",
          workId,
          actorUserId: creatorIds[0] ?? null,
          text: `New work in series ${s.title}: ${work.title}`,
          url: `/works/${workId}`,
        },
        now,
      );
    }
    return told;
  });
}
