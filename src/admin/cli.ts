/**
 * The command line's staff commands (src/cli.ts calls these): `create-admin` makes the first
 * admin (a fresh archive has none: nothing is created silently at start-up) and
 * `user grant|revoke` changes one role. Both go through admin/commands.ts, so the audit log
 * records them, with the command line as the actor.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashPassword, type HashCost } from "../accounts/passwords.ts";
import { findUserByLogin } from "../accounts/queries.ts";
import { Password, Username } from "../accounts/schemas.ts";
import type { Db } from "../core/db/index.ts";
import { isRole, ROLES } from "../core/permissions.ts";
import { refusalMessage } from "../core/result.ts";
import { changeUserRole, createAdmin } from "./commands.ts";

/** What a command printed, and its exit status (2: refused). */
export interface CliOutcome {
  status: 0 | 2;
  out: string[];
}

const done = (...out: string[]): CliOutcome => ({ status: 0, out });
const refused = (...out: string[]): CliOutcome => ({ status: 2, out });

export const CREATE_ADMIN_USAGE =
  "usage: create-admin LOGIN EMAIL [--password-stdin] | create-admin LOGIN --existing";

const Email = z.string().trim().max(254).pipe(z.email());

/** A strong password, shown once: 24 characters from 18 random bytes (144 bits). */
const generatedPassword = () => randomBytes(18).toString("base64url");

export async function createAdminCommand(
  db: Db,
  args: string[],
  opts: { hashCost: HashCost; now: number; readStdin: () => Promise<string> },
): Promise<CliOutcome> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { existing: { type: "boolean" }, "password-stdin": { type: "boolean" } },
  });
  const [login, email] = positionals;
  if (!login) return refused(CREATE_ADMIN_USAGE);

  if (values.existing) {
    const user = await findUserByLogin(db, login);
    if (!user) return refused(`No account is named "${login}".`);
    const result = await createAdmin(db, { existing: true, userId: user.id, now: opts.now });
    if (!result.ok) return refused(refusalMessage(result));
    return done(`${result.value.login} is an admin (roles: ${result.value.after.join(", ")}).`);
  }

  if (!email || positionals.length > 2) return refused(CREATE_ADMIN_USAGE);
  const name = Username.safeParse(login);
  if (!name.success) return refused(name.error.issues[0]?.message ?? "That username is not valid.");
  const address = Email.safeParse(email);
  if (!address.success) return refused(`"${email}" is not an e-mail address.`);
  let password = generatedPassword();
  if (values["password-stdin"]) {
    // The first line only, so `echo pw |` and a file with a final newline both work.
    password = (await opts.readStdin()).split(/\r?\n/)[0] ?? "";
    const checked = Password.safeParse(password);
    if (!checked.success)
      return refused(checked.error.issues[0]?.message ?? "That password is not allowed.");
  }
  const result = await createAdmin(db, {
    existing: false,
    login: name.data,
    email: address.data,
    passwordHash: await hashPassword(password, opts.hashCost),
    now: opts.now,
  });
  if (!result.ok) return refused(refusalMessage(result));
  const lines = [`Created the admin account ${result.value.login} (${address.data}).`];
  if (!values["password-stdin"])
    lines.push(
      `Its password, shown only this once: ${password}`,
      "Log in and change it under Preferences.",
    );
  return done(...lines);
}

export async function userRoleCommand(
  db: Db,
  args: string[],
  opts: { now: number },
): Promise<CliOutcome> {
  const [action, login, role] = args;
  if ((action !== "grant" && action !== "revoke") || !login || !role || args.length > 3)
    return refused("usage: user grant|revoke LOGIN ROLE");
  if (!isRole(role)) return refused(`Unknown role "${role}"; roles are ${ROLES.join(", ")}.`);
  const user = await findUserByLogin(db, login);
  if (!user) return refused(`No account is named "${login}".`);
  const result = await changeUserRole(db, {
    actor: null,
    userId: user.id,
    role,
    grant: action === "grant",
    now: opts.now,
  });
  if (!result.ok) return refused(refusalMessage(result));
  return done(`${result.value.login} now has roles: ${result.value.after.join(", ") || "(none)"}`);
}

/** All of standard input, as text (for --password-stdin). */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
