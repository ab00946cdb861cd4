import { CurrentPassword, NewPassword } from "../password-fields.tsx";
import { limits } from "../../core/limits.ts";
import { ErrorSummary, PostForm, TextInput, type FormState } from "../../core/views/forms.tsx";

/** The same sentence whether or not an account uses the address (nothing is revealed). */
export const RESET_REQUESTED =
  "If an account uses that address, we've sent a link to reset its password. The link works for one hour.";

export function ForgotPasswordView({ form }: { form: FormState }) {
  return (
    <section class="account-form">
      <h1 class="heading">Forgot your password?</h1>
      <p>
        Enter your username or the email address of your account. We'll send a link to choose a new
        password to the account's email address.
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/users/password/new">
        <TextInput
          name="login"
          label="Username or email"
          form={form}
          required
          autocomplete="username"
          maxLength={limits.email.max}
        />
        <button type="submit">Send reset link</button>
      </PostForm>
      <p>
        Remembered it? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

export function ResetPasswordView({ token, form }: { token: string; form: FormState }) {
  return (
    <section class="account-form">
      <h1 class="heading">Choose a new password</h1>
      <p>Setting a new password logs your account out everywhere; then log in with it.</p>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/users/password/edit">
        <input type="hidden" name="reset_password_token" value={token} />
        <NewPassword form={form} label="New password" />
        <button type="submit">Set new password</button>
      </PostForm>
    </section>
  );
}

export function DeadLinkView({ message }: { message: string }) {
  return (
    <section class="account-form">
      <h1 class="heading">This link does not work</h1>
      <p>{message}</p>
      <p>
        Links in our emails work once and for a limited time.{" "}
        <a href="/users/password/new">Ask for a new password reset link</a>, or{" "}
        <a href="/login">log in</a> and send a new confirmation email from your preferences.
      </p>
    </section>
  );
}

/**
 * Shown on the account's own pages while its address is unconfirmed: what to do, and a button
 * that mails the link again.
 */
export function UnconfirmedEmailNotice({ login, email }: { login: string; email: string }) {
  return (
    <section class="notice unconfirmed-email" aria-labelledby="unconfirmed-email-heading">
      <h2 id="unconfirmed-email-heading">Please confirm your email address</h2>
      <p>
        We sent a link to <span class="address">{email}</span>. Follow it to confirm that the
        address is yours, so you can reset your password if you ever forget it.
      </p>
      <PostForm action={`/users/${login}/confirm-email/resend`} class="inline">
        <button type="submit">Resend confirmation email</button>
      </PostForm>
    </section>
  );
}

export function ChangeEmailView(props: {
  login: string;
  email: string;
  confirmed: boolean;
  form: FormState;
}) {
  const { login, email, confirmed, form } = props;
  return (
    <section class="account-form">
      <h1 class="heading">Change email</h1>
      {confirmed ? null : <UnconfirmedEmailNotice login={login} email={email} />}
      <p>
        Your email address is <span class="address">{email}</span>
        {confirmed ? " (confirmed)" : " (not confirmed yet)"}. A new address is used once you follow
        the link we send to it; we also tell your current address.
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/users/${login}/email`}>
        <TextInput
          name="email"
          type="email"
          label="New email"
          form={form}
          required
          autocomplete="email"
          maxLength={limits.email.max}
        />
        <CurrentPassword form={form} />
        <button type="submit">Change email</button>
      </PostForm>
      <p>
        <a href={`/users/${login}/preferences`}>Back to your preferences</a>
      </p>
    </section>
  );
}

export function ChangeUsernameView({ login, form }: { login: string; form: FormState }) {
  return (
    <section class="account-form">
      <h1 class="heading">Change username</h1>
      <p>
        Your username is <strong>{login}</strong>. Links to your old username keep leading to your
        account until someone else takes that name. Your default pseud is renamed with it.
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/users/${login}/username`}>
        <TextInput
          name="login"
          label="New username"
          form={form}
          required
          autocomplete="username"
          maxLength={limits.username.max}
          hint={`${limits.username.min} to ${limits.username.max} letters, digits or underscores.`}
        />
        <CurrentPassword form={form} />
        <button type="submit">Change username</button>
      </PostForm>
      <p>
        <a href={`/users/${login}/preferences`}>Back to your preferences</a>
      </p>
    </section>
  );
}
