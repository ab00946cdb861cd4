/** The kudos button and the list of who left kudos, under the text of every reading page. */
import { siteSettings } from "../../core/settings.ts";
import type { LoadedWork } from "../../works/load.ts";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { blockedOnWork } from "../blocking/policy.ts";
import { kudosRefusal } from "./commands.ts";
import { loadKudosSummary, type KudosSummary } from "./summary.ts";
import { KudosSection, type KudosAction } from "./views.tsx";

const NO_KUDOS: KudosSummary = { count: 0, pieces: [] };

/**
 * The page read the work's counters (works/load.ts: posted works, muted users' kudos left out),
 * and each kudos is counted in its own transaction (counters/queries.ts): none counted, none
 * to list, no need to ask.
 */
const noKudosCounted = (loaded: LoadedWork) =>
  loaded.work.posted === 1 && loaded.view.counts?.kudos === 0;

export const kudosAddOn: WorkPageAddOn = {
  async after({ deps, viewer, loaded, req }) {
    const muted = viewer.user?.exclusions.userIds ?? [];
    const [summary, blocked] = await Promise.all([
      noKudosCounted(loaded) ? NO_KUDOS : loadKudosSummary(deps.db, loaded.work.id, muted),
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
