import { useRender } from "../../core/views/context.ts";
import { formatDate, formatNumber, pluralize } from "../../core/views/format.ts";
import {
  ErrorSummary,
  type FormState,
  Honeypot,
  PostForm,
  Select,
  TextArea,
  TextInput,
} from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import { limits } from "../../core/limits.ts";
import { refusalMessage } from "../../core/result.ts";
import { GUESTS_OFF, type CommentRefusal } from "./policy.ts";
import type { Byline, CommentView } from "./present.ts";

const PLACEHOLDER_TEXT = {
  deleted: "(Previous comment deleted.)",
  hidden: "(This comment has been hidden by the work's creator.)",
  pending: "(This comment is awaiting the author's approval.)",
  muted: "(A comment by a user you muted.)",
  moderated: "(This comment has been hidden by a moderator.)",
} as const;

function When({ ms }: { ms: number }) {
  return <time dateTime={new Date(ms).toISOString()}>{formatDate(ms)}</time>;
}

function BylineName({ byline }: { byline: Byline }) {
  if (byline.url) return <a href={byline.url}>{byline.name}</a>;
  if (!byline.guest) return <>{byline.name}</>;
  return (
    <>
      {byline.name} <span class="guest">(Guest)</span>
    </>
  );
}

function ModerationButtons({ c }: { c: CommentView }) {
  const button = (action: string, label: string) => (
    <li>
      <PostForm action={`/comments/${c.id}/${action}`} class="inline">
        <button type="submit">
          {label}
          <span class="landmark"> comment {c.id}</span>
        </button>
      </PostForm>
    </li>
  );
  return (
    <>
      {c.status === "pending" ? button("approve", "Approve") : null}
      {c.status === "published" ? button("hide", "Hide") : null}
      {c.status === "hidden" ? button("unhide", "Unhide") : null}
      {c.status === "pending"
        ? null
        : c.frozen
          ? button("unfreeze", "Unfreeze thread")
          : button("freeze", "Freeze thread")}
    </>
  );
}

function CommentActionsList({ c }: { c: CommentView }) {
  const { can } = c;
  if (!can.reply && !can.edit && !can.delete && !can.moderate) return null;
  return (
    <ul class="actions" aria-label={`Actions for comment ${c.id}`}>
      {can.reply ? (
        <li>
          <a href={`/comments/${c.id}/reply`}>Reply</a>
        </li>
      ) : null}
      {can.edit ? (
        <li>
          <a href={`/comments/${c.id}/edit`}>Edit</a>
        </li>
      ) : null}
      {can.delete ? (
        <li>
          <a href={`/comments/${c.id}/confirm_delete`}>Delete</a>
        </li>
      ) : null}
      {can.moderate ? <ModerationButtons c={c} /> : null}
    </ul>
  );
}

/** One comment: its byline, dates, text and actions (or a placeholder), then its replies. */
export function CommentItem({ c }: { c: CommentView }) {
  return (
    <li class={c.placeholder ? "comment placeholder" : "comment"} id={`comment_${c.id}`}>
      {c.placeholder ? (
        <p class="placeholder-text">{PLACEHOLDER_TEXT[c.placeholder]}</p>
      ) : (
        <>
          <h3 class="heading byline">
            <BylineName byline={c.byline} />{" "}
            <span class="posted">
              on <When ms={c.createdAt} />
            </span>
          </h3>
          {c.status === "pending" ? (
            <p class="status">Awaiting your approval: nobody else sees this comment yet.</p>
          ) : null}
          {c.status === "hidden" ? (
            <p class="status">Hidden: only the work's creators see this comment.</p>
          ) : null}
          {c.hiddenReason !== null ? (
            <p class="status moderation-notice">Hidden by a moderator: {c.hiddenReason}</p>
          ) : null}
          {c.editedAt !== null ? (
            <p class="edited">
              Last edited <When ms={c.editedAt} />
            </p>
          ) : null}
          <UserHtml as="blockquote" html={c.bodyHtml} />
          {c.frozen ? <p class="status">Frozen: this thread takes no new replies.</p> : null}
          <CommentActionsList c={c} />
          <p class="report-link">
            <a href={`/reports/new?type=comment&id=${c.id}`}>
              Report<span class="landmark"> comment {c.id}</span>
            </a>
          </p>
        </>
      )}
      {c.replies.length > 0 ? <CommentList comments={c.replies} /> : null}
      {c.folded ? (
        <p class="continue">
          <a href={`/comments/${c.id}`}>Continue this thread →</a>
        </p>
      ) : null}
    </li>
  );
}

export function CommentList({ comments }: { comments: CommentView[] }) {
  return (
    <ol class="thread">
      {comments.map((c) => (
        <CommentItem key={c.id} c={c} />
      ))}
    </ol>
  );
}

export interface CommentFormProps {
  action: string;
  form: FormState;
  /** Guests sign with a name and an email address (never shown). */
  guest: boolean;
  moderated: boolean;
  chapterId?: number | null;
  submitLabel: string;
  label?: string;
  /** A logged-in commenter with several pseuds chooses which one signs. */
  pseuds?: readonly { id: number; name: string }[];
}

