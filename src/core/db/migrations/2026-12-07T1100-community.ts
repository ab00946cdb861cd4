// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Running a community (issue 13), the parts every later piece shares: account states (e-mail
 * confirmed, suspended, banned, terms accepted), moderators' hiding of works, comments and
 * bookmarks, the audit log and the site settings. Each piece's own tables (tokens, exports,
 * invitations, reports) come in migrations of their own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  for (const column of ["email_confirmed_at", "suspended_until", "banned_at", "terms_accepted_at"])
    await db.schema.alterTable("users").addColumn(column, time).execute();
  // Accounts from before e-mail confirmation existed keep working as confirmed.
  await db.updateTable("users").set({ email_confirmed_at: Date.now() }).execute();
  for (const table of ["works", "comments", "bookmarks"]) {
    await db.schema.alterTable(table).addColumn("hidden_reason", "text").execute();
    await db.schema.alterTable(table).addColumn("hidden_at", time).execute();
  }
  await db.schema
    .createTable("audit_log")
    .addColumn("id", pg ? "bigserial" : "integer", (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("actor_user_id", "integer")
    .addColumn("actor_login", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer")
    .addColumn("subject_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_log_by_subject")
    .on("audit_log")
    .columns(["subject_type", "subject_id", "id"])
    .execute();
  await db.schema
    .createTable("site_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value_json", "text", (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("site_settings").execute();
  await db.schema.dropTable("audit_log").execute();
  for (const table of ["works", "comments", "bookmarks"]) {
    await db.schema.alterTable(table).dropColumn("hidden_at").execute();
    await db.schema.alterTable(table).dropColumn("hidden_reason").execute();
  }
  for (const column of ["terms_accepted_at", "banned_at", "suspended_until", "email_confirmed_at"])
    await db.schema.alterTable("users").dropColumn(column).execute();
}
