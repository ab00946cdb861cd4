// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * E-mail confirmation, password reset, e-mail and username changes (accounts/recovery).
 *
 * `account_tokens`: one-time links mailed to an address. Only the sha256 (hex) of a token is
 * stored, so a copy of the database yields no working link. `new_email` is the address the
 * link was sent to (confirmation, change of address). `login_redirects`: the usernames an
 * account had before, so its old profile addresses still lead to it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("account_tokens")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "varchar(20)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("new_email", "text")
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("used_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("account_tokens_by_user")
    .on("account_tokens")
    .columns(["user_id", "purpose"])
    .execute();
  await db.schema
    .createTable("login_redirects")
    .addColumn("login_key", "varchar(100)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_redirects_by_user")
    .on("login_redirects")
    .column("user_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_redirects").execute();
  await db.schema.dropTable("account_tokens").execute();
}
