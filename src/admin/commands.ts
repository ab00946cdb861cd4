/**
 * Staff roles: granting and revoking them (from /admin and `fanfold user grant|revoke`) and
 * making an admin from the command line (`fanfold create-admin`). Each is one transaction that
 * records what it changed in the audit log; the actor is null on the command line.
 */
import { findUserById, insertPseud, insertUserUnlessTaken, setRoles } from "../accounts/queries.ts";
import { recordAudit } from "../core/audit-queries.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import { isRole, ROLES, type Role } from "../core/permissions.ts";
import { inTransaction, ok, refuse, type Result } from "../core/result.ts";
import { idsWithRole, markEmailConfirmed } from "./queries.ts";

/** Who acted: a signed-in admin, or null for the command line. */
export type Actor = { id: number; login: string } | null;

export interface RoleChange {
  login: string;
  before: Role[];
  after: Role[];
}

/** The stored role names, known ones only, in the table's order. */
export const rolesOf = (stored: string): Role[] => {
  const names = new Set(stored.split(" "));
  return ROLES.filter((r) => names.has(r));
};

const ordered = (roles: Iterable<string>): Role[] => {
  const names = new Set(roles);
  return ROLES.filter((r) => names.has(r));
};

/**
 * Gives the account exactly `roles`. The archive keeps at least one admin: the last one cannot
 * give the role up (nor lose it from the command line), or nobody could grant it again short
 * of `fanfold create-admin`.
 */
export async function setUserRoles(
  db: Db,
  args: { actor: Actor; userId: number; roles: readonly Role[]; now: number },
): Promise<Result<RoleChange>> {
  return inTransaction(db, (tx) => applyRoles(tx, args));
}

async function applyRoles(
  tx: Queryable,
  args: { actor: Actor; userId: number; roles: readonly string[]; now: number },
): Promise<Result<RoleChange>> {
  const { actor, userId, now } = args;
  const unknown = args.roles.filter((r) => !isRole(r));
  if (unknown.length)
    return refuse(422, `Unknown role "${unknown[0]}"; roles are ${ROLES.join(", ")}.`, "roles");
  const user = await findUserById(tx, userId);
  if (!user) return refuse(404, "There is no such account.");
  const before = rolesOf(user.roles);
  const after = ordered(args.roles);
  const granted = after.filter((r) => !before.includes(r));
  const revoked = before.filter((r) => !after.includes(r));
  if (revoked.includes("admin")) {
    const admins = await idsWithRole(tx, "admin");
    if (admins.every((id) => id === userId))
      return refuse(
        409,
        actor?.id === userId
          ? "You are the archive's only admin, so you cannot give up the role: make someone else an admin first."
          : `${user.login} is the archive's only admin: make someone else an admin first.`,
        "roles",
      );
  }
  if (granted.length === 0 && revoked.length === 0) return ok({ login: user.login, before, after });
  // Unknown names stored by older versions are dropped with the first change.
  await setRoles(tx, userId, after);
  // One entry per role, each stepping from the roles before it to the roles after it, so
  // every entry's before and after differ by exactly the role it names.
  const subject = { type: "user", id: userId, label: user.login };
  let current = before;
  const steps = [
    ...granted.map((role) => ["role.grant", role] as const),
    ...revoked.map((role) => ["role.revoke", role] as const),
  ];
  for (const [action, role] of steps) {
    const next =
      action === "role.grant" ? ordered([...current, role]) : current.filter((r) => r !== role);
    await recordAudit(tx, {
      actor,
      action,
      subject,
      before: { roles: current },
      after: { roles: next },
      now,
    });
    current = next;
  }
  return ok({ login: user.login, before, after });
}

/** Adds or removes one role, keeping the others (the command line's `user grant|revoke`). */
export async function changeUserRole(
  db: Db,
  args: { actor: Actor; userId: number; role: Role; grant: boolean; now: number },
): Promise<Result<RoleChange>> {
  return inTransaction(db, async (tx) => {
    const user = await findUserById(tx, args.userId);
    if (!user) return refuse(404, "There is no such account.");
    const roles = new Set(rolesOf(user.roles));
    if (args.grant) roles.add(args.role);
    else roles.delete(args.role);
    return applyRoles(tx, { ...args, roles: [...roles] });
  });
}

/**
 * `fanfold create-admin`: a new account (with its default pseud, its address taken as
 * confirmed) holding the admin role, or, with `existing`, the admin role for an account that
 * is already there. The password hash is made by the caller (it is slow; no lock needed).
 */
export async function createAdmin(
  db: Db,
  args:
    | { existing: false; login: string; email: string; passwordHash: string; now: number }
    | { existing: true; userId: number; now: number },
): Promise<Result<RoleChange & { userId: number }>> {
  const { now } = args;
  return inTransaction(db, async (tx) => {
    let userId: number;
    if (args.existing) {
      userId = args.userId;
    } else {
      const { login, email, passwordHash } = args;
      const id = await insertUserUnlessTaken(tx, { login, email, passwordHash, now });
      if (id === undefined)
        return refuse(
          409,
          `The username "${login}" or the address ${email} is taken. To make an existing account an admin, add --existing.`,
        );
      userId = id;
      await insertPseud(tx, { userId, name: login, isDefault: true, now });
      await markEmailConfirmed(tx, userId, now);
    }
    const user = await findUserById(tx, userId);
    if (!user) return refuse(404, "There is no such account.");
    const change = await applyRoles(tx, {
      actor: null,
      userId,
      roles: [...rolesOf(user.roles), "admin"],
      now,
    });
    return change.ok ? ok({ ...change.value, userId }) : change;
  });
}
