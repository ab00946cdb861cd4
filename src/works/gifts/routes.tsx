/**
 * Gifts pages (issue 15), at AO3's addresses: `/users/:login/gifts`, `/users/:login/pseuds/
 * :pseud/gifts`, and refusing one (`/gifts/:id/refuse`, a confirmation then a POST).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountOr404, pseudOr404 } from "../../accounts/lookup.ts";
import { forbidden, notFound } from "../../core/http/errors.ts";
import { PageQuery, recordId } from "../../core/http/params.ts";
import { redirect, refusalError, route, type AppDeps } from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { page } from "../../core/views/render.tsx";
import type { Viewer } from "../../core/viewer.ts";
import { loadWork } from "../load.ts";
import { presentWorks } from "../present.ts";
import type { ListingPage } from "../views/listing.tsx";
import { refuseGift } from "./commands.ts";
import { pseudLabel } from "./present.ts";
import { findGift, giftedWorks, giftsTo, type GiftScope } from "./queries.ts";
import { GiftsView, RefuseGiftView, type OwnGift } from "./views.tsx";

const UserParams = z.object({ login: z.string().max(100) });
const PseudParams = UserParams.extend({ pseud: z.string().max(200) });
const GiftParams = z.object({ giftId: recordId("gift") });

async function giftsListing(
  deps: AppDeps,
  viewer: Viewer,
  scope: GiftScope,
  ownerId: number,
  pageNumber: number,
): Promise<{ listing: ListingPage; own: Map<number, OwnGift[]> | null }> {
  const size = limits.pageSize;
  const { works, total } = await giftedWorks(deps.db, viewer, scope, { number: pageNumber, size });
  const mine = viewer.user?.id === ownerId;
  const [views, own] = await Promise.all([
    presentWorks(deps.db, viewer, works, deps.workCounts),
    mine
      ? giftsTo(
          deps.db,
          ownerId,
          works.map((w) => w.id),
        )
      : null,
  ]);
  // On a pseud's page, only that pseud's gifts are refused from there.
  if (own && "pseudId" in scope)
    for (const [workId, gifts] of own)
      own.set(
        workId,
        gifts.filter((g) => g.pseudId === scope.pseudId),
      );
  return {
    listing: {
      works: views,
      total,
      page: pageNumber,
      pages: Math.min(Math.ceil(total / size), limits.maxPage),
      size,
    },
    own,
  };
}

export function registerGiftRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/gifts",
    auth: "guest-ok",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const user = await accountOr404(deps, params.login);
      const { listing, own } = await giftsListing(
        deps,
        viewer,
        { userId: user.id },
        user.id,
        query.page,
      );
      return page(
        `Gifts for ${user.login}`,
        <GiftsView
          name={user.login}
          listing={listing}
          baseUrl={`/users/${encodeURIComponent(user.login)}/gifts`}
          own={own}
        />,
        { description: `Works given to ${user.login} on Fanfold.` },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/pseuds/:pseud/gifts",
    auth: "guest-ok",
    params: PseudParams,
    query: PageQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const { user, pseud, name } = await pseudOr404(deps, params.login, params.pseud);
      const { listing, own } = await giftsListing(
        deps,
        viewer,
        { pseudId: pseud.id },
        user.id,
        query.page,
      );
      return page(
        `Gifts for ${name}`,
        <GiftsView
          name={name}
          listing={listing}
          baseUrl={`/users/${encodeURIComponent(user.login)}/pseuds/${encodeURIComponent(pseud.name)}/gifts`}
          own={own}
        />,
        { description: `Works given to ${name} on Fanfold.` },
      );
    },
  });

  /** The gift and its work, if the viewer may see the work; 404 otherwise, 403 if not theirs. */
  async function ownGift(deps: AppDeps, viewer: Viewer, userId: number, giftId: number) {
    const gift = await findGift(deps.db, giftId);
    if (!gift || gift.userId === null || gift.pseudName === null) throw notFound("gift");
    // A gift on a work its recipient can't see (a draft, one waiting for a reveal) isn't
    // theirs to refuse yet: the same 404 as no gift at all.
    const loaded = await loadWork(deps, viewer, gift.workId);
    if (loaded.access !== "ok") throw notFound("gift");
    if (gift.userId !== userId) throw forbidden("Only its recipient can refuse a gift.");
    return { gift: { ...gift, pseudName: gift.pseudName }, loaded };
  }

  route(app, deps, {
    method: "GET",
    url: "/gifts/:giftId/refuse",
    auth: "user",
    params: GiftParams,
    handler: async ({ deps, viewer, user, params }) => {
      const { gift, loaded } = await ownGift(deps, viewer, user.id, params.giftId);
      return page(
        "Refuse this gift?",
        <RefuseGiftView
          giftId={gift.id}
          work={{ title: loaded.work.title, url: `/works/${loaded.work.id}` }}
          recipient={pseudLabel(gift.pseudName, user.login)}
          cancelUrl={`/users/${encodeURIComponent(user.login)}/gifts`}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/gifts/:giftId/refuse",
    auth: "user",
    params: GiftParams,
    handler: async ({ deps, viewer, user, params }) => {
      const { loaded } = await ownGift(deps, viewer, user.id, params.giftId);
      const refused = await refuseGift(deps.db, {
        giftId: params.giftId,
        userId: user.id,
        now: deps.now(),
      });
      if (!refused.ok) throw refusalError(refused);
      return redirect(
        `/users/${encodeURIComponent(user.login)}/gifts`,
        `You refused the gift “${loaded.work.title}”: it no longer names you.`,
      );
    },
  });
}
