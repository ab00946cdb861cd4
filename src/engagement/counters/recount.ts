/**
 * Follows deletions in the works domain: counters of a work that lost a chapter (and the
 * chapter's comments) are counted again; subscriptions to a deleted work go, its bookmarks
 * stay and are told what the work was.
 */
import type { Db } from "../../core/db/index.ts";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { keepBookmarksOf } from "../bookmarks/commands.ts";
import { recountWork } from "./queries.ts";
import { deleteSubscriptionsTo } from "../subscriptions/queries.ts";

export function registerRecounts(jobs: JobRunner, db: Db): void {
  jobs.register("chapter.deleted", async ({ workId }, { now }) => {
    await db.transaction().execute((tx) => recountWork(tx, workId, now));
  });
  jobs.register("work.deleted", async (work) => {
    await deleteSubscriptionsTo(db, { type: "work", id: work.workId });
    await keepBookmarksOf(db, work);
  });
}
