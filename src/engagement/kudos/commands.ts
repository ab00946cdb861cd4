/** Leaving kudos: who may, on which works, and the one-per-reader rule. */
import { createHmac } from "node:crypto";
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db/index.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import type { LoadedWork } from "../../works/load.ts";
import { blockedOnWork } from "../blocking/policy.ts";
import { insertKudos, type Giver } from "./queries.ts";

export const KUDOS_MESSAGES = {
  thanks: "Thank you for leaving kudos!",
  already: "You have already left kudos here. :)",
  ownWork: "You can't leave kudos on your own work.",
  blocked: "Sorry, you can't leave kudos on this work: its creator has blocked you.",
  guestsOff: "Guests can't leave kudos on this archive. Please log in to leave kudos.",
  restricted: "This work is only for registered users. Please log in to leave kudos.",
} as const;

export type KudosOutcome =
  { ok: true; message: string } | { ok: false; status: 401 | 403 | 422; message: string };

export interface KudosRefusal {
  status: 401 | 403;
  reason: "restricted" | "own-work" | "guests-off" | "blocked";
  message: string;
}

/**
 * Why this reader can't leave kudos on the work, or null if they can. The kudos button and the
 * route both ask this, so a page never offers what the route refuses.
 */
export function kudosRefusal(
  config: Pick<Config, "guestKudos">,
  who: { user: ViewerUser | null; loaded: LoadedWork; blocked: boolean },
): KudosRefusal | null {
  const { user, loaded, blocked } = who;
  // Same access rules as reading: loadWork already answered 404 for other people's drafts.
  if (loaded.access === "login-required")
    return { status: 401, reason: "restricted", message: KUDOS_MESSAGES.restricted };
  if (loaded.isCreator) return { status: 403, reason: "own-work", message: KUDOS_MESSAGES.ownWork };
  if (!user && !config.guestKudos)
    return { status: 401, reason: "guests-off", message: KUDOS_MESSAGES.guestsOff };
  if (user && blocked) return { status: 403, reason: "blocked", message: KUDOS_MESSAGES.blocked };
  return null;
}

/**
 * A guest's kudos key: HMAC-SHA256 of the address (never stored raw), keyed with the
 * archive's secret. The work id is mixed in so the same guest's rows on different works
 * cannot be linked to each other.
 */
export function guestKudosKey(secret: string, workId: number, ip: string): string {
  return createHmac("sha256", secret).update(`kudos:${workId}:${ip}`).digest("hex").slice(0, 32);
}

export async function leaveKudos(
  db: Queryable,
  config: Pick<Config, "secret" | "guestKudos">,
  input: { user: ViewerUser | null; loaded: LoadedWork; ip: string },
  now: number,
): Promise<KudosOutcome> {
  const { user, loaded, ip } = input;
  const workId = loaded.work.id;
  const blocked = await blockedOnWork(db, loaded, user);
  const refusal = kudosRefusal(config, { user, loaded, blocked });
  if (refusal) return { ok: false, status: refusal.status, message: refusal.message };
  const giver: Giver = user
    ? { userId: user.id }
    : { guestKey: guestKudosKey(config.secret, workId, ip) };
  const inserted = await insertKudos(db, workId, giver, now);
  if (!inserted) return { ok: false, status: 422, message: KUDOS_MESSAGES.already };
  return { ok: true, message: KUDOS_MESSAGES.thanks };
}
