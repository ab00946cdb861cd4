/** Listings answered by SQL: the home page, a profile's recent works, one's drafts. Filtered
 * listings live in src/search. */
import { accountOr404 } from "../../accounts/lookup.ts";
import type { FastifyInstance } from "fastify";
import type { ComponentChildren } from "preact";
import { z } from "zod";
import { pseudsOfUser } from "../../accounts/queries.ts";
import { forbidden } from "../../core/http/errors.ts";
import { route, type AppDeps } from "../../core/http/route.tsx";
import { limits } from "../../core/limits.ts";
import { PostForm } from "../../core/views/forms.tsx";
import { formatNumber } from "../../core/views/format.ts";
import { ArchiveDescription, ArchiveName } from "../../core/views/layout.tsx";
import { page } from "../../core/views/render.tsx";
import { NO_EXCLUSIONS, type Viewer } from "../../core/viewer.ts";
import { presentWorks } from "../present.ts";
import { listWorks, type WorkScope } from "../queries.ts";
import { PageQuery } from "../schemas.ts";
import { WorkList } from "../views/blurb.tsx";
import { ListingView, type ListingPage } from "../views/listing.tsx";

const UserParams = z.object({ login: z.string().max(100) });
/** `exclusions=off`: the reader's saved exclusions (a mute) lifted for this one view, as on listings. */
const ProfileQuery = z.object({ exclusions: z.enum(["off"]).optional() });

/** The viewer as they would be without saved exclusions: what "Show them" lists. */
function withoutExclusions(viewer: Viewer): Viewer {
  return viewer.user ? { ...viewer, user: { ...viewer.user, exclusions: NO_EXCLUSIONS } } : viewer;
}

const ONE = { number: 1, size: 1 };

async function listing(
  deps: AppDeps,
  viewer: Viewer,
  scope: WorkScope,
  pageNumber: number,
): Promise<ListingPage> {
  const size = limits.pageSize;
  const { works, total } = await listWorks(deps.db, viewer, scope, { number: pageNumber, size });
  return {
    works: await presentWorks(deps.db, viewer, works, deps.workCounts),
    total,
    page: pageNumber,
    pages: Math.min(Math.ceil(total / size), limits.maxPage),
    size,
  };
}

export interface ListingOptions {
  /** A block the composition root adds to the home page, above the newest works. */
  home?: (ctx: { deps: AppDeps; viewer: Viewer }) => Promise<ComponentChildren>;
  /** Actions on a user's page (subscribe, mute, block), each becoming a list item. */
  profile?: (ctx: {
    deps: AppDeps;
    viewer: Viewer;
    user: { id: number; login: string };
  }) => Promise<ComponentChildren[]>;
}

