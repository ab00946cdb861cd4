import type { ComponentChildren } from "preact";
import type { Chapter } from "../../core/db/schema.ts";
import { chapterPrefix, withParagraphIds } from "../../core/text/paragraphs.ts";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { formatDate } from "../../core/views/format.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import type { AddOnParts } from "../page-addons.ts";
import type { WorkView } from "../present.ts";
import { LinkList } from "./links.tsx";
import { WorkMeta } from "./meta.tsx";

export interface ChapterNav {
  id: number;
  position: number;
  title: string;
  posted: boolean;
  publishedAt: string;
}

export interface ReadingProps {
  work: WorkView;
  /** The chapters on this page: one, or all with `?view_full_work=true`. */
  chapters: Chapter[];
  index: ChapterNav[];
  fullWork: boolean;
  /** What other domains add (kudos, comments, bookmark and subscribe buttons, …). */
  parts?: AddOnParts;
}

const chapterUrl = (workId: number, id: number) => `/works/${workId}/chapters/${id}`;
const chapterLabel = (c: { position: number; title: string }) =>
  c.title ? `Chapter ${c.position}: ${c.title}` : `Chapter ${c.position}`;

function Notes({ html, title, end }: { html: SanitizedHtml; title: string; end?: boolean }) {
  if (!html) return null;
  return (
    <div class={end ? "end notes module" : "notes module"}>
      <h3 class="heading">{title}</h3>
      <UserHtml as="blockquote" html={html} />
    </div>
  );
}

function WorkActions({
  work,
  index,
  current,
  fullWork,
  label,
  extra = [],
}: {
  work: WorkView;
  index: ChapterNav[];
  current: Chapter | undefined;
  fullWork: boolean;
  /** Each navigation landmark on a page needs a name of its own. */
  label: string;
  /** Add-on actions (bookmark, subscribe, mark for later). */
  extra?: ComponentChildren[];
}) {
  const at = current ? index.findIndex((c) => c.id === current.id) : -1;
  const prev = at > 0 ? index[at - 1] : undefined;
  const next = at >= 0 && at < index.length - 1 ? index[at + 1] : undefined;
  const multi = index.length > 1;
  return (
    <nav aria-label={label}>
      <ul class="work navigation actions">
        {multi && !fullWork ? (
          <li class="chapter entire">
            <a href={`${work.url}?view_full_work=true`}>Entire Work</a>
          </li>
        ) : null}
        {multi && fullWork && index[0] ? (
          <li class="chapter bychapter">
            <a href={chapterUrl(work.id, index[0].id)}>Chapter by Chapter</a>
          </li>
        ) : null}
        {prev && !fullWork ? (
          <li class="chapter previous">
            <a href={chapterUrl(work.id, prev.id)}>← Previous Chapter</a>
          </li>
        ) : null}
        {next && !fullWork ? (
          <li class="chapter next">
            <a href={chapterUrl(work.id, next.id)}>Next Chapter →</a>
          </li>
        ) : null}
        {multi ? (
          <li class="chapter index">
            <a href={`${work.url}/navigate`}>Chapter Index</a>
          </li>
        ) : null}
        {extra.map((item, i) => (
          <li key={`extra-${i}`}>{item}</li>
        ))}
        {work.canEdit ? (
          <>
            <li>
              <a href={`${work.url}/edit`}>Edit Work</a>
            </li>
            <li>
              <a href={`${work.url}/chapters/new`}>Add Chapter</a>
            </li>
            {current && !fullWork ? (
              <li>
                <a href={`${chapterUrl(work.id, current.id)}/edit`}>Edit Chapter</a>
              </li>
            ) : null}
            {multi ? (
              <li>
                <a href={`${work.url}/chapters/manage`}>Reorder Chapters</a>
              </li>
            ) : null}
            <li>
              <a href={`${work.url}/confirm_delete`}>Delete Work</a>
            </li>
          </>
        ) : null}
      </ul>
    </nav>
  );
}

function ChapterBlock({
  work,
  chapter,
  multi,
  end,
}: {
  work: WorkView;
  chapter: Chapter;
  multi: boolean;
  /** Add-ons' parts for the end of this chapter. */
  end?: ComponentChildren[] | undefined;
}) {
  return (
    <div class="chapter" id={chapterPrefix(chapter.position)}>
      {multi ? (
        <div class="chapter preface group">
          <h3 class="title">
            <a href={chapterUrl(work.id, chapter.id)}>{chapterLabel(chapter)}</a>
            {chapter.posted ? null : <span class="badge"> (Draft)</span>}
          </h3>
          {chapter.summary_html ? (
            <div class="summary module">
              <h3 class="heading">Chapter Summary</h3>
              <UserHtml as="blockquote" html={chapter.summary_html as SanitizedHtml} />
            </div>
          ) : null}
          <Notes html={chapter.notes_html as SanitizedHtml} title="Chapter Notes" />
        </div>
      ) : null}
      <UserHtml
        class="module"
        role="article"
        aria-label={chapterLabel(chapter)}
        // Paragraphs get ids (`chapter-<position>-p<N>`) to link a saved reading position to.
        html={withParagraphIds(chapter.text_html as SanitizedHtml, chapterPrefix(chapter.position))}
      />
      {chapter.end_notes_html ? (
        <div class="chapter preface group">
          <Notes end html={chapter.end_notes_html as SanitizedHtml} title="Chapter End Notes" />
        </div>
      ) : null}
      {work.canEdit && !chapter.posted ? (
        <PostForm action={`${chapterUrl(work.id, chapter.id)}/post`} class="inline">
          <button type="submit">Post this chapter</button>
        </PostForm>
      ) : null}
      {end}
    </div>
  );
}

