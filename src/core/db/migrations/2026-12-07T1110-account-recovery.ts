// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/** E-mail confirmation, password reset, e-mail and username changes (accounts/recovery). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
