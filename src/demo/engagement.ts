/**
 * Gives the demo archive readers: kudos (from demo accounts and guests), comment threads with
 * the author's replies, bookmarks with tags and recs, subscriptions, and a month of hits —
 * through the engagement commands and queries, so counts, inboxes and statistics pages all
 * show what they would on a lived-in archive. Popular works get more of everything.
 */
import type { Db } from "../core/db/index.ts";
import { NO_EXCLUSIONS, type ViewerUser } from "../core/viewer.ts";
import { createBookmark } from "../engagement/bookmarks/commands.ts";
import { postComment } from "../engagement/comments/commands.ts";
import { bumpCounts, dayStart, dayOf } from "../engagement/counters/queries.ts";
import { insertKudosIn } from "../engagement/kudos/queries.ts";
import { addSubscription } from "../engagement/subscriptions/queries.ts";
import { demoEngagementTargets } from "./queries.ts";
import { createRandom } from "./random.ts";

const COMMENTS = [
  "yay",
  "I loved the ending!",
  "This made my whole week. Thank you for writing it.",
  "The dialogue in the middle had me laughing out loud.",
  "Oh no, my heart. Please tell me there will be more?",
  "I keep coming back to re-read this one.",
  "The slow build was worth every word.",
  "Nay — just kidding, this was wonderful.",
];
const REPLIES = [
  "Thank you so much for reading!",
  "I'm so glad it worked for you :)",
  "More is coming soon, I promise.",
];
const BOOKMARK_TAGS = ["favourites", "to reread", "comfort reads", "angst", "fluff", "recs"];

const DAY_MS = 86_400_000;

export async function engageDemo(
  db: Db,
  opts: { seed?: number; now?: number } = {},
): Promise<{ kudos: number; comments: number; bookmarks: number }> {
  const r = createRandom(opts.seed ?? 1, 6);
  const now = opts.now ?? Date.now();
  const { users, works } = await demoEngagementTargets(db);
  if (users.length < 2 || works.length === 0) return { kudos: 0, comments: 0, bookmarks: 0 };
  const reader = (u: (typeof users)[number]): ViewerUser => ({
    id: u.id,
    login: u.login,
    roles: new Set(),
    viewAdult: true,
    exclusions: NO_EXCLUSIONS,
    unreadNotifications: 0,
    suspendedUntil: null,
  });
  const totals = { kudos: 0, comments: 0, bookmarks: 0 };
  // Who likes what, decided first (seeded): a few works are everyone's favourites.
  const plans = works.map((work) => {
    const appeal = r.next() ** 2;
    const others = users.filter((u) => !work.creatorIds.includes(u.id));
    const fans = r.shuffle([...others]).slice(0, Math.round(appeal * others.length));
    return { work, appeal, fans, guests: Math.round(appeal * r.int(0, 12)) };
  });
  const when = (daysBack: number) => now - Math.round(daysBack * DAY_MS * r.next());

  // Kudos, subscriptions and a month of hits: thousands of small writes, in one transaction.
  await db.transaction().execute(async (tx) => {
    for (const { work, appeal, fans, guests } of plans) {
      for (const fan of fans) {
        if (await insertKudosIn(tx, work.id, { userId: fan.id }, when(30))) totals.kudos++;
      }
      for (let g = guests; g > 0; g--) {
        const guestKey = r.uint32().toString(16).padStart(8, "0").repeat(4);
        if (await insertKudosIn(tx, work.id, { guestKey }, when(30))) totals.kudos++;
      }
      for (const fan of fans.slice(0, Math.round(fans.length / 4))) {
        if (await addSubscription(tx, fan.id, { type: "work", id: work.id }, when(30)))
          await bumpCounts(tx, { workId: work.id }, { subscriptions: 1 }, now);
      }
      // Readers day by day (visitors of past days need no de-duplication).
      const daily = 1 + Math.round(appeal * 40);
      for (let back = 29; back >= 0; back--) {
        const hits = r.int(0, daily);
        if (hits > 0)
          await bumpCounts(
            tx,
            { workId: work.id },
            { hits },
            dayStart(dayOf(now) - back) + 3_600_000,
          );
      }
    }
  });

  // Comments and bookmarks through their commands (threads, notifications, counters).
  for (const { work, fans } of plans) {
    const commentWork = {
      id: work.id,
      title: work.title,
      posted: true,
      commentPolicy: work.commentPolicy,
      moderated: false,
      creatorUserIds: work.creatorIds,
      anonymous: false,
    };
    const author = users.find((u) => u.id === work.creatorIds[0]);
    for (const fan of fans.slice(0, r.int(0, Math.min(3, fans.length)))) {
      const posted = await postComment(db, {
        work: commentWork,
        by: reader(fan),
        input: { signed_as: "account", comment_content: r.pick(COMMENTS) },
        parentId: null,
        now: when(20),
      });
      if (!posted.ok) continue;
      totals.comments++;
      if (author && r.chance(0.5)) {
        const reply = await postComment(db, {
          work: commentWork,
          by: reader(author),
          input: { signed_as: "account", comment_content: r.pick(REPLIES) },
          parentId: posted.value.id,
          now: when(10),
        });
        if (reply.ok) totals.comments++;
      }
    }
    for (const fan of fans.slice(0, Math.round(fans.length / 3))) {
      const saved = await createBookmark(db, {
        userId: fan.id,
        workId: work.id,
        pseudId: fan.pseudId,
        input: {
          notes: r.chance(0.3) ? "<p>One to come back to.</p>" : "",
          tags: r.shuffle([...BOOKMARK_TAGS]).slice(0, r.int(0, 2)),
          private: r.chance(0.15),
          rec: r.chance(0.3),
        },
        now: when(30),
      });
      if (saved.ok) totals.bookmarks++;
    }
  }
  return totals;
}
