import type { ComponentChildren } from "preact";
import { useRender } from "../../core/views/context.ts";
import { formatDate, formatNumber, pluralize } from "../../core/views/format.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import type { WorkView } from "../../works/present.ts";
import { WorkBlurb } from "../../works/views/blurb.tsx";
import { LinkList } from "../../works/views/links.tsx";
import { pageHref } from "../../works/views/listing.tsx";
import type { ContinueTarget } from "./position.ts";
import type { HistoryEntry } from "./queries.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 minutes ago", "2 days ago"; a date after a month. */
export function ago(at: number, now: number): string {
  const d = Math.max(0, now - at);
  if (d < MINUTE) return "just now";
  if (d < HOUR) return `${pluralize(Math.floor(d / MINUTE), "minute")} ago`;
  if (d < DAY) return `${pluralize(Math.floor(d / HOUR), "hour")} ago`;
  if (d < 31 * DAY) return `${pluralize(Math.floor(d / DAY), "day")} ago`;
  return `on ${formatDate(at)}`;
}

export const historyUrl = (login: string, list: "history" | "to-read" = "history") =>
  list === "to-read" ? `/users/${login}/readings?show=to-read` : `/users/${login}/readings`;

/** The script that saves the reader's paragraph as they read (reading pages, logged in). */
export function PositionScript() {
  const { assetUrl } = useRender();
  return <script src={assetUrl("reading-position.js")} defer />;
}

/**
 * "Save my place" without script: stores the chapter as read to its end. The script finds
 * these forms (class `save-place`) for the address and the CSRF token it posts with.
 */
export function SavePlaceForm(props: {
  workId: number;
  chapterId: number;
  chapterLabel: string;
  returnTo: string;
  small?: boolean;
}) {
  return (
    <PostForm
      action={`/works/${props.workId}/position`}
      class={props.small ? "save-place small" : "save-place"}
    >
      <input type="hidden" name="chapter_id" value={String(props.chapterId)} />
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit">
        Save my place<span class="landmark">: I finished {props.chapterLabel}</span>
      </button>
      {props.small ? null : (
        <p class="hint">
          Remembers that you finished this chapter, on every device you log in from. With JavaScript
          on, your exact paragraph is saved as you read.
        </p>
      )}
    </PostForm>
  );
}

export function ContinueNotice(props: { target: ContinueTarget; now: number }) {
  const { target } = props;
  return (
    <p class="continue-reading">
      You stopped at {target.where} ({ago(target.savedAt, props.now)}) —{" "}
      <a href={target.url}>{target.label}</a>
    </p>
  );
}

/**
 * The work page's part above the preface: where the reader stopped, and a small save form. The
 * script that follows the reader's paragraph comes with it unless `follow` is false (history
 * turned off: nothing is recorded that the reader didn't ask for).
 */
export function ReadingPositionBox(props: {
  target: ContinueTarget | null;
  now: number;
  follow: boolean;
  children?: ComponentChildren;
}) {
  return (
    <>
      {props.target || props.children ? (
        <section class="reading-position" aria-label="Your place in this work">
          {props.target ? <ContinueNotice target={props.target} now={props.now} /> : null}
          {props.children}
        </section>
      ) : null}
      {props.follow ? <PositionScript /> : null}
    </>
  );
}

export function MarkForLaterForm(props: {
  workId: number;
  marked: boolean;
  returnTo: string;
  title?: string;
}) {
  const action = props.marked ? "mark_as_read" : "mark_for_later";
  return (
    <PostForm action={`/works/${props.workId}/${action}`} class="inline">
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit" class="secondary">
        {props.marked ? "Mark as Read" : "Mark for Later"}
        {props.title ? <span class="landmark">: {props.title}</span> : null}
      </button>
    </PostForm>
  );
}

function EntryStatus(props: {
  login: string;
  entry: HistoryEntry;
  view: WorkView;
  target: ContinueTarget | undefined;
  returnTo: string;
  now: number;
}) {
  const { entry, view, target } = props;
  const r = entry.reading;
  const update = entry.work.chapter_count > r.chaptersSeen;
  return (
    <div class="reading-status">
      <h4 class="viewed heading">
        <span>Last visited:</span> {formatDate(r.lastReadAt)}
        {update ? <strong class="update"> (Update available.)</strong> : null}
        {r.visits > 0
          ? ` · Visited ${r.visits === 1 ? "once" : `${formatNumber(r.visits)} times`}`
          : null}
        {r.markedForLater ? <span class="marked"> (Marked for Later.)</span> : null}
      </h4>
      {target ? <ContinueNotice target={target} now={props.now} /> : null}
      <ul class="actions">
        {r.inHistory ? (
          <li>
            <PostForm
              action={`/users/${props.login}/readings/${entry.work.id}/delete`}
              class="inline"
            >
              <input type="hidden" name="return_to" value={props.returnTo} />
              <button type="submit" class="danger small">
                Delete from history<span class="landmark">: {view.title}</span>
              </button>
            </PostForm>
          </li>
        ) : null}
        <li>
          <MarkForLaterForm
            workId={entry.work.id}
            marked={r.markedForLater}
            returnTo={props.returnTo}
            title={view.title}
          />
        </li>
      </ul>
    </div>
  );
}

