/**
 * Building a person's data archive, in the background (the "personal-data.export" job): one
 * .tar.gz under `<data dir>/exports/` holding README.txt, data.json (the account, pseuds,
 * works' metadata, bookmarks, comments, history, kudos, subscriptions, preferences,
 * exclusions, saved searches) and each work as one HTML document with its chapters, notes and
 * tags. Idempotent: the file name is chosen when the export is queued, a second run finds the
 * row no longer queued and does nothing, and a run that died half-way writes the same file
 * again from the start.
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { renderToString } from "preact-render-to-string";
import type { Db } from "../core/db/index.ts";
import type { Chapter, Tag } from "../core/db/schema.ts";
import { UserHtml } from "../core/views/trusted-html.tsx";
import { tagsOfWorks } from "../tags/queries.ts";
import { chaptersOfWork } from "../works/chapter-queries.ts";
import { creatorsOfWorks, worksByIds } from "../works/queries.ts";
import { creatorLink } from "../works/present.ts";
import { writeTarGz, type ArchiveEntry } from "./archive.ts";
import * as q from "./queries.ts";

export const EXPORT_TTL_MS = 7 * 24 * 3_600_000;
/** Where the archive's files sit inside it: extracting makes one folder. */
const ROOT = "fanfold-data";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A file-name-safe form of a title: ASCII letters and digits joined by dashes. */
export function slugOf(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "work";
}

export const workFileName = (work: { id: number; title: string }) =>
  `works/${work.id}-${slugOf(work.title)}.html`;

const TAG_GROUPS: readonly [Tag["type"], string][] = [
  ["rating", "Rating"],
  ["warning", "Archive Warnings"],
  ["category", "Categories"],
  ["fandom", "Fandoms"],
  ["relationship", "Relationships"],
  ["character", "Characters"],
  ["freeform", "Additional Tags"],
];

interface WorkDoc {
  id: number;
  title: string;
  language: string;
  posted: boolean;
  restricted: boolean;
  creators: string[];
  tags: Tag[];
  summaryHtml: Chapter["summary_html"];
  notesHtml: Chapter["notes_html"];
  endNotesHtml: Chapter["end_notes_html"];
  publishedAt: number | null;
  words: number;
  chapters: Chapter[];
}

function Section({ title, html }: { title: string; html: Chapter["notes_html"] }) {
  if (!html) return null;
  return (
    <section>
      <h3>{title}</h3>
      <UserHtml html={html} />
    </section>
  );
}

/** One work as a standalone HTML document; every value is escaped, chapter HTML is sanitized. */
function WorkDocument({ work }: { work: WorkDoc }) {
  return (
    <html lang={work.language}>
      <head>
        <meta charset="utf-8" />
        <title>{work.title}</title>
      </head>
      <body>
        <article>
          <h1>{work.title}</h1>
          <p>by {work.creators.join(", ")}</p>
          <dl>
            {TAG_GROUPS.map(([type, label]) => {
              const names = work.tags.filter((t) => t.type === type).map((t) => t.name);
              return names.length ? (
                <>
                  <dt>{label}</dt>
                  <dd>{names.join(", ")}</dd>
                </>
              ) : null;
            })}
            <dt>Language</dt>
            <dd>{work.language}</dd>
            <dt>Status</dt>
            <dd>
              {work.posted ? `Posted ${iso(work.publishedAt)?.slice(0, 10) ?? ""}` : "Draft"}
              {work.restricted ? " (registered users only)" : ""}
            </dd>
            <dt>Words</dt>
            <dd>{work.words}</dd>
          </dl>
          <Section title="Summary" html={work.summaryHtml} />
          <Section title="Notes" html={work.notesHtml} />
          {work.chapters.map((c) => (
            <section key={c.id} class="chapter">
              <h2>
                Chapter {c.position}
                {c.title ? `: ${c.title}` : ""}
                {c.posted ? "" : " (draft)"}
              </h2>
              <Section title="Chapter summary" html={c.summary_html} />
              <Section title="Chapter notes" html={c.notes_html} />
              <UserHtml html={c.text_html} />
              <Section title="Chapter end notes" html={c.end_notes_html} />
            </section>
          ))}
          <Section title="End notes" html={work.endNotesHtml} />
        </article>
      </body>
    </html>
  );
}

