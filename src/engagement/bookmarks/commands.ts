/**
 * Every write to bookmarks: one transaction each, with the work's public bookmark count moved
 * in the same transaction (only public bookmarks are counted).
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import { tagKey } from "../../tags/names.ts";
import { bumpCounts } from "../counter-queries.ts";
import * as q from "./queries.ts";
import type { BookmarkInput } from "./schemas.ts";

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
  bookmark: { id: number; workId: number },
  pseudId: number,
  input: BookmarkInput,
  now: number,
): Promise<boolean> {
  const f = fields(pseudId, input);
  if (!(await q.updateBookmarkFields(tx, bookmark.id, f, now))) return false;
  if (await q.setBookmarkPrivate(tx, bookmark.id, f.private)) {
    await bumpCounts(tx, { workId: bookmark.workId }, { bookmarks: f.private ? -1 : 1 }, now);
  }
  await q.replaceBookmarkTags(tx, bookmark.id, tagNames(input));
  return true;
}

/**
 * Bookmarks a work, or edits the user's existing bookmark of it (one per user per work, even
 * when two saves race: the unique index decides which one creates it).
 */
export async function saveBookmark(
  db: Db,
  args: { userId: number; workId: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<{ id: number; created: boolean }> {
  const { userId, workId, pseudId, input, now } = args;
  return db.transaction().execute(async (tx) => {
    const id = await q.insertBookmark(tx, { ...fields(pseudId, input), userId, workId }, now);
    if (id !== undefined) {
      await q.replaceBookmarkTags(tx, id, tagNames(input));
      if (!input.private) await bumpCounts(tx, { workId }, { bookmarks: 1 }, now);
      return { id, created: true };
    }
    const existing = await q.bookmarkIdFor(tx, userId, workId);
    if (
      existing === undefined ||
      !(await update(tx, { id: existing, workId }, pseudId, input, now))
    )
      throw new Error("The bookmark vanished while it was being saved; please try again.");
    return { id: existing, created: false };
  });
}

/** Edits a bookmark; false when it was deleted meanwhile. */
export async function editBookmark(
  db: Db,
  args: { id: number; workId: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<boolean> {
  return db
    .transaction()
    .execute((tx) =>
      update(tx, { id: args.id, workId: args.workId }, args.pseudId, args.input, args.now),
    );
}

/** Deletes a bookmark; false when someone else (another tab) deleted it first. */
export async function deleteBookmark(db: Db, id: number, now: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const gone = await q.deleteBookmarkRow(tx, id);
    if (!gone) return false;
    if (gone.private === 0) await bumpCounts(tx, { workId: gone.work_id }, { bookmarks: -1 }, now);
    return true;
  });
}