export function ReadingView({ work, chapters, index, fullWork, parts }: ReadingProps) {
  const current = fullWork ? undefined : chapters[0];
  const multi = index.length > 1;
  return (
    <article class="work-page" aria-labelledby="work-title">
      <h1 class="landmark heading" id="work-title">
        {work.title}
      </h1>
      {work.draft ? (
        <div class="notice" role="status">
          <p>This work is a draft: only you can see it.</p>
          <PostForm action={`${work.url}/post`} class="inline">
            <button type="submit">Post Work</button>
          </PostForm>
        </div>
      ) : null}
      <WorkActions
        work={work}
        index={index}
        current={current}
        fullWork={fullWork}
        label="Work"
        extra={parts?.actions ?? []}
      />
      {parts?.before}
      <WorkMeta work={work} />
      <div id="workskin">
        <div class="preface group">
          <h2 class="title heading">{work.title}</h2>
          <h3 class="byline heading">
            <LinkList links={work.creators} rel="author" />
          </h3>
          {work.summaryHtml ? (
            <div class="summary module">
              <h3 class="heading">Summary:</h3>
              <UserHtml as="blockquote" html={work.summaryHtml} />
            </div>
          ) : null}
          {current === undefined || current.position === index[0]?.position ? (
            <Notes html={work.notesHtml} title="Notes:" />
          ) : null}
        </div>
        <div id="chapters" role="region" aria-label="Work text">
          {chapters.map((c) => (
            <ChapterBlock
              key={c.id}
              work={work}
              chapter={c}
              multi={multi}
              end={parts?.chapterEnd?.get(c.id)}
            />
          ))}
        </div>
        {work.endNotesHtml && (fullWork || current?.id === index[index.length - 1]?.id) ? (
          <div class="afterword preface group">
            <div id="work_endnotes" class="end notes module">
              <h3 class="heading">Notes:</h3>
              <UserHtml as="blockquote" html={work.endNotesHtml} />
            </div>
          </div>
        ) : null}
      </div>
      {multi && !fullWork ? (
        <WorkActions
          work={{ ...work, canEdit: false }}
          index={index}
          current={current}
          fullWork={false}
          label="Chapter navigation, end of chapter"
        />
      ) : null}
      {parts?.after}
    </article>
  );
}

export function NavigateView({ work, index }: { work: WorkView; index: ChapterNav[] }) {
  return (
    <section>
      <h1 class="heading">
        Chapter Index for <a href={work.url}>{work.title}</a>
      </h1>
      <ol class="chapter index group">
        {index.map((c) => (
          <li key={c.id}>
            <a href={chapterUrl(work.id, c.id)}>{chapterLabel(c)}</a>{" "}
            <span class="datetime">
              ({c.posted ? c.publishedAt || "not yet published" : "Draft"})
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function AdultGateView({ work, continueUrl }: { work: WorkView; continueUrl: string }) {
  return (
    <section class="adult-gate">
      <h1>Adult content warning</h1>
      <h2 class="heading">
        <a href={work.url}>{work.title}</a>
      </h2>
      <p class="caution">
        This work could have adult content. If you continue, you have agreed that you are willing to
        see such content.
      </p>
      <p>Rating: {work.rating.name}</p>
      <ul class="actions">
        <li>
          {/* site.js carries the address's #fragment over (a "Continue reading" paragraph). */}
          <a class="button" href={continueUrl} data-keep-hash>
            Proceed
          </a>
        </li>
        <li>
          <a class="button" href="/works">
            Go back
          </a>
        </li>
      </ul>
      <p>
        If you accept cookies from our site and you choose "Proceed", you will not be asked again
        during this session. Logged-in readers can turn this warning off in their preferences.
      </p>
    </section>
  );
}

export function RestrictedView({ loginUrl }: { loginUrl: string }) {
  return (
    <section class="restricted">
      <h1>This work is only available to registered users of the archive</h1>
      <p>
        The creator has chosen to show this work only to people who are logged in.{" "}
        <a href={loginUrl}>Log in</a> or <a href="/signup">create an account</a> to read it.
      </p>
    </section>
  );
}

export { chapterLabel, chapterUrl, formatDate };
