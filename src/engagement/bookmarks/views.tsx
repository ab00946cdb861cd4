import type { ComponentChildren } from "preact";
import { limits } from "../../core/limits.ts";
import { formatNumber } from "../../core/views/format.ts";
import {
  Checkbox,
  ErrorSummary,
  PostForm,
  Select,
  TextArea,
  TextInput,
  type FormState,
} from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import type { WorkView } from "../../works/present.ts";
import { WorkBlurb } from "../../works/views/blurb.tsx";
import type { BookmarkItem, BookmarkView, DeletedWorkView } from "./present.ts";
import type { SeriesView } from "./series-present.ts";
import { SeriesBlurb } from "./series-views.tsx";

/**
 * What a bookmark is of, on its forms: the work, a series (issue 15), a deleted work, or one
 * the viewer can't open.
 */
export type FormTarget =
  | { kind: "work"; id: number; title: string }
  | { kind: "series"; id: number; title: string }
  | { kind: "deleted"; title: string | null }
  | { kind: "unavailable" };

/** "work" or "series", for the form's words. */
const noun = (target: FormTarget) => (target.kind === "series" ? "series" : "work");

function TargetName({ target }: { target: FormTarget }) {
  if (target.kind === "work") return <a href={`/works/${target.id}`}>{target.title}</a>;
  if (target.kind === "series") return <a href={`/series/${target.id}`}>{target.title}</a>;
  if (target.kind === "deleted" && target.title !== null) return <>“{target.title}” (deleted)</>;
  return <>{target.kind === "deleted" ? "a deleted work" : "a work no longer available"}</>;
}

/** One bookmark per reader per work (or series): where to change the one they have. */
export function AlreadyBookmarked({ id, of = "work" }: { id: number; of?: "work" | "series" }) {
  return (
    <p class="notice already-bookmarked" role="status">
      You have already bookmarked this {of}.{" "}
      <a href={`/bookmarks/${id}/edit`}>Edit your bookmark</a>
    </p>
  );
}

/** The new-bookmark address when the reader has one already: where to change it instead. */
export function AlreadyBookmarkedPage(props: { target: FormTarget; id: number }) {
  return (
    <section class="bookmark-form">
      <h1>
        Bookmark <TargetName target={props.target} />
      </h1>
      <AlreadyBookmarked id={props.id} of={noun(props.target)} />
    </section>
  );
}

/**
 * The bookmark form, for a new bookmark (`bookmarkId` absent) or an existing one.
 * `existingId`: the reader's bookmark of the work, when they tried to make a second one.
 */
export function BookmarkForm(props: {
  target: FormTarget;
  bookmarkId?: number;
  existingId?: number;
  form: FormState;
  pseuds: readonly { id: number; name: string }[];
}) {
  const { target, bookmarkId, existingId, form, pseuds } = props;
  const editing = bookmarkId !== undefined;
  const action = editing
    ? `/bookmarks/${bookmarkId}`
    : target.kind === "series"
      ? `/series/${target.id}/bookmarks`
      : `/works/${target.kind === "work" ? target.id : ""}/bookmarks`;
  return (
    <section class="bookmark-form">
      <h1>
        {editing ? "Edit bookmark for " : "Bookmark "}
        <TargetName target={target} />
      </h1>
      {existingId !== undefined ? <AlreadyBookmarked id={existingId} of={noun(target)} /> : null}
      <ErrorSummary errors={form.errors} />
      <PostForm
        action={action}
        aria-label={editing ? "Edit bookmark" : "New bookmark"}
        once={!editing}
      >
        {pseuds.length > 1 ? (
          <Select
            name="pseud_id"
            label="Bookmark as (pseud)"
            form={form}
            options={pseuds.map((p) => ({ value: String(p.id), label: p.name }))}
          />
        ) : null}
        <TextArea
          name="notes"
          label="Notes"
          form={form}
          rows={5}
          maxLength={limits.bookmarkNotes.max}
          hint={`Plain text or HTML; at most ${formatNumber(limits.bookmarkNotes.max)} characters.`}
        />
        <TextInput
          name="tags"
          label="Your tags"
          form={form}
          hint={`Your own tags, separated by commas (up to ${limits.bookmarkTags}, each at most ${limits.tagName.max} characters). They only sort your bookmarks.`}
        />
        <Checkbox
          name="rec"
          label="Rec"
          form={form}
          hint={`Recommend this ${noun(target)} to others.`}
        />
        <Checkbox
          name="private"
          label="Private bookmark"
          form={form}
          hint={`Only you will see it; it is not counted on the ${noun(target)}.`}
        />
        <button type="submit">{editing ? "Update" : "Create"}</button>
      </PostForm>
      {editing ? (
        <p>
          <a href={`/bookmarks/${bookmarkId}/confirm_delete`}>Delete this bookmark</a>
        </p>
      ) : null}
    </section>
  );
}

