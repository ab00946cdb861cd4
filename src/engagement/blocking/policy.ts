/**
 * What a block stops, as one answer per reader and work: kudos and comments ask here, for the
 * buttons a page shows and for the routes behind them alike (issue 11).
 *
 * Blocked (by any creator of the work): leaving kudos, commenting, replying, and editing one's
 * own old comments there. Still allowed, as on AO3: reading, bookmarking, subscribing, and
 * deleting one's own comments (a reader can always take their words back).
 */
import type { Queryable } from "../../core/db/index.ts";
import type { ViewerUser } from "../../core/viewer.ts";
import type { LoadedWork } from "../../works/load.ts";
import { blockedByCreatorOf } from "./queries.ts";

/** One lookup per loaded work: the kudos and comments parts of a page share it. */
const asked = new WeakMap<LoadedWork, Promise<boolean>>();

/**
 * The answer for `loaded`'s viewer, learned with other questions (the work page asks once for
 * everything about its reader: work-page/state.ts).
 */
export function knownBlockedOnWork(loaded: LoadedWork, answer: Promise<boolean>): void {
  if (!asked.has(loaded)) asked.set(loaded, answer);
}

/** Whether a creator of `loaded` blocked `user` (never a creator on their own work, nor a guest). */
export function blockedOnWork(
  db: Queryable,
  loaded: LoadedWork,
  user: ViewerUser | null,
): Promise<boolean> {
  if (!user || loaded.isCreator) return Promise.resolve(false);
  let answer = asked.get(loaded);
  if (!answer) {
    answer = blockedByCreatorOf(db, loaded.work.id, user.id);
    asked.set(loaded, answer);
  }
  return answer;
}
