import { z } from "zod";
import { returnToField, ReturnToInput } from "../core/http/params.ts";
import { limits } from "../core/limits.ts";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

export const loginKey = (login: string) => login.toLowerCase();
/** E-mail addresses are stored and compared in lower case. */
export const emailKey = (email: string) => email.trim().toLowerCase();

export const Username = z
  .string()
  .trim()
  .min(limits.username.min, `Username must be at least ${limits.username.min} characters.`)
  .max(limits.username.max, `Username must be at most ${limits.username.max} characters.`)
  .regex(/^[A-Za-z0-9_]+$/, "Username may contain only letters, digits and underscores.");

export const Password = z
  .string()
  .min(limits.password.min, `Password must be at least ${limits.password.min} characters.`)
  .max(limits.password.max, `Password must be at most ${limits.password.max} characters.`)
  .refine(
    (p) => !COMMON_PASSWORDS.has(p.toLowerCase()),
    "That password is too common; choose another.",
  );

export const SignupInput = z
  .object({
    login: Username,
    email: z
      .string()
      .trim()
      .max(limits.email.max, "Email is too long.")
      .pipe(z.email("Enter a valid email address.")),
    password: Password,
    password_confirmation: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.password_confirmation) {
      ctx.addIssue({
        code: "custom",
        path: ["password_confirmation"],
        message: "The passwords don't match.",
      });
    }
    if (
      v.password.toLowerCase() === v.login.toLowerCase() ||
      v.password.toLowerCase() === v.email.toLowerCase()
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "Your password can't be your username or email.",
      });
    }
  });
export type SignupInput = z.infer<typeof SignupInput>;

export const LoginInput = z.object({
  login: z.string().trim().min(1, "Enter your username or email.").max(limits.email.max),
  password: z.string().min(1, "Enter your password.").max(limits.password.max),
  remember_me: z.string().optional(),
  return_to: returnToField,
});
export type LoginInput = z.infer<typeof LoginInput>;

export const ChangePasswordInput = z
  .object({
    current_password: z.string().min(1, "Enter your current password.").max(limits.password.max),
    password: Password,
    password_confirmation: z.string(),
  })
  .refine((v) => v.password === v.password_confirmation, {
    path: ["password_confirmation"],
    message: "The passwords don't match.",
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const PseudName = z
  .string()
  .trim()
  .min(limits.pseudName.min, "Enter a name.")
  .max(limits.pseudName.max, `Pseud names are at most ${limits.pseudName.max} characters.`)
  .regex(/^[\p{L}\p{N}_ -]+$/u, "Pseud names may contain letters, digits, spaces, _ and -.")
  .refine((n) => /[\p{L}\p{N}]/u.test(n), "Pseud names need at least one letter or digit.");

export const PseudInput = z.object({
  name: PseudName,
  description: z.string().max(500, "Descriptions are at most 500 characters.").default(""),
});

export const PreferencesInput = z.object({
  view_adult: z.string().optional(),
});

export const LoginParams = z.object({ login: z.string().max(100) });
/** Checked by core/http/return-to.ts wherever it is used. */
export const ReturnToQuery = ReturnToInput;
