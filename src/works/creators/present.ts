/** Chapter bylines (issue 15): a chapter names its creators when they are not its work's. */
import type { Queryable } from "../../core/db/index.ts";
import { creatorLink, type CreatorLink } from "../present.ts";
import type { Creator } from "../queries.ts";
import { ownChapterCreators } from "./queries.ts";

/**
 * The byline of each chapter whose creators differ from the work's, by chapter id (AO3's
 * `h3.byline.heading` in the chapter preface). None for a work in an anonymous collection:
 * there the work's byline ("Anonymous") is all anyone sees.
 */
export async function chapterBylines(
  db: Queryable,
  work: { id: number; in_anon_collection: number },
  workCreators: readonly Creator[],
  chapterIds: readonly number[],
): Promise<Map<number, CreatorLink[]>> {
  const out = new Map<number, CreatorLink[]>();
  if (work.in_anon_collection || chapterIds.length === 0) return out;
  const own = await ownChapterCreators(db, chapterIds);
  const credited = new Set(workCreators.map((c) => c.pseudId));
  for (const [chapterId, rows] of own) {
    const same = rows.length === credited.size && rows.every((r) => credited.has(r.pseudId));
    if (!same)
      out.set(
        chapterId,
        rows.map((r) => creatorLink({ ...r, workId: work.id })),
      );
  }
  return out;
}
