/** Leaving kudos (a plain form, or fetch from kudos.js) and the full list of who left them. */
import { pageNumber, recordId, ReturnToInput } from "../../core/http/params.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { returnWithin } from "../../core/http/return-to.ts";
import { json, redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { refusalMessage } from "../../core/result.ts";
import { settingsLimit, siteSettings } from "../../core/settings.ts";
import { page } from "../../core/views/render.tsx";
import { loadWork } from "../../works/load.ts";
import { KUDOS_MESSAGES, leaveKudos } from "./commands.ts";
import { kudosGivers, tallyKudos } from "./queries.ts";
import { loadKudosSummary } from "./summary.ts";
import { KudosListView, KudosRefusedView } from "./views.tsx";
import { restrictedLoginUrl } from "../../works/restricted.ts";

const WorkIdParams = z.object({
  workId: recordId("work"),
});

const KudosInput = ReturnToInput;

const ListQuery = z.object({
  page: pageNumber,
});

const LIST_PAGE_SIZE = 100;

/** kudos.js asks for JSON; the plain form gets pages and redirects. */
const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? "").includes("application/json");

/** Back to the reading page the form was on (only ever a page of this work), without its #. */
const backTo = (workId: number, returnTo: string | undefined) =>
  returnWithin(returnTo, `/works/${workId}`).replace(/#.*$/, "");

export function registerKudosRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "POST",
    url: "/works/:workId/kudos",
    contributes: true,
    auth: "guest-ok",
    params: WorkIdParams,
    body: KudosInput,
    honeypot: true,
    limit: settingsLimit("kudos", "kudos", "both"),
    handler: async ({ deps, req, viewer, params, body }) => {
      const loaded = await loadWork(deps, viewer, params.workId);
      const result = await leaveKudos(deps.db, {
        user: viewer.user,
        loaded,
        ip: req.ip,
        // Guest kudos is a site setting (/admin/settings), FANFOLD_GUEST_KUDOS its default.
        config: {
          secret: deps.config.secret,
          guestKudos: (await siteSettings(deps.db, deps.config, deps.now())).guestKudos,
        },
        now: deps.now(),
      });
      const back = backTo(params.workId, body.return_to);
      if (wantsJson(req)) {
        if (!result.ok)
          return json({ error: refusalMessage(result), status: result.status }, result.status);
        const muted = viewer.user?.exclusions.userIds ?? [];
        const summary = await loadKudosSummary(deps.db, params.workId, muted);
        return json({ message: KUDOS_MESSAGES.thanks, ...summary });
      }
      if (!result.ok) {
        const view = <KudosRefusedView message={refusalMessage(result)} backUrl={back} />;
        return page("No kudos left", view, result.status);
      }
      return redirect(`${back}#kudos`, KUDOS_MESSAGES.thanks);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/kudos",
    auth: "guest-ok",
    params: WorkIdParams,
    query: ListQuery,
    handler: async ({ deps, req, viewer, params, query }) => {
      const loaded = await loadWork(deps, viewer, params.workId);
      if (loaded.access === "login-required") return redirect(restrictedLoginUrl(req.url));
      const muted = viewer.user?.exclusions.userIds ?? [];
      const offset = (query.page - 1) * LIST_PAGE_SIZE;
      const [tally, givers] = await Promise.all([
        tallyKudos(deps.db, params.workId, muted),
        kudosGivers(deps.db, params.workId, muted, { limit: LIST_PAGE_SIZE, offset }),
      ]);
      const work = { id: loaded.work.id, title: loaded.work.title, url: loaded.view.url };
      return page(
        `Kudos on ${loaded.work.title}`,
        <KudosListView
          work={work}
          givers={givers}
          users={tally.users}
          guests={tally.guests}
          page={query.page}
          pages={Math.max(1, Math.ceil(tally.users / LIST_PAGE_SIZE))}
        />,
      );
    },
  });
}
