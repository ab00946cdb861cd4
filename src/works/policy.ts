import { definePolicy } from "../core/policy.ts";

/** A work's creators may change it; co-creators and admins join with community operations. */
export const workPolicy = definePolicy<{ creatorUserIds: readonly number[] }, "edit" | "delete">({
  edit: (user, work) => work.creatorUserIds.includes(user.id),
  delete: (user, work) => work.creatorUserIds.includes(user.id),
});
