/**
 * The counts a viewer sees on blurbs and work pages: the stored counters, less what users the
 * viewer muted contributed (muting hides their kudos, comments and bookmarks, counts included).
 */
import type { Queryable } from "../../core/db/index.ts";
import type { WorkCounts, WorkCountsSource } from "../../core/work-counts.ts";
import { countsBy, storedCounts } from "./queries.ts";

export function workCountsSource(db: Queryable): WorkCountsSource {
  return async (viewer, workIds) => {
    const muted = viewer.user?.exclusions.userIds ?? [];
    const [stored, theirs] = await Promise.all([
      storedCounts(db, workIds),
      muted.length > 0 ? countsBy(db, workIds, muted) : undefined,
    ]);
    if (!theirs) return stored;
    const out = new Map<number, WorkCounts>();
    for (const [id, c] of stored) {
      const t = theirs.get(id);
      out.set(
        id,
        t
          ? {
              kudos: Math.max(c.kudos - t.kudos, 0),
              comments: Math.max(c.comments - t.comments, 0),
              bookmarks: Math.max(c.bookmarks - t.bookmarks, 0),
              hits: c.hits,
            }
          : c,
      );
    }
    return out;
  };
}
