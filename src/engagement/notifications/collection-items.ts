/**
 * Collection news reaches inboxes (issue 15, kind "collection"): collections/ queues
 * `collection.item` in the transaction that changed an item (it may not import engagement),
 * and this handler writes the notifications. A submission waiting for approval goes to the
 * collection's owners and moderators; an approval, a rejection or a moderator's invitation
 * goes to the work's creators. No notice names an anonymous work's creators to anyone.
 */
import { maintainerIdsOf, findCollectionById, findItem } from "../../collections/queries.ts";
import type { Db } from "../../core/db/index.ts";
import type { JobPayload } from "../../core/jobs/kinds.ts";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { creatorsOfWorks, findWork } from "../../works/queries.ts";
import { notify } from "./notify.ts";

type ItemNotice = JobPayload<"collection.item">;

/** Writes the notifications; nothing when the item (or its work) is gone before the job ran. */
export async function noticeCollectionItem(db: Db, notice: ItemNotice, now: number) {
  const { collectionId, workId, event } = notice;
  await db.transaction().execute(async (tx) => {
    const [collection, work, item] = await Promise.all([
      findCollectionById(tx, collectionId),
      findWork(tx, workId),
      findItem(tx, collectionId, workId),
    ]);
    if (!collection || !work || !item) return;
    const base = `/collections/${collection.name}`;
    const common = { kind: "collection" as const, workId };
    if (event === "submitted") {
      for (const userId of await maintainerIdsOf(tx, collectionId)) {
        await notify(
          tx,
          {
            ...common,
            userId,
            text: `“${work.title}” was submitted to ${collection.title} and is waiting for approval.`,
            url: `${base}/items?status=pending`,
          },
          now,
        );
      }
      return;
    }
    const creators = (await creatorsOfWorks(tx, [workId])).get(workId) ?? [];
    const told = new Set<number>();
    for (const creator of creators) {
      if (told.has(creator.userId)) continue;
      told.add(creator.userId);
      const items = `/users/${creator.login}/collection_items`;
      const [text, url] =
        event === "approved"
          ? [`Your work “${work.title}” was approved for the collection ${collection.title}.`, base]
          : event === "rejected"
            ? [
                `Your work “${work.title}” was not accepted into the collection ${collection.title}.`,
                items,
              ]
            : [
                `${collection.title} invites your work “${work.title}” to the collection. Accept or decline on your collections page.`,
                items,
              ];
      await notify(tx, { ...common, userId: creator.userId, text, url }, now);
    }
  });
}

export function registerCollectionItemNotices(jobs: JobRunner, db: Db) {
  jobs.register("collection.item", async (payload, { now }) => {
    await noticeCollectionItem(db, payload, now);
  });
}
