import { z } from "zod";
import { limits } from "../../core/limits.ts";
import { Password, Username } from "../schemas.ts";

/** Tokens are 32 random bytes in base64url (43 characters); anything else is no token. */
const token = z
  .string()
  .trim()
  .max(100, "That link is not valid.")
  .regex(/^[A-Za-z0-9_-]*$/, "That link is not valid.");

const Email = z
  .string()
  .trim()
  .max(limits.email.max, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

const currentPassword = z.string().min(1, "Enter your current password.").max(limits.password.max);

/** "Forgot your password?": a username or an e-mail address. */
export const ForgotPasswordInput = z.object({
  login: z.string().trim().min(1, "Enter your username or email.").max(limits.email.max),
});

/** The reset page's address: `?reset_password_token=…` as Devise (and AO3) write it. */
export const ResetPageQuery = z.object({ reset_password_token: token.optional() });

export const ResetPasswordInput = z
  .object({
    reset_password_token: token.min(1, "That link is not valid."),
    password: Password,
    password_confirmation: z.string(),
  })
  .refine((v) => v.password === v.password_confirmation, {
    path: ["password_confirmation"],
    message: "The passwords don't match.",
  });
export type ResetPasswordInput = z.infer<typeof ResetPasswordInput>;

export const ConfirmEmailQuery = z.object({ token: token.optional() });

export const ChangeEmailInput = z.object({
  email: Email,
  current_password: currentPassword,
});
export type ChangeEmailInput = z.infer<typeof ChangeEmailInput>;

export const ChangeUsernameInput = z.object({
  login: Username,
  current_password: currentPassword,
});
export type ChangeUsernameInput = z.infer<typeof ChangeUsernameInput>;
