// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/** Sign-up by invitation (accounts/invitations). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
