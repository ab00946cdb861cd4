/** The admin area's SQL: finding accounts, counting admins, confirming an admin's address. */
import { PostgresAdapter, sql } from "kysely";
import type { Queryable } from "../core/db/index.ts";

/** `%`, `_` and the escape itself, taken literally inside a LIKE pattern (ESCAPE '\'). */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const ACCOUNT_COLUMNS = [
  "id",
  "login",
  "email",
  "roles",
  "created_at",
  "email_confirmed_at",
  "suspended_until",
  "banned_at",
] as const;

/** Accounts whose username or e-mail starts with `prefix` (any case); all when it is empty. */
function matching(db: Queryable, prefix: string) {
  let q = db.selectFrom("users");
  const key = prefix.trim().toLowerCase();
  if (key) {
    const pattern = likePrefix(key);
    q = q.where(
      sql<boolean>`(login_key like ${pattern} escape '\\' or lower(email) like ${pattern} escape '\\')`,
    );
  }
  return q;
}

export function searchAccounts(
  db: Queryable,
  args: { prefix: string; limit: number; offset: number },
) {
  return matching(db, args.prefix)
    .select(ACCOUNT_COLUMNS)
    .orderBy("login_key")
    .limit(args.limit)
    .offset(args.offset)
    .execute();
}

export async function countAccounts(db: Queryable, prefix: string): Promise<number> {
  const row = await matching(db, prefix)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type AccountRow = Awaited<ReturnType<typeof searchAccounts>>[number];

/**
 * The ids of the accounts holding `role` (roles are stored space-separated: "admin wrangler").
 * Inside a transaction on PostgreSQL the rows stay locked until it ends, so two admins giving
 * up the role at once cannot both see the other one still holding it (SQLite runs one write
 * transaction at a time anyway).
 */
export async function idsWithRole(db: Queryable, role: string): Promise<number[]> {
  let q = db
    .selectFrom("users")
    .select("id")
    .where(sql<boolean>`(' ' || roles || ' ') like ${`% ${role} %`}`);
  if (db.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  const rows = await q.execute();
  return rows.map((r) => r.id);
}

/** An account made on the command line has a working address by the operator's word. */
export async function markEmailConfirmed(db: Queryable, userId: number, now: number) {
  await db
    .updateTable("users")
    .set({ email_confirmed_at: now })
    .where("id", "=", userId)
    .where("email_confirmed_at", "is", null)
    .execute();
}
