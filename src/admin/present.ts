/** View models for the admin pages: an account's state, an audit entry's before and after. */
import type { Role } from "../core/permissions.ts";
import { formatDate } from "../core/views/format.ts";

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Admin",
  moderator: "Moderator",
  wrangler: "Tag wrangler",
};

/** What an admin needs to know of an account's standing, as short phrases. */
export function accountState(
  account: {
    email_confirmed_at: number | null;
    suspended_until: number | null;
    banned_at: number | null;
  },
  now: number,
): string[] {
  const state: string[] = [];
  if (account.banned_at !== null) state.push(`Banned on ${formatDate(account.banned_at)}`);
  if (account.suspended_until !== null && account.suspended_until > now)
    state.push(`Suspended until ${formatDate(account.suspended_until)}`);
  state.push(account.email_confirmed_at === null ? "E-mail not confirmed" : "E-mail confirmed");
  return state;
}

/** A moment to the minute, in UTC (the archive shows UTC until time zones come). */
export const formatTime = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

const LONGEST = 300;

const shown = (v: unknown): string =>
  typeof v === "string"
    ? v
    : Array.isArray(v)
      ? v.map(shown).join(", ") || "(none)"
      : JSON.stringify(v);

/**
 * A stored before/after value in one line: `key: value` pairs for an object, JSON otherwise,
 * cut at 300 characters. The page escapes it like any text.
 */
export function compactJson(json: string | null): string {
  if (json === null) return "";
  let text: string;
  try {
    const value: unknown = JSON.parse(json);
    text =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.entries(value)
            .map(([k, v]) => `${k}: ${shown(v)}`)
            .join("; ")
        : JSON.stringify(value);
  } catch {
    text = json;
  }
  return text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text;
}
