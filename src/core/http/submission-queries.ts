/** The form_submissions table's queries (see submissions.ts). */
import type { Queryable } from "../db/index.ts";
import type { FormSubmissionsTable } from "../db/schema.ts";

export type SubmissionRow = Pick<FormSubmissionsTable, "state" | "status" | "location">;

/** Claims `key` as pending; false when a row for it exists already (atomic on both engines). */
export async function insertPending(db: Queryable, key: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto("form_submissions")
    .values({ key, state: "pending", created_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

export async function findSubmission(
  db: Queryable,
  key: string,
): Promise<SubmissionRow | undefined> {
  return db
    .selectFrom("form_submissions")
    .select(["state", "status", "location"])
    .where("key", "=", key)
    .executeTakeFirst();
}

export async function markDone(
  db: Queryable,
  key: string,
  status: number,
  location: string | null,
): Promise<void> {
  await db
    .updateTable("form_submissions")
    .set({ state: "done", status, location })
    .where("key", "=", key)
    .execute();
}

/** Frees a pending key (its request failed), so the same form can be sent again. */
export async function deletePending(db: Queryable, key: string): Promise<void> {
  await db
    .deleteFrom("form_submissions")
    .where("key", "=", key)
    .where("state", "=", "pending")
    .execute();
}

export async function pruneSubmissions(db: Queryable, before: number): Promise<void> {
  await db.deleteFrom("form_submissions").where("created_at", "<", before).execute();
}
