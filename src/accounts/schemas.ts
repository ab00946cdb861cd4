import { z } from "zod";
import { returnToField } from "../core/http/params.ts";
import { limits } from "../core/limits.ts";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

export const loginKey = (login: string) => login.toLowerCase();
/** E-mail addresses are stored and compared in lower case. */
export const emailKey = (email: string) => email.trim().toLowerCase();

/** `/users/login` and `/users/logout` are pages of their own, as on AO3: no account may own them. */
const RESERVED_USERNAMES = new Set(["login", "logout"]);

export const Username = z
  .string()
  .trim()
  .min(limits.username.min, `Username must be at least ${limits.username.min} characters.`)
  .max(limits.username.max, `Username must be at most ${limits.username.max} characters.`)
  .regex(/^[A-Za-z0-9_]+$/, "Username may contain only letters, digits and underscores.")
  .refine(
    (n) => !RESERVED_USERNAMES.has(n.toLowerCase()),
    "That username is reserved. Please choose another.",
  );

export const Password = z
  .string()
  .min(limits.password.min, `Password must be at least ${limits.password.min} characters.`)
  .max(limits.password.max, `Password must be at most ${limits.password.max} characters.`)
  .refine(
    (p) => !COMMON_PASSWORDS.has(p.toLowerCase()),
    "That password is too common; choose another.",
  );

const TERMS_NOT_ACCEPTED =
  "Please confirm that you accept the Terms of Service and are old enough to join.";

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
    /** The box "I have read and accept the Terms of Service … at least N years old". */
    terms_of_service: z
      .string({ error: TERMS_NOT_ACCEPTED })
      .max(10, TERMS_NOT_ACCEPTED)
      .refine((v) => ["1", "on", "true", "yes"].includes(v.toLowerCase()), TERMS_NOT_ACCEPTED),
    /** The invitation code, when sign-up is by invitation (accounts/invitations). */
    invitation: z.string().trim().max(200, "That invitation code is not valid.").optional(),
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

const OFF = new Set(["", "0", "false", "off"]);

/** A yes/no parameter as Rails reads it: present and not "0", "false", "off" or empty. */
const flag = (value: string | undefined) => value !== undefined && !OFF.has(value.toLowerCase());

/**
 * A check box as Rails forms send it: a hidden "0" before the box's "1", so a ticked box sends
 * both and the last one counts. Fanfold's own box sends "1" or nothing.
 */
const checkbox = z
  .union([z.string().max(10), z.array(z.string().max(10)).max(5)])
  .optional()
  .transform((v) => flag(Array.isArray(v) ? v.at(-1) : v));

const loginName = z.string().trim().min(1, "Enter your username or email.").max(limits.email.max);
const loginPassword = z.string().min(1, "Enter your password.").max(limits.password.max);

/** Fanfold's log-in form (`POST /login`). `remember_me`: a 30-day session instead of 2 days. */
export const LoginInput = z.object({
  login: loginName,
  password: loginPassword,
  remember_me: checkbox,
  return_to: returnToField,
});
export type LoginInput = z.output<typeof LoginInput>;

/**
 * AO3's log-in form (`POST /users/login`), as Devise names it and as tools written for AO3
 * send it: `user[login]`, `user[password]`, `user[remember_me]`, plus `authenticity_token`
 * (checked with every CSRF token) and `commit`/`utf8` (ignored). `fromAo3Login` reads it into
 * LoginInput's shape, so both forms go through one log-in.
 */
export const Ao3LoginInput = z.object({
  "user[login]": loginName,
  "user[password]": loginPassword,
  "user[remember_me]": checkbox,
  return_to: returnToField,
});

export const fromAo3Login = (v: z.output<typeof Ao3LoginInput>): LoginInput => ({
  login: v["user[login]"],
  password: v["user[password]"],
  remember_me: v["user[remember_me]"],
  return_to: v.return_to,
});

/**
 * The log-in page (`/login`, and `/users/login` as on AO3). `restricted=true` is where a
 * registered-users-only work sends a guest; `return_to` is where they land after logging in.
 */
export const LoginPageQuery = z.object({
  return_to: returnToField,
  restricted: z.string().max(10).optional(),
});
export const isRestrictedNotice = (query: { restricted?: string | undefined }) =>
  flag(query.restricted);

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
  /** "Turn on History" (a checkbox: absent means off). */
  history_enabled: z.string().optional(),
  /** Others may invite me as a co-creator; others may give me gifts (issue 15). */
  allow_cocreator: z.string().optional(),
  allow_gifts: z.string().optional(),
});

export const LoginParams = z.object({ login: z.string().max(100) });
