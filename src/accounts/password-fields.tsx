/** The password fields every account form uses, so each states the same rules the same way. */
import { limits } from "../core/limits.ts";
import { TextInput, type FormState } from "../core/views/forms.tsx";

/** A new password and its confirmation, with the rules stated (sign-up, change, reset). */
export function NewPassword({
  form,
  label,
}: {
  form: FormState;
  label: "Password" | "New password";
}) {
  return (
    <>
      <TextInput
        name="password"
        type="password"
        label={label}
        form={form}
        required
        autocomplete="new-password"
        hint={`At least ${limits.password.min} characters, and not a common password.`}
      />
      <TextInput
        name="password_confirmation"
        type="password"
        label={`Confirm ${label.toLowerCase()}`}
        form={form}
        required
        autocomplete="new-password"
      />
    </>
  );
}

/** The password that proves it is the owner (changing the password, address or username). */
export function CurrentPassword({ form }: { form: FormState }) {
  return (
    <TextInput
      name="current_password"
      type="password"
      label="Current password"
      form={form}
      required
      autocomplete="current-password"
    />
  );
}
