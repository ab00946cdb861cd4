/**
 * What the reading lists let a reader do (issue 11). One answer for the work page's button and
 * for the route behind it, so they cannot disagree.
 *
 * - "Mark for Later" is for other people's works: a work's creators don't get it (as on AO3).
 *   "Mark as Read" only takes a work off the list, so it is never refused.
 * - With "Turn on History" off, nothing is recorded passively: reading a work adds no entry,
 *   counts no visit and changes no "last visited", and the script that follows the reader's
 *   paragraph is not loaded (and its saves are dropped). What the reader asks for explicitly
 *   still works: "Mark for Later" / "Mark as Read" and "Save my place". Entries already in the
 *   history stay until the reader deletes or clears them.
 */
import { refuse, type Refusal } from "../../core/result.ts";
import type { LoadedWork } from "../../works/load.ts";

export const OWN_WORK_LATER = "Your own works can't be marked for later.";

/** Why the reader can't mark this work for later, or null if they can. */
export function markForLaterRefusal(loaded: Pick<LoadedWork, "isCreator">): Refusal | null {
  return loaded.isCreator ? refuse(403, OWN_WORK_LATER) : null;
}
