// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { sql, type Kysely } from "kysely";

/**
 * E-mail addresses unique ignoring case: a unique index on `lower(email)` (an expression
 * index, on both engines). Accounts that already share an address are never merged or
 * changed here: the migration stops and lists them, and an administrator decides.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const shared = await sql<{ id: number; login: string; email: string; email_key: string }>`
    select id, login, email, lower(email) as email_key from users
    where lower(email) in (select lower(email) from users group by lower(email) having count(*) > 1)
    order by lower(email), id`.execute(db);
  if (shared.rows.length > 0) {
    const groups = new Map<string, string[]>();
    for (const r of shared.rows) {
      const listed = groups.get(r.email_key) ?? [];
      groups.set(r.email_key, [...listed, `id ${r.id} (${r.login}, ${r.email})`]);
    }
    const lines = [...groups].map(([email, users]) => `  ${email}: ${users.join("; ")}`);
    throw new Error(
      [
        `E-mail addresses must be unique, but ${groups.size} address${groups.size === 1 ? " is" : "es are"} shared by several accounts:`,
        ...lines,
        "Nothing was changed. Give each account an address of its own (for example",
        "UPDATE users SET email = 'new@example.org' WHERE id = 123;) or delete the accounts",
        "that are not wanted, then run `npm run fanfold -- migrate` again.",
      ].join("\n"),
    );
  }
  await db.schema
    .createIndex("users_email_lower")
    .on("users")
    .unique()
    .expression(sql`lower(email)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("users_email_lower").execute();
}
