/** Turns bookmark rows into what pages show, with two queries per page (tags, works). */
import type { Queryable } from "../../core/db/index.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { formatDate, formatNumber } from "../../core/views/format.ts";
import type { Viewer } from "../../core/viewer.ts";
import { creatorLink, presentWorks, type CreatorLink, type WorkView } from "../../works/present.ts";
import { worksByIds } from "../../works/queries.ts";
import { tagsOfBookmarks, type BookmarkRow } from "./queries.ts";
import { seriesViews, type SeriesView } from "./series-present.ts";

/** What was known of a deleted work (title null: not known yet, or never). */
export interface DeletedWorkView {
  title: string | null;
  creators: string[];
  fandoms: string[];
  words: string | null;
}

export interface BookmarkView {
  id: number;
  url: string;
  /** Null: the work was deleted, and `deletedWork` says what it was (or it is of a series). */
  workId: number | null;
  /** A bookmark of a series (issue 15); null for a work's. */
  seriesId: number | null;
  deletedWork: DeletedWorkView | null;
  bookmarker: CreatorLink & { url: string };
  login: string;
  date: string;
  private: boolean;
  rec: boolean;
  tags: { name: string; url: string }[];
  notesHtml: SanitizedHtml;
  /** The viewer made it: Edit and Delete are offered. */
  own: boolean;
  /** Hidden by a moderator, with this reason (only its owner and moderators see it). */
  hiddenReason: string | null;
}

/** Where one of a user's bookmark tags leads: their bookmarks carrying it. */
export const bookmarkTagUrl = (login: string, name: string) =>
  `/users/${login}/bookmarks?tag=${encodeURIComponent(name)}`;

/** A stored JSON list of names; anything else reads as none. */
function names(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function deletedWork(r: BookmarkRow): DeletedWorkView | null {
  if (r.work_id !== null || r.series_id !== null) return null;
  return {
    title: r.work_title,
    creators: names(r.work_creators),
    fandoms: names(r.work_fandoms),
    words: r.work_words === null ? null : formatNumber(r.work_words),
  };
}

export async function presentBookmarks(
  db: Queryable,
  viewer: Viewer,
  rows: readonly BookmarkRow[],
): Promise<BookmarkView[]> {
  const tags = await tagsOfBookmarks(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    url: `/bookmarks/${r.id}`,
    workId: r.work_id,
    seriesId: r.series_id,
    deletedWork: deletedWork(r),
    bookmarker: creatorLink({
      workId: r.work_ref,
      pseudId: r.pseud_id,
      pseudName: r.pseud_name,
      userId: r.user_id,
      login: r.login,
    }),
    login: r.login,
    date: formatDate(r.created_at),
    private: r.private === 1,
    rec: r.rec === 1,
    tags: (tags.get(r.id) ?? []).map((name) => ({ name, url: bookmarkTagUrl(r.login, name) })),
    notesHtml: r.notes_html,
    own: viewer.user?.id === r.user_id,
    hiddenReason: r.hidden_reason,
  }));
}

/** A bookmark in a listing with what it is of: a work's blurb, a series' blurb, or neither (a deleted work). */
export interface BookmarkItem {
  bookmark: BookmarkView;
  work: WorkView | null;
  series: SeriesView | null;
}

/**
 * Bookmarks each paired with its work's or series' blurb (rows come from listings, so works
 * are listed and series shown), or with neither when the work was deleted.
 */
export async function presentWithWorks(
  db: Queryable,
  viewer: Viewer,
  rows: readonly BookmarkRow[],
): Promise<BookmarkItem[]> {
  const workIds = new Set(rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])));
  const seriesIds = [...new Set(rows.flatMap((r) => (r.series_id === null ? [] : [r.series_id])))];
  const [bookmarks, works, series] = await Promise.all([
    presentBookmarks(db, viewer, rows),
    worksByIds(db, [...workIds]).then((w) => presentWorks(db, viewer, w)),
    seriesViews(db, viewer, seriesIds),
  ]);
  const byId = new Map(works.map((w) => [w.id, w]));
  return bookmarks.flatMap((bookmark): BookmarkItem[] => {
    if (bookmark.seriesId !== null) {
      const view = series.get(bookmark.seriesId);
      // Deleted between the queries: left out until the next page load.
      return view ? [{ bookmark, work: null, series: view }] : [];
    }
    if (bookmark.workId === null) return [{ bookmark, work: null, series: null }];
    const work = byId.get(bookmark.workId);
    // Deleted between the two queries: left out until the next page load.
    return work ? [{ bookmark, work, series: null }] : [];
  });
}
