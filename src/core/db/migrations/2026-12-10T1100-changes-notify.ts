// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * On PostgreSQL, every transaction that appends to the change log notifies the channel
 * `fanfold_changes` when it commits (one notice per transaction: PostgreSQL folds equal
 * ones), so a follower listening there knows the log is unchanged without reading it.
 * SQLite has no notices: its followers read the log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create function fanfold_changes_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('fanfold_changes', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger changes_notify after insert on changes
    for each statement execute function fanfold_changes_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger changes_notify on changes`.execute(db);
  await sql`drop function fanfold_changes_notify()`.execute(db);
}
