// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";

/**
 * The archive's identity: one row holding a random id, made when the database is first
 * migrated and kept by every backup and restore of it. Files kept beside a database (the
 * search-index cache) name it, so they are never taken for another archive's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("archive")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.insertInto("archive").values({ id: randomUUID(), created_at: Date.now() }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("archive").execute();
}
