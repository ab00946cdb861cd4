// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { PostgresAdapter, type Kysely } from "kysely";

/**
 * Sign-up by invitation (accounts/invitations, issue 13): the queue of people asking for an
 * invitation, the invitations themselves (only a hash of each code is kept, as with sessions),
 * and each account's allowance of invitations to share.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  const id = pg ? "bigserial" : "integer";
  await db.schema
    .alterTable("users")
    .addColumn("invitations_left", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("invitation_requests")
    .addColumn("id", id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("email", "text", (c) => c.notNull())
    // The address folded (trimmed, lower case): one place in the queue per address.
    .addColumn("email_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("invited_at", time)
    .execute();
  // The queue: requests not yet invited, oldest first.
  await db.schema
    .createIndex("invitation_requests_queue")
    .on("invitation_requests")
    .columns(["invited_at", "id"])
    .execute();
  await db.schema
    .createTable("invitations")
    .addColumn("id", id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("creator_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("sent_to_email", "text")
    .addColumn("used_by_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("used_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("expires_at", time)
    .execute();
  await db.schema
    .createIndex("invitations_by_creator")
    .on("invitations")
    .columns(["creator_user_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("invitations").execute();
  await db.schema.dropTable("invitation_requests").execute();
  await db.schema.alterTable("users").dropColumn("invitations_left").execute();
}
