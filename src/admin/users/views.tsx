/** /admin/users: finding accounts; one account's details and its roles. */
import { ROLES, type Role } from "../../core/permissions.ts";
import { formatDate, formatNumber, pluralize } from "../../core/views/format.ts";
import { ErrorSummary, PostForm, type FormState } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import type { AccountRow } from "../queries.ts";
import { accountState, ROLE_LABEL } from "../present.ts";
import { rolesOf } from "../commands.ts";
import { AdminPage } from "../views.tsx";

export const accountPath = (login: string) => `/admin/users/${encodeURIComponent(login)}`;

const rolesText = (stored: string) =>
  rolesOf(stored)
    .map((r) => ROLE_LABEL[r])
    .join(", ") || "None";

export function AccountsView(props: {
  q: string;
  accounts: AccountRow[];
  total: number;
  page: number;
  pages: number;
  now: number;
}) {
  const { q, accounts, total, page, pages, now } = props;
  const href = (n: number) =>
    `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) }).toString()}`;
  return (
    <AdminPage title="Accounts" trail={[["Accounts", "/admin/users"]]}>
      <form method="get" action="/admin/users" class="admin-search" role="search">
        <div class="field">
          <label for="field-q">Username or e-mail address begins with</label>
          <input id="field-q" name="q" type="search" value={q} maxLength={100} />
        </div>
        <button type="submit">Find</button>
      </form>
      <p role="status">
        {q
          ? `${pluralize(total, "account")} beginning with “${q}”.`
          : `${pluralize(total, "account")} in all.`}
      </p>
      {accounts.length ? (
        <ul class="admin-accounts" aria-label={`Accounts, page ${formatNumber(page)}`}>
          {accounts.map((a) => (
            <li key={a.id}>
              <p class="account-name">
                <a href={accountPath(a.login)}>{a.login}</a>
              </p>
              <dl>
                <dt>E-mail</dt>
                <dd>{a.email}</dd>
                <dt>Roles</dt>
                <dd>{rolesText(a.roles)}</dd>
                <dt>State</dt>
                <dd>{accountState(a, now).join("; ")}</dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
      <Pagination page={page} pages={pages} href={href} label="Pages of accounts" />
    </AdminPage>
  );
}

export function AccountView(props: {
  account: AccountRow;
  now: number;
  /** The viewer may grant and revoke roles (roles.manage). */
  canManageRoles: boolean;
  /** The viewer may read the audit log (audit.read). */
  canReadAudit: boolean;
  form: FormState;
}) {
  const { account: a, now, form } = props;
  const roles = rolesOf(a.roles);
  return (
    <AdminPage
      title={`Account: ${a.login}`}
      trail={[
        ["Accounts", "/admin/users"],
        [a.login, accountPath(a.login)],
      ]}
    >
      <dl class="admin-details">
        <dt>Username</dt>
        <dd>
          <a href={`/users/${encodeURIComponent(a.login)}`}>{a.login}</a>
        </dd>
        <dt>E-mail</dt>
        <dd>{a.email}</dd>
        <dt>Joined</dt>
        <dd>{formatDate(a.created_at)}</dd>
        <dt>State</dt>
        <dd>{accountState(a, now).join("; ")}</dd>
        <dt>Roles</dt>
        <dd>{rolesText(a.roles)}</dd>
      </dl>
      <h2>Moderation</h2>
      <ul class="actions">
        <li>
          <a href={`/admin/reports?user=${encodeURIComponent(a.login)}`}>Reports about {a.login}</a>
        </li>
        {props.canReadAudit ? (
          <li>
            <a href={`/admin/audit?subject_type=user&subject_id=${a.id}`}>
              Audit log entries about {a.login}
            </a>
          </li>
        ) : null}
      </ul>
      {props.canManageRoles ? <RolesForm login={a.login} current={roles} form={form} /> : null}
    </AdminPage>
  );
}

const ROLE_HINT: Record<Role, string> = {
  admin: "Everything: roles, settings, invitations, the audit log, and all a moderator does.",
  moderator: "Reports, hiding and deleting content, warnings, suspensions and bans, spam.",
  wrangler: "Tag wrangling.",
};

function RolesForm(props: { login: string; current: Role[]; form: FormState }) {
  const { login, current, form } = props;
  // After a refusal the boxes show what was sent; otherwise what the account holds.
  const sent = form.values.roles;
  const ticked = new Set(
    Object.keys(form.errors).length ? (Array.isArray(sent) ? sent : sent ? [sent] : []) : current,
  );
  const error = form.errors.roles;
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`${accountPath(login)}/roles`}>
        <fieldset
          class={error ? "field choices has-error" : "field choices"}
          id="field-roles"
          aria-describedby={error ? "field-roles-error" : undefined}
        >
          <legend>Roles of {login}</legend>
          {error ? (
            <p class="field-error" id="field-roles-error">
              {error}
            </p>
          ) : null}
          <ul class="admin-roles">
            {ROLES.map((role) => (
              <li key={role}>
                <input
                  type="checkbox"
                  id={`field-roles-${role}`}
                  name="roles"
                  value={role}
                  checked={ticked.has(role)}
                  aria-describedby={`field-roles-${role}-hint`}
                />{" "}
                <label for={`field-roles-${role}`}>{ROLE_LABEL[role]}</label>
                <p class="hint" id={`field-roles-${role}-hint`}>
                  {ROLE_HINT[role]}
                </p>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit">Save roles</button>
      </PostForm>
    </section>
  );
}
