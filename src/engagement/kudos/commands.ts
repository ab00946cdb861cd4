/** Leaving kudos: who may, on which works, and the one-per-reader rule. */
import { createHmac } from "node:crypto";
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/index.ts";
import { ok, refuse, type Refusal, type Result } from "../../core/result.ts";
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

/**
 * A refusal with its reason: the kudos button (add-on.tsx) offers "log in" for `guests-off`
 * and nothing for the others.
 */
export type KudosRefusal = Refusal & {
  reason: "restricted" | "own-work" | "guests-off" | "blocked";
};

const refusal = (
  status: 401 | 403,
  reason: KudosRefusal["reason"],
  message: string,
): KudosRefusal => ({ ...refuse(status, message), reason });

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
    return refusal(401, "restricted", KUDOS_MESSAGES.restricted);
  if (loaded.isCreator) return refusal(403, "own-work", KUDOS_MESSAGES.ownWork);
  if (!user && !config.guestKudos) return refusal(401, "guests-off", KUDOS_MESSAGES.guestsOff);
  if (user && blocked) return refusal(403, "blocked", KUDOS_MESSAGES.blocked);
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

/** Leaves the reader's kudos (one row, so no transaction); a second time is refused, 422. */
export async function leaveKudos(
  db: Db,
  args: {
    user: ViewerUser | null;
    loaded: LoadedWork;
    ip: string;
    config: Pick<Config, "secret" | "guestKudos">;
    now: number;
  },
): Promise<Result> {
  const { user, loaded, ip, config, now } = args;
  const workId = loaded.work.id;
  const blocked = await blockedOnWork(db, loaded, user);
  const refused = kudosRefusal(config, { user, loaded, blocked });
  if (refused) return refused;
  const giver: Giver = user
    ? { userId: user.id }
    : { guestKey: guestKudosKey(config.secret, workId, ip) };
  const inserted = await insertKudos(db, workId, giver, now);
  if (!inserted) return refuse(422, KUDOS_MESSAGES.already);
  return ok();
}