/** Who bookmarked, when, their tags and notes: AO3's `div.user.module` under the blurb. */
/** `heading`: its level where it is not under a work's blurb (whose headings go to h4). */
export function BookmarkerModule({
  bookmark: b,
  heading: Heading = "h5",
}: {
  bookmark: BookmarkView;
  heading?: "h2" | "h3" | "h5";
}) {
  const Sub = ({ h2: "h3", h3: "h4", h5: "h6" } as const)[Heading];
  return (
    <div class={b.own ? "own user module group" : "user module group"} id={`bookmark_${b.id}`}>
      <Heading class="byline heading">
        Bookmarked by <a href={b.bookmarker.url}>{b.bookmarker.name}</a>
      </Heading>
      <p class="datetime">
        <a href={b.url}>{b.date}</a>
      </p>
      <p class="status">
        {b.rec ? (
          <span class="rec" title="Rec">
            ★ Rec
          </span>
        ) : null}
        {b.private ? <span class="private badge"> Private bookmark</span> : null}
      </p>
      {b.hiddenReason !== null ? (
        <p class="status moderation-notice">Hidden by a moderator: {b.hiddenReason}</p>
      ) : null}
      {b.tags.length > 0 ? (
        <>
          <Sub class="landmark heading">Bookmarker's Tags:</Sub>
          <ul class="meta tags commas">
            {b.tags.map((t) => (
              <li key={t.name}>
                <a class="tag" href={t.url}>
                  {t.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {b.notesHtml ? (
        <>
          <Sub class="landmark heading">Bookmarker's Notes:</Sub>
          <UserHtml as="blockquote" class="notes" html={b.notesHtml} />
        </>
      ) : null}
      {b.own ? (
        <ul class="actions">
          <li>
            <a href={`/bookmarks/${b.id}/edit`}>Edit</a>
          </li>
          <li>
            <a href={`/bookmarks/${b.id}/confirm_delete`}>Delete</a>
          </li>
        </ul>
      ) : (
        <p class="report-link">
          <a href={`/reports/new?type=bookmark&id=${b.id}`}>
            Report<span class="landmark"> bookmark {b.id}</span>
          </a>
        </p>
      )}
    </div>
  );
}

/** AO3's words for a bookmark whose work is gone, with what was known of the work. */
function DeletedWorkHeader({
  work,
  heading: Heading,
}: {
  work: DeletedWorkView;
  heading: "h2" | "h3";
}) {
  const Sub = Heading === "h2" ? "h3" : "h4";
  return (
    <div class="header module deleted">
      <p class="message">This has been deleted, sorry!</p>
      {work.title !== null ? (
        <>
          <Heading class="heading">
            <cite>{work.title}</cite>
            {work.creators.length > 0 ? ` by ${work.creators.join(", ")}` : null}
          </Heading>
          {work.fandoms.length > 0 ? (
            <Sub class="fandoms heading">
              <span class="landmark">Fandoms: </span>
              {work.fandoms.join(", ")}
            </Sub>
          ) : null}
          {work.words !== null ? (
            <dl class="stats">
              <dt class="words">Words:</dt>
              <dd class="words">{work.words}</dd>
            </dl>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** A bookmark of a deleted work in a listing, where a work's blurb would be. */
function DeletedWorkBlurb({
  bookmark,
}: {
  bookmark: BookmarkView & { deletedWork: DeletedWorkView };
}) {
  return (
    <li class="bookmark blurb group deleted-work">
      <DeletedWorkHeader work={bookmark.deletedWork} heading="h3" />
      <BookmarkerModule bookmark={bookmark} heading="h3" />
    </li>
  );
}

const ofDeletedWork = (b: BookmarkView): b is BookmarkView & { deletedWork: DeletedWorkView } =>
  b.deletedWork !== null;

export function BookmarkPage(props: {
  bookmark: BookmarkView;
  work: WorkView | null;
  series?: SeriesView | null;
}) {
  const { bookmark, work, series } = props;
  return (
    <section class="bookmark-page">
      <h1 class="heading">Bookmark</h1>
      {series ? (
        <>
          <h2 class="landmark heading">The bookmarked series</h2>
          <ol class="bookmark index group">
            <SeriesBlurb series={series} extra={<BookmarkerModule bookmark={bookmark} />} />
          </ol>
        </>
      ) : bookmark.seriesId !== null ? (
        <>
          <p class="empty">The series bookmarked here is no longer available to you.</p>
          <BookmarkerModule bookmark={bookmark} heading="h2" />
        </>
      ) : ofDeletedWork(bookmark) ? (
        <>
          <DeletedWorkHeader work={bookmark.deletedWork} heading="h2" />
          <BookmarkerModule bookmark={bookmark} heading="h2" />
        </>
      ) : work ? (
        <>
          <h2 class="landmark heading">The bookmarked work</h2>
          <ol class="bookmark index group">
            <WorkBlurb work={work} extra={<BookmarkerModule bookmark={bookmark} />} />
          </ol>
        </>
      ) : (
        <>
          <p class="empty">The work bookmarked here is no longer available to you.</p>
          <BookmarkerModule bookmark={bookmark} heading="h2" />
        </>
      )}
    </section>
  );
}

export interface TagCount {
  name: string;
  key: string;
  count: number;
}

export interface BookmarkListing {
  total: number;
  page: number;
  pages: number;
  href: (page: number) => string;
}

/** The bookmarker-tag filter: each tag with its count, the chosen one marked. */
function TagFilter(props: {
  tags: readonly TagCount[];
  current: string | undefined;
  href: (tag: string | undefined) => string;
}) {
  if (props.tags.length === 0 && props.current === undefined) return null;
  return (
    <nav class="bookmark-tags" aria-label="Filter by bookmarker's tags">
      <h2 class="heading">Bookmarker's tags</h2>
      <ul>
        {props.tags.map((t) => (
          <li key={t.key}>
            {t.key === props.current ? (
              <span aria-current="page">
                {t.name} ({formatNumber(t.count)})
              </span>
            ) : (
              <a href={props.href(t.name)}>
                {t.name} ({formatNumber(t.count)})
              </a>
            )}
          </li>
        ))}
      </ul>
      {props.current !== undefined ? (
        <p>
          <a href={props.href(undefined)}>Show bookmarks with any tag</a>
        </p>
      ) : null}
    </nav>
  );
}

function ListingFrame(props: {
  title: string;
  heading: string;
  listing: BookmarkListing;
  filters: ComponentChildren;
  children: ComponentChildren;
}) {
  const { listing } = props;
  return (
    <section class="bookmarks listing">
      <h1 class="heading">{props.title}</h1>
      {props.filters}
      <h2 class="heading">{props.heading}</h2>
      <Pagination page={listing.page} pages={listing.pages} href={listing.href} />
      {props.children}
      <Pagination
        page={listing.page}
        pages={listing.pages}
        href={listing.href}
        label="Pagination, end of list"
      />
    </section>
  );
}

export const countText = (n: number) => `${formatNumber(n)} Bookmark${n === 1 ? "" : "s"}`;

export function UserBookmarksView(props: {
  login: string;
  items: BookmarkItem[];
  listing: BookmarkListing;
  tags: readonly TagCount[];
  tagKey: string | undefined;
  tagName: string | undefined;
  recsOnly: boolean;
  /** Links for the filters, keeping the other filter. */
  href: (filter: { tag: string | undefined; recs: boolean }) => string;
  /** Why nothing shows though the user has bookmarks (the viewer muted them). */
  mutedNote: boolean;
}) {
  const { login, items, listing, tagName, recsOnly } = props;
  const scope = [
    recsOnly ? " (recs only)" : "",
    tagName !== undefined ? ` tagged “${tagName}”` : "",
  ].join("");
  return (
    <ListingFrame
      title={`Bookmarks by ${login}`}
      heading={`${countText(listing.total)}${scope}`}
      listing={listing}
      filters={
        <>
          {props.mutedNote ? (
            <p class="notice">
              You muted {login}: their bookmarks are hidden from you.{" "}
              <a href="/preferences/exclusions">Your filters</a>
            </p>
          ) : null}
          <ul class="actions">
            <li>
              {recsOnly ? (
                <a href={props.href({ tag: tagName, recs: false })}>All bookmarks</a>
              ) : (
                <a href={props.href({ tag: tagName, recs: true })}>Recs only</a>
              )}
            </li>
          </ul>
          <TagFilter
            tags={props.tags}
            current={props.tagKey}
            href={(tag) => props.href({ tag, recs: recsOnly })}
          />
        </>
      }
    >
      {items.length === 0 ? (
        <p class="empty">No bookmarks to show.</p>
      ) : (
        <ol class="bookmark index group">
          {items.map(({ bookmark, work, series }) =>
            series ? (
              <SeriesBlurb
                key={bookmark.id}
                series={series}
                extra={<BookmarkerModule bookmark={bookmark} />}
              />
            ) : work ? (
              <WorkBlurb
                key={bookmark.id}
                work={work}
                extra={<BookmarkerModule bookmark={bookmark} />}
              />
            ) : ofDeletedWork(bookmark) ? (
              <DeletedWorkBlurb key={bookmark.id} bookmark={bookmark} />
            ) : null,
          )}
        </ol>
      )}
    </ListingFrame>
  );
}

/** A work's public bookmarks: its blurb once, then each bookmarker's part. */
export function WorkBookmarksView(props: {
  work: WorkView;
  bookmarks: BookmarkView[];
  listing: BookmarkListing;
  tags: readonly TagCount[];
  tagKey: string | undefined;
  tagName: string | undefined;
  href: (tag: string | undefined) => string;
  ownBookmarkId: number | undefined;
  canBookmark: boolean;
}) {
  const { work, bookmarks, listing, tagName } = props;
  return (
    <ListingFrame
      title={`Bookmarks of ${work.title}`}
      heading={`${countText(listing.total)}${tagName !== undefined ? ` tagged “${tagName}”` : ""}`}
      listing={listing}
      filters={
        <>
          <h2 class="landmark heading">The work</h2>
          <ol class="work index group">
            <WorkBlurb work={work} />
          </ol>
          {props.canBookmark ? (
            <ul class="actions">
              <li>
                {props.ownBookmarkId !== undefined ? (
                  <a href={`/bookmarks/${props.ownBookmarkId}/edit`}>Edit Bookmark</a>
                ) : (
                  <a href={`/works/${work.id}/bookmarks/new`}>Bookmark</a>
                )}
              </li>
            </ul>
          ) : null}
          <TagFilter tags={props.tags} current={props.tagKey} href={props.href} />
        </>
      }
    >
      {bookmarks.length === 0 ? (
        <p class="empty">No bookmarks to show.</p>
      ) : (
        <ol class="bookmark index group">
          {bookmarks.map((b) => (
            <li class="bookmark blurb group" key={b.id}>
              <BookmarkerModule bookmark={b} heading="h3" />
            </li>
          ))}
        </ol>
      )}
    </ListingFrame>
  );
}

/** A series' public bookmarks (issue 15): its blurb once, then each bookmarker's part. */
export function SeriesBookmarksView(props: {
  series: SeriesView;
  bookmarks: BookmarkView[];
  listing: BookmarkListing;
  tags: readonly TagCount[];
  tagKey: string | undefined;
  tagName: string | undefined;
  href: (tag: string | undefined) => string;
  ownBookmarkId: number | undefined;
}) {
  const { series, bookmarks, listing, tagName } = props;
  return (
    <ListingFrame
      title={`Bookmarks of ${series.title}`}
      heading={`${countText(listing.total)}${tagName !== undefined ? ` tagged “${tagName}”` : ""}`}
      listing={listing}
      filters={
        <>
          <h2 class="landmark heading">The series</h2>
          <ol class="series index group">
            <SeriesBlurb series={series} />
          </ol>
          <ul class="actions">
            <li>
              {props.ownBookmarkId !== undefined ? (
                <a href={`/bookmarks/${props.ownBookmarkId}/edit`}>Edit Bookmark</a>
              ) : (
                <a href={`/series/${series.id}/bookmarks/new`}>Bookmark Series</a>
              )}
            </li>
          </ul>
          <TagFilter tags={props.tags} current={props.tagKey} href={props.href} />
        </>
      }
    >
      {bookmarks.length === 0 ? (
        <p class="empty">No bookmarks to show.</p>
      ) : (
        <ol class="bookmark index group">
          {bookmarks.map((b) => (
            <li class="bookmark blurb group" key={b.id}>
              <BookmarkerModule bookmark={b} heading="h3" />
            </li>
          ))}
        </ol>
      )}
    </ListingFrame>
  );
}
