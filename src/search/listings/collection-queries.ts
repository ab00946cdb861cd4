/**
 * The candidates of a collection's works listing (issue 15): works whose item is approved on
 * both sides, in the collection or, for a parent, in any of its subcollections. What the
 * viewer may see of them is the catalog's business (works/visibility.ts rules), as for every
 * other scope. Search reads the tables here rather than importing collections/, which sits
 * above it.
 */
import type { Queryable } from "../../core/db/index.ts";

export async function collectionWorkIds(db: Queryable, collectionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("collection_items")
    .select("collection_items.work_id")
    .distinct()
    .where((eb) =>
      eb.or([
        eb("collection_items.collection_id", "=", collectionId),
        eb(
          "collection_items.collection_id",
          "in",
          eb
            .selectFrom("collections")
            .select("collections.id")
            .where("parent_id", "=", collectionId),
        ),
      ]),
    )
    .where("collection_items.collection_approval", "=", "approved")
    .where("collection_items.creator_approval", "=", "approved")
    .execute();
  return rows.map((r) => r.work_id);
}
