/** The reading page's Subscribe buttons: the work, and each of its creators. */
import type { ComponentChildren } from "preact";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { viewerStateOf } from "../work-page/state.ts";
import { LogInToSubscribe, SubscribeButton } from "./views.tsx";

export const subscriptionsAddOn: WorkPageAddOn = {
  async actions(ctx) {
    const { req, viewer, loaded } = ctx;
    const user = viewer.user;
    if (!user) return [<LogInToSubscribe />];
    const workId = loaded.work.id;
    // Each creator once, even when credited under several pseuds; none for an anonymous work,
    // whose creators the page must not name (issue 15).
    const credited = loaded.work.in_anon_collection ? [] : loaded.creators;
    const authors = [...new Map(credited.map((c) => [c.userId, c.login]))].filter(
      ([id]) => id !== user.id,
    );
    const state = await viewerStateOf(ctx, user);
    const items: ComponentChildren[] = [];
    const returnTo = req.url;
    if (!loaded.isCreator) {
      items.push(
        <SubscribeButton
          action={`/works/${workId}/subscriptions`}
          label={state.subscribedToWork ? "Unsubscribe" : "Subscribe"}
          returnTo={returnTo}
        />,
      );
    }
    for (const [id, login] of authors) {
      items.push(
        <SubscribeButton
          action={`/users/${login}/subscriptions`}
          label={
            state.subscribedCreators.has(id) ? `Unsubscribe from ${login}` : `Subscribe to ${login}`
          }
          returnTo={returnTo}
        />,
      );
    }
    return items;
  },
};
