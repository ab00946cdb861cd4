import type { NotificationKind } from "../../core/db/schema.ts";
import { Checkbox, PostForm, type FormState } from "../../core/views/forms.tsx";
import { formatDate, pluralize } from "../../core/views/format.ts";
import { Pagination } from "../../core/views/pagination.tsx";
import type { InboxItem } from "./present.ts";

export const KIND_LABEL: Record<NotificationKind, string> = {
  new_chapter: "New chapter",
  new_work: "New work",
  comment: "Comment",
  reply: "Reply",
  kudos: "Kudos",
  moderation: "From the moderators",
  creator_invitation: "Co-creator invitation",
  gift: "Gift",
  related_work: "Related work",
  collection: "Collection",
};

export function InboxView(props: {
  login: string;
  items: readonly InboxItem[];
  unreadOnly: boolean;
  unread: number;
  page: number;
  pages: number;
}) {
  const { login, items, unreadOnly, page, pages } = props;
  const base = `/users/${login}/inbox`;
  const here = pageUrl(base, unreadOnly, page);
  return (
    <section class="inbox">
      <h1>Inbox</h1>
      <p>
        {props.unread === 0
          ? "No unread notifications."
          : `${pluralize(props.unread, "unread notification")}.`}{" "}
        <a href={`/users/${login}/preferences/notifications`}>Email preferences</a>
      </p>
      <nav aria-label="Show">
        <ul class="actions">
          <li>{unreadOnly ? <a href={base}>All</a> : <span aria-current="page">All</span>}</li>
          <li>
            {unreadOnly ? (
              <span aria-current="page">Unread</span>
            ) : (
              <a href={`${base}?filter=unread`}>Unread</a>
            )}
          </li>
          {props.unread > 0 ? (
            <li>
              <PostForm action={`${base}/read-all`} class="inline">
                <input type="hidden" name="return_to" value={here} />
                <button type="submit" class="secondary">
                  Mark all as read
                </button>
              </PostForm>
            </li>
          ) : null}
        </ul>
      </nav>
      {items.length === 0 ? (
        <p class="empty">{unreadOnly ? "Nothing unread." : "Your inbox is empty."}</p>
      ) : (
        <ol class="notifications">
          {items.map((n) => (
            <Notification key={n.id} n={n} base={base} here={here} />
          ))}
        </ol>
      )}
      <Pagination page={page} pages={pages} href={(p) => pageUrl(base, unreadOnly, p)} />
    </section>
  );
}

/**
 * One notice, as AO3's inbox shows it: what happened, the comment's own words when it is one,
 * and small row actions (Reply, Mark read or unread, Delete).
 */
function Notification(props: { n: InboxItem; base: string; here: string }) {
  const { n, base, here } = props;
  const unread = n.read_at === null;
  const comment = n.comment;
  return (
    <li class={unread ? "notification unread" : "notification read"}>
      <p class="notice-line">
        <span class="kind">{KIND_LABEL[n.kind]}:</span>{" "}
        {unread ? (
          <strong>
            <a href={n.url}>{n.text}</a> <span class="badge">(unread)</span>
          </strong>
        ) : (
          <a href={n.url}>{n.text}</a>
        )}{" "}
        <span class="datetime">{formatDate(n.created_at)}</span>
      </p>
      {comment?.text ? <blockquote class="comment-text">{comment.text}</blockquote> : null}
      {comment?.note ? <p class="comment-note">{comment.note}</p> : null}
      <ul class="actions row-actions">
        {comment?.replyUrl ? (
          <li>
            <a class="button secondary small" href={comment.replyUrl}>
              Reply<span class="landmark">: {n.text}</span>
            </a>
          </li>
        ) : null}
        <li>
          <PostForm action={`${base}/${n.id}/${unread ? "read" : "unread"}`} class="inline">
            <input type="hidden" name="return_to" value={here} />
            <button type="submit" class="secondary small">
              {unread ? "Mark read" : "Mark unread"}
              <span class="landmark">: {n.text}</span>
            </button>
          </PostForm>
        </li>
        <li>
          <PostForm action={`${base}/${n.id}/delete`} class="inline">
            <input type="hidden" name="return_to" value={here} />
            <button type="submit" class="danger small">
              Delete<span class="landmark"> notification: {n.text}</span>
            </button>
          </PostForm>
        </li>
      </ul>
    </li>
  );
}

function pageUrl(base: string, unreadOnly: boolean, page: number): string {
  const params = new URLSearchParams();
  if (unreadOnly) params.set("filter", "unread");
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

export const EMAIL_LABEL: Record<NotificationKind, string> = {
  new_chapter: "Email me about new chapters of works and authors I subscribe to",
  new_work: "Email me about new works by authors I subscribe to",
  comment: "Email me about comments on my works",
  reply: "Email me about replies to my comments",
  kudos: "Email me the daily kudos summary for my works",
  moderation: "Email me when a moderator acts on my works, comments, bookmarks or account",
  creator_invitation: "Email me when someone invites me to be a co-creator",
  gift: "Email me when someone gives me a gift work",
  related_work:
    "Email me when someone links a related work (inspired by, translation, remix) to my work",
  collection: "Email me about my collections: submissions, approvals and reveals",
};

export function NotificationPreferencesView(props: {
  login: string;
  form: FormState;
  kinds: readonly NotificationKind[];
  mailConfigured: boolean;
}) {
  return (
    <section class="notification-preferences">
      <h1>Notification emails</h1>
      <p>
        Every notification lands in your <a href={`/users/${props.login}/inbox`}>inbox</a>. Choose
        which ones are also sent to your email address.
      </p>
      {props.mailConfigured ? null : (
        <p class="notice">
          This archive does not send email at the moment; your choices apply once it does.
        </p>
      )}
      <PostForm action={`/users/${props.login}/preferences/notifications`}>
        <fieldset>
          <legend>Email</legend>
          {props.kinds.map((kind) => (
            <Checkbox key={kind} name={kind} label={EMAIL_LABEL[kind]} form={props.form} />
          ))}
        </fieldset>
        <button type="submit">Save</button>
      </PostForm>
    </section>
  );
}
