/** Leaving kudos: who may, on which works, and the one-per-reader rule. */
import { createHmac } from "node:crypto";
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db/index.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import type { LoadedWork } from "../../works/load.ts";
import { blockedByCreatorOf } from "../blocking/queries.ts";
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
  // Same access rules as reading: loadWork already answered 404 for other people's drafts.
  if (loaded.access === "login-required")
    return { ok: false, status: 401, message: KUDOS_MESSAGES.restricted };
  if (loaded.isCreator) return { ok: false, status: 403, message: KUDOS_MESSAGES.ownWork };
  if (!user && !config.guestKudos)
    return { ok: false, status: 401, message: KUDOS_MESSAGES.guestsOff };
  if (user && (await blockedByCreatorOf(db, workId, user.id)))
    return { ok: false, status: 403, message: KUDOS_MESSAGES.blocked };
  const giver: Giver = user
    ? { userId: user.id }
    : { guestKey: guestKudosKey(config.secret, workId, ip) };
  const inserted = await insertKudos(db, workId, giver, now);
  if (!inserted) return { ok: false, status: 422, message: KUDOS_MESSAGES.already };
  return { ok: true, message: KUDOS_MESSAGES.thanks };
}
