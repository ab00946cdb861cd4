/** What the gift and related-work notices (gifts.ts) look up in the inbox. */
import type { Queryable } from "../../core/db/index.ts";
import type { NotificationKind } from "../../core/db/schema.ts";

/**
 * Of `userIds`, those told already of this kind about this work at this address: a job can
 * run twice, and a work is announced both when given and when first seen.
 */
export async function toldAlready(
  db: Queryable,
  n: { kind: NotificationKind; workId: number; url: string },
  userIds: readonly number[],
): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("notifications")
    .select("user_id")
    .where("kind", "=", n.kind)
    .where("work_id", "=", n.workId)
    .where("url", "=", n.url)
    .where("user_id", "in", userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
