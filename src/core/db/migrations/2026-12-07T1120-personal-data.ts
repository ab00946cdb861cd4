// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/** Data exports and closing accounts (personal-data/). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
