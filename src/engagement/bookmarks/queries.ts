/**
 * Bookmarks and the bookmarker's own tags. Listings go through `visibleBookmarks`, which
 * holds every rule about who sees which bookmark. A bookmark outlives its work: `work_id`
 * becomes null and the `work_*` columns say what the work was. A bookmark of a series (issue
 * 15) has `series_id` set and no work (series-queries.ts).
 */
import type { Queryable } from "../../core/db/index.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import type { Viewer } from "../../core/viewer.ts";
import { listedTo, listingRules, seesHidden } from "../../works/visibility.ts";
import { seriesShownTo } from "../series/queries.ts";
import type { WorkDeleted } from "./schemas.ts";

export interface BookmarkFields {
  pseudId: number;
  notesHtml: SanitizedHtml;
  sanitizerVersion: number;
  private: boolean;
  rec: boolean;
}

export interface BookmarkTagName {
  name: string;
  key: string;
}

/** A new bookmark, or undefined when the user already has one for the work (a race or a repeat). */
export async function insertBookmark(
  db: Queryable,
  b: BookmarkFields & { userId: number; workId: number },
  now: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto("bookmarks")
    .values({
      user_id: b.userId,
      work_id: b.workId,
      work_ref: b.workId,
      pseud_id: b.pseudId,
      notes_html: b.notesHtml,
      sanitizer_version: b.sanitizerVersion,
      private: b.private ? 1 : 0,
      rec: b.rec ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["user_id", "work_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/**
 * Writes everything but the private flag; the row's work (null: deleted), or undefined when the
 * bookmark is gone. On PostgreSQL the update also locks the row, so the flag change that
 * follows sees the latest value.
 */
export async function updateBookmarkFields(
  db: Queryable,
  id: number,
  b: Omit<BookmarkFields, "private">,
  now: number,
): Promise<{ work_id: number | null; hidden_reason: string | null } | undefined> {
  return db
    .updateTable("bookmarks")
    .set({
      pseud_id: b.pseudId,
      notes_html: b.notesHtml,
      sanitizer_version: b.sanitizerVersion,
      rec: b.rec ? 1 : 0,
      updated_at: now,
    })
    .where("id", "=", id)
    .returning(["work_id", "hidden_reason"])
    .executeTakeFirst();
}

/** Sets the private flag; true only when it changed (what the public count follows). */
export async function setBookmarkPrivate(
  db: Queryable,
  id: number,
  isPrivate: boolean,
): Promise<boolean> {
  const value = isPrivate ? 1 : 0;
  const result = await db
    .updateTable("bookmarks")
    .set({ private: value })
    .where("id", "=", id)
    .where("private", "!=", value)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function replaceBookmarkTags(
  db: Queryable,
  bookmarkId: number,
  tags: readonly BookmarkTagName[],
) {
  await db.deleteFrom("bookmark_tags").where("bookmark_id", "=", bookmarkId).execute();
  if (tags.length === 0) return;
  await db
    .insertInto("bookmark_tags")
    .values(
      tags.map((t, position) => ({
        bookmark_id: bookmarkId,
        name: t.name,
        name_key: t.key,
        position,
      })),
    )
    .execute();
}

/** Deletes a bookmark; what it was, for the one caller that actually deleted it. */
export async function deleteBookmarkRow(db: Queryable, id: number) {
  await db.deleteFrom("bookmark_tags").where("bookmark_id", "=", id).execute();
  return db
    .deleteFrom("bookmarks")
    .where("id", "=", id)
    .returning(["work_id", "private", "hidden_reason"])
    .executeTakeFirst();
}

export function bookmarkIdFor(db: Queryable, userId: number, workId: number) {
  return db
    .selectFrom("bookmarks")
    .select("id")
    .where("user_id", "=", userId)
    .where("work_id", "=", workId)
    .executeTakeFirst()
    .then((row) => row?.id);
}

/** Writes what the deleted work was on its bookmarks (again, if the job runs twice). */
export async function describeDeletedWork(db: Queryable, work: WorkDeleted) {
  if (work.title === undefined) return;
  await db
    .updateTable("bookmarks")
    .set({
      work_title: work.title,
      work_creators: JSON.stringify(work.creators),
      work_fandoms: JSON.stringify(work.fandoms),
      work_words: work.words ?? null,
      work_restricted: work.restricted === false ? 0 : 1,
    })
    .where("work_ref", "=", work.workId)
    .where("work_id", "is", null)
    .execute();
}

const BOOKMARK_COLUMNS = [
  "bookmarks.id",
  "bookmarks.user_id",
  "bookmarks.pseud_id",
  "bookmarks.work_id",
  "bookmarks.work_ref",
  "bookmarks.work_title",
  "bookmarks.work_creators",
  "bookmarks.work_fandoms",
  "bookmarks.work_words",
  "bookmarks.work_restricted",
  "bookmarks.notes_html",
  "bookmarks.private",
  "bookmarks.rec",
  "bookmarks.created_at",
  "bookmarks.updated_at",
  "bookmarks.hidden_reason",
  "bookmarks.series_id",
  "users.login",
  "pseuds.name as pseud_name",
] as const;

/** One bookmark with who made it, whoever may see it (callers apply the rules). */
export function findBookmark(db: Queryable, id: number) {
  return db
    .selectFrom("bookmarks")
    .innerJoin("users", "users.id", "bookmarks.user_id")
    .innerJoin("pseuds", "pseuds.id", "bookmarks.pseud_id")
    .select(BOOKMARK_COLUMNS)
    .where("bookmarks.id", "=", id)
    .executeTakeFirst();
}

export type BookmarkRow = NonNullable<Awaited<ReturnType<typeof findBookmark>>>;

/** Tags of many bookmarks at once, in the order the bookmarker typed them. */
export async function tagsOfBookmarks(db: Queryable, ids: readonly number[]) {
  const byBookmark = new Map<number, string[]>();
  if (ids.length === 0) return byBookmark;
  const rows = await db
    .selectFrom("bookmark_tags")
    .select(["bookmark_id", "name"])
    .where("bookmark_id", "in", ids)
    .orderBy("bookmark_id")
    .orderBy("position")
    .execute();
  for (const r of rows) {
    const list = byBookmark.get(r.bookmark_id) ?? [];
    list.push(r.name);
    byBookmark.set(r.bookmark_id, list);
  }
  return byBookmark;
}

export type BookmarkScope =
  | { kind: "user"; userId: number }
  | { kind: "work"; workId: number }
  | { kind: "series"; seriesId: number };

export interface BookmarkFilter {
  scope: BookmarkScope;
  /** Folded name of one of the bookmarker's tags. */
  tagKey?: string | undefined;
  recsOnly?: boolean;
}

/**
 * Bookmarks `viewer` may see in a listing: of works listed to them (no drafts, no restricted
 * works for guests, none they excluded), of series that exist for them (a work in it they
 * see, engagement/series/queries.ts) or of deleted works (restricted ones not for guests),
 * public ones or their own, none by a user they muted, and none a moderator hid unless their
 * own (moderators see those too).
 */
function visibleBookmarks(db: Queryable, viewer: Viewer, filter: BookmarkFilter) {
  const me = viewer.user;
  const muted = me?.exclusions.userIds ?? [];
  return db
    .selectFrom("bookmarks")
    .innerJoin("users", "users.id", "bookmarks.user_id")
    .innerJoin("pseuds", "pseuds.id", "bookmarks.pseud_id")
    .where((eb) => {
      const listedWork = eb.exists(
        eb
          .selectFrom("works")
          .select("works.id")
          .whereRef("works.id", "=", "bookmarks.work_id")
          .where(listedTo(viewer, listingRules(viewer))),
      );
      const shownSeries = eb.exists(
        eb
          .selectFrom("series")
          .select("series.id")
          .whereRef("series.id", "=", "bookmarks.series_id")
          .where(seriesShownTo(viewer)),
      );
      // Not yet described (the job pending) counts as restricted.
      const noWork = eb.and([
        eb("bookmarks.work_id", "is", null),
        eb("bookmarks.series_id", "is", null),
      ]);
      const deletedWork = me ? noWork : eb.and([noWork, eb("bookmarks.work_restricted", "=", 0)]);
      const scope = filter.scope;
      const conditions = [
        scope.kind === "work"
          ? listedWork
          : scope.kind === "series"
            ? shownSeries
            : eb.or([listedWork, shownSeries, deletedWork]),
        me
          ? eb.or([eb("bookmarks.private", "=", 0), eb("bookmarks.user_id", "=", me.id)])
          : eb("bookmarks.private", "=", 0),
        scope.kind === "user"
          ? eb("bookmarks.user_id", "=", scope.userId)
          : scope.kind === "series"
            ? eb("bookmarks.series_id", "=", scope.seriesId)
            : eb("bookmarks.work_id", "=", scope.workId),
      ];
      if (muted.length > 0) conditions.push(eb("bookmarks.user_id", "not in", muted));
      if (!seesHidden(viewer))
        conditions.push(
          me
            ? eb.or([
                eb("bookmarks.hidden_reason", "is", null),
                eb("bookmarks.user_id", "=", me.id),
              ])
            : eb("bookmarks.hidden_reason", "is", null),
        );
      if (filter.recsOnly) conditions.push(eb("bookmarks.rec", "=", 1));
      if (filter.tagKey !== undefined) {
        conditions.push(
          eb.exists(
            eb
              .selectFrom("bookmark_tags")
              .select("bookmark_tags.bookmark_id")
              .whereRef("bookmark_tags.bookmark_id", "=", "bookmarks.id")
              .where("bookmark_tags.name_key", "=", filter.tagKey),
          ),
        );
      }
      return eb.and(conditions);
    });
}

/** One page of bookmarks, newest first, with the total. */
export async function listBookmarks(
  db: Queryable,
  viewer: Viewer,
  filter: BookmarkFilter,
  page: { number: number; size: number },
) {
  const q = visibleBookmarks(db, viewer, filter);
  const [rows, count] = await Promise.all([
    q
      .select(BOOKMARK_COLUMNS)
      .orderBy("bookmarks.created_at", "desc")
      .orderBy("bookmarks.id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The bookmarker tags used on what the listing shows (tag filter aside), most used first. */
export async function bookmarkTagCounts(
  db: Queryable,
  viewer: Viewer,
  filter: Omit<BookmarkFilter, "tagKey">,
  max: number,
) {
  const rows = await visibleBookmarks(db, viewer, filter)
    .innerJoin("bookmark_tags", "bookmark_tags.bookmark_id", "bookmarks.id")
    .select((eb) => [
      "bookmark_tags.name_key as key",
      eb.fn.min("bookmark_tags.name").as("name"),
      eb.fn.countAll<number | string>().as("n"),
    ])
    .groupBy("bookmark_tags.name_key")
    .orderBy((eb) => eb.fn.countAll(), "desc")
    .orderBy("bookmark_tags.name_key")
    .limit(max)
    .execute();
  return rows.map((r) => ({ key: r.key, name: r.name, count: Number(r.n) }));
}