export const renderWorkDocument = (work: WorkDoc) =>
  "<!DOCTYPE html>\n" + renderToString(<WorkDocument work={work} />);

const README = (login: string, at: number) => `Your data from this Fanfold archive
===================================

Account: ${login}
Exported: ${new Date(at).toISOString()}

What is in this folder:

  data.json    Everything the archive keeps about you, as JSON: your account and
               preferences, pseuds, your works' details, bookmarks (with notes and tags),
               comments (with their text), kudos, reading history, subscriptions,
               notification settings, hidden tags, muted and blocked users, and saved
               searches. Times are UTC (ISO 8601).
  works/       Each of your works (drafts too) as one HTML page with all its chapters,
               notes and tags. Open them in any web browser.

This archive was made at your request and is deleted from the server seven days after it
was built.
`;

/** Everything data.json holds about the user, and the works to write. */
async function gather(db: Db, userId: number) {
  const user = await q.accountRow(db, userId);
  if (!user) return undefined;
  const workIds = await q.workIdsOfUser(db, userId);
  const [
    pseuds,
    works,
    tags,
    creators,
    bookmarks,
    comments,
    readings,
    kudos,
    subscriptions,
    notificationPrefs,
    excludedTags,
    muted,
    blocked,
    searches,
  ] = await Promise.all([
    q.pseudsOf(db, userId),
    worksByIds(db, workIds),
    tagsOfWorks(db, workIds),
    creatorsOfWorks(db, workIds),
    q.bookmarksOfUser(db, userId),
    q.commentsOfUser(db, userId),
    q.readingsOfUser(db, userId),
    q.kudosOfUser(db, userId),
    q.subscriptionsOfUser(db, userId),
    q.notificationPreferencesOf(db, userId),
    q.excludedTagsOf(db, userId),
    q.mutedUsersOf(db, userId),
    q.blockedUsersOf(db, userId),
    q.savedSearchesOf(db, userId),
  ]);
  const bookmarkTags = await q.bookmarkTagsOf(
    db,
    bookmarks.map((b) => b.id),
  );
  works.sort((a, b) => a.id - b.id);
  const names = (workId: number) => (creators.get(workId) ?? []).map((c) => creatorLink(c).name);
  const data = {
    format: "fanfold-personal-data",
    version: 1,
    account: {
      login: user.login,
      email: user.email,
      createdAt: iso(user.created_at),
      emailConfirmedAt: iso(user.email_confirmed_at),
      termsAcceptedAt: iso(user.terms_accepted_at),
      roles: user.roles ? user.roles.split(" ") : [],
      suspendedUntil: iso(user.suspended_until),
      preferences: {
        viewAdult: user.view_adult === 1,
        historyEnabled: user.history_enabled === 1,
      },
    },
    pseuds: pseuds.map((p) => ({
      name: p.name,
      description: p.description,
      isDefault: p.is_default === 1,
      createdAt: iso(p.created_at),
    })),
    works: works.map((w) => {
      const workTags = tags.get(w.id) ?? [];
      const of = (type: Tag["type"]) => workTags.filter((t) => t.type === type).map((t) => t.name);
      return {
        id: w.id,
        title: w.title,
        file: workFileName(w),
        creators: names(w.id),
        posted: w.posted === 1,
        restricted: w.restricted === 1,
        complete: w.complete === 1,
        language: w.language,
        words: w.word_count,
        chapters: w.chapter_count,
        expectedChapters: w.expected_chapters,
        rating: of("rating")[0] ?? null,
        warnings: of("warning"),
        categories: of("category"),
        fandoms: of("fandom"),
        relationships: of("relationship"),
        characters: of("character"),
        freeforms: of("freeform"),
        commentPolicy: w.comment_policy,
        publishedAt: iso(w.published_at),
        revisedAt: iso(w.revised_at),
        createdAt: iso(w.created_at),
        hiddenByModerator: w.hidden_reason,
      };
    }),
    bookmarks: bookmarks.map((b) => ({
      // A series bookmark (issue 15) has no work: its series instead.
      ...(b.series_id !== null
        ? { seriesId: b.series_id, seriesTitle: b.series_title }
        : {
            workId: b.work_ref,
            workTitle: b.title ?? b.work_title,
            workDeleted: b.work_id === null,
          }),
      pseud: b.pseud_name,
      notesHtml: b.notes_html,
      tags: bookmarkTags.get(b.id) ?? [],
      private: b.private === 1,
      rec: b.rec === 1,
      createdAt: iso(b.created_at),
      updatedAt: iso(b.updated_at),
    })),
    comments: comments.map((c) => ({
      id: c.id,
      workId: c.work_id,
      workTitle: c.work_title,
      chapter: c.chapter_position,
      inReplyTo: c.parent_id,
      pseud: c.pseud_name,
      bodyHtml: c.body_html,
      status: c.status,
      createdAt: iso(c.created_at),
      editedAt: iso(c.edited_at),
    })),
    kudos: kudos.map((k) => ({ workId: k.work_id, workTitle: k.title, at: iso(k.created_at) })),
    readingHistory: readings.map((r) => ({
      workId: r.work_id,
      workTitle: r.title,
      firstReadAt: iso(r.first_read_at),
      lastReadAt: iso(r.last_read_at),
      visits: r.visits,
      inHistory: r.in_history === 1,
      markedForLater: r.marked_for_later === 1,
    })),
    subscriptions: subscriptions.map((s) => ({
      type: s.target_type,
      id: s.target_id,
      name:
        s.target_type === "work"
          ? s.work_title
          : s.target_type === "series"
            ? s.series_title
            : s.user_login,
      createdAt: iso(s.created_at),
    })),
    notificationEmail: Object.fromEntries(notificationPrefs.map((p) => [p.kind, p.email === 1])),
    exclusions: {
      tags: excludedTags.map((t) => ({ name: t.name, type: t.type, at: iso(t.created_at) })),
      mutedUsers: muted.map((m) => ({ login: m.login, at: iso(m.created_at) })),
    },
    blockedUsers: blocked.map((b) => ({ login: b.login, at: iso(b.created_at) })),
    savedSearches: searches.map((s) => ({
      name: s.name,
      path: s.path,
      query: s.query,
      createdAt: iso(s.created_at),
    })),
  };
  const docs = works.map((w) => ({
    id: w.id,
    file: workFileName(w),
    doc: {
      id: w.id,
      title: w.title,
      language: w.language,
      posted: w.posted === 1,
      restricted: w.restricted === 1,
      creators: names(w.id),
      tags: tags.get(w.id) ?? [],
      summaryHtml: w.summary_html,
      notesHtml: w.notes_html,
      endNotesHtml: w.end_notes_html,
      publishedAt: w.published_at,
      words: w.word_count,
    },
  }));
  return { login: user.login, data, docs };
}

