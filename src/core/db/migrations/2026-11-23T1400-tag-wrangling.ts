// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import { sql, type Kysely } from "kysely";

/**
 * Tag wrangling: synonyms point at their canonical tag (merger_id); tag_parents links a tag
 * to its fandoms, a relationship to its characters, a fandom to its medium and a subtag to
 * its metatag; work_filter_tags holds each work's folded tag set that listings filter on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("tags")
    .addColumn("merger_id", "integer", (c) => c.references("tags.id"))
    .execute();
  await db.schema
    .alterTable("tags")
    .addColumn("taggings_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("tags_merger").on("tags").column("merger_id").execute();

  await db.schema
    .createTable("tag_parents")
    .addColumn("child_id", "integer", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addColumn("parent_id", "integer", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("tag_parents_pk", ["child_id", "parent_id"])
    .execute();
  await db.schema
    .createIndex("tag_parents_parent")
    .on("tag_parents")
    .columns(["parent_id", "child_id"])
    .execute();

  await db.schema
    .createTable("work_filter_tags")
    .addColumn("work_id", "integer", (c) => c.notNull().references("works.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("tags.id"))
    .addPrimaryKeyConstraint("work_filter_tags_pk", ["work_id", "tag_id"])
    .execute();
  await db.schema
    .createIndex("work_filter_tags_tag")
    .on("work_filter_tags")
    .columns(["tag_id", "work_id"])
    .execute();

  // Before wrangling every tag folds to itself.
  await sql`insert into work_filter_tags (work_id, tag_id) select work_id, tag_id from work_tags`.execute(
    db,
  );
  await sql`update tags set taggings_count = (select count(*) from work_tags where work_tags.tag_id = tags.id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("work_filter_tags").execute();
  await db.schema.dropTable("tag_parents").execute();
  await db.schema.dropIndex("tags_merger").execute();
  await db.schema.alterTable("tags").dropColumn("taggings_count").execute();
  await db.schema.alterTable("tags").dropColumn("merger_id").execute();
}
