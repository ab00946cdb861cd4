/** Turns bookmark rows into what pages show, with two queries per page (tags, works). */
import type { Queryable } from "../../core/db/index.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { formatDate } from "../../core/views/format.ts";
import type { Viewer } from "../../core/viewer.ts";
import { creatorLink, presentWorks, type CreatorLink, type WorkView } from "../../works/present.ts";
import { worksByIds } from "../../works/queries.ts";
import { tagsOfBookmarks, type BookmarkRow } from "./queries.ts";

export interface BookmarkView {
  id: number;
  url: string;
  workId: number;
  bookmarker: CreatorLink;
  login: string;
  date: string;
  private: boolean;
  rec: boolean;
  tags: { name: string; url: string }[];
  notesHtml: SanitizedHtml;
  /** The viewer made it: Edit and Delete are offered. */
  own: boolean;
}

/** Where one of a user's bookmark tags leads: their bookmarks carrying it. */
export const bookmarkTagUrl = (login: string, name: string) =>
  `/users/${login}/bookmarks?tag=${encodeURIComponent(name)}`;

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
    bookmarker: creatorLink({
      workId: r.work_id,
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
    notesHtml: r.notes_html as SanitizedHtml,
    own: viewer.user?.id === r.user_id,
  }));
}

/** Bookmarks each paired with its work's blurb (rows come from listings, so works are listed). */
export async function presentWithWorks(
  db: Queryable,
  viewer: Viewer,
  rows: readonly BookmarkRow[],
): Promise<{ bookmark: BookmarkView; work: WorkView }[]> {
  const [bookmarks, works] = await Promise.all([
    presentBookmarks(db, viewer, rows),
    worksByIds(db, [...new Set(rows.map((r) => r.work_id))]).then((w) =>
      presentWorks(db, viewer, w),
    ),
  ]);
  const byId = new Map(works.map((w) => [w.id, w]));
  return bookmarks.flatMap((bookmark) => {
    const work = byId.get(bookmark.workId);
    return work ? [{ bookmark, work }] : [];
  });
}
