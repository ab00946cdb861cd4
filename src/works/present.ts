/**
 * Turns rows into what pages show: grouped tags, formatted stats, links, permissions, and
 * chapter text ready for the page.
 */
import type { Queryable } from "../core/db/index.ts";
import type { Tag, Work } from "../core/db/schema.ts";
import { chapterPrefix } from "../core/text/paragraphs.ts";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { formatDate, formatNumber } from "../core/views/format.ts";
import type { Viewer } from "../core/viewer.ts";
import type { WorkCounts, WorkCountsSource } from "../core/work-counts.ts";
import { tagWorksPath } from "../tags/names.ts";
import { tagsOfWorks } from "../tags/queries.ts";
import { languageName } from "./languages.ts";
import { workPolicy } from "./policy.ts";
import type { ShownChapter } from "./page-addons.ts";
import { creatorsOfWorks, type Creator } from "./queries.ts";
import { seriesLink, type SeriesLink } from "./series/markup.tsx";
import { seriesOfWorks, type SeriesPlace } from "./series/queries.ts";
import { showsSeries } from "./visibility.ts";
import { giftsOfWorks } from "./gifts/queries.ts";
import { recipientLink } from "./gifts/present.ts";
import type { RelatedView } from "./related/present.ts";

export interface TagLink {
  name: string;
  url: string;
}

export interface CreatorLink {
  name: string;
  /** Null for "Anonymous" (a work in an anonymous collection): nothing to link to. */
  url: string | null;
}

/** The whole byline of an anonymous work, for every reader, its creators too. */
export const ANONYMOUS: CreatorLink = { name: "Anonymous", url: null };

/**
 * The byline readers see: the creators' links, or "Anonymous" alone while the work is in an
 * anonymous collection. Every page, feed, download and e-mail that names a work's creators
 * takes them from here (or from a WorkView, which does), never from the creatorships.
 */
export function bylineOf(work: { in_anon_collection: number }, creators: Creator[]): CreatorLink[] {
  return work.in_anon_collection ? [ANONYMOUS] : creators.map(creatorLink);
}

export interface WorkView {
  id: number;
  url: string;
  title: string;
  creators: CreatorLink[];
  creatorUserIds: number[];
  rating: TagLink;
  warnings: TagLink[];
  categories: TagLink[];
  fandoms: TagLink[];
  relationships: TagLink[];
  characters: TagLink[];
  freeforms: TagLink[];
  language: { code: string; name: string };
  summaryHtml: SanitizedHtml;
  notesHtml: SanitizedHtml;
  endNotesHtml: SanitizedHtml;
  published: string;
  /** "Updated" or "Completed" with its date, for multi-chapter works. */
  status: { label: "Updated" | "Completed"; date: string } | null;
  words: string;
  chapters: string;
  chapterCount: number;
  complete: boolean;
  restricted: boolean;
  draft: boolean;
  /** Hidden by a moderator, with this reason: only its creators and moderators see the work. */
  hiddenReason: string | null;
  /** In an anonymous collection (issue 15): `creators` is "Anonymous", its creators are told. */
  anonymous: boolean;
  /** Waiting for its collection's reveal: only its creators and moderators see the work. */
  unrevealed: boolean;
  gated: boolean;
  canEdit: boolean;
  /** What readers did with it, when the page asked (see core/work-counts.ts). */
  counts?: WorkCounts;
  /** Its series (issue 15), where loaded: with previous/next on its page (works/series/). */
  series?: SeriesLink[];
  /** Its gift recipients ("For X."), where loaded (loadWork, presentWorks; works/gifts/). */
  gifts?: CreatorLink[];
  /** Works it names as parents, and approved ones naming it (reading pages; works/related/). */
  related?: RelatedView;
}

const link = (t: Pick<Tag, "name">): TagLink => ({ name: t.name, url: tagWorksPath(t.name) });

/**
 * A creator's byline link. AO3 always links the pseud's address, the default pseud too
 * (`/users/LOGIN/pseuds/LOGIN`): ao3.js and FanFicFare read the login and pseud from it (#11).
 */
export function creatorLink(c: Creator): CreatorLink & { url: string } {
  return {
    name: c.pseudName === c.login ? c.login : `${c.pseudName} (${c.login})`,
    url: `/users/${c.login}/pseuds/${encodeURIComponent(c.pseudName)}`,
  };
}

