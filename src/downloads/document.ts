/**
 * What every download format is built from: one work's metadata, its chapters and the
 * archive's addresses, gathered once, independent of who asks (the same file serves every
 * reader allowed to see the work). Engagement counts (kudos, hits) are left out, as in AO3's
 * downloads: they change by the minute and would make every kudos a new file.
 */
import { createHash } from "node:crypto";
import type { Config } from "../core/config.ts";
import { archiveId } from "../core/db/changes.ts";
import type { Queryable } from "../core/db/index.ts";
import type { Chapter, Tag, Work } from "../core/db/schema.ts";
import { publicBaseUrl } from "../core/http/public-url.ts";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { formatDate, formatNumber } from "../core/views/format.ts";
import { tagWorksPath } from "../tags/names.ts";
import { tagsOfWorks } from "../tags/queries.ts";
import { chaptersOfWork } from "../works/chapter-queries.ts";
import { languageName } from "../works/languages.ts";
import { bylineOf } from "../works/present.ts";
import { creatorsOfWorks, findWork, type Creator } from "../works/queries.ts";
import type { DownloadFormat } from "../works/views/links.tsx";

/**
 * Bump a format's number whenever its builder's output changes: the cache key includes it,
 * so files built by an older builder are rebuilt (and the old ones cleaned).
 */
export const BUILDER_VERSIONS: Readonly<Record<DownloadFormat, number>> = {
  epub: 1,
  html: 1,
  txt: 1,
  pdf: 1,
};

export interface MetaGroup {
  /** AO3's class for the group (`rating`, `warning`, `fandom`…). */
  key: string;
  label: string;
  values: { name: string; url: string }[];
}

export interface DownloadChapter {
  id: number;
  position: number;
  /** "Chapter 2: Fog", or "Chapter 2" when untitled; the title alone for a one-shot. */
  heading: string;
  title: string;
  summaryHtml: SanitizedHtml;
  notesHtml: SanitizedHtml;
  textHtml: SanitizedHtml;
  endNotesHtml: SanitizedHtml;
  words: number;
}

export interface DownloadWork {
  id: number;
  title: string;
  /**
   * Bylines, as on the work page: "pseud (login)". Empty for an anonymous work (issue 15):
   * the builders then write "Anonymous", with no link.
   */
  authors: { name: string; url: string }[];
  /** The archive's absolute address, from configuration (never a request's Host). */
  baseUrl: string;
  /** The work's absolute address. */
  url: string;
  language: { code: string; name: string };
  /** A stable `urn:uuid:` from the archive's id and the work's id. */
  identifier: string;
  tags: MetaGroup[];
  summaryHtml: SanitizedHtml;
  notesHtml: SanitizedHtml;
  endNotesHtml: SanitizedHtml;
  stats: { label: string; value: string }[];
  published: string;
  /** The latest change to the text or metadata, ISO 8601 without milliseconds. */
  modified: string;
  words: number;
  restricted: boolean;
  chapters: DownloadChapter[];
  /** More than one chapter: chapters get "Chapter N" headings. */
  multi: boolean;
}

const GROUPS: readonly [Tag["type"], string, string][] = [
  ["rating", "rating", "Rating"],
  ["warning", "warning", "Archive Warning"],
  ["category", "category", "Category"],
  ["fandom", "fandom", "Fandom"],
  ["relationship", "relationship", "Relationship"],
  ["character", "character", "Character"],
  ["freeform", "freeform", "Additional Tags"],
];

