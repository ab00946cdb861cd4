import type { ComponentChildren } from "preact";
import type { SanitizedHtml } from "../../core/text/sanitize.ts";
import { useRender } from "../../core/views/context.ts";
import { formatDate } from "../../core/views/format.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import type { AddOnParts } from "../page-addons.ts";
import type { ChapterView, WorkView } from "../present.ts";
import { WorkBlurb } from "./blurb.tsx";
import {
  downloadName,
  downloadPath,
  LinkList,
  RestrictedLock,
  type DownloadFormat,
} from "./links.tsx";
import { WorkMeta } from "./meta.tsx";
import { GiftAssociation } from "../gifts/views.tsx";
import {
  ChildrenJump,
  hasRelatedAssociations,
  RelatedAssociations,
  RelatedChildren,
} from "../related/views.tsx";

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
  chapters: ChapterView[];
  index: ChapterNav[];
  fullWork: boolean;
  /** What other domains add (kudos, comments, bookmark and subscribe buttons, …). */
  parts?: AddOnParts;
}

const chapterUrl = (workId: number, id: number) => `/works/${workId}/chapters/${id}`;
/** How a chapter is named in running text ("Save my place: I finished Chapter 2: Fog"). */
const chapterLabel = (c: { position: number; title: string }) =>
  c.title ? `Chapter ${c.position}: ${c.title}` : `Chapter ${c.position}`;
/**
 * How AO3 names a chapter in its chapter index and chapter menu: "2. Fog", or "2. Chapter 2"
 * when untitled. ao3.js takes the chapter's title from after the first ". " (#11).
 */
const chapterIndexLabel = (c: { position: number; title: string }) =>
  `${c.position}. ${c.title || `Chapter ${c.position}`}`;

function Notes(props: {
  html: SanitizedHtml;
  title: string;
  id?: string;
  class?: string;
  role?: "complementary";
  label?: string;
}) {
  if (!props.html) return null;
  return (
    <div
      id={props.id}
      class={props.class ?? "notes module"}
      role={props.role}
      aria-label={props.label}
    >
      <h3 class="heading">{props.title}</h3>
      <UserHtml as="blockquote" html={props.html} />
    </div>
  );
}

/**
 * The preface's notes module, in AO3's shape: `ul.associations` (one component per kind of
 * association: gifts, related works, …) above the work's notes, and a pointer to the works
 * inspired by this one at its end. Shown when any of them has something to say.
 */
function PrefaceNotes({ work, childrenHref }: { work: WorkView; childrenHref: string }) {
  const associations = Boolean(work.gifts?.length) || hasRelatedAssociations(work);
  const jump = Boolean(work.related?.children.length);
  if (!associations && !work.notesHtml && !jump) return null;
  return (
    <div class="notes module">
      <h3 class="heading">Notes:</h3>
      {associations ? (
        <ul class="associations">
          <GiftAssociation work={work} />
          <RelatedAssociations work={work} />
        </ul>
      ) : null}
      {work.notesHtml ? <UserHtml as="blockquote" html={work.notesHtml} /> : null}
      <ChildrenJump work={work} href={childrenHref} />
    </div>
  );
}

/**
 * AO3's chapter menu (`select#selected_id` in `li.chapter`): a plain GET form, so it works
 * without JavaScript; `/works/ID/chapters?selected_id=C` answers with the chapter's address.
 */
function ChapterSelect({
  work,
  index,
  current,
}: {
  work: WorkView;
  index: ChapterNav[];
  current: ChapterView | undefined;
}) {
  return (
    <form class="chapter-select inline" method="get" action={`${work.url}/chapters`}>
      <label class="landmark" for="selected_id">
        Chapter
      </label>
      <select name="selected_id" id="selected_id">
        {index.map((c) => (
          <option key={c.id} value={String(c.id)} selected={c.id === current?.id}>
            {chapterIndexLabel(c)}
          </option>
        ))}
      </select>{" "}
      <button type="submit">Go</button>
    </form>
  );
}

const DOWNLOAD_LABELS: Readonly<Record<DownloadFormat, string>> = {
  epub: "EPUB",
  pdf: "PDF",
  html: "HTML",
  txt: "TXT",
};

/**
 * AO3's download menu (`li.download` > `ul.expandable.secondary` of links): download tools
 * read the addresses from it. A `<details>` opens it without JavaScript, by mouse or keyboard.
 */
