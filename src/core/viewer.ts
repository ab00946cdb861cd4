/** Who is asking: what every policy, visibility rule and page is computed from. */
export interface ViewerUser {
  id: number;
  login: string;
  roles: ReadonlySet<string>;
  /** Preference: skip the adult-content interstitial. */
  viewAdult: boolean;
}

export interface Viewer {
  user: ViewerUser | null;
  /** The reader said "Proceed" at an adult-content gate during this browser session. */
  adultConsent: boolean;
}

export const GUEST: Viewer = { user: null, adultConsent: false };