export function CommentForm(props: CommentFormProps) {
  const { form } = props;
  return (
    <PostForm action={props.action} class="comment-form" aria-label={props.label ?? "Comment"} once>
      <ErrorSummary errors={form.errors} />
      {props.chapterId ? (
        <input type="hidden" name="chapter_id" value={String(props.chapterId)} />
      ) : null}
      {props.guest ? (
        <>
          <TextInput
            name="name"
            label="Name"
            required
            form={form}
            maxLength={limits.commentGuestName.max}
          />
          <TextInput
            name="email"
            label="Email"
            type="email"
            required
            form={form}
            autocomplete="email"
            hint="Never shown to anyone."
          />
          <Honeypot form="comment" />
        </>
      ) : null}
      {props.pseuds && props.pseuds.length > 1 ? (
        <Select
          name="pseud_id"
          label="Comment as"
          form={form}
          options={props.pseuds.map((p) => ({ value: String(p.id), label: p.name }))}
        />
      ) : null}
      <TextArea
        name="comment_content"
        label={props.label ?? "Comment"}
        required
        form={form}
        rows={6}
        hint={`Plain text or HTML, at most ${formatNumber(limits.commentText.max)} characters. A blank line starts a new paragraph.`}
      />
      {props.moderated ? (
        <p class="hint">
          Comments on this work are moderated: yours will appear once the author approves it.
        </p>
      ) : null}
      <button type="submit">{props.submitLabel}</button>
    </PostForm>
  );
}

function Why({ refusal }: { refusal: CommentRefusal }) {
  const { path } = useRender();
  if (refusal.reason === "log-in")
    return (
      <p class="comment-refusal">
        <a href={`/login?return_to=${encodeURIComponent(path)}`}>Log in</a> to leave a comment:{" "}
        {refusal.errors._form === GUESTS_OFF
          ? "comments from guests are turned off on this archive."
          : "this work only takes comments from registered users."}
      </p>
    );
  return <p class="comment-refusal">{refusalMessage(refusal)}</p>;
}

/** The comments part of a reading page. */
export function CommentsSection(props: {
  workId: number;
  count: number;
  threads: CommentView[];
  page: number;
  pages: number;
  pageHref: (page: number) => string;
  form: CommentFormProps | null;
  refusal: CommentRefusal | null;
  unreviewed: number | null;
}) {
  return (
    <section id="comments" class="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading" class="heading">
        Comments ({formatNumber(props.count)})
      </h2>
      {props.unreviewed !== null ? (
        <p class="unreviewed">
          <a href={`/works/${props.workId}/comments/unreviewed`}>
            Unreviewed comments ({formatNumber(props.unreviewed)})
          </a>
        </p>
      ) : null}
      {props.refusal ? <Why refusal={props.refusal} /> : null}
      {props.form ? <CommentForm {...props.form} /> : null}
      {props.threads.length > 0 ? (
        <>
          <CommentList comments={props.threads} />
          <Pagination
            page={props.page}
            pages={props.pages}
            href={props.pageHref}
            label="Pages of comments"
          />
        </>
      ) : (
        <p class="empty">No comments yet.</p>
      )}
    </section>
  );
}

/** A comment shown above a form or a confirmation: no replies, no buttons. */
const quiet = (c: CommentView): CommentView => ({
  ...c,
  replies: [],
  folded: false,
  can: { reply: false, edit: false, delete: false, moderate: false },
});

interface WorkLink {
  title: string;
  url: string;
}

function BackToWork({ work }: { work: WorkLink }) {
  return (
    <p class="back">
      Comments on <a href={work.url}>{work.title}</a>
    </p>
  );
}

/** `/comments/:id`: one comment and the replies under it. */
export function CommentPageView(props: {
  work: WorkLink;
  comment: CommentView;
  parentId: number | null;
}) {
  return (
    <section class="comments comment-page">
      <h1>Comment thread</h1>
      <BackToWork work={props.work} />
      {props.parentId !== null ? (
        <p>
          <a href={`/comments/${props.parentId}`}>↑ Parent comment</a>
        </p>
      ) : null}
      <h2 class="landmark heading">The thread</h2>
      <CommentList comments={[props.comment]} />
    </section>
  );
}

/** A page holding one form: replying, editing, or a new comment that needs fixing. */
export function CommentFormPage(props: {
  title: string;
  work: WorkLink;
  context?: CommentView;
  form: CommentFormProps;
}) {
  return (
    <section class="comments comment-form-page">
      <h1>{props.title}</h1>
      <BackToWork work={props.work} />
      {props.context ? (
        <>
          <h2 class="landmark heading">The comment</h2>
          <CommentList comments={[quiet(props.context)]} />
        </>
      ) : null}
      <CommentForm {...props.form} />
    </section>
  );
}

export function ConfirmDeleteView(props: {
  work: WorkLink;
  comment: CommentView;
  cancelUrl: string;
}) {
  return (
    <section class="comments confirm-delete">
      <h1>Delete this comment?</h1>
      <BackToWork work={props.work} />
      <h2 class="landmark heading">The comment</h2>
      <CommentList comments={[quiet(props.comment)]} />
      <p>This can't be undone.</p>
      <PostForm action={`/comments/${props.comment.id}/delete`} class="inline">
        <button type="submit" class="danger">
          Yes, delete comment
        </button>
      </PostForm>{" "}
      <a href={props.cancelUrl}>Cancel</a>
    </section>
  );
}

/** `/works/:id/comments/unreviewed`: the creators' moderation queue. */
export function UnreviewedView(props: {
  workId: number;
  work: WorkLink;
  comments: CommentView[];
  total: number;
  page: number;
  pages: number;
}) {
  return (
    <section class="comments unreviewed-queue">
      <h1>Unreviewed comments</h1>
      <BackToWork work={props.work} />
      <p>
        {pluralize(props.total, "comment")} awaiting your approval. Approved comments appear to
        everyone and notify whoever they answer.
      </p>
      <h2 class="landmark heading">Waiting for approval</h2>
      {props.comments.length > 0 ? (
        <CommentList comments={props.comments} />
      ) : (
        <p class="empty">Nothing is waiting.</p>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={(p) => `/works/${props.workId}/comments/unreviewed?page=${p}`}
        label="Pages of unreviewed comments"
      />
    </section>
  );
}
