/**
 * Who may run the archive: the one deny-by-default table of staff actions by role, and the
 * rule that a suspended account reads but does not contribute. Every staff route and command
 * asks `may()`; an action a role is not listed for is refused. The table is tested as a table
 * (test/http/admin-policy.test.ts: every role × every action).
 */
import type { ViewerUser } from "./viewer.ts";

export const ROLES = ["admin", "moderator", "wrangler"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

/** Staff actions and the roles that may take them. */
export const STAFF_PERMISSIONS = {
  /** Open /admin (the dashboard lists only what the viewer may use). */
  "admin.open": ["admin", "moderator"],
  /** Grant and revoke roles. */
  "roles.manage": ["admin"],
  /** Site settings, policy pages, the banner, robots.txt. */
  "settings.manage": ["admin"],
  /** Invitation requests and batches. */
  "invitations.manage": ["admin"],
  /** Read the audit log. */
  "audit.read": ["admin"],
  /** Look up accounts (login, e-mail, state). */
  "users.lookup": ["admin", "moderator"],
  /** The report queue: read, dismiss. */
  "reports.handle": ["admin", "moderator"],
  /** Hide, unhide and delete anyone's works, chapters, comments and bookmarks. */
  "content.moderate": ["admin", "moderator"],
  /** Warn, suspend, ban and lift them. */
  "users.discipline": ["admin", "moderator"],
  /** Held content, "spam" marks, removing a spammer's content. */
  "spam.handle": ["admin", "moderator"],
  /** Tag wrangling. */
  "tags.wrangle": ["admin", "wrangler"],
} as const satisfies Record<string, readonly Role[]>;

export type StaffAction = keyof typeof STAFF_PERMISSIONS;
export const STAFF_ACTIONS = Object.keys(STAFF_PERMISSIONS) as StaffAction[];

/** True when one of the user's roles is listed for `action`; false for guests and the rest. */
export function may(user: Pick<ViewerUser, "roles"> | null, action: StaffAction): boolean {
  if (!user || !Object.hasOwn(STAFF_PERMISSIONS, action)) return false;
  const allowed: readonly Role[] = STAFF_PERMISSIONS[action];
  return allowed.some((role) => user.roles.has(role));
}

/** A suspended account can read, but not post, comment, leave kudos or bookmark. */
export function suspendedAt(user: Pick<ViewerUser, "suspendedUntil"> | null, now: number): boolean {
  return user?.suspendedUntil != null && user.suspendedUntil > now;
}

export function suspensionMessage(until: number): string {
  const date = new Date(until).toISOString().slice(0, 10);
  return `Your account is suspended until ${date}. You can still read, but not post, comment, leave kudos or bookmark.`;
}