export function registerListingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  opts: ListingOptions = {},
) {
  route(app, deps, {
    method: "GET",
    url: "/",
    auth: "guest-ok",
    handler: async ({ deps, viewer }) => {
      const [newest, extra] = await Promise.all([
        listing(deps, viewer, { kind: "all" }, 1),
        opts.home?.({ deps, viewer }),
      ]);
      return page(
        "",
        <section class="home">
          <h1>
            <ArchiveName />
          </h1>
          <p class="intro">
            <ArchiveDescription fallback="An archive of fan works: stories written by fans, for fans. Read freely; sign up to post your own." />
          </p>
          {extra}
          <h2>Newest works</h2>
          <WorkList works={newest.works} empty="No works have been posted yet." />
          <p>
            <a href="/works">Browse all {newest.total.toLocaleString("en-US")} works</a>
          </p>
        </section>,
        {
          // The OPDS catalog (feeds/), for e-reader apps that discover catalogs from a page.
          alternates: [
            {
              href: "/opds",
              type: "application/atom+xml;profile=opds-catalog;kind=navigation",
              title: "OPDS catalog",
            },
            { href: "/works/feed.atom", type: "application/atom+xml", title: "Newest works" },
          ],
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login",
    auth: "guest-ok",
    params: UserParams,
    query: ProfileQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const user = await accountOr404(deps, params.login);
      const muted = viewer.user?.exclusions.userIds.includes(user.id) ?? false;
      const showMuted = muted && query.exclusions === "off";
      const scope: WorkScope = { kind: "user", userId: user.id };
      const [pseuds, result, actions = [], hidden] = await Promise.all([
        pseudsOfUser(deps.db, user.id),
        listing(deps, showMuted ? withoutExclusions(viewer) : viewer, scope, 1),
        opts.profile?.({ deps, viewer, user: { id: user.id, login: user.login } }),
        // What the mute hides: their works this reader could otherwise see (no drafts; the
        // same visibility rules as every listing).
        muted && !showMuted
          ? listWorks(deps.db, withoutExclusions(viewer), scope, { number: 1, size: 1 }).then(
              (r) => r.total,
            )
          : 0,
      ]);
      const own = viewer.user?.id === user.id;
      // Hidden works leave every listing, their creator's too: the creator finds them here.
      // So do works waiting for a collection's reveal (issue 15).
      const [hiddenOwn, unrevealedOwn] = own
        ? await Promise.all(
            (["hidden", "unrevealed"] as const).map(
              async (kind) =>
                (await listWorks(deps.db, viewer, { kind, userId: user.id }, ONE)).total,
            ),
          )
        : [0, 0];
      const here = `/users/${encodeURIComponent(user.login)}`;
      const worksUrl = `${here}/works${showMuted ? "?exclusions=off" : ""}`;
      return page(
        user.login,
        <ListingView
          title={user.login}
          heading={
            muted && !showMuted
              ? `Recent works (${formatNumber(hidden)} hidden)`
              : `Recent works (${formatNumber(result.total)} in all)`
          }
          listing={{ ...result, pages: 1 }}
          baseUrl={here}
          empty={muted && !showMuted ? `You muted ${user.login}.` : "No works yet."}
        >
          <p>
            Pseuds:{" "}
            {pseuds.map((p, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={`${here}/pseuds/${encodeURIComponent(p.name)}`}>{p.name}</a>
              </>
            ))}
          </p>
          <ul class="actions">
            <li>
              <a href={worksUrl}>All works</a>
            </li>
            <li>
              <a href={`${here}/series`}>Series</a>
            </li>
            {actions.map((item, i) => (
              <li key={`action-${i}`}>{item}</li>
            ))}
            {own ? (
              <>
                <li>
                  <a href={`${here}/works/drafts`}>Drafts</a>
                </li>
                {hiddenOwn ? (
                  <li>
                    <a href={`${here}/works/hidden`}>
                      Hidden by moderators ({formatNumber(hiddenOwn)})
                    </a>
                  </li>
                ) : null}
                {unrevealedOwn ? (
                  <li>
                    <a href={`${here}/works/unrevealed`}>
                      Unrevealed works ({formatNumber(unrevealedOwn)})
                    </a>
                  </li>
                ) : null}
                <li>
                  <a href="/works/new">Post new work</a>
                </li>
                <li>
                  <a href="/works/import">Import a work</a>
                </li>
              </>
            ) : (
              <li>
                <a href={`/reports/new?type=user&id=${user.id}`}>Report {user.login}</a>
              </li>
            )}
          </ul>
          {muted ? (
            <MutedNote
              login={user.login}
              userId={user.id}
              hidden={hidden}
              shown={showMuted}
              here={here}
            />
          ) : null}
        </ListingView>,
        {
          description: `${user.login} on Fanfold: their fan works, bookmarks and pseuds.`,
          alternates: [
            {
              href: `${here}/works/feed.atom`,
              type: "application/atom+xml",
              title: `Works by ${user.login}`,
            },
          ],
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works/hidden",
    auth: "user",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, user: me, params, query }) => {
      const user = await accountOr404(deps, params.login);
      if (user.id !== me.id) throw forbidden("Only their creator sees this list.");
      const result = await listing(deps, viewer, { kind: "hidden", userId: user.id }, query.page);
      return page(
        "Hidden works",
        <ListingView
          title="Your works hidden by moderators"
          heading={
            result.total === 1 ? "1 hidden work" : `${formatNumber(result.total)} hidden works`
          }
          listing={result}
          baseUrl={`/users/${user.login}/works/hidden`}
          empty="None of your works is hidden."
        >
          <p>
            Nobody but you and the moderators can see these. Open one to read why it was hidden.
          </p>
        </ListingView>,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works/unrevealed",
    auth: "user",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, user: me, params, query }) => {
      const user = await accountOr404(deps, params.login);
      if (user.id !== me.id) throw forbidden("Only their creator sees this list.");
      const result = await listing(
        deps,
        viewer,
        { kind: "unrevealed", userId: user.id },
        query.page,
      );
      return page(
        "Unrevealed works",
        <ListingView
          title="Your unrevealed works"
          heading={
            result.total === 1
              ? "1 unrevealed work"
              : `${formatNumber(result.total)} unrevealed works`
          }
          listing={result}
          baseUrl={`/users/${user.login}/works/unrevealed`}
          empty="None of your works is waiting for a reveal."
        >
          <p>
            These works are in a collection that has not revealed them yet: readers can neither find
            nor open them until it does. You can read and edit them as usual.
          </p>
        </ListingView>,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/works/drafts",
    auth: "user",
    params: UserParams,
    query: PageQuery,
    handler: async ({ deps, viewer, user: me, params, query }) => {
      const user = await accountOr404(deps, params.login);
      if (user.id !== me.id) throw forbidden("Drafts are visible only to their creator.");
      const result = await listing(deps, viewer, { kind: "drafts", userId: user.id }, query.page);
      return page(
        "Drafts",
        <ListingView
          title="Your drafts"
          heading={`${result.total.toLocaleString("en-US")} drafts`}
          listing={result}
          baseUrl={`/users/${user.login}/works/drafts`}
          empty="You have no drafts."
        />,
      );
    },
  });
}

/**
 * On a muted writer's page: how many of their works the mute hides (rather than "No works
 * yet"), a way to see them once without unmuting (AO3's mute hides silently; this says so),
 * and Unmute.
 */
function MutedNote(props: {
  login: string;
  userId: number;
  hidden: number;
  shown: boolean;
  here: string;
}) {
  const { login, hidden, here } = props;
  return (
    <div class="muted-note" role="note">
      <p>
        {props.shown
          ? `You muted ${login}: their works are shown on this page only.`
          : hidden === 0
            ? `You muted ${login}. They have no works you could see.`
            : `${formatNumber(hidden)} ${hidden === 1 ? "work" : "works"} by ${login} ${
                hidden === 1 ? "is" : "are"
              } hidden because you muted them.`}
      </p>
      <ul class="actions">
        {props.shown ? (
          <li>
            <a href={here}>Hide them again</a>
          </li>
        ) : hidden > 0 ? (
          <li>
            <a href={`${here}?exclusions=off`}>Show them</a>
          </li>
        ) : null}
        <li>
          <PostForm action={`/preferences/exclusions/users/${props.userId}/delete`} class="inline">
            <input type="hidden" name="return_to" value={here} />
            <button type="submit" class="secondary">
              Unmute {login}
            </button>
          </PostForm>
        </li>
      </ul>
    </div>
  );
}
