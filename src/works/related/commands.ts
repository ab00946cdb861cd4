/** The parent's creators approve or withdraw links to their work (issue 15). */
import { recordChanges } from "../../core/db/changes.ts";
import type { Db } from "../../core/db/index.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { setApproved } from "./queries.ts";

/**
 * Shows (`approved`) or stops showing a child's link on its parent. The child keeps linking
 * to the parent either way: that is its creators' to change. The caller checked that the
 * user is a creator of the parent.
 */
export async function setRelatedApproval(
  db: Db,
  args: { parentWorkId: number; relatedId: number; approved: boolean; now: number },
): Promise<Result> {
  return inTransaction(db, async (tx) => {
    if (!(await setApproved(tx, args.parentWorkId, args.relatedId, args.approved)))
      return refuse(404, "Sorry, we couldn't find that related work.");
    await recordChanges(tx, "work", [args.parentWorkId], args.now);
    return ok();
  });
}
