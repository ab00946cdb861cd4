/**
 * Pages of sign-up by invitation: what the sign-up page says when sign-up is closed or needs
 * an invitation, its terms box and invitation field, the request queue, and an account's own
 * invitations.
 */
import { limits } from "../../core/limits.ts";
import { formatDate, pluralize } from "../../core/views/format.ts";
import {
  ErrorSummary,
  Honeypot,
  PostForm,
  str,
  TextInput,
  type FormState,
} from "../../core/views/forms.tsx";
import { INVITATION_VALID_DAYS } from "./commands.ts";

export function SignupClosedView() {
  return (
    <section class="account-form">
      <h1>Sign-up is closed</h1>
      <p>This archive is not taking new accounts at the moment.</p>
      <p>
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

/** Invitation-only sign-up reached without a code: where to ask for one, where to enter one. */
export function InvitationNeededView() {
  return (
    <section class="account-form">
      <h1>Create an account</h1>
      <p>
        Accounts on this archive are by invitation. If you don't have an invitation yet,{" "}
        <a href="/invite_requests">ask for one</a>: requests are answered in the order they arrive,
        by email.
      </p>
      <h2>I have an invitation</h2>
      <p>Follow the link in your invitation, or enter its code here.</p>
      <form method="get" action="/signup">
        <div class="field">
          <label for="field-invitation-code">Invitation code</label>
          <input type="text" id="field-invitation-code" name="invitation" required />
        </div>
        <button type="submit">Continue</button>
      </form>
      <p>
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

/**
 * The invitation the form is sent with: hidden while it is fine (it came in the link), shown
 * to edit when it was refused.
 */
export function InvitationField({ form }: { form: FormState }) {
  if (form.errors.invitation) {
    return (
      <TextInput
        name="invitation"
        label="Invitation code"
        form={form}
        required
        hint="The code at the end of the link in your invitation."
      />
    );
  }
  return (
    <>
      <p class="notice">You are signing up with an invitation.</p>
      <input type="hidden" name="invitation" value={str(form.values, "invitation")} />
    </>
  );
}

/** The one box every sign-up must tick: the terms, and the archive's minimum age. */
export function TermsField({ form, minimumAge }: { form: FormState; minimumAge: number }) {
  const name = "terms_of_service";
  const id = `field-${name}`;
  const error = form.errors[name];
  const checked = ["1", "on", "true"].includes(str(form.values, name));
  return (
    <div class={error ? "field checkbox has-error" : "field checkbox"}>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <input
        type="checkbox"
        id={id}
        name={name}
        value="1"
        required
        checked={checked}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />{" "}
      <label for={id}>
        I have read and accept the <a href="/tos">Terms of Service</a>, and I am at least{" "}
        {minimumAge} years old.
      </label>
    </div>
  );
}

export type SignupModeNote = "open" | "invitation" | "closed";

/** `/invite_requests`: the form, or why there is none in the current sign-up mode. */
export function InviteRequestView({
  form,
  mode,
  waiting,
}: {
  form: FormState;
  mode: SignupModeNote;
  waiting: number;
}) {
  if (mode === "open") {
    return (
      <section class="account-form">
        <h1>Ask for an invitation</h1>
        <p>
          Sign-up is open: no invitation is needed. <a href="/signup">Create an account</a>.
        </p>
      </section>
    );
  }
  if (mode === "closed") {
    return (
      <section class="account-form">
        <h1>Ask for an invitation</h1>
        <p>Sign-up is closed at the moment, so no invitations are being given out.</p>
      </section>
    );
  }
  return (
    <section class="account-form">
      <h1>Ask for an invitation</h1>
      <p>
        Accounts on this archive are by invitation. Leave your email address and we will send you an
        invitation when your turn comes; requests are answered in the order they arrive.{" "}
        {waiting === 0
          ? "Nobody is waiting right now."
          : `${pluralize(waiting, "person is", "people are")} waiting.`}
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/invite_requests">
        <Honeypot />
        <TextInput
          name="email"
          type="email"
          label="Email"
          form={form}
          required
          autocomplete="email"
          maxLength={limits.email.max}
          hint="Used only to send your invitation."
        />
        <button type="submit">Add me to the queue</button>
      </PostForm>
      <p>
        Already have an invitation? <a href="/signup">Create your account</a>.
      </p>
    </section>
  );
}

export function InviteRequestAnswerView({
  position,
  waiting,
}: {
  position: number | null;
  waiting: number;
}) {
  return (
    <section class="account-form">
      <h1>Your request is in the queue</h1>
      {position === null ? (
        <p>An invitation has been sent to this address. Check your inbox, and your spam folder.</p>
      ) : (
        <p>
          You are number {position} in the queue of {waiting}. We will email your invitation when
          your turn comes; it can be used within {INVITATION_VALID_DAYS} days.
        </p>
      )}
      <p>Asking again with the same address keeps your place; it does not move you forward.</p>
    </section>
  );
}

export interface InvitationRow {
  id: number;
  sent_to_email: string | null;
  used_at: number | null;
  created_at: number;
  expires_at: number | null;
  used_by_login: string | null;
}

function invitationState(inv: InvitationRow, now: number) {
  if (inv.used_at !== null)
    return inv.used_by_login ? (
      <>
        used by <a href={`/users/${inv.used_by_login}`}>{inv.used_by_login}</a> on{" "}
        {formatDate(inv.used_at)}
      </>
    ) : (
      `used on ${formatDate(inv.used_at)} (the account is gone)`
    );
  if (inv.expires_at !== null && inv.expires_at <= now)
    return `expired on ${formatDate(inv.expires_at)}`;
  return inv.expires_at === null
    ? "not used yet"
    : `not used yet (until ${formatDate(inv.expires_at)})`;
}

/** `/users/:login/invitations`: the allowance, the two ways to share one, and the list. */
export function UserInvitationsView(props: {
  login: string;
  left: number;
  invitations: InvitationRow[];
  form: FormState;
  now: number;
  /** Just made: its link is shown this once (only a hash of the code is kept). */
  issued?: { link: string; email: string | null };
}) {
  const { login, left, invitations, form, issued, now } = props;
  const action = `/users/${login}/invitations`;
  return (
    <section class="invitations">
      <h1>Invitations</h1>
      {issued ? (
        <div class="notice" role="status">
          {issued.email ? (
            <p>Your invitation is on its way to {issued.email}. Its link, if they ask:</p>
          ) : (
            <p>
              Here is your invitation link. Copy it now: it is shown only this once, and works once,
              within {INVITATION_VALID_DAYS} days.
            </p>
          )}
          <p class="invitation-link">
            <code>{issued.link}</code>
          </p>
        </div>
      ) : null}
      <p>You have {pluralize(left, "invitation")} left to share.</p>
      <ErrorSummary errors={form.errors} />
      {left > 0 ? (
        <>
          <h2>Share an invitation</h2>
          <PostForm action={action}>
            <p>A link you pass on yourself:</p>
            <button type="submit">Create an invitation link</button>
          </PostForm>
          <PostForm action={action}>
            <TextInput
              name="email"
              type="email"
              label="Or send it to this email address"
              form={form}
              required
              autocomplete="off"
              maxLength={limits.email.max}
            />
            <button type="submit">Send invitation</button>
          </PostForm>
        </>
      ) : null}
      <h2>Your invitations</h2>
      {invitations.length === 0 ? (
        <p>You have not shared any invitations yet.</p>
      ) : (
        <ul class="invitation-list">
          {invitations.map((inv) => (
            <li key={inv.id}>
              {formatDate(inv.created_at)}
              {inv.sent_to_email ? ` · sent to ${inv.sent_to_email}` : " · link"} ·{" "}
              {invitationState(inv, now)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