function DownloadMenu({ work }: { work: WorkView }) {
  const name = downloadName(work.title);
  return (
    <li class="download">
      <details>
        <summary>Download</summary>
        <ul class="expandable secondary">
          {(["epub", "pdf", "html", "txt"] as const).map((format) => (
            <li key={format}>
              <a href={downloadPath(work, format, name)}>{DOWNLOAD_LABELS[format]}</a>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

function WorkActions({
  work,
  index,
  current,
  fullWork,
  label,
  menu = false,
  extra = [],
}: {
  work: WorkView;
  index: ChapterNav[];
  current: ChapterView | undefined;
  fullWork: boolean;
  /** Each navigation landmark on a page needs a name of its own. */
  label: string;
  /** Whether to show the chapter menu (only once a page: it carries an id). */
  menu?: boolean;
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
        {multi && menu ? (
          <li class="chapter">
            <ChapterSelect work={work} index={index} current={current} />
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
        {menu ? <DownloadMenu work={work} /> : null}
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
  chapter: ChapterView;
  multi: boolean;
  /** Add-ons' parts for the end of this chapter. */
  end?: ComponentChildren[] | undefined;
}) {
  return (
    <div class="chapter" id={chapter.anchor}>
      {multi ? (
        <div class="chapter preface group">
          {/* AO3's shape: ao3.js reads the number from the link and the title after ": ". */}
          <h3 class="title">
            {chapter.id > 0 ? (
              <a href={chapterUrl(work.id, chapter.id)}>Chapter {chapter.position}</a>
            ) : (
              // A chapter not yet saved (a preview) has no address to link to.
              `Chapter ${chapter.position}`
            )}
            {chapter.title ? `: ${chapter.title}` : null}
            {chapter.posted ? null : <span class="badge"> (Draft)</span>}
          </h3>
          {chapter.byline ? (
            // AO3 names a chapter's creators when they are not the work's.
            <h3 class="byline heading">
              <LinkList links={chapter.byline} rel="author" />
            </h3>
          ) : null}
          {chapter.summaryHtml ? (
            <div id="summary" class="summary module">
              <h3 class="heading">Chapter Summary</h3>
              <UserHtml as="blockquote" html={chapter.summaryHtml} />
            </div>
          ) : null}
          <Notes id="notes" html={chapter.notesHtml} title="Chapter Notes" />
        </div>
      ) : null}
      <UserHtml
        class="module"
        role="article"
        aria-label={chapterLabel(chapter)}
        html={chapter.textHtml}
        utf8={chapter.textUtf8}
      />
      {chapter.endNotesHtml ? (
        <div class="chapter preface group">
          {/* FanFicFare finds chapter end notes by this class and role. */}
          <Notes
            id={`chapter_${chapter.position}_endnotes`}
            class="end notes module"
            role="complementary"
            label={`${chapterLabel(chapter)}, end notes`}
            html={chapter.endNotesHtml}
            title="Chapter End Notes"
          />
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

/**
 * The work's text in AO3's `div#workskin` (preface, `div#chapters`, afterword): the reading
 * page's, and the posting forms' preview (works/preview.ts), so a preview is what readers see.
 */
export function WorkSkin({
  work,
  chapters,
  index,
  fullWork,
  chapterEnd,
}: {
  work: WorkView;
  chapters: ChapterView[];
  index: ChapterNav[];
  fullWork: boolean;
  chapterEnd?: AddOnParts["chapterEnd"];
}) {
  const current = fullWork ? undefined : chapters[0];
  const multi = index.length > 1;
  return (
    <div id="workskin">
      <div class="preface group">
        <h2 class="title heading">
          {work.title}
          {work.restricted ? (
            <>
              {" "}
              <RestrictedLock />
            </>
          ) : null}
        </h2>
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
          <PrefaceNotes
            work={work}
            childrenHref={
              fullWork || !multi || index.length === 0
                ? "#children"
                : `${chapterUrl(work.id, index[index.length - 1]!.id)}#children`
            }
          />
        ) : null}
      </div>
      <div id="chapters" role="article" aria-label="Work text">
        <h3 class="landmark heading" id="work">
          {multi ? "Chapter Text" : "Work Text:"}
        </h3>
        {chapters.map((c) => (
          <ChapterBlock
            key={c.id}
            work={work}
            chapter={c}
            multi={multi}
            end={chapterEnd?.get(c.id)}
          />
        ))}
      </div>
      {(work.endNotesHtml || work.related?.children.length) &&
      (fullWork || current?.id === index[index.length - 1]?.id) ? (
        <div class="afterword preface group">
          <Notes
            id="work_endnotes"
            class="end notes module"
            html={work.endNotesHtml}
            title="Notes:"
          />
          <RelatedChildren work={work} />
        </div>
      ) : null}
    </div>
  );
}

/**
 * A work's reading page in AO3's shape (`div.work` > navigation, `dl.work.meta`,
 * `div#workskin` > preface, `div#chapters`, afterword; then `div#feedback`), so readers'
 * tools (ao3.js, FanFicFare) find every field where AO3 puts it.
 */
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
      {work.hiddenReason !== null ? (
        <div class="notice moderation-notice" role="status">
          <p>
            <strong>Hidden by a moderator:</strong> {work.hiddenReason}
          </p>
          <p>Nobody but its creators and the moderators can see this work.</p>
        </div>
      ) : null}
      {work.unrevealed || (work.anonymous && work.canEdit) ? (
        // Issue 15: what its collections do to the work, for those who see it as it is.
        <div class="notice" role="status">
          {work.unrevealed ? (
            <p>
              <strong>Unrevealed:</strong> this work is in a collection that has not revealed it
              yet. Nobody but its creators and the moderators can see it until the reveal.
            </p>
          ) : null}
          {work.anonymous && work.canEdit ? (
            <p>
              <strong>Anonymous:</strong> this work is in an anonymous collection. Readers see
              &ldquo;Anonymous&rdquo; as its creator, and your comments on it are signed
              &ldquo;Anonymous Creator&rdquo;, until the collection reveals its creators.
            </p>
          ) : null}
        </div>
      ) : null}
      <div class="work">
        <WorkActions
          work={work}
          index={index}
          current={current}
          fullWork={fullWork}
          label="Work"
          menu
          extra={parts?.actions ?? []}
        />
        {parts?.before}
        <WorkMeta work={work} extra={parts?.meta} />
        <WorkSkin
          work={work}
          chapters={chapters}
          index={index}
          fullWork={fullWork}
          chapterEnd={parts?.chapterEnd}
        />
      </div>
      <div id="feedback" class="feedback">
        {multi && !fullWork ? (
          <WorkActions
            work={{ ...work, canEdit: false }}
            index={index}
            current={current}
            fullWork={false}
            label="Chapter navigation, end of chapter"
          />
        ) : null}
        {work.canEdit || work.draft ? null : (
          <ul class="report-link actions" aria-label="Report">
            <li>
              <a href={`/reports/new?type=work&id=${work.id}`}>Report this work</a>
            </li>
            {multi && current ? (
              <li>
                <a href={`/reports/new?type=chapter&id=${current.id}`}>Report this chapter</a>
              </li>
            ) : null}
          </ul>
        )}
        {parts?.after}
      </div>
    </article>
  );
}

/**
 * AO3's chapter index (`/works/ID/navigate`): ao3.js reads the title and authors from
 * `.works-navigate h2`, FanFicFare the chapter links and the "(YYYY-MM-DD)" after each.
 */
export function NavigateView({ work, index }: { work: WorkView; index: ChapterNav[] }) {
  return (
    <div class="works-navigate">
      <h1 class="landmark heading">Chapter Index for {work.title}</h1>
      <h2 class="heading">
        Chapter Index for <a href={work.url}>{work.title}</a> by{" "}
        <LinkList links={work.creators} rel="author" />
      </h2>
      <ol class="chapter index group">
        {index.map((c) => (
          <li key={c.id}>
            <a href={chapterUrl(work.id, c.id)}>{chapterIndexLabel(c)}</a>{" "}
            <span class="datetime">
              ({c.posted ? c.publishedAt || "not yet published" : "Draft"})
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * AO3's adult-content notice: its sentence, the work's blurb (warnings, tags and summary, so
 * a reader can decide), Proceed, "No, Go Back", and for a logged-in reader a link to turn the
 * notice off in their preferences.
 */
export function AdultGateView(props: {
  work: WorkView;
  continueUrl: string;
  /** Where "No, Go Back" leads: the page the reader came from, else the works listing. */
  backUrl?: string;
}) {
  const { work, continueUrl, backUrl = "/works" } = props;
  const { viewer } = useRender();
  const preferencesUrl = viewer.user ? `/users/${viewer.user.login}/preferences` : null;
  return (
    <section class="adult-gate" aria-labelledby="adult-gate-heading">
      <h1 id="adult-gate-heading">Adult content warning</h1>
      <p class="caution">
        This work could have adult content. If you continue, you have agreed that you are willing to
        see such content.
      </p>
      <h2 class="landmark heading">The work</h2>
      <ol class="work index group">
        <WorkBlurb work={work} />
      </ol>
      <ul class="actions">
        <li>
          {/* site.js carries the address's #fragment over (a "Continue reading" paragraph). */}
          <a class="button" href={continueUrl} data-keep-hash>
            Proceed
          </a>
        </li>
        <li>
          <a class="button" href={backUrl}>
            No, Go Back
          </a>
        </li>
        {preferencesUrl ? (
          <li>
            <a class="button" href={preferencesUrl}>
              Set your preferences now
            </a>
          </li>
        ) : null}
      </ul>
      <p>
        If you accept cookies from our site and you choose "Proceed", you will not be asked again
        during this session.
        {preferencesUrl
          ? " You can turn this warning off in your preferences."
          : " Logged-in readers can turn this warning off in their preferences."}
      </p>
    </section>
  );
}

export { chapterIndexLabel, chapterLabel, chapterUrl, formatDate };
