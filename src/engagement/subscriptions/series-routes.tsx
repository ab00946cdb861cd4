/**
 * Subscribing to a series (issue 15): one toggle at `/series/:id/subscriptions`, and the
 * series page's Subscribe button (a series page add-on, works/series/page-addons.ts).
 */
import type { FastifyInstance } from "fastify";
import { ReturnToInput } from "../../core/http/params.ts";
import { safeReturnTo } from "../../core/http/return-to.ts";
import { redirect, refusalError, route, type AppDeps } from "../../core/http/route.tsx";
import type { SeriesPageAddOn } from "../../works/series/page-addons.ts";
import { SeriesParams, seriesOr404 } from "../series/load.ts";
import { toggleSubscription } from "./commands.ts";
import { followsSeries } from "./series-queries.ts";
import { LogInToSubscribe, SubscribeButton } from "./views.tsx";

const WRITE_LIMIT = { name: "subscriptions", limit: 120, windowMs: 60 * 60_000 };

export const seriesSubscribeAddOn: SeriesPageAddOn = {
  async actions({ deps, req, viewer, series, isCreator }) {
    if (!viewer.user) return [<LogInToSubscribe />];
    // Its creators already know when it gets a new work.
    if (isCreator) return [];
    const follows = await followsSeries(deps.db, viewer.user.id, series.id);
    return [
      <SubscribeButton
        action={`/series/${series.id}/subscriptions`}
        label={follows ? "Unsubscribe" : "Subscribe"}
        returnTo={req.url}
      />,
    ];
  },
};

export function registerSeriesSubscriptionRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId/subscriptions",
    auth: "user",
    limit: WRITE_LIMIT,
    params: SeriesParams,
    body: ReturnToInput,
    handler: async ({ deps, viewer, user, params, body }) => {
      // A series whose works are all hidden from the reader does not exist for them.
      const { series, isCreator } = await seriesOr404(deps, viewer, params.seriesId);
      const result = await toggleSubscription(deps.db, {
        userId: user.id,
        followed: { type: "series", id: series.id, isCreator },
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        safeReturnTo(body.return_to, `/series/${series.id}`),
        result.value === "subscribed"
          ? `You are now subscribed to ${series.title}: you'll be notified of new works in it.`
          : `You have unsubscribed from ${series.title}.`,
      );
    },
  });
}
