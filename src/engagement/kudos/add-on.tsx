/** The kudos button and the list of who left kudos, under the text of every reading page. */
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { loadKudosSummary } from "./summary.ts";
import { KudosSection, type KudosAction } from "./views.tsx";

export const kudosAddOn: WorkPageAddOn = {
  async after({ deps, viewer, loaded, req }) {
    const muted = viewer.user?.exclusions.userIds ?? [];
    const summary = await loadKudosSummary(deps.db, loaded.work.id, muted);
    // Drafts are only ever seen by their creators, who can't leave kudos on them.
    const action: KudosAction = loaded.isCreator
      ? "none"
      : viewer.user
        ? "give"
        : deps.config.guestKudos
          ? "give-as-guest"
          : "log-in";
    return (
      <KudosSection workId={loaded.work.id} summary={summary} action={action} returnTo={req.url} />
    );
  },
};
