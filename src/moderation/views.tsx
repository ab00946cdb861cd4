/** Pages of moderation: the report form, the queue, a report, and an account's moderation. */
import { AdminPage } from "../admin/views.tsx";
import type { ReportSubjectType } from "../core/db/schema.ts";
import {
  Checkbox,
  ErrorSummary,
  Honeypot,
  PostForm,
  Select,
  TextArea,
  TextInput,
  emptyForm,
  type FormState,
} from "../core/views/forms.tsx";
import { formatDate, formatNumber } from "../core/views/format.ts";
import { Pagination } from "../core/views/pagination.tsx";
import { categoryLabel } from "./commands.ts";
import type { ModeratedUser, ReportRow } from "./queries.ts";
import { CATEGORIES, LIMITS, REPORT_STATUSES, SUBJECT_TYPES, type Hideable } from "./schemas.ts";
import type { Snapshot } from "./subjects.ts";

const CATEGORY_OPTIONS = [
  { value: "", label: "Choose one" },
  ...Object.entries(CATEGORIES).map(([value, label]) => ({ value, label })),
];

const TYPE_LABEL: Record<ReportSubjectType, string> = {
  work: "Work",
  chapter: "Chapter",
  comment: "Comment",
  bookmark: "Bookmark",
  tag: "Tag",
  user: "Account",
};

function SnapshotBlock(props: { snapshot: Snapshot; heading: string }) {
  const s = props.snapshot;
  return (
    <section class="report-snapshot">
      <h2>{props.heading}</h2>
      <dl class="report-facts">
        <dt>Title</dt>
        <dd>{s.url ? <a href={s.url}>{s.title || "(untitled)"}</a> : s.title}</dd>
        {s.author !== null ? (
          <>
            <dt>By</dt>
            <dd>{s.author}</dd>
          </>
        ) : null}
        {s.hiddenReason !== null ? (
          <>
            <dt>Hidden</dt>
            <dd>Hidden by a moderator: {s.hiddenReason}</dd>
          </>
        ) : null}
      </dl>
      {s.excerpt ? <blockquote class="report-excerpt">{s.excerpt}</blockquote> : null}
    </section>
  );
}

