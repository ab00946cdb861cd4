/**
 * Every rule about who may see a work, in one place. Listings, counts and feeds use
 * `listedTo()`; single pages use `accessTo()` and `needsAdultGate()`. Later rules (hidden by
 * an admin, muted creators, saved exclusions) are added here and nowhere else.
 *
 * Hidden by a moderator (`works.hidden_reason` not null, issue 13; spam held for review uses
 * the same column): no listing, count, feed or search shows the work to anyone; its page
 * answers 404 except to its creators and moderators, who see it with the reason.
 */
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../core/db/schema.ts";
import { may } from "../core/permissions.ts";
import type { Viewer } from "../core/viewer.ts";
import type { Audience, SeenBy } from "../tags/count-queries.ts";
import { GATED_RATINGS } from "../tags/fixed.ts";

/**
 * What every listing leaves out for `viewer`, whether it is answered by SQL (`listedTo`) or
 * by the search index: drafts always; restricted works for guests; and, unless the reader
 * turned them off for one search, their saved exclusions (tags, muted users).
 */
export interface ListingRules {
  showRestricted: boolean;
  /** Folded tag ids: works carrying any of them are left out. */
  hiddenTagIds: readonly number[];
  /** Works credited to any of these users are left out. */
  mutedUserIds: readonly number[];
}

export function listingRules(viewer: Viewer, opts: { exclusions?: boolean } = {}): ListingRules {
  const apply = opts.exclusions ?? true;
  return {
    showRestricted: viewer.user !== null,
    hiddenTagIds: apply ? (viewer.user?.exclusions.tagIds ?? []) : [],
    mutedUserIds: apply ? (viewer.user?.exclusions.userIds ?? []) : [],
  };
}

/** True when the rules hide anything beyond drafts and restricted works. */
export function rulesExclude(rules: ListingRules): boolean {
  return rules.hiddenTagIds.length > 0 || rules.mutedUserIds.length > 0;
}

/** The SQL condition for works that may appear in any listing shown to `viewer`. */
export function listedTo(viewer: Viewer, rules: ListingRules = listingRules(viewer)) {
  return (eb: ExpressionBuilder<Database, "works">) => {
    const conditions = [
      eb("works.posted", "=", 1),
      eb("works.hidden_reason", "is", null),
      eb("works.in_unrevealed_collection", "=", 0),
    ];
    if (!rules.showRestricted) conditions.push(eb("works.restricted", "=", 0));
    if (rules.hiddenTagIds.length > 0) {
      conditions.push(
        eb.not(
          eb.exists(
            eb
              .selectFrom("work_filter_tags")
              .select("work_filter_tags.work_id")
              .whereRef("work_filter_tags.work_id", "=", "works.id")
              .where("work_filter_tags.tag_id", "in", rules.hiddenTagIds),
          ),
        ),
      );
    }
    if (rules.mutedUserIds.length > 0) {
      conditions.push(
        eb.not(
          eb.exists(
            eb
              .selectFrom("creatorships")
              .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
              .select("creatorships.work_id")
              .whereRef("creatorships.work_id", "=", "works.id")
              .where("pseuds.user_id", "in", rules.mutedUserIds)
              // Muting must not reveal who wrote an anonymous work by hiding it.
              .where("works.in_anon_collection", "=", 0),
          ),
        ),
      );
    }
    return eb.and(conditions);
  };
}

/**
 * The works `viewer` sees inside a series (issue 15), for its page, its counts and a work's
 * previous/next links: what listings show them (their saved exclusions aside, as on a work
 * page), less works in an anonymous collection ("Part 3 of X's series" would name the
 * author), plus every work the viewer created (drafts too), so creators see the whole series.
 */
export function inSeriesTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "works">) => {
    const shown = eb.and([
      listedTo(viewer, listingRules(viewer, { exclusions: false }))(eb),
      eb("works.in_anon_collection", "=", 0),
    ]);
    if (!viewer.user) return shown;
    return eb.or([
      shown,
      eb.exists(
        eb
          .selectFrom("creatorships")
          .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
          .select("creatorships.work_id")
          .whereRef("creatorships.work_id", "=", "works.id")
          .where("pseuds.user_id", "=", viewer.user.id),
      ),
    ]);
  };
}

/**
 * Whether a work's page and blurb name its series: not while it is anonymous or unrevealed
 * (the series names its creators), except to the work's own creators.
 */
export function showsSeries(
  work: { in_anon_collection: number; in_unrevealed_collection: number },
  isCreator: boolean,
): boolean {
  return isCreator || (work.in_anon_collection === 0 && work.in_unrevealed_collection === 0);
}

/**
 * The SQL condition for works `viewer` may find by who wrote them (issue 15): in "works by"
 * listings and counts (a profile, a pseud, their feeds and catalogs, a muted writer's count),
 * an anonymous work appears only to its own creators, or it would name them. Add it to
 * `listedTo` wherever the listing is chosen by creator.
 */
export function creditsKnownTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "works">) => {
    const named = eb("works.in_anon_collection", "=", 0);
    const me = viewer.user;
    if (!me) return named;
    return eb.or([
      named,
      eb.exists(
        eb
          .selectFrom("creatorships")
          .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
          .select("creatorships.work_id")
          .whereRef("creatorships.work_id", "=", "works.id")
          .where("pseuds.user_id", "=", me.id),
      ),
    ]);
  };
}

/**
 * Who may find a work in listings and counts (tag use counts follow this): a draft, a work
 * hidden by a moderator or one waiting for its collection's reveal nobody, a restricted work
 * logged-in readers, any other everyone.
 */
export function seenBy(work: {
  posted: number;
  restricted: number;
  /** Optional for works being made (never hidden yet); pass it for stored works. */
  hidden_reason?: string | null;
  in_unrevealed_collection?: number;
}): SeenBy {
  if (!work.posted || work.hidden_reason != null || work.in_unrevealed_collection) return "nobody";
  return work.restricted ? "members" : "public";
}

/** Whose tag counts `viewer` is shown: the same line listings draw for restricted works. */
export function audienceOf(viewer: Viewer): Audience {
  return listingRules(viewer, { exclusions: false }).showRestricted ? "members" : "public";
}

export type Access = "ok" | "not-found" | "login-required";

/** Moderators see hidden works (with the reason), to review them. */
export const seesHidden = (viewer: Viewer): boolean => may(viewer.user, "content.moderate");

/**
 * Whether `viewer` may open a work; drafts are their creators' alone, and a hidden or
 * unrevealed work its creators' and moderators'.
 */
export function accessTo(
  viewer: Viewer,
  work: {
    posted: number;
    restricted: number;
    hidden_reason?: string | null;
    in_unrevealed_collection?: number;
  },
  isCreator: boolean,
): Access {
  if (isCreator) return "ok";
  if ((work.hidden_reason != null || work.in_unrevealed_collection) && !seesHidden(viewer))
    return "not-found";
  if (!work.posted) return "not-found";
  if (work.restricted && !viewer.user) return "login-required";
  return "ok";
}

/** Chapters a reader sees: posted ones, and the creator also sees drafts. */
export function chapterShown(chapter: { posted: number }, isCreator: boolean): boolean {
  return isCreator || chapter.posted === 1;
}

/**
 * Mature, Explicit and Not Rated works ask first, unless the reader said "Proceed" this
 * session, turned the warning off in preferences, or created the work.
 */
export function needsAdultGate(viewer: Viewer, ratingName: string, isCreator: boolean): boolean {
  if (!GATED_RATINGS.has(ratingName) || isCreator) return false;
  return !(viewer.adultConsent || viewer.user?.viewAdult);
}
