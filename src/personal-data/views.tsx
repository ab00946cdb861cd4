import { formatDate, formatNumber } from "../core/views/format.ts";
import { ErrorSummary, PostForm, str, TextInput, type FormState } from "../core/views/forms.tsx";
import type { DataExport } from "./queries.ts";
import { fateField, ORPHAN_LOGIN, type WorkFate } from "./commands.ts";

const fieldId = (name: string) => `field-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

function size(bytes: number | null) {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.ceil(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function ExportItem({ login, e }: { login: string; e: DataExport }) {
  const requested = <>Requested {formatDate(e.created_at)}</>;
  if (e.status === "ready")
    return (
      <li>
        {requested}:{" "}
        <a href={`/users/${login}/data/exports/${e.id}`} download>
          Download your data (.tar.gz, {size(e.size)})
        </a>{" "}
        <span class="hint">available until {formatDate(e.expires_at)}</span>
      </li>
    );
  if (e.status === "failed")
    return (
      <li>
        {requested}: <strong>could not be built.</strong> Please ask again; if it keeps failing,
        tell the archive's admins.
      </li>
    );
  return <li>{requested}: being prepared. Reload this page in a little while.</li>;
}

/** `/users/:login/data`: ask for an archive of everything; download the ones built. */
export function DataView({ login, exports }: { login: string; exports: DataExport[] }) {
  return (
    <section class="personal-data">
      <h1>Your data</h1>
      <p>
        Download everything you wrote and keep here as one archive file: your works with all their
        chapters (as web pages), bookmarks, comments, kudos, reading history, subscriptions,
        preferences, hidden tags, muted users and saved searches (in <code>data.json</code>).
      </p>
      <p>
        The archive is built in the background and kept for seven days. It is a <code>.tar.gz</code>{" "}
        file, which most archive managers open.
      </p>
      <PostForm action={`/users/${login}/data/exports`}>
        <button type="submit">Prepare my data</button>
      </PostForm>
      <h2>Your archives</h2>
      {exports.length === 0 ? (
        <p>You have not asked for one yet.</p>
      ) : (
        <ul class="data-exports">
          {exports.map((e) => (
            <ExportItem key={e.id} login={login} e={e} />
          ))}
        </ul>
      )}
      <h2>Leaving</h2>
      <p>
        You can <a href={`/users/${login}/delete`}>delete your account</a>. You choose, work by
        work, whether to orphan or delete what you posted.
      </p>
    </section>
  );
}

/** A confirmation box that shows its error beside it (core Checkbox has no error line). */
function ConfirmBox({ form, label }: { form: FormState; label: string }) {
  const error = form.errors.confirm;
  const checked = ["1", "on", "true"].includes(str(form.values, "confirm"));
  return (
    <div class={error ? "field checkbox has-error" : "field checkbox"}>
      {error ? (
        <p class="field-error" id="field-confirm-error">
          {error}
        </p>
      ) : null}
      <input
        type="checkbox"
        id="field-confirm"
        name="confirm"
        value="1"
        checked={checked}
        required
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "field-confirm-error" : undefined}
      />{" "}
      <label for="field-confirm">{label}</label>
    </div>
  );
}

/** `/works/:id/orphan`: what orphaning means, the name choice, and a confirmation. */
export function OrphanView(props: {
  workId: number;
  title: string;
  pseudNames: string[];
  form: FormState;
}) {
  const { form } = props;
  const keep = ["1", "on", "true"].includes(str(form.values, "keep_pseud"));
  const names = props.pseudNames.map((n) => `"${n}"`).join(", ");
  return (
    <section class="account-form orphan-work">
      <h1>
        Orphan <a href={`/works/${props.workId}`}>{props.title}</a>?
      </h1>
      <ErrorSummary errors={form.errors} />
      <p>
        Orphaning gives the work away for good: it stays on the archive for readers, credited to the
        shared account <strong>{ORPHAN_LOGIN}</strong>, and nothing links it to you any more. You
        will no longer be able to edit or delete it, and this cannot be undone.
      </p>
      <p>Its comments, kudos and bookmarks stay with it.</p>
      <PostForm action={`/works/${props.workId}/orphan`}>
        <div class="field checkbox">
          <input type="checkbox" id="field-keep_pseud" name="keep_pseud" value="1" checked={keep} />{" "}
          <label for="field-keep_pseud">
            Keep my pseud's name ({names}) on it, as "{props.pseudNames[0] ?? ""} ({ORPHAN_LOGIN})"
          </label>
          <p class="hint">Left unticked, the work is credited to "{ORPHAN_LOGIN}" alone.</p>
        </div>
        <ConfirmBox form={form} label="I understand that I am giving this work away for good." />
        <button type="submit" class="danger">
          Orphan this work
        </button>{" "}
        <a href={`/works/${props.workId}`}>No, cancel</a>
      </PostForm>
    </section>
  );
}

const FATE_LABELS: Record<WorkFate, string> = {
  orphan: `Orphan it (credited to "${ORPHAN_LOGIN}")`,
  "orphan-keep-name": "Orphan it, keeping my pseud's name on it",
  delete: "Delete it",
};

export interface WorkToDecide {
  id: number;
  title: string;
  draft: boolean;
  coCreated: boolean;
}

function FateChoice({ work, form }: { work: WorkToDecide; form: FormState }) {
  const name = fateField(work.id);
  const error = form.errors[name];
  const chosen = str(form.values, name);
  const fates: WorkFate[] = work.draft ? ["delete"] : ["orphan", "orphan-keep-name", "delete"];
  return (
    <fieldset
      class={error ? "field choices has-error" : "field choices"}
      id={fieldId(name)}
      aria-describedby={error ? `${fieldId(name)}-error` : undefined}
    >
      <legend>
        <a href={`/works/${work.id}`}>{work.title}</a>
        {work.draft ? " (draft)" : ""}
      </legend>
      {work.coCreated ? (
        <p class="hint">
          You share this work with co-creators: deleting it only removes you from it.
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${fieldId(name)}-error`}>
          {error}
        </p>
      ) : null}
      <ul>
        {fates.map((fate) => (
          <li key={fate}>
            <input
              type="radio"
              id={`${fieldId(name)}-${fate}`}
              name={name}
              value={fate}
              checked={chosen === fate}
              required
            />{" "}
            <label for={`${fieldId(name)}-${fate}`}>{FATE_LABELS[fate]}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** `/users/:login/delete`: one choice per work, the password again, and a confirmation. */
export function DeleteAccountView(props: {
  login: string;
  works: WorkToDecide[];
  form: FormState;
}) {
  const { login, works, form } = props;
  return (
    <section class="account-form delete-account">
      <h1>Delete your account</h1>
      <ErrorSummary errors={form.errors} />
      <p>
        Deleting your account cannot be undone. Before you go, you may want to{" "}
        <a href={`/users/${login}/data`}>download your data</a>.
      </p>
      <ul>
        <li>
          Your e-mail address, password, pseuds, bookmarks, kudos, reading history, subscriptions,
          inbox, preferences, hidden tags, muted and blocked users and saved searches are deleted.
        </li>
        <li>Your comments stay where they are, signed "(deleted account)".</li>
        <li>Each of your works is orphaned or deleted, as you choose below.</li>
      </ul>
      <PostForm action={`/users/${login}/delete`}>
        {works.length > 0 ? (
          <>
            <h2>Your works</h2>
            <p>
              An orphaned work stays on the archive for its readers, credited to the shared account
              "{ORPHAN_LOGIN}" (with your pseud's name, if you choose).
            </p>
            {works.map((w) => (
              <FateChoice key={w.id} work={w} form={form} />
            ))}
          </>
        ) : null}
        <h2>Confirm</h2>
        <TextInput
          name="password"
          type="password"
          label="Your password"
          form={form}
          required
          autocomplete="current-password"
        />
        <ConfirmBox form={form} label="I understand that my account will be deleted for good." />
        <button type="submit" class="danger">
          Delete my account
        </button>{" "}
        <a href={`/users/${login}/preferences`}>No, cancel</a>
      </PostForm>
    </section>
  );
}
