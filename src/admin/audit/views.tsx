/** /admin/audit: the log, newest first, with its filters. Read only: no page here has a form that posts. */
import type { auditEntries } from "../../core/audit-queries.ts";
import { compactJson, formatTime } from "../present.ts";
import type { AuditQuery } from "../schemas.ts";
import { AdminPage } from "../views.tsx";

export type AuditRow = Awaited<ReturnType<typeof auditEntries>>[number];

const subjectText = (e: AuditRow) =>
  `${e.subject_type}${e.subject_id === null ? "" : ` #${e.subject_id}`}${e.subject_label ? ` (${e.subject_label})` : ""}`;

function Filter(props: { name: keyof AuditQuery; label: string; value: string | undefined }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type="text" value={props.value ?? ""} maxLength={100} />
    </div>
  );
}

export function AuditView(props: {
  filter: AuditQuery;
  entries: AuditRow[];
  /** The next, older page (null on the last). */
  olderHref: string | null;
  newestHref: string | null;
}) {
  const { filter, entries } = props;
  return (
    <AdminPage title="Audit log" trail={[["Audit log", "/admin/audit"]]}>
      <p>Every admin and moderator action, newest first. Entries are never changed or removed.</p>
      <form method="get" action="/admin/audit" class="admin-filters" aria-label="Filter the log">
        <Filter name="action" label="Action (e.g. role.grant)" value={filter.action} />
        <Filter name="actor" label="Done by (username)" value={filter.actor} />
        <Filter name="subject_type" label="Subject type (e.g. user)" value={filter.subject_type} />
        <Filter
          name="subject_id"
          label="Subject number"
          value={filter.subject_id === undefined ? undefined : String(filter.subject_id)}
        />
        <button type="submit">Filter</button>
      </form>
      {entries.length === 0 ? (
        <p role="status">No entries match.</p>
      ) : (
        <ol class="audit-log">
          {entries.map((e) => (
            <li key={e.id} class="audit-entry">
              <p class="audit-head">
                <time dateTime={new Date(e.created_at).toISOString()}>
                  {formatTime(e.created_at)}
                </time>{" "}
                <strong>{e.actor_login}</strong> <code>{e.action}</code> {subjectText(e)}
              </p>
              <dl>
                {e.before_json !== null ? (
                  <>
                    <dt>Before</dt>
                    <dd>
                      <code>{compactJson(e.before_json)}</code>
                    </dd>
                  </>
                ) : null}
                {e.after_json !== null ? (
                  <>
                    <dt>After</dt>
                    <dd>
                      <code>{compactJson(e.after_json)}</code>
                    </dd>
                  </>
                ) : null}
                {e.reason ? (
                  <>
                    <dt>Reason</dt>
                    <dd>{e.reason}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ol>
      )}
      {props.olderHref || props.newestHref ? (
        <nav aria-label="Pages of the log">
          <ul class="actions">
            {props.newestHref ? (
              <li>
                <a href={props.newestHref}>Newest entries</a>
              </li>
            ) : null}
            {props.olderHref ? (
              <li>
                <a href={props.olderHref} rel="next">
                  Older entries
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </AdminPage>
  );
}
