// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { sql, type Kysely } from "kysely";

/**
 * Tag use counts split by who may see the works: `members_count` counts posted works (what a
 * logged-in reader may see, restricted ones included), `public_count` posted unrestricted works
 * (what a guest may see). Drafts count in neither; `taggings_count` still counts every work.
 * Deleting a work never lowered `taggings_count`, so it is recounted too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ["members_count", "public_count"]) {
    await db.schema
      .alterTable("tags")
      .addColumn(column, "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`
    update tags set
      taggings_count = (select count(*) from work_tags wt where wt.tag_id = tags.id),
      members_count = (
        select count(*) from work_tags wt join works w on w.id = wt.work_id
         where wt.tag_id = tags.id and w.posted = 1),
      public_count = (
        select count(*) from work_tags wt join works w on w.id = wt.work_id
         where wt.tag_id = tags.id and w.posted = 1 and w.restricted = 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tags").dropColumn("public_count").execute();
  await db.schema.alterTable("tags").dropColumn("members_count").execute();
}