/** The report form: what, why, and (guests) an address to answer. */
export function ReportFormView(props: {
  type: ReportSubjectType;
  id: number;
  snapshot: Snapshot;
  guest: boolean;
  form: FormState;
}) {
  const { type, id, form } = props;
  return (
    <div class="report-form">
      <h1>Report a {TYPE_LABEL[type].toLowerCase()}</h1>
      <p>
        Tell the archive's moderators what is wrong with{" "}
        <a href={props.snapshot.url}>{props.snapshot.title}</a>. They see what it looks like now,
        even if it changes later.
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/reports/new?type=${type}&id=${id}`} once>
        <Select
          name="category"
          label="What kind of problem is it?"
          options={CATEGORY_OPTIONS}
          form={form}
          required
        />
        <TextArea
          name="details"
          label="Details"
          hint="What should the moderators look at? Where in the text, and why."
          form={form}
          maxLength={LIMITS.details}
        />
        {props.guest ? (
          <>
            <TextInput
              name="email"
              label="Your email"
              type="email"
              hint="Required for guests, so the moderators can reach you. Never shown to anyone else."
              form={form}
              required
            />
            <Honeypot />
          </>
        ) : null}
        <p>
          <button type="submit">Send report</button>
        </p>
      </PostForm>
    </div>
  );
}

export function ReportSentView(props: { url: string }) {
  return (
    <div class="report-form">
      <h1>Thank you</h1>
      <p>Your report was sent to the moderators.</p>
      <p>
        <a href={props.url}>Back to what you reported</a>
      </p>
    </div>
  );
}

function reportsHref(
  filter: { status: string; type?: string | undefined; user?: string | undefined },
  page: number,
) {
  const p = new URLSearchParams();
  p.set("status", filter.status);
  if (filter.type) p.set("type", filter.type);
  if (filter.user) p.set("user", filter.user);
  if (page > 1) p.set("page", String(page));
  return `/admin/reports?${p.toString()}`;
}

function ReportRowItem({ r }: { r: ReportRow & { title: string } }) {
  return (
    <tr>
      <td>
        <a href={`/admin/reports/${r.id}`}>#{r.id}</a>
      </td>
      <td>{r.status}</td>
      <td>{TYPE_LABEL[r.subject_type]}</td>
      <td class="report-title">{r.title || "(untitled)"}</td>
      <td>{categoryLabel(r.category)}</td>
      <td>{r.owner_login ?? "—"}</td>
      <td>{formatDate(r.created_at)}</td>
    </tr>
  );
}

export function QueueView(props: {
  rows: (ReportRow & { title: string })[];
  total: number;
  page: number;
  pages: number;
  filter: { status: string; type?: string | undefined; user?: string | undefined };
}) {
  const { filter } = props;
  const form = emptyForm({
    status: filter.status,
    type: filter.type ?? "",
    user: filter.user ?? "",
  });
  return (
    <AdminPage title="Reports" trail={[["Reports", "/admin/reports"]]}>
      <form method="get" action="/admin/reports" class="report-filters">
        <Select
          name="status"
          label="Status"
          form={form}
          options={[...REPORT_STATUSES, "all"].map((s) => ({ value: s, label: s }))}
        />
        <Select
          name="type"
          label="What"
          form={form}
          options={[
            { value: "", label: "anything" },
            ...SUBJECT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] })),
          ]}
        />
        <TextInput name="user" label="Owner's username" form={form} />
        <p>
          <button type="submit">Filter</button>
        </p>
      </form>
      <p>
        {formatNumber(props.total)} report{props.total === 1 ? "" : "s"}, open ones first.
      </p>
      {props.rows.length === 0 ? (
        <p>No reports here.</p>
      ) : (
        <div class="table-scroll">
          <table class="reports">
            <caption class="landmark">Reports</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Status</th>
                <th scope="col">What</th>
                <th scope="col">Title</th>
                <th scope="col">Category</th>
                <th scope="col">Owner</th>
                <th scope="col">Reported</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <ReportRowItem key={r.id} r={r} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={props.page} pages={props.pages} href={(p) => reportsHref(filter, p)} />
    </AdminPage>
  );
}

/** Hide / unhide / delete forms for one piece of content. */
export function ContentActions(props: {
  type: Hideable;
  id: number;
  hidden: boolean;
  reportId?: number;
  form?: FormState;
}) {
  const { type, id, hidden } = props;
  const base = `/admin/content/${type}/${id}`;
  const form = props.form ?? emptyForm();
  const reportField =
    props.reportId !== undefined ? (
      <input type="hidden" name="report_id" value={String(props.reportId)} />
    ) : null;
  return (
    <section class="moderation-actions" aria-labelledby={`content-actions-${type}-${id}`}>
      <h2 id={`content-actions-${type}-${id}`}>
        {TYPE_LABEL[type]} #{id}
      </h2>
      {hidden ? (
        <PostForm action={`${base}/unhide`}>
          {reportField}
          <button type="submit">Unhide {TYPE_LABEL[type].toLowerCase()}</button>
        </PostForm>
      ) : (
        <PostForm action={`${base}/hide`}>
          {reportField}
          <TextInput
            name="reason"
            label="Reason for hiding (the owner sees it)"
            form={form}
            required
          />
          <button type="submit">Hide {TYPE_LABEL[type].toLowerCase()}</button>
        </PostForm>
      )}
      <p>
        <a
          href={`${base}/delete${props.reportId !== undefined ? `?report_id=${props.reportId}` : ""}`}
        >
          Delete {TYPE_LABEL[type].toLowerCase()}…
        </a>
      </p>
    </section>
  );
}

/** Warn, suspend and ban (and lift them) for one account. */
export function AccountActions(props: {
  user: ModeratedUser;
  now: number;
  reportId?: number;
  form?: FormState;
}) {
  const { user, now } = props;
  const base = `/admin/users/${encodeURIComponent(user.login)}`;
  const form = props.form ?? emptyForm();
  const suspended = user.suspended_until !== null && user.suspended_until > now;
  const reportField =
    props.reportId !== undefined ? (
      <input type="hidden" name="report_id" value={String(props.reportId)} />
    ) : null;
  return (
    <section class="moderation-actions" aria-labelledby="account-actions">
      <h2 id="account-actions">Account {user.login}</h2>
      <p>
        {user.banned_at !== null
          ? `Banned since ${formatDate(user.banned_at)}.`
          : suspended
            ? `Suspended until ${formatDate(user.suspended_until)}.`
            : "In good standing."}
      </p>
      <PostForm action={`${base}/warn`}>
        {reportField}
        <TextArea name="message" label="Warning to send" form={form} rows={3} required />
        <button type="submit">Send warning</button>
      </PostForm>
      {suspended ? (
        <PostForm action={`${base}/unsuspend`}>
          <button type="submit">Lift suspension</button>
        </PostForm>
      ) : (
        <PostForm action={`${base}/suspend`}>
          {reportField}
          <TextInput
            name="days"
            label="Suspend for how many days (1–365)"
            type="number"
            form={form}
            required
          />
          <TextInput name="suspend_reason" label="Reason for the suspension" form={form} required />
          <button type="submit">Suspend</button>
        </PostForm>
      )}
      {user.banned_at !== null ? (
        <PostForm action={`${base}/unban`}>
          <button type="submit">Lift ban</button>
        </PostForm>
      ) : (
        <PostForm action={`${base}/ban`}>
          {reportField}
          <TextInput name="ban_reason" label="Reason for the ban" form={form} required />
          <Checkbox
            name="confirm"
            label="Yes, ban this account: it is logged out everywhere and can't log in"
            form={form}
          />
          <button type="submit" class="danger">
            Ban
          </button>
        </PostForm>
      )}
    </section>
  );
}

export function ReportView(props: {
  report: ReportRow;
  snapshot: Snapshot;
  now: Snapshot | null;
  hideable: { type: Hideable; id: number; hidden: boolean } | null;
  owner: ModeratedUser | null;
  clock: number;
}) {
  const { report: r } = props;
  return (
    <AdminPage
      title={`Report #${r.id}`}
      trail={[
        ["Reports", "/admin/reports"],
        [`#${r.id}`, `/admin/reports/${r.id}`],
      ]}
    >
      <dl class="report-facts">
        <dt>Status</dt>
        <dd>
          {r.status}
          {r.status !== "open" && r.resolver_login ? ` by ${r.resolver_login}` : ""}
          {r.resolved_at !== null ? ` on ${formatDate(r.resolved_at)}` : ""}
          {r.resolution ? `: ${r.resolution}` : ""}
        </dd>
        <dt>What</dt>
        <dd>
          {TYPE_LABEL[r.subject_type]} #{r.subject_id}
        </dd>
        <dt>Category</dt>
        <dd>{categoryLabel(r.category)}</dd>
        <dt>Reported by</dt>
        <dd>
          {r.reporter_login ?? (r.reporter_email ? `a guest (${r.reporter_email})` : "a guest")}
        </dd>
        <dt>Reported on</dt>
        <dd>{formatDate(r.created_at)}</dd>
        {r.owner_login ? (
          <>
            <dt>Owner</dt>
            <dd>
              <a href={`/admin/users/${encodeURIComponent(r.owner_login)}/moderation`}>
                {r.owner_login}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {r.details ? (
        <section>
          <h2>Details</h2>
          <blockquote class="report-excerpt">{r.details}</blockquote>
        </section>
      ) : null}
      <SnapshotBlock snapshot={props.snapshot} heading="As reported" />
      {props.now ? (
        <SnapshotBlock snapshot={props.now} heading="As it is now" />
      ) : (
        <section class="report-snapshot">
          <h2>As it is now</h2>
          <p>It no longer exists.</p>
        </section>
      )}
      {r.status === "open" ? (
        <section class="moderation-actions" aria-labelledby="dismiss-heading">
          <h2 id="dismiss-heading">Dismiss</h2>
          <PostForm action={`/admin/reports/${r.id}/dismiss`}>
            <TextInput name="note" label="Note (optional, for the audit log)" form={emptyForm()} />
            <button type="submit">Dismiss report</button>
          </PostForm>
        </section>
      ) : null}
      {props.hideable ? <ContentActions {...props.hideable} reportId={r.id} /> : null}
      {props.owner ? <AccountActions user={props.owner} now={props.clock} reportId={r.id} /> : null}
    </AdminPage>
  );
}

export function ConfirmDeleteView(props: {
  type: Hideable;
  id: number;
  snapshot: Snapshot;
  reportId?: number | undefined;
  form: FormState;
}) {
  const { type, id, form } = props;
  return (
    <AdminPage
      title={`Delete this ${TYPE_LABEL[type].toLowerCase()}?`}
      trail={[["Reports", "/admin/reports"]]}
    >
      <SnapshotBlock snapshot={props.snapshot} heading="What will be deleted" />
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/admin/content/${type}/${id}/delete`}>
        {props.reportId !== undefined ? (
          <input type="hidden" name="report_id" value={String(props.reportId)} />
        ) : null}
        <TextInput name="reason" label="Reason (the owner is told)" form={form} required />
        <Checkbox name="confirm" label="Yes, delete it: this cannot be undone" form={form} />
        <button type="submit" class="danger">
          Delete
        </button>
      </PostForm>
    </AdminPage>
  );
}

export function UserModerationView(props: {
  user: ModeratedUser;
  reports: (ReportRow & { title: string })[];
  now: number;
  form?: FormState;
}) {
  const { user } = props;
  const here = `/admin/users/${encodeURIComponent(user.login)}`;
  return (
    <AdminPage
      title={`Moderation: ${user.login}`}
      trail={[
        ["Accounts", "/admin/users"],
        [user.login, here],
        ["Moderation", `${here}/moderation`],
      ]}
    >
      {props.form ? <ErrorSummary errors={props.form.errors} /> : null}
      <AccountActions user={user} now={props.now} {...(props.form ? { form: props.form } : {})} />
      <section>
        <h2>Reports about {user.login}'s content</h2>
        {props.reports.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul>
            {props.reports.map((r) => (
              <li key={r.id}>
                <a href={`/admin/reports/${r.id}`}>
                  #{r.id} ({r.status}) {TYPE_LABEL[r.subject_type]}: {r.title || "(untitled)"}
                </a>{" "}
                — {categoryLabel(r.category)}, {formatDate(r.created_at)}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={`/admin/reports?status=all&user=${encodeURIComponent(user.login)}`}>
            All in the queue
          </a>
        </p>
      </section>
    </AdminPage>
  );
}
