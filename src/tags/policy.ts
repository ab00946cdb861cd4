import { may } from "../core/permissions.ts";
import { definePolicy } from "../core/policy.ts";

/** Tag wranglers (a role an admin grants in /admin or with `fanfold user grant LOGIN wrangler`). */
export const tagPolicy = definePolicy<null, "wrangle">({
  wrangle: (user) => may(user, "tags.wrangle"),
});