/** A name-based (v5-shaped) UUID from a SHA-1 of the archive id and the work id. */
export function stableUuid(archive: string, workId: number): string {
  const h = createHash("sha1").update(`fanfold:${archive}:work:${workId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface WorkRows {
  work: Work;
  tags: Tag[];
  creators: Creator[];
  chapters: Chapter[];
  archive: string;
}

/** The rows a download is built from; undefined when the work is gone. */
export async function loadWorkRows(db: Queryable, workId: number): Promise<WorkRows | undefined> {
  const work = await findWork(db, workId);
  if (!work) return undefined;
  const [tags, creators, chapters, archive] = await Promise.all([
    tagsOfWorks(db, [workId]),
    creatorsOfWorks(db, [workId]),
    chaptersOfWork(db, workId),
    archiveId(db),
  ]);
  return {
    work,
    tags: tags.get(workId) ?? [],
    creators: creators.get(workId) ?? [],
    chapters,
    archive: archive ?? "fanfold",
  };
}

/**
 * The chapters a download holds: posted ones (what every reader sees). A draft work's
 * chapters are all drafts, and only its creators can ask for it: it holds them all.
 */
export function chaptersInDownload(rows: Pick<WorkRows, "work" | "chapters">): Chapter[] {
  return rows.chapters.filter((c) => c.posted === 1 || rows.work.posted === 0);
}

/**
 * The cache key of one format of one version of a work: a hash of everything the file is
 * made from — the work's row (any edit changes `edited_at`/`version`), its tags by name (a
 * wrangler's rename changes no work row), its creators, the chapters' ids, positions and
 * edit times, the archive's address and the builder's version.
 */
export function downloadKey(rows: WorkRows, format: DownloadFormat, baseUrl: string): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([format, BUILDER_VERSIONS[format], baseUrl, rows.archive, rows.work]));
  h.update(JSON.stringify(rows.tags.map((t) => [t.id, t.type, t.name])));
  // The key is the file's ETag, which every reader gets: an anonymous work's hashes only
  // "Anonymous" (issue 15), never the creators it could be checked against.
  h.update(
    JSON.stringify(
      rows.work.in_anon_collection
        ? bylineOf(rows.work, rows.creators).map((c) => c.name)
        : rows.creators.map((c) => [c.pseudId, c.pseudName, c.login]),
    ),
  );
  h.update(
    JSON.stringify(
      chaptersInDownload(rows).map((c) => [c.id, c.position, c.edited_at, c.posted, c.title]),
    ),
  );
  return h.digest("hex").slice(0, 32);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Rows to the model every builder reads. */
export function presentDownload(
  rows: WorkRows,
  config: Pick<Config, "publicUrl" | "port" | "host">,
): DownloadWork {
  const { work } = rows;
  const baseUrl = publicBaseUrl(config);
  const chapters = chaptersInDownload(rows);
  const multi = chapters.length > 1;
  const tags: MetaGroup[] = [];
  for (const [type, key, label] of GROUPS) {
    const values = rows.tags
      .filter((t) => t.type === type)
      .map((t) => ({ name: t.name, url: `${baseUrl}${tagWorksPath(t.name)}` }));
    if (values.length > 0)
      tags.push({
        key,
        label: values.length > 1 && !label.endsWith("s") ? `${label}s` : label,
        values,
      });
  }
  const words = chapters.reduce((n, c) => n + c.word_count, 0);
  const published = formatDate(work.published_at ?? work.created_at);
  const stats = [{ label: "Published", value: published }];
  if (work.revised_at !== null && work.revised_at !== work.published_at && (multi || work.complete))
    stats.push({
      label: work.complete ? "Completed" : "Updated",
      value: formatDate(work.revised_at),
    });
  stats.push({ label: "Words", value: formatNumber(words) });
  stats.push({
    label: "Chapters",
    value: `${work.posted ? work.chapter_count : chapters.length}/${work.expected_chapters ?? "?"}`,
  });
  const latest = Math.max(work.edited_at, ...chapters.map((c) => c.edited_at));
  return {
    id: work.id,
    title: work.title,
    // bylineOf: "Anonymous" (no address) stands for an anonymous work's creators.
    authors: bylineOf(work, rows.creators).flatMap((link) =>
      link.url === null ? [] : [{ name: link.name, url: `${baseUrl}${link.url}` }],
    ),
    baseUrl,
    url: `${baseUrl}/works/${work.id}`,
    language: { code: work.language, name: languageName(work.language) },
    identifier: `urn:uuid:${stableUuid(rows.archive, work.id)}`,
    tags,
    summaryHtml: work.summary_html,
    notesHtml: work.notes_html,
    endNotesHtml: work.end_notes_html,
    stats,
    published,
    modified: isoSeconds(latest),
    words,
    restricted: work.restricted === 1,
    multi,
    chapters: chapters.map((c, i) => ({
      id: c.id,
      position: i + 1,
      title: c.title,
      heading: multi
        ? c.title
          ? `Chapter ${i + 1}: ${c.title}`
          : `Chapter ${i + 1}`
        : c.title || work.title,
      summaryHtml: c.summary_html,
      notesHtml: c.notes_html,
      textHtml: c.text_html,
      endNotesHtml: c.end_notes_html,
      words: c.word_count,
    })),
  };
}

/** "Title by A, B" for headers and file metadata. */
export const bylineText = (w: DownloadWork) =>
  w.authors.length ? w.authors.map((a) => a.name).join(", ") : "Anonymous";
