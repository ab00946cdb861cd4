/**
 * The SQL of kept import uploads (import_uploads): one row per file a writer uploaded and has
 * not posted yet. The bytes live beside the database, at DATA_DIR/imports/<id> (uploads.ts).
 */
import type { Selectable } from "kysely";
import type { Queryable } from "../core/db/index.ts";
import type { ImportUploadsTable } from "../core/db/schema.ts";

export type ImportUpload = Selectable<ImportUploadsTable>;

export async function insertUpload(db: Queryable, row: ImportUpload): Promise<void> {
  await db.insertInto("import_uploads").values(row).execute();
}

export function findUpload(db: Queryable, id: string): Promise<ImportUpload | undefined> {
  return db.selectFrom("import_uploads").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function deleteUpload(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom("import_uploads").where("id", "=", id).execute();
}

/** A user's uploads other than `newest`, past the `keep` latest of them: the ones to let go. */
export async function uploadsBeyond(
  db: Queryable,
  args: { userId: number; newest: string; keep: number },
) {
  const { userId, newest, keep } = args;
  const rows = await db
    .selectFrom("import_uploads")
    .select("id")
    .where("user_id", "=", userId)
    .where("id", "!=", newest)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .offset(keep)
    .limit(1_000)
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes every upload made before `before`; answers their ids (their files go next). */
export async function deleteUploadsBefore(db: Queryable, before: number): Promise<string[]> {
  const rows = await db
    .deleteFrom("import_uploads")
    .where("created_at", "<", before)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

export async function allUploadIds(db: Queryable): Promise<Set<string>> {
  const rows = await db.selectFrom("import_uploads").select("id").execute();
  return new Set(rows.map((r) => r.id));
}
