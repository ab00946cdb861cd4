/**
 * Every write to bookmarks: one transaction each, with the work's public bookmark count moved
 * in the same transaction (only public bookmarks are counted; a deleted work has no count).
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import { tagKey } from "../../tags/names.ts";
import { bumpCounts } from "../counters/queries.ts";
import * as q from "./queries.ts";
import type { BookmarkInput, WorkDeleted } from "./schemas.ts";

function fields(pseudId: number, input: BookmarkInput) {
  return {
    pseudId,
    notesHtml: formatUserText(input.notes),
    sanitizerVersion: SANITIZER_VERSION,
    private: input.private,
    rec: input.rec,
  };
}

const tagNames = (input: BookmarkInput) => input.tags.map((name) => ({ name, key: tagKey(name) }));

/** Updates a bookmark inside `tx`; false when it no longer exists. */
async function update(
  tx: Queryable,
  id: number,
  pseudId: number,
  input: BookmarkInput,
  now: number,
): Promise<boolean> {
  const f = fields(pseudId, input);
  const row = await q.updateBookmarkFields(tx, id, f, now);
  if (!row) return false;
  if ((await q.setBookmarkPrivate(tx, id, f.private)) && row.work_id !== null) {
    await bumpCounts(tx, { workId: row.work_id }, { bookmarks: f.private ? -1 : 1 }, now);
  }
  await q.replaceBookmarkTags(tx, id, tagNames(input));
  return true;
}

/**
 * Bookmarks a work. One per user per work: when the user has one already (another tab, or
 * two saves racing, where the unique index decides) nothing is written and its id comes back
 * for the form to offer editing it.
 */
export async function createBookmark(
  db: Db,
  args: { userId: number; workId: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<{ created: true; id: number } | { created: false; existingId: number }> {
  const { userId, workId, pseudId, input, now } = args;
  return db.transaction().execute(async (tx) => {
    const id = await q.insertBookmark(tx, { ...fields(pseudId, input), userId, workId }, now);
    if (id !== undefined) {
      await q.replaceBookmarkTags(tx, id, tagNames(input));
      if (!input.private) await bumpCounts(tx, { workId }, { bookmarks: 1 }, now);
      return { created: true, id };
    }
    const existing = await q.bookmarkIdFor(tx, userId, workId);
    if (existing === undefined)
      throw new Error("The bookmark vanished while it was being saved; please try again.");
    return { created: false, existingId: existing };
  });
}

/** Edits a bookmark; false when it was deleted meanwhile. */
export async function editBookmark(
  db: Db,
  args: { id: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<boolean> {
  return db.transaction().execute((tx) => update(tx, args.id, args.pseudId, args.input, args.now));
}

/** Deletes a bookmark; false when someone else (another tab) deleted it first. */
export async function deleteBookmark(db: Db, id: number, now: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const gone = await q.deleteBookmarkRow(tx, id);
    if (!gone) return false;
    if (gone.private === 0 && gone.work_id !== null)
      await bumpCounts(tx, { workId: gone.work_id }, { bookmarks: -1 }, now);
    return true;
  });
}

/** A work was deleted: its bookmarks stay, saying what it was. */
export async function keepBookmarksOf(db: Db, work: WorkDeleted): Promise<void> {
  await q.describeDeletedWork(db, work);
}
