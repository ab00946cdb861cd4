/**
 * Hiding content and showing it again, the one way every moderator action does it (report
 * actions and spam decisions): the `hidden_reason` column, then what follows from who may see
 * it — a work's tag counts and the change log the browse and text indexes follow; for comments
 * and bookmarks, their works' counters, counted again from the rows (which leave hidden ones
 * out). Runs inside the caller's transaction.
 */
import { recordChanges } from "../core/db/changes.ts";
import type { Queryable } from "../core/db/index.ts";
import { recountWork } from "../engagement/counters/queries.ts";
import { workSeenByChanged } from "../tags/count-queries.ts";
import { seenBy } from "../works/visibility.ts";
import * as q from "./queries.ts";
import type { Hideable } from "./schemas.ts";

export async function setHiddenReason(
  tx: Queryable,
  type: Hideable,
  ids: readonly number[],
  reason: string | null,
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  if (type === "work") {
    const works = await q.audienceRows(tx, ids);
    await q.setHidden(tx, type, ids, reason, now);
    for (const work of works)
      await workSeenByChanged(
        tx,
        work.id,
        seenBy(work),
        seenBy({ ...work, hidden_reason: reason }),
      );
    await recordChanges(
      tx,
      "work",
      works.map((w) => w.id),
      now,
    );
    return;
  }
  await q.setHidden(tx, type, ids, reason, now);
  for (const workId of await q.parentWorkIds(tx, type, ids)) await recountWork(tx, workId, now);
}
