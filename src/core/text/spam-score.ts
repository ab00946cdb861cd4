/**
 * The spam score (issue 13): how much a guest comment, or a new account's first work, looks
 * like spam. A pure function of signals the caller gathers: the text and its links, how much of
 * it repeats itself, how often the same text was posted recently, how often the same guest or
 * account posted in the last hour, and the account's age. Content scoring SPAM_THRESHOLD or
 * more is held for a moderator (/admin/spam) instead of being shown.
 *
 * It lives in core because the two writers that call it (comments in engagement, works in
 * works) may not import the moderation side. The weights are deliberately plain: each signal
 * adds a capped number of points, every reason is named, and no signal can lower the score, so
 * moderators can read why something was held and predict what will be.
 */
import { readHtml } from "./html-stream.ts";
import { htmlToPlainText } from "./sanitize.ts";

/**
 * At or above this score content is held for review. One link in a long chapter scores 15;
 * one link in a one-line comment 40; two or more links in a one-line comment 55 and up. No
 * signal but links can hold content on its own: copies, a burst of posts, repeated text and
 * advertising words are each capped below the threshold and only hold together.
 */
export const SPAM_THRESHOLD = 50;

/** The most a score can be. */
export const SPAM_MAX = 100;

export interface SpamSignals {
  /** Plain text of the sanitized HTML (`spamTextOf`). */
  text: string;
  /** Links: `<a href>` elements plus bare URLs in the text. */
  links: number;
  /** How often the same text was posted (by anyone) recently, not counting this post. */
  recentDuplicates: number;
  /** Posts by the same guest or account in the last hour, not counting this one. */
  recentPosts: number;
  /** Age of the posting account in ms; null for a guest. */
  accountAgeMs: number | null;
}

export interface SpamScore {
  /** 0 to SPAM_MAX. */
  score: number;
  /** One sentence per signal that added points, for the moderators' page. */
  reasons: string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Words that mostly appear in advertising; each found adds a little, never much. */
const SPAM_TERMS = [
  "viagra",
  "cialis",
  "cheap meds",
  "pharmacy",
  "payday loan",
  "casino bonus",
  "crypto",
  "bitcoin",
  "forex",
  "backlinks",
  "seo services",
  "buy now",
  "click here",
  "free money",
  "escort service",
];

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const WORD_RE = /[\p{L}\p{N}]+/gu;

/** The plain text of sanitized HTML and its links (anchors with an href, plus bare URLs). */
export function spamTextOf(html: string): { text: string; links: number } {
  let anchors = 0;
  let inAnchor = 0;
  const outside: string[] = [];
  readHtml(html, {
    onopentag(name, attribs) {
      if (name === "a") {
        inAnchor++;
        if (attribs.href) anchors++;
      }
    },
    onclosetag(name) {
      if (name === "a" && inAnchor > 0) inAnchor--;
    },
    ontext(text) {
      // A URL that is an anchor's own text is that anchor, not a second link.
      if (inAnchor === 0) outside.push(text);
    },
  });
  const bare = outside.join(" ").match(URL_RE)?.length ?? 0;
  return { text: htmlToPlainText(html), links: anchors + bare };
}

/**
 * The share (0 to 1) of the text that repeats itself: the larger of the share of non-empty
 * lines that occur more than once and the share of four-word runs seen before. Prose almost
 * never repeats a four-word run; "buy now buy now buy now" and pasted blocks do. Texts too
 * short to tell (under three lines and under twelve words) answer 0.
 */
export function repeatedShare(text: string): number {
  const lines = text
    .split("\n")
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== "");
  let lineShare = 0;
  if (lines.length >= 3) {
    const seen = new Map<string, number>();
    for (const l of lines) seen.set(l, (seen.get(l) ?? 0) + 1);
    const repeated = lines.filter((l) => (seen.get(l) ?? 0) > 1).length;
    lineShare = repeated / lines.length;
  }
  const words = (text.toLowerCase().match(WORD_RE) ?? []) as string[];
  let runShare = 0;
  if (words.length >= 12) {
    const seen = new Set<string>();
    let repeats = 0;
    const runs = words.length - 3;
    for (let i = 0; i < runs; i++) {
      const run = words.slice(i, i + 4).join(" ");
      if (seen.has(run)) repeats++;
      else seen.add(run);
    }
    runShare = repeats / runs;
  }
  return Math.max(lineShare, runShare);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Scores a post; see SpamSignals for what each input means. */
export function spamScore(signals: SpamSignals): SpamScore {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    if (points <= 0) return;
    score += points;
    reasons.push(reason);
  };
  const text = signals.text;
  const words = text.match(WORD_RE)?.length ?? 0;
  const links = Math.max(0, Math.floor(signals.links));

  // Links: 15 each up to 45, and 25 more when there is a link for every 25 words or fewer
  // (a chapter with one link is fine; a few words wrapped around links is advertising).
  if (links > 0) {
    const dense = links * 25 >= words;
    add(
      Math.min(45, 15 * links) + (dense ? 25 : 0),
      dense
        ? `${plural(links, "link")} in ${plural(words, "word")} of text`
        : `${plural(links, "link")}`,
    );
  }

  // Text repeating itself: nothing below a fifth repeated, up to 40 when most of it repeats.
  const share = repeatedShare(text);
  add(
    Math.round(40 * Math.min(1, Math.max(0, (share - 0.2) / 0.6))),
    `${Math.round(share * 100)}% of the text repeats itself`,
  );

  // The same text posted before: 20 per copy (10 for short texts such as "Loved it!",
  // which readers really do write twice), up to 35.
  const dups = Math.max(0, Math.floor(signals.recentDuplicates));
  add(
    Math.min(35, dups * (text.length >= 40 ? 20 : 10)),
    `the same text was posted ${plural(dups, "time")} recently`,
  );

  // Rate: three posts an hour is an eager reader; each one beyond adds 8, up to 40.
  const posts = Math.max(0, Math.floor(signals.recentPosts));
  add(Math.min(40, Math.max(0, posts - 3) * 8), `${plural(posts, "other post")} in the last hour`);

  // Advertising vocabulary: 10 per term, up to 20.
  const lower = text.toLowerCase();
  const terms = SPAM_TERMS.filter((t) => lower.includes(t));
  add(Math.min(20, terms.length * 10), `advertising words (${terms.join(", ")})`);

  // A brand-new account: 5 in its first day (a guest has no account age). Only new accounts'
  // first works are scored at all, so age is a small nudge, never a hold of its own.
  const age = signals.accountAgeMs;
  if (age !== null && age < DAY_MS) add(5, "the account is less than a day old");

  return { score: Math.min(SPAM_MAX, score), reasons };
}

/** True when a score means the content is held for review. */
export const isHeld = (score: SpamScore): boolean => score.score >= SPAM_THRESHOLD;