export const historySwitchUrl = (login: string) => `/users/${login}/preferences/history`;

/** On the history page while "Turn on History" is off: what that means, and a way back on. */
function HistoryOffNotice(props: { login: string; returnTo: string }) {
  return (
    <section class="notice history-off" aria-labelledby="history-off-heading">
      <h2 id="history-off-heading" class="heading">
        Your history is off
      </h2>
      <p>
        Works you read are not added to your history, and no visits are counted. What is listed here
        stays until you delete it or clear your history. Marked for Later and “Save my place” still
        work.
      </p>
      <PostForm action={historySwitchUrl(props.login)} class="inline">
        <input type="hidden" name="history_enabled" value="1" />
        <input type="hidden" name="return_to" value={props.returnTo} />
        <button type="submit">Turn on History</button>
      </PostForm>{" "}
      <a href={`/users/${props.login}/preferences`}>Preferences</a>
    </section>
  );
}

export function HistoryView(props: {
  login: string;
  historyOn: boolean;
  list: "history" | "to-read";
  entries: { entry: HistoryEntry; view: WorkView }[];
  targets: Map<number, ContinueTarget>;
  total: number;
  page: number;
  pages: number;
  returnTo: string;
  now: number;
}) {
  const { login, list } = props;
  const toRead = list === "to-read";
  const base = historyUrl(login, list);
  return (
    <section class="reading-history">
      <h1 class="heading">{toRead ? "Marked for Later" : "History"}</h1>
      <ul class="navigation actions" aria-label="Reading lists">
        <li>{toRead ? <a href={historyUrl(login)}>Full History</a> : <span>Full History</span>}</li>
        <li>
          {toRead ? (
            <span>Marked for Later</span>
          ) : (
            <a href={historyUrl(login, "to-read")}>Marked for Later</a>
          )}
        </li>
        {!toRead && props.total > 0 ? (
          <li>
            <a href={`/users/${login}/readings/clear`}>Clear History</a>
          </li>
        ) : null}
      </ul>
      {!toRead && !props.historyOn ? (
        <HistoryOffNotice login={login} returnTo={props.returnTo} />
      ) : null}
      <p class="hint">
        {toRead
          ? "Works you marked to read later. Only you can see this list."
          : "Works you opened, newest visit first. Only you can see your history."}
      </p>
      <h2 class="heading">
        {pluralize(
          props.total,
          toRead ? "work marked for later" : "work in your history",
          toRead ? "works marked for later" : "works in your history",
        )}
      </h2>
      <Pagination page={props.page} pages={props.pages} href={pageHref(base)} />
      {props.entries.length === 0 ? (
        <p class="empty">
          {toRead
            ? "Nothing marked for later. Use “Mark for Later” on a work to keep it here."
            : "Your history is empty."}
        </p>
      ) : (
        <ol class="reading work index group">
          {props.entries.map(({ entry, view }) => (
            <WorkBlurb
              key={view.id}
              work={view}
              extra={
                <EntryStatus
                  login={login}
                  entry={entry}
                  view={view}
                  target={props.targets.get(view.id)}
                  returnTo={props.returnTo}
                  now={props.now}
                />
              }
            />
          ))}
        </ol>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={pageHref(base)}
        label="Pagination, end of list"
      />
    </section>
  );
}

export function ClearHistoryView(props: { login: string; total: number }) {
  return (
    <section class="confirm-delete">
      <h1>Clear your history?</h1>
      <p>
        This removes all {pluralize(props.total, "work")} from your reading history. It cannot be
        undone. Works marked for later stay on that list, and each work still remembers where you
        stopped reading.
      </p>
      <PostForm action={`/users/${props.login}/readings/clear`}>
        <button type="submit" class="danger">
          Yes, clear my history
        </button>{" "}
        <a href={historyUrl(props.login)}>No, keep it</a>
      </PostForm>
    </section>
  );
}

/** The home page's list of the reader's latest saved places. */
export function HomeContinueReading(props: {
  items: { view: WorkView; target: ContinueTarget }[];
  login: string;
  now: number;
}) {
  if (props.items.length === 0) return null;
  return (
    <section class="continue-reading-list" aria-labelledby="continue-reading-heading">
      <h2 id="continue-reading-heading">Continue reading</h2>
      <ul>
        {props.items.map(({ view, target }) => (
          <li key={view.id}>
            <a href={view.url}>{view.title}</a> by <LinkList links={view.creators} rel="author" />:
            you stopped at {target.where} ({ago(target.savedAt, props.now)}) —{" "}
            <a href={target.url}>
              {target.label}
              <span class="landmark">: {view.title}</span>
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href={historyUrl(props.login)}>Your history</a> ·{" "}
        <a href={historyUrl(props.login, "to-read")}>Marked for Later</a>
      </p>
    </section>
  );
}
