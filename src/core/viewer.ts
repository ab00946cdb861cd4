/** Who is asking: what every policy, visibility rule and page is computed from. */

/** What a reader asked never to see; every listing leaves these works out. */
export interface ReaderExclusions {
  /** Tags (folded: a canonical tag also hides its synonyms and subtags). */
  tagIds: readonly number[];
  /** Muted users: their works leave listings. */
  userIds: readonly number[];
}

export const NO_EXCLUSIONS: ReaderExclusions = { tagIds: [], userIds: [] };

export interface ViewerUser {
  id: number;
  login: string;
  roles: ReadonlySet<string>;
  /** Preference: skip the adult-content interstitial. */
  viewAdult: boolean;
  exclusions: ReaderExclusions;
  /** Unread notifications in the inbox (shown in the header). */
  unreadNotifications: number;
  /** A moderator's suspension, epoch ms (core/permissions.ts `suspendedAt`); null if none. */
  suspendedUntil: number | null;
}

export interface Viewer {
  user: ViewerUser | null;
  /** The reader said "Proceed" at an adult-content gate during this browser session. */
  adultConsent: boolean;
}

export const GUEST: Viewer = { user: null, adultConsent: false };
