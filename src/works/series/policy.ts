import { definePolicy } from "../../core/policy.ts";

/**
 * A series' creators change it, delete it and add works to it (issue 15): a work's creators
 * alone may not put it in someone else's series, though they may always take it out.
 */
export const seriesPolicy = definePolicy<
  { creatorUserIds: readonly number[] },
  "edit" | "delete" | "add-work"
>({
  edit: (user, series) => series.creatorUserIds.includes(user.id),
  delete: (user, series) => series.creatorUserIds.includes(user.id),
  "add-work": (user, series) => series.creatorUserIds.includes(user.id),
});
