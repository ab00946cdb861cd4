/**
 * What a reported thing is: its owner, whether a reader may see it (one may only report what
 * one can see), and a snapshot (title, excerpt, author, address) kept with the report, so the
 * queue shows what was reported even after the content changes or goes.
 */
import type { Queryable } from "../core/db/index.ts";
import type { ReportSubjectType } from "../core/db/schema.ts";
import { excerpt, htmlExcerpt } from "../core/text/excerpt.ts";
import type { Viewer } from "../core/viewer.ts";
import { tagShownTo } from "../tags/count-queries.ts";
import { tagUrlName } from "../tags/names.ts";
import { accessTo, audienceOf, chapterShown, seesHidden } from "../works/visibility.ts";
import * as q from "./queries.ts";

/** Long enough to judge by; the content itself is a link away. */
export const EXCERPT_LENGTH = 1_000;

export interface Snapshot {
  title: string;
  excerpt: string;
  /** Who wrote or owns it, as named then. */
  author: string | null;
  url: string;
  /** Hidden by a moderator at the time, with this reason. */
  hiddenReason: string | null;
}

export interface Subject {
  type: ReportSubjectType;
  id: number;
  /** The owner's account (a work's first creator); null for tags and guests' comments. */
  ownerUserId: number | null;
  /** All owners (a work's creators). */
  ownerUserIds: number[];
  snapshot: Snapshot;
  visibleTo: (viewer: Viewer) => Promise<boolean>;
}

const quote = (html: string) => htmlExcerpt(html, EXCERPT_LENGTH, { paragraphs: true });

async function workVisible(db: Queryable, viewer: Viewer, workId: number) {
  const [work, creators] = await Promise.all([q.workRow(db, workId), q.creatorsOf(db, workId)]);
  if (!work) return { ok: false, creator: false };
  const creator = creators.some((c) => c.userId === viewer.user?.id);
  return { ok: accessTo(viewer, work, creator) === "ok", creator };
}

/** The subject, or undefined when it does not exist (any more). */
export async function loadSubject(
  db: Queryable,
  type: ReportSubjectType,
  id: number,
): Promise<Subject | undefined> {
  switch (type) {
    case "work": {
      const [work, creators] = await Promise.all([q.workRow(db, id), q.creatorsOf(db, id)]);
      if (!work) return undefined;
      const text = await q.firstChapterText(db, id);
      return {
        type,
        id,
        ownerUserId: creators[0]?.userId ?? null,
        ownerUserIds: creators.map((c) => c.userId),
        snapshot: {
          title: work.title,
          excerpt: [quote(work.summary_html), quote(text)].filter(Boolean).join("\n\n"),
          author: creators.map((c) => c.login).join(", ") || null,
          url: `/works/${id}`,
          hiddenReason: work.hidden_reason,
        },
        visibleTo: async (viewer) => (await workVisible(db, viewer, id)).ok,
      };
    }
    case "chapter": {
      const chapter = await q.chapterRow(db, id);
      if (!chapter) return undefined;
      const [work, creators] = await Promise.all([
        q.workRow(db, chapter.work_id),
        q.creatorsOf(db, chapter.work_id),
      ]);
      if (!work) return undefined;
      const label = chapter.title
        ? `Chapter ${chapter.position}: ${chapter.title}`
        : `Chapter ${chapter.position}`;
      return {
        type,
        id,
        ownerUserId: creators[0]?.userId ?? null,
        ownerUserIds: creators.map((c) => c.userId),
        snapshot: {
          title: `${label} of ${work.title}`,
          excerpt: quote(chapter.text_html),
          author: creators.map((c) => c.login).join(", ") || null,
          url: `/works/${work.id}/chapters/${id}`,
          hiddenReason: work.hidden_reason,
        },
        visibleTo: async (viewer) => {
          const seen = await workVisible(db, viewer, work.id);
          return seen.ok && chapterShown(chapter, seen.creator);
        },
      };
    }
    case "comment": {
      const c = await q.commentRow(db, id);
      if (!c || c.deleted) return undefined;
      const work = await q.workRow(db, c.work_id);
      return {
        type,
        id,
        ownerUserId: c.user_id,
        ownerUserIds: c.user_id === null ? [] : [c.user_id],
        snapshot: {
          title: `Comment on ${work?.title ?? "a work"}`,
          excerpt: quote(c.body_html),
          author: c.login ?? (c.guest_name ? `${c.guest_name} (Guest)` : null),
          url: `/comments/${id}`,
          hiddenReason: c.hidden_reason,
        },
        visibleTo: async (viewer) => {
          const own = viewer.user !== null && viewer.user.id === c.user_id;
          if (c.hidden_reason !== null && !own && !seesHidden(viewer)) return false;
          const seen = await workVisible(db, viewer, c.work_id);
          return seen.ok && (c.status === "published" || own || seen.creator);
        },
      };
    }
    case "bookmark": {
      const b = await q.bookmarkRow(db, id);
      if (!b) return undefined;
      // A series bookmark (issue 15) names its series.
      const workTitle = b.current_title ?? b.series_title ?? b.work_title ?? "a deleted work";
      return {
        type,
        id,
        ownerUserId: b.user_id,
        ownerUserIds: [b.user_id],
        snapshot: {
          title: `Bookmark of ${workTitle}`,
          excerpt: quote(b.notes_html),
          author: b.login,
          url: `/bookmarks/${id}`,
          hiddenReason: b.hidden_reason,
        },
        visibleTo: async (viewer) => {
          const own = viewer.user?.id === b.user_id;
          if (b.private && !own) return false;
          if (b.hidden_reason !== null && !own && !seesHidden(viewer)) return false;
          return b.work_id === null || (await workVisible(db, viewer, b.work_id)).ok;
        },
      };
    }
    case "tag": {
      const tag = await q.tagRow(db, id);
      if (!tag) return undefined;
      return {
        type,
        id,
        ownerUserId: null,
        ownerUserIds: [],
        snapshot: {
          title: tag.name,
          excerpt: `A ${tag.type} tag${tag.canonical ? " (canonical)" : ""}.`,
          author: null,
          url: `/tags/${tagUrlName(tag.name)}`,
          hiddenReason: null,
        },
        visibleTo: (viewer) => tagShownTo(db, audienceOf(viewer), tag),
      };
    }
    case "user": {
      const user = await q.userRow(db, id);
      if (!user) return undefined;
      return {
        type,
        id,
        ownerUserId: user.id,
        ownerUserIds: [user.id],
        snapshot: {
          title: user.login,
          excerpt: excerpt(await q.profileText(db, id), EXCERPT_LENGTH),
          author: user.login,
          url: `/users/${encodeURIComponent(user.login)}`,
          hiddenReason: null,
        },
        visibleTo: () => Promise.resolve(true),
      };
    }
  }
}

/** A stored snapshot read back; anything unreadable shows as empty rather than failing. */
export function parseSnapshot(json: string): Snapshot {
  try {
    const v = JSON.parse(json) as Partial<Snapshot>;
    return {
      title: typeof v.title === "string" ? v.title : "",
      excerpt: typeof v.excerpt === "string" ? v.excerpt : "",
      author: typeof v.author === "string" ? v.author : null,
      url: typeof v.url === "string" ? v.url : "",
      hiddenReason: typeof v.hiddenReason === "string" ? v.hiddenReason : null,
    };
  } catch {
    return { title: "", excerpt: "", author: null, url: "", hiddenReason: null };
  }
}
