/** The kudos button and the list of who left kudos, under the text of every reading page. */
import { siteSettings } from "../../core/settings.ts";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { blockedOnWork } from "../blocking/policy.ts";
import { kudosRefusal } from "./commands.ts";
import { loadKudosSummary } from "./summary.ts";
import { KudosSection, type KudosAction } from "./views.tsx";

export const kudosAddOn: WorkPageAddOn = {
  async after({ deps, viewer, loaded, req }) {
    const muted = viewer.user?.exclusions.userIds ?? [];
    const [summary, blocked] = await Promise.all([
      loadKudosSummary(deps.db, loaded.work.id, muted),
      blockedOnWork(deps.db, loaded, viewer.user),
    ]);
    // The route asks the same question: no button for creators (drafts included) or for
    // readers a creator blocked; guests are asked to log in when guest kudos are off.
    const settings = await siteSettings(deps.db, deps.config, deps.now());
    const refusal = kudosRefusal(settings, { user: viewer.user, loaded, blocked });
    const action: KudosAction =
      refusal === null
        ? viewer.user
          ? "give"
          : "give-as-guest"
        : refusal.reason === "guests-off"
          ? "log-in"
          : "none";
    return (
      <KudosSection workId={loaded.work.id} summary={summary} action={action} returnTo={req.url} />
    );
  },
};
