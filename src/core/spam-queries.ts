/**
 * Holding likely spam for a moderator (issue 13): the lookups the spam score needs (how often
 * the same text was posted recently, how often the same guest or account posted in the last
 * hour, how old the account is) and the hold itself. The writers call one function each,
 * inside their own transaction: comments (`holdGuestCommentIfSpam`, guest comments only) and
 * works (`holdFirstWorkIfSpam`, a new account's first posted work only). It lives in core
 * because engagement and works may not import the moderation side (src/moderation/spam), which
 * lists what was held and decides.
 *
 * Held content keeps its place but gets `hidden_reason` = HELD_FOR_SPAM: hidden from everyone
 * but its writer and moderators, out of every count, announced to nobody.
 */
import { createHash } from "node:crypto";
import type { Queryable } from "./db/index.ts";
import type { SpamSubjectType } from "./db/schema.ts";
import type { SanitizedHtml } from "./text/sanitize.ts";
import { isHeld, spamScore, spamTextOf, type SpamScore } from "./text/spam-score.ts";

/** The hidden_reason of content held by the spam score. */
export const HELD_FOR_SPAM = "Held for review as possible spam";
/** The hidden_reason of content a moderator marked as spam. */
export const MARKED_AS_SPAM = "Spam";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * An account younger than this whose work is its first posted one has that work scored.
 * Older accounts, and later works, are trusted: moderators still have reports and "spam".
 */
export const NEW_ACCOUNT_MS = 7 * DAY_MS;
/** "Recently" for duplicates: the same text within a day. */
const DUPLICATE_WINDOW_MS = DAY_MS;

/**
 * A guest's key: a hash of the e-mail they gave (lower-cased), so held comments from one guest
 * can be told together without keeping the address a second time.
 */
export function guestKeyOf(email: string): string {
  return createHash("sha256")
    .update(`fanfold-guest:${email.trim().toLowerCase()}`)
    .digest("hex")
    .slice(0, 32);
}

const count = (row: { n: number | string | bigint } | undefined) => Number(row?.n ?? 0);

/**
 * Scores a guest's comment, already inserted as `commentId`, and holds it when the score
 * reaches the threshold. True when held: the caller then leaves counters and notifications
 * alone. The guest's e-mail is only compared, never read back (as comments/queries.ts promises).
 */
export async function holdGuestCommentIfSpam(
  db: Queryable,
  args: { commentId: number; bodyHtml: SanitizedHtml; guestEmail: string; now: number },
): Promise<boolean> {
  const { commentId, bodyHtml, guestEmail, now } = args;
  const [duplicates, recent] = await Promise.all([
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("body_html", "=", bodyHtml)
      .where("created_at", ">=", now - DUPLICATE_WINDOW_MS)
      .where("id", "!=", commentId)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("user_id", "is", null)
      .where("guest_email", "=", guestEmail)
      .where("created_at", ">=", now - HOUR_MS)
      .where("id", "!=", commentId)
      .executeTakeFirst(),
  ]);
  const score = spamScore({
    ...spamTextOf(bodyHtml),
    recentDuplicates: count(duplicates),
    recentPosts: count(recent),
    accountAgeMs: null,
  });
  if (!isHeld(score)) return false;
  await db
    .updateTable("comments")
    .set({ hidden_reason: HELD_FOR_SPAM, hidden_at: now })
    .where("id", "=", commentId)
    .execute();
  await recordHeld(db, {
    subjectType: "comment",
    subjectId: commentId,
    userId: null,
    guestKey: guestKeyOf(guestEmail),
    score,
    now,
  });
  return true;
}

/**
 * Scores a work that was just posted when it is its account's first posted work and the
 * account is younger than NEW_ACCOUNT_MS, and holds it when the score reaches the threshold.
 * True when held: the caller then takes the work out of tag counts and announces nothing.
 */
export async function holdFirstWorkIfSpam(
  db: Queryable,
  args: { workId: number; now: number },
): Promise<boolean> {
  const { workId, now } = args;
  const creators = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select(["users.id", "users.created_at"])
    .where("creatorships.work_id", "=", workId)
    .execute();
  // Only single-creator works of a new account (co-created works involve someone trusted).
  const [creator] = creators;
  if (creators.length !== 1 || !creator) return false;
  const ageMs = Math.max(0, now - creator.created_at);
  if (ageMs >= NEW_ACCOUNT_MS) return false;
  const earlier = await db
    .selectFrom("works")
    .innerJoin("creatorships", "creatorships.work_id", "works.id")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("pseuds.user_id", "=", creator.id)
    .where("works.posted", "=", 1)
    .where("works.id", "!=", workId)
    .executeTakeFirst();
  if (count(earlier) > 0) return false;

  const work = await db
    .selectFrom("works")
    .select(["title", "summary_html", "notes_html", "end_notes_html"])
    .where("id", "=", workId)
    .executeTakeFirst();
  if (!work) return false;
  const chapters = await db
    .selectFrom("chapters")
    .select("text_html")
    .where("work_id", "=", workId)
    .where("posted", "=", 1)
    .execute();
  const texts = chapters.map((c) => c.text_html);
  const duplicates =
    texts.length === 0
      ? undefined
      : await db
          .selectFrom("chapters")
          .select((eb) => eb.fn.countAll<number | string>().as("n"))
          .where("text_html", "in", texts)
          .where("created_at", ">=", now - DUPLICATE_WINDOW_MS)
          .where("work_id", "!=", workId)
          .executeTakeFirst();
  const [worksLastHour, commentsLastHour] = await Promise.all([
    db
      .selectFrom("works")
      .innerJoin("creatorships", "creatorships.work_id", "works.id")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("pseuds.user_id", "=", creator.id)
      .where("works.created_at", ">=", now - HOUR_MS)
      .where("works.id", "!=", workId)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("user_id", "=", creator.id)
      .where("created_at", ">=", now - HOUR_MS)
      .executeTakeFirst(),
  ]);
  const html = [work.summary_html, work.notes_html, ...texts, work.end_notes_html].join("\n");
  const { text, links } = spamTextOf(html);
  const score = spamScore({
    text: `${work.title}\n\n${text}`,
    links,
    recentDuplicates: count(duplicates),
    recentPosts: count(worksLastHour) + count(commentsLastHour),
    accountAgeMs: ageMs,
  });
  if (!isHeld(score)) return false;
  await db
    .updateTable("works")
    .set({ hidden_reason: HELD_FOR_SPAM, hidden_at: now })
    .where("id", "=", workId)
    .execute();
  await recordHeld(db, {
    subjectType: "work",
    subjectId: workId,
    userId: creator.id,
    guestKey: null,
    score,
    now,
  });
  return true;
}

async function recordHeld(
  db: Queryable,
  args: {
    subjectType: SpamSubjectType;
    subjectId: number;
    userId: number | null;
    guestKey: string | null;
    score: SpamScore;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto("spam_events")
    .values({
      subject_type: args.subjectType,
      subject_id: args.subjectId,
      user_id: args.userId,
      guest_key: args.guestKey,
      score: args.score.score,
      reasons: JSON.stringify(args.score.reasons),
      status: "held",
      created_at: args.now,
      decided_by_user_id: null,
      decided_at: null,
    })
    .execute();
}
