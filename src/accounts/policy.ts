import { definePolicy } from "../core/policy.ts";

/** Account settings belong to their owner alone (admins come with community operations). */
export const accountPolicy = definePolicy<{ userId: number }, "manage">({
  manage: (user, account) => user.id === account.userId,
});