export function presentWork(
  work: Work,
  /** What blurbs need of tags (search/listings keeps these in memory). */
  tags: readonly Pick<Tag, "id" | "name" | "type">[],
  creators: Creator[],
  viewer: Viewer,
  gated: boolean,
): WorkView {
  const of = (type: Tag["type"]) => tags.filter((t) => t.type === type).map(link);
  const rating = tags.find((t) => t.id === work.rating_id) ?? tags.find((t) => t.type === "rating");
  const creatorUserIds = creators.map((c) => c.userId);
  const multi = work.chapter_count > 1 || work.expected_chapters !== 1;
  return {
    id: work.id,
    url: `/works/${work.id}`,
    title: work.title,
    creators: bylineOf(work, creators),
    creatorUserIds,
    rating: rating ? link(rating) : { name: "Not Rated", url: tagWorksPath("Not Rated") },
    warnings: of("warning"),
    categories: of("category"),
    fandoms: of("fandom"),
    relationships: of("relationship"),
    characters: of("character"),
    freeforms: of("freeform"),
    language: { code: work.language, name: languageName(work.language) },
    summaryHtml: work.summary_html,
    notesHtml: work.notes_html,
    endNotesHtml: work.end_notes_html,
    published: formatDate(work.published_at ?? work.created_at),
    status:
      multi && work.revised_at !== null && (work.complete || work.revised_at !== work.published_at)
        ? { label: work.complete ? "Completed" : "Updated", date: formatDate(work.revised_at) }
        : null,
    words: formatNumber(work.word_count),
    chapters: `${work.chapter_count}/${work.expected_chapters ?? "?"}`,
    chapterCount: work.chapter_count,
    complete: work.complete === 1,
    restricted: work.restricted === 1,
    draft: work.posted === 0,
    hiddenReason: work.hidden_reason,
    anonymous: work.in_anon_collection === 1,
    unrevealed: work.in_unrevealed_collection === 1,
    gated,
    canEdit: workPolicy.can(viewer.user, "edit", { creatorUserIds }),
  };
}

export interface ChapterView {
  id: number;
  position: number;
  /** Empty when untitled. */
  title: string;
  posted: boolean;
  /** The chapter's element id (`chapter-<position>`), the prefix of its paragraphs' ids. */
  anchor: string;
  summaryHtml: SanitizedHtml;
  notesHtml: SanitizedHtml;
  /** Paragraphs carry ids (`chapter-<position>-p<N>`) to link a saved reading position to. */
  textHtml: SanitizedHtml;
  /** `textHtml` as UTF-8 when kept in memory: the page sends these bytes (page-bytes.ts). */
  textUtf8?: Buffer | undefined;
  endNotesHtml: SanitizedHtml;
  /** The chapter's own byline, when its creators are not the work's (works/creators). */
  byline?: CreatorLink[] | undefined;
}

export function presentChapter(chapter: ShownChapter): ChapterView {
  const anchor = chapterPrefix(chapter.position);
  return {
    id: chapter.id,
    position: chapter.position,
    title: chapter.title,
    posted: chapter.posted === 1,
    anchor,
    summaryHtml: chapter.summary_html,
    notesHtml: chapter.notes_html,
    // Rendered once per version (rendered.ts); reading pages fill in rows without it.
    textHtml: chapter.rendered_html,
    textUtf8: chapter.rendered_utf8,
    endNotesHtml: chapter.end_notes_html,
  };
}

/** A blurb's series: none while the work is anonymous or unrevealed, but to its creators. */
export function blurbSeries(
  work: Work,
  creators: Creator[],
  viewer: Viewer,
  places: SeriesPlace[] = [],
): SeriesLink[] {
  const isCreator = creators.some((c) => c.userId === viewer.user?.id);
  return showsSeries(work, isCreator) ? places.map(seriesLink) : [];
}

export const NO_COUNTS: WorkCounts = { kudos: 0, comments: 0, bookmarks: 0, hits: 0 };

/**
 * Presents many works with a fixed number of queries (tags, creators, and counts when
 * `counts` is given), whatever their number.
 */
export async function presentWorks(
  db: Queryable,
  viewer: Viewer,
  works: Work[],
  counts?: WorkCountsSource,
): Promise<WorkView[]> {
  const ids = works.map((w) => w.id);
  const [tags, creators, countMap, gifts] = await Promise.all([
    tagsOfWorks(db, ids),
    creatorsOfWorks(db, ids),
    counts && ids.length > 0 ? counts(viewer, ids) : undefined,
    giftsOfWorks(db, ids),
  ]);
  const series = await seriesOfWorks(db, ids);
  return works.map((w) => ({
    ...presentWork(w, tags.get(w.id) ?? [], creators.get(w.id) ?? [], viewer, false),
    ...(countMap ? { counts: countMap.get(w.id) ?? NO_COUNTS } : {}),
    series: blurbSeries(w, creators.get(w.id) ?? [], viewer, series.get(w.id)),
    gifts: (gifts.get(w.id) ?? []).map(recipientLink),
  }));
}
