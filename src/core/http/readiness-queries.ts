/** What /readyz reads from the database (readiness.ts). */
import { sql } from "kysely";
import type { Db } from "../db/index.ts";

/** The migrations Kysely recorded as applied; throws when its table does not exist. */
export async function appliedMigrations(db: Db): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}
