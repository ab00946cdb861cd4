import type { TagType } from "../core/db/schema.ts";

/** The fixed tag sets every work chooses from, seeded as canonical tags. */
export const RATINGS = [
  "General Audiences",
  "Teen And Up Audiences",
  "Mature",
  "Explicit",
  "Not Rated",
] as const;
export type Rating = (typeof RATINGS)[number];

export const WARNINGS = [
  "Creator Chose Not To Use Archive Warnings",
  "Graphic Depictions Of Violence",
  "Major Character Death",
  "No Archive Warnings Apply",
  "Rape/Non-Con",
  "Underage Sex",
] as const;
export type Warning = (typeof WARNINGS)[number];

/**
 * Fixed tags AO3 has renamed, by the name they had (migration 2026-12-06T1600 renamed the
 * rows): old addresses such as /tags/Underage/works redirect to the new name while no tag
 * has taken the old one.
 */
export const FORMER_FIXED_NAMES: ReadonlyMap<string, string> = new Map([
  ["underage", "Underage Sex"],
]);

export const CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Ratings whose works sit behind the adult-content gate (unrated works might be anything). */
export const GATED_RATINGS: ReadonlySet<string> = new Set<Rating>([
  "Mature",
  "Explicit",
  "Not Rated",
]);

/** Media that fandoms belong to (AO3's list); fandoms without one are "Uncategorized Fandoms". */
export const MEDIA = [
  "Anime & Manga",
  "Books & Literature",
  "Cartoons & Comics & Graphic Novels",
  "Celebrities & Real People",
  "Movies",
  "Music & Bands",
  "Other Media",
  "Theater",
  "TV Shows",
  "Video Games",
  "Uncategorized Fandoms",
] as const;

export const FIXED_TAGS: readonly { type: TagType; names: readonly string[] }[] = [
  { type: "media", names: MEDIA },
  { type: "rating", names: RATINGS },
  { type: "warning", names: WARNINGS },
  { type: "category", names: CATEGORIES },
];

/** User-entered tag types, in the order pages show them. */
export const USER_TAG_TYPES = ["fandom", "relationship", "character", "freeform"] as const;
export type UserTagType = (typeof USER_TAG_TYPES)[number];

/** What to call a tag of each type in a sentence: "a character", "an additional tag". */
export const TAG_TYPE_NOUN: Record<TagType, string> = {
  media: "medium",
  rating: "rating",
  warning: "warning",
  category: "category",
  fandom: "fandom",
  relationship: "relationship",
  character: "character",
  freeform: "additional tag",
};

export const withArticle = (type: TagType) =>
  /^[aeiou]/.test(TAG_TYPE_NOUN[type]) ? `an ${TAG_TYPE_NOUN[type]}` : `a ${TAG_TYPE_NOUN[type]}`;
