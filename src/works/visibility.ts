/**
 * Every rule about who may see a work, in one place. Listings, counts and feeds use
 * `listedTo()`; single pages use `accessTo()` and `needsAdultGate()`. Later rules (hidden by
 * an admin, muted creators, saved exclusions) are added here and nowhere else.
 */
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../core/db/schema.ts";
import type { Viewer } from "../core/viewer.ts";
import { GATED_RATINGS } from "../tags/fixed.ts";

/** The SQL condition for works that may appear in any listing shown to `viewer`. */
export function listedTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "works">) =>
    viewer.user
      ? eb("works.posted", "=", 1)
      : eb.and([eb("works.posted", "=", 1), eb("works.restricted", "=", 0)]);
}

export type Access = "ok" | "not-found" | "login-required";

/** Whether `viewer` may open a work; drafts are their creators' alone. */
export function accessTo(
  viewer: Viewer,
  work: { posted: number; restricted: number },
  isCreator: boolean,
): Access {
  if (isCreator) return "ok";
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
