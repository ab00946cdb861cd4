/**
 * Every write to bookmarks: one transaction each, with the work's public bookmark count moved
 * in the same transaction (only public bookmarks are counted; a deleted work has no count).
 */
import type { Db, Queryable } from "../../core/db/index.ts";
import { inTransaction, ok, refuse, type Refusal, type Result } from "../../core/result.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import { tagKey } from "../../tags/names.ts";
import { bumpCounts } from "../counters/queries.ts";
import * as q from "./queries.ts";
import type { BookmarkInput, WorkDeleted } from "./schemas.ts";
import { insertSeriesBookmark, seriesBookmarkIdFor } from "./series-queries.ts";

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

const NOT_FOUND = "Sorry, we couldn't find the bookmark you were looking for.";

/**
 * The reader has a bookmark of the work already: `existingId`, for the form to offer editing
 * it. Its errors are empty: the form says so beside that link (views.tsx AlreadyBookmarked).
 */
export type AlreadyBookmarked = Refusal & { existingId: number };

/**
 * Bookmarks a work. One per user per work: when the user has one already (another tab, or
 * two saves racing, where the unique index decides) nothing is written (422).
 */
export async function createBookmark(
  db: Db,
  args: { userId: number; workId: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<Result<{ id: number }> | AlreadyBookmarked> {
  const { userId, workId, pseudId, input, now } = args;
  // Not inTransaction: its answer to a refusal has no room for `existingId`, and the refusal
  // here has written nothing to undo.
  return db.transaction().execute(async (tx) => {
    const id = await q.insertBookmark(tx, { ...fields(pseudId, input), userId, workId }, now);
    if (id !== undefined) {
      await q.replaceBookmarkTags(tx, id, tagNames(input));
      if (!input.private) await bumpCounts(tx, { workId }, { bookmarks: 1 }, now);
      return ok({ id });
    }
    const existing = await q.bookmarkIdFor(tx, userId, workId);
    if (existing === undefined)
      throw new Error("The bookmark vanished while it was being saved; please try again.");
    return { ...refuse(422, {}), existingId: existing };
  });
}

/**
 * Bookmarks a series (issue 15): one per user per series, as for works. Nothing is counted
 * in a table: a series' count is counted when shown (series-queries.ts).
 */
export async function createSeriesBookmark(
  db: Db,
  args: { userId: number; seriesId: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<Result<{ id: number }> | AlreadyBookmarked> {
  const { userId, seriesId, pseudId, input, now } = args;
  return db.transaction().execute(async (tx) => {
    const id = await insertSeriesBookmark(tx, { ...fields(pseudId, input), userId, seriesId }, now);
    if (id !== undefined) {
      await q.replaceBookmarkTags(tx, id, tagNames(input));
      return ok({ id });
    }
    const existing = await seriesBookmarkIdFor(tx, userId, seriesId);
    if (existing === undefined)
      throw new Error("The bookmark vanished while it was being saved; please try again.");
    return { ...refuse(422, {}), existingId: existing };
  });
}

/** Edits a bookmark; 404 when it was deleted meanwhile. */
export async function editBookmark(
  db: Db,
  args: { id: number; pseudId: number; input: BookmarkInput; now: number },
): Promise<Result> {
  const { id, pseudId, input, now } = args;
  return inTransaction(db, async (tx) => {
    const f = fields(pseudId, input);
    const row = await q.updateBookmarkFields(tx, id, f, now);
    if (!row) return refuse(404, NOT_FOUND);
    // A bookmark a moderator hid is not counted either way.
    if (
      (await q.setBookmarkPrivate(tx, id, f.private)) &&
      row.work_id !== null &&
      row.hidden_reason === null
    )
      await bumpCounts(tx, { workId: row.work_id }, { bookmarks: f.private ? -1 : 1 }, now);
    await q.replaceBookmarkTags(tx, id, tagNames(input));
    return ok();
  });
}

/** Deletes a bookmark; 404 when someone else (another tab) deleted it first. */
export async function deleteBookmark(db: Db, args: { id: number; now: number }): Promise<Result> {
  const { id, now } = args;
  return inTransaction(db, async (tx) => {
    const gone = await deleteBookmarkIn(tx, id, now);
    return gone ? ok() : refuse(404, NOT_FOUND);
  });
}

/** Deleting's steps inside a caller's transaction (a moderator's removal too); false if gone. */
export async function deleteBookmarkIn(tx: Queryable, id: number, now: number): Promise<boolean> {
  const gone = await q.deleteBookmarkRow(tx, id);
  if (!gone) return false;
  // Counted: public, of a work that exists, and not hidden by a moderator.
  if (gone.private === 0 && gone.work_id !== null && gone.hidden_reason === null)
    await bumpCounts(tx, { workId: gone.work_id }, { bookmarks: -1 }, now);
  return true;
}

/** A work was deleted: its bookmarks stay, saying what it was. */
export async function keepBookmarksOf(db: Db, work: WorkDeleted): Promise<void> {
  await q.describeDeletedWork(db, work);
}
