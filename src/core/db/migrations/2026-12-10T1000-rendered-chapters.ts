// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/**
 * A chapter's text as reading pages show it (issue 16): sanitized, with paragraph ids for
 * its position, rendered once when the chapter is saved or moved rather than on every view.
 * Null means "not rendered yet": rows written before this migration, and bulk imports that
 * leave it to the first view, which renders it and writes it back once. Migrations import
 * nothing from the app, so this one cannot render (and at a million chapters should not).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("chapters").addColumn("rendered_html", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("chapters").dropColumn("rendered_html").execute();
}
