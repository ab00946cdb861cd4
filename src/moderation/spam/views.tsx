/** The moderators' spam pages: held items, and the confirmation before removing a spammer's content. */
import type { ComponentChildren } from "preact";
import { htmlExcerpt } from "../../core/text/excerpt.ts";
import { SPAM_THRESHOLD } from "../../core/text/spam-score.ts";
import { formatDate, pluralize } from "../../core/views/format.ts";
import {
  Checkbox,
  ErrorSummary,
  PostForm,
  TextArea,
  type FormState,
} from "../../core/views/forms.tsx";
import type { HeldRow } from "./queries.ts";

export const userPath = (login: string) => `/admin/users/${encodeURIComponent(login)}`;
export const removeSpamPath = (login: string) => `${userPath(login)}/remove-spam`;

/** "Admin › Spam › …", as the admin pages show it (moderation/ does not import admin/). */
function SpamPage(props: {
  title: string;
  trail: [label: string, href: string][];
  children: ComponentChildren;
}) {
  return (
    <div class="admin-page">
      <nav class="admin-trail" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/admin">Admin</a>
          </li>
          {props.trail.map(([label, href]) => (
            <li key={href}>
              <a href={href}>{label}</a>
            </li>
          ))}
        </ol>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </div>
  );
}

function parseReasons(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}

function HeldItem({ item }: { item: HeldRow }) {
  const base = `/admin/spam/${item.subject_type}/${item.subject_id}`;
  const headingId = `held-${item.id}`;
  const isComment = item.subject_type === "comment";
  const text = item.body_html ? htmlExcerpt(item.body_html, 400) : "";
  return (
    <li class="spam-item" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {isComment ? (
          <>
            <a href={`/comments/${item.subject_id}`}>Comment {item.subject_id}</a> on{" "}
            <a href={`/works/${item.work_id ?? ""}`}>{item.work_title}</a>
          </>
        ) : (
          <>
            Work: <a href={`/works/${item.subject_id}`}>{item.work_title}</a>
          </>
        )}
      </h2>
      <dl class="admin-details">
        <dt>By</dt>
        <dd>
          {item.login ? (
            <a href={userPath(item.login)}>{item.login}</a>
          ) : (
            `${item.guest_name ?? "A guest"} (guest)`
          )}
        </dd>
        <dt>Held on</dt>
        <dd>{formatDate(item.created_at)}</dd>
        <dt>Score</dt>
        <dd>
          {item.score} (held at {SPAM_THRESHOLD})
        </dd>
        <dt>Why</dt>
        <dd>
          <ul class="spam-reasons">
            {parseReasons(item.reasons).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </dd>
      </dl>
      {text ? <blockquote class="spam-excerpt">{text}</blockquote> : null}
      <div class="spam-actions">
        <PostForm action={`${base}/release`} class="inline">
          <button type="submit">Release{isComment ? " comment" : " work"}</button>
        </PostForm>
        <PostForm action={`${base}/spam`} class="inline">
          <button type="submit">Mark{isComment ? " comment" : " work"} as spam</button>
        </PostForm>
        {item.login ? (
          <a href={removeSpamPath(item.login)}>Remove all of {item.login}'s content…</a>
        ) : null}
      </div>
    </li>
  );
}

export function HeldListView(props: { items: HeldRow[]; olderHref: string | null }) {
  return (
    <SpamPage title="Spam" trail={[["Spam", "/admin/spam"]]}>
      <p>
        Guest comments and new accounts' first works that scored {SPAM_THRESHOLD} or more are held
        here, hidden from readers, until a moderator releases them or marks them as spam.
      </p>
      {props.items.length === 0 ? (
        <p role="status">Nothing is held for review.</p>
      ) : (
        <ol class="spam-list">
          {props.items.map((item) => (
            <HeldItem key={item.id} item={item} />
          ))}
        </ol>
      )}
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>Older held items</a>
        </p>
      ) : null}
    </SpamPage>
  );
}

export interface SpammerSummary {
  login: string;
  banned: boolean;
  works: { id: number; title: string }[];
  comments: number;
  bookmarks: number;
}

export function RemoveSpamView(props: { account: SpammerSummary; form: FormState }) {
  const { account, form } = props;
  const shown = account.works.slice(0, 20);
  return (
    <SpamPage
      title={`Remove ${account.login}'s content as spam`}
      trail={[
        ["Spam", "/admin/spam"],
        [account.login, userPath(account.login)],
      ]}
    >
      <ErrorSummary errors={form.errors} />
      <p>
        This hides, with the reason “Spam”, everything of this account that is not hidden as spam
        already, and bans the account (it is logged out everywhere and cannot log in):
      </p>
      <ul>
        <li>{pluralize(account.works.length, "work")}</li>
        <li>{pluralize(account.comments, "comment")}</li>
        <li>{pluralize(account.bookmarks, "bookmark")}</li>
      </ul>
      {shown.length ? (
        <>
          <h2>Works</h2>
          <ul class="spam-works">
            {shown.map((w) => (
              <li key={w.id}>
                <a href={`/works/${w.id}`}>{w.title}</a>
              </li>
            ))}
            {account.works.length > shown.length ? (
              <li>and {pluralize(account.works.length - shown.length, "more work")}</li>
            ) : null}
          </ul>
        </>
      ) : null}
      {account.banned ? <p>The account is banned already.</p> : null}
      <PostForm action={removeSpamPath(account.login)} class="account-form">
        <TextArea
          name="reason"
          label="Reason (kept in the audit log)"
          form={form}
          rows={3}
          maxLength={1000}
        />
        <Checkbox
          name="confirm"
          label={`Yes: hide all of ${account.login}'s content as spam and ban the account`}
          form={form}
        />
        {form.errors.confirm ? (
          <p class="field-error" id="field-confirm-error">
            {form.errors.confirm}
          </p>
        ) : null}
        <button type="submit" class="danger">
          Hide everything and ban
        </button>
      </PostForm>
    </SpamPage>
  );
}
