/**
 * The daily kudos digest: for each work that received kudos on a UTC day, each creator gets
 * one notification "N people left kudos on <title>" once that day is over. A digest row is
 * unique per (day, user, work), so a job that runs twice, or two workers, never duplicate one.
 * The job runs hourly and catches up on up to a week of days it missed (a stopped server).
 */
import type { Db } from "../../core/db/index.ts";
import { creatorsOfWorks } from "../../works/queries.ts";
import { dayOf, dayStart } from "../counters/queries.ts";
import { deliver } from "./notify.ts";
import { kudosPerWork, lastDigestDay, mutedKudosPerCreator } from "./queries.ts";

export const KUDOS_DIGEST_JOB = "kudos.digest";
export const KUDOS_DIGEST_EVERY_MS = 3_600_000;
const CATCH_UP_DAYS = 7;

/** Digests every finished day not yet covered; returns how many notifications it made. */
export async function runKudosDigest(db: Db, now: number): Promise<number> {
  const today = dayOf(now);
  const last = await lastDigestDay(db);
  let made = 0;
  for (let day = Math.max((last ?? -Infinity) + 1, today - CATCH_UP_DAYS); day < today; day++) {
    made += await digestDay(db, day, now);
  }
  return made;
}

/** One day's digest, in one transaction (so `lastDigestDay` only ever sees whole days). */
export async function digestDay(db: Db, day: number, now: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const from = dayStart(day);
    const to = dayStart(day + 1);
    const works = await kudosPerWork(tx, from, to);
    if (works.length === 0) return 0;
    const ids = works.map((w) => w.workId);
    const [creators, muted] = await Promise.all([
      creatorsOfWorks(tx, ids),
      mutedKudosPerCreator(tx, ids, from, to),
    ]);
    const mutedCount = new Map(muted.map((m) => [`${m.workId}:${m.userId}`, m.count]));
    let made = 0;
    for (const work of works) {
      const userIds = new Set((creators.get(work.workId) ?? []).map((c) => c.userId));
      for (const userId of userIds) {
        const count = work.count - (mutedCount.get(`${work.workId}:${userId}`) ?? 0);
        if (count <= 0) continue;
        const who = count === 1 ? "1 person" : `${count} people`;
        const added = await deliver(
          tx,
          {
            userId,
            kind: "kudos",
            workId: work.workId,
            text: `${who} left kudos on “${work.title}”.`,
            url: `/works/${work.workId}`,
            count,
            digestDay: day,
          },
          now,
        );
        if (added) made += 1;
      }
    }
    return made;
  });
}
