import { definePolicy } from "../core/policy.ts";

/** Tag wranglers (a role an admin grants; `fanfold user grant LOGIN wrangler` for now). */
export const tagPolicy = definePolicy<null, "wrangle">({
  wrangle: (user) => user.roles.has("wrangler") || user.roles.has("admin"),
});
