/** What a gift's recipient does with it (issue 15). */
import { recordChanges } from "../../core/db/changes.ts";
import type { Db } from "../../core/db/index.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import { deleteGiftOf, findGift } from "./queries.ts";

/**
 * The recipient refuses a gift: the association goes, so neither the work's page nor its blurb
 * names them (AO3 keeps refused gifts hidden; nothing here needs them kept). Only the user
 * whose pseud it was given to may refuse it.
 */
export async function refuseGift(
  db: Db,
  args: { giftId: number; userId: number; now: number },
): Promise<Result<{ workId: number }>> {
  return inTransaction(db, async (tx) => {
    const gift = await findGift(tx, args.giftId);
    if (!gift) return refuse(404, "Sorry, we couldn't find that gift.");
    if (!(await deleteGiftOf(tx, args.giftId, args.userId)))
      return refuse(403, "Only its recipient can refuse a gift.");
    // The blurb and the work page change: the browse index follows the change log.
    await recordChanges(tx, "work", [gift.workId], args.now);
    return ok({ workId: gift.workId });
  });
}
