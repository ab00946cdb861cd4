import type { VNode } from "preact";
import { limits } from "../core/limits.ts";
import { useRender } from "../core/views/context.ts";
import {
  Checkbox,
  ErrorSummary,
  Honeypot,
  PostForm,
  str,
  TextArea,
  TextInput,
  type FormState,
} from "../core/views/forms.tsx";
import {
  InvitationField,
  InvitationNeededView,
  SignupClosedView,
  TermsField,
} from "./invitations/views.tsx";
import type { Pseud } from "../core/db/schema.ts";
import { CurrentPassword, NewPassword } from "./password-fields.tsx";
import { UnconfirmedEmailNotice } from "./recovery/views.tsx";

/** What the sign-up page depends on from the site settings (core/settings.ts). */
export interface SignupGate {
  mode: "open" | "invitation" | "closed";
  minimumAge: number;
}

export function SignupView({ form, gate }: { form: FormState; gate: SignupGate }) {
  if (gate.mode === "closed") return <SignupClosedView />;
  const invited = str(form.values, "invitation") !== "" || form.errors.invitation !== undefined;
  if (gate.mode === "invitation" && !invited) return <InvitationNeededView />;
  return (
    <section class="account-form">
      <h1>Create an account</h1>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/signup" once>
        <Honeypot />
        {gate.mode === "invitation" ? <InvitationField form={form} /> : null}
        <TextInput
          name="login"
          label="Username"
          form={form}
          required
          autocomplete="username"
          maxLength={limits.username.max}
          hint={`${limits.username.min} to ${limits.username.max} letters, digits or underscores. This is also your first pseud (pen name).`}
        />
        <TextInput
          name="email"
          type="email"
          label="Email"
          form={form}
          required
          autocomplete="email"
        />
        <NewPassword form={form} label="Password" />
        <TermsField form={form} minimumAge={gate.minimumAge} />
        <button type="submit">Create account</button>
      </PostForm>
      <p>
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

/** AO3's words where a registered-users-only work sends a guest (FanFicFare looks for them). */
export const RESTRICTED_NOTICE = "This work is only available to registered users of the Archive.";

/**
 * The log-in page, at `/login` and at AO3's `/users/login`. Marked up as AO3's is where tools
 * read it: the form inside `#signin`, whose `.heading` ao3.js takes for "this work is locked",
 * and the CSRF token also under Rails' name, `authenticity_token`, for tools that copy it from
 * the page into their own `POST /users/login`.
 */
export function LoginView({ form, restricted = false }: { form: FormState; restricted?: boolean }) {
  const { csrfToken } = useRender();
  const returnTo = typeof form.values.return_to === "string" ? form.values.return_to : "";
  return (
    <section id="signin" class="account-form">
      <h1 class="heading">Log in</h1>
      {restricted ? <p class="flash restricted-notice">{RESTRICTED_NOTICE}</p> : null}
      {form.errors._form ? (
        <p class="error-summary" role="alert">
          {form.errors._form}
        </p>
      ) : (
        <ErrorSummary errors={form.errors} />
      )}
      <PostForm action="/login">
        <input type="hidden" name="authenticity_token" value={csrfToken} />
        <input type="hidden" name="return_to" value={returnTo} />
        <TextInput
          name="login"
          label="Username or email"
          form={form}
          required
          autocomplete="username"
        />
        <TextInput
          name="password"
          type="password"
          label="Password"
          form={form}
          required
          autocomplete="current-password"
        />
        <Checkbox name="remember_me" label="Remember me" form={form} />
        <button type="submit">Log in</button>
      </PostForm>
      <p>
        <a href="/users/password/new">Forgot your password?</a>
      </p>
      <p>
        New here? <a href="/signup">Create an account</a>.
      </p>
    </section>
  );
}

/** What `/users/logout` (the header's "Log Out") shows: logging out itself is this form's POST. */
export function LogoutConfirmView() {
  return (
    <section class="account-form">
      <h1 class="heading">Log out</h1>
      <PostForm action="/logout">
        <p>Are you sure you want to log out?</p>
        <button type="submit">Log out</button>
      </PostForm>
    </section>
  );
}

export function ChangePasswordView({ login, form }: { login: string; form: FormState }) {
  return (
    <section class="account-form">
      <h1>Change password</h1>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/users/${login}/password`}>
        <CurrentPassword form={form} />
        <NewPassword form={form} label="New password" />
        <button type="submit">Change password</button>
      </PostForm>
    </section>
  );
}

export function PreferencesView({
  login,
  form,
  unconfirmedEmail,
  addOns = [],
}: {
  login: string;
  form: FormState;
  /** The account's address while it is not confirmed: a notice offers to resend the link. */
  unconfirmedEmail?: string | undefined;
  /** Sections other domains add below the form (feeds: the personal feed address). */
  addOns?: VNode[];
}) {
  return (
    <section class="account-form">
      <h1>Preferences</h1>
      {unconfirmedEmail ? <UnconfirmedEmailNotice login={login} email={unconfirmedEmail} /> : null}
      <PostForm action={`/users/${login}/preferences`}>
        <Checkbox
          name="view_adult"
          label="Show me adult content without checking"
          hint="Works rated Mature, Explicit or Not Rated open without the warning page."
          form={form}
        />
        <Checkbox
          name="history_enabled"
          label="Turn on History"
          hint="Works you read are added to your history. Turned off, nothing new is recorded; what is already there stays until you clear it."
          form={form}
        />
        <Checkbox
          name="allow_cocreator"
          label="Allow others to invite me to be a co-creator"
          hint="Invitations wait in your Co-Creator Requests until you accept or reject them. Turned off, nobody can invite you."
          form={form}
        />
        <Checkbox
          name="allow_gifts"
          label="Allow others to give me gift works"
          hint="Turned off, nobody can give a work to any of your pseuds."
          form={form}
        />
        <button type="submit">Save preferences</button>
      </PostForm>
      <p>
        <a href={`/users/${login}/password`}>Change your password</a> ·{" "}
        <a href={`/users/${login}/email`}>Change email</a> ·{" "}
        <a href={`/users/${login}/username`}>Change username</a> ·{" "}
        <a href={`/users/${login}/pseuds`}>Manage your pseuds</a> ·{" "}
        <a href={`/users/${login}/readings`}>Your history</a> ·{" "}
        <a href={`/users/${login}/invitations`}>Invitations</a> ·{" "}
        <a href={`/users/${login}/creatorships`}>Co-creator requests</a> ·{" "}
        <a href={`/users/${login}/data`}>Download your data</a> ·{" "}
        <a href={`/users/${login}/delete`}>Delete account</a>
      </p>
      {addOns}
    </section>
  );
}

export function PseudsView({
  login,
  pseuds,
  form,
}: {
  login: string;
  pseuds: Pseud[];
  form: FormState;
}) {
  return (
    <section>
      <h1>Pseuds</h1>
      <p>Pseuds are the pen names your works are credited to.</p>
      <ul class="pseuds">
        {pseuds.map((p) => (
          <li key={p.id}>
            <a href={`/users/${login}/pseuds/${encodeURIComponent(p.name)}`}>{p.name}</a>
            {p.is_default ? " (default)" : ""}
          </li>
        ))}
      </ul>
      <h2>Add a pseud</h2>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/users/${login}/pseuds`} once>
        <TextInput name="name" label="Name" form={form} required maxLength={limits.pseudName.max} />
        <TextArea name="description" label="Description" form={form} rows={3} maxLength={500} />
        <button type="submit">Add pseud</button>
      </PostForm>
    </section>
  );
}