/** The archive's files, one work's chapters loaded at a time. */
async function* entries(
  db: Db,
  gathered: NonNullable<Awaited<ReturnType<typeof gather>>>,
  now: number,
): AsyncGenerator<ArchiveEntry> {
  yield { path: `${ROOT}/README.txt`, data: README(gathered.login, now) };
  yield {
    path: `${ROOT}/data.json`,
    data: JSON.stringify({ exportedAt: iso(now), ...gathered.data }, null, 2) + "\n",
  };
  for (const { id, file, doc } of gathered.docs) {
    const chapters = await chaptersOfWork(db, id);
    yield { path: `${ROOT}/${file}`, data: renderWorkDocument({ ...doc, chapters }) };
  }
}

export const exportPath = (dataDir: string, fileName: string) => join(dataDir, fileName);

/** The job: builds export `exportId` if it is still queued. */
export async function buildExport(
  db: Db,
  dataDir: string,
  exportId: number,
  now: number,
): Promise<void> {
  const row = await q.findExport(db, exportId);
  if (!row || row.status !== "queued") return;
  const gathered = await gather(db, row.user_id);
  if (!gathered) return;
  const file = exportPath(dataDir, row.file_name);
  await mkdir(dirname(file), { recursive: true });
  const part = `${file}.part`;
  try {
    await writeTarGz(part, entries(db, gathered, now), now);
    await rename(part, file);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  const { size } = await stat(file);
  const marked = await q.markExportReady(db, exportId, {
    size,
    now,
    expiresAt: now + EXPORT_TTL_MS,
  });
  // Deleted meanwhile (the account was closed): the file must not stay behind.
  if (!marked && !(await q.findExport(db, exportId))) await rm(file, { force: true });
}
