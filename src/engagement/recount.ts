/** Keeps counters right when the works domain removes counted rows (see recount-queries.ts). */
import type { Db } from "../core/db/index.ts";
import type { JobRunner } from "../core/jobs/runner.ts";
import { recountWork } from "./recount-queries.ts";

export function registerRecounts(jobs: JobRunner, db: Db): void {
  jobs.register("chapter.deleted", async (payload, { now }) => {
    const { workId } = payload as { workId: number };
    await db.transaction().execute((tx) => recountWork(tx, workId, now));
  });
}
