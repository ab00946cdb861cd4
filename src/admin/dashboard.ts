/**
 * The admin areas, in one list: the dashboard (/admin) shows each to the staff whose roles the
 * permission table (core/permissions.ts) allows its action. Every area's own routes check the
 * same action, so a link here and the page behind it always agree. Helpers adding an area add
 * a row here and nothing else in admin/.
 */
import { may, type StaffAction } from "../core/permissions.ts";
import type { ViewerUser } from "../core/viewer.ts";

export interface AdminArea {
  href: string;
  label: string;
  description: string;
  /** What the viewer needs (the area's routes ask the same). */
  action: StaffAction;
}

export const ADMIN_AREAS: readonly AdminArea[] = [
  {
    href: "/admin/reports",
    label: "Reports",
    description: "Reports from readers about works, comments, bookmarks and accounts.",
    action: "reports.handle",
  },
  {
    href: "/admin/spam",
    label: "Spam",
    description: "Held content and accounts marked as spammers.",
    action: "spam.handle",
  },
  {
    href: "/admin/users",
    label: "Accounts",
    description: "Find an account by username or e-mail; its state and its roles.",
    action: "users.lookup",
  },
  {
    href: "/admin/invitations",
    label: "Invitations",
    description: "Invitation requests and batches of invitation codes.",
    action: "invitations.manage",
  },
  {
    href: "/admin/settings",
    label: "Settings",
    description: "The archive's name, description, sign-up mode, guest access and banner.",
    action: "settings.manage",
  },
  {
    href: "/admin/audit",
    label: "Audit log",
    description: "Every admin and moderator action: who, what, when, before and after.",
    action: "audit.read",
  },
];

/** The areas `user` may use, in the list's order. */
export const areasFor = (user: Pick<ViewerUser, "roles">): AdminArea[] =>
  ADMIN_AREAS.filter((area) => may(user, area.action));
