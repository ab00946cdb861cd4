/**
 * Collections at AO3's addresses (issue 15): the index, a collection's profile, works (the
 * full Sort and filter of any listing), subcollections, settings, participants and the
 * moderators' queue; "Add to Collections" from a work; a creator's collection items.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ownAccount } from "../accounts/lookup.ts";
import { forbidden, notFound } from "../core/http/errors.ts";
import { PageQuery } from "../core/http/params.ts";
import { redirect, refusalError, refusedForm, route, type AppDeps } from "../core/http/route.tsx";
import { limits } from "../core/limits.ts";
import { formatDate } from "../core/views/format.ts";
import { emptyForm, type FormState, type FormValues } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../core/viewer.ts";
import { listingPage, type SearchDeps } from "../search/listings/routes.tsx";
import { loadWork, type LoadedWork } from "../works/load.ts";
import { creatorLink, presentWorks } from "../works/present.ts";
import { creatorsOfWorks, isCreatorOf, worksByIds } from "../works/queries.ts";
import { restrictedLoginUrl } from "../works/restricted.ts";
import { WorkParams } from "../works/schemas.ts";
import {
  addParticipant,
  addWorkToCollections,
  answerItem,
  changeRole,
  createCollection,
  deleteCollection,
  editCollection,
  inviteWork,
  join,
  moderateItem,
  removeParticipant,
  reveal,
} from "./commands.ts";
import { collectionKey } from "./names.ts";
import { collectionPolicy, type CollectionAction } from "./policy.ts";
import { linkTo, presentCollection, type CollectionView } from "./present.ts";
import * as q from "./queries.ts";
import type { Collection } from "./queries.ts";
import {
  AddToCollectionsInput,
  CollectionParams,
  CollectionSettingsInput,
  ItemParams,
  LoginParams,
  NewCollectionInput,
  ParticipantInput,
  ParticipantParams,
  QueueQuery,
  revealDateValue,
  RoleInput,
  UserItemParams,
} from "./schemas.ts";
import {
  AddToCollectionsForm,
  CollectionForm,
  CollectionIndex,
  CollectionNav,
  CollectionProfile,
  ConfirmDeleteCollection,
  ParticipantsView,
  QueueView,
  SubcollectionsView,
  UserItemsView,
  type CreatorItem,
  type QueueEntry,
} from "./views.tsx";

/** Newest works shown on a collection's profile. */
const RECENT_WORKS = 5;
/** Parsed by the listing (parseWorkSearch), which names the parameter at fault. */
const RawQuery = z.record(z.string(), z.unknown());
const ItemActionInput = z.object({
  status: z.enum(["pending", "approved", "rejected"]).default("pending"),
});

async function collectionOr404(deps: AppDeps, name: string): Promise<Collection> {
  const c = await q.findCollectionByKey(deps.db, collectionKey(name));
  if (!c) throw notFound("collection");
  return c;
}

/** The collection as the viewer sees it: their role, its parent, and (asked) its work count. */
async function viewOf(
  deps: AppDeps,
  viewer: Viewer,
  c: Collection,
  opts: { count?: boolean } = {},
): Promise<CollectionView> {
  const user = viewer.user;
  const [role, parent, counts] = await Promise.all([
    user ? q.roleOf(deps.db, c.id, user.id) : null,
    c.parent_id === null ? null : q.findCollectionById(deps.db, c.parent_id),
    opts.count ? q.shownWorkCounts(deps.db, viewer, [c.id]) : undefined,
  ]);
  return presentCollection(c, {
    user,
    role,
    parent: parent ?? null,
    ...(counts ? { works: counts.get(c.id) ?? 0 } : {}),
  });
}

/** Many collections for a list: parents and counts in a fixed number of statements. */
async function viewsOf(deps: AppDeps, viewer: Viewer, rows: Collection[]) {
  const parentIds = [...new Set(rows.flatMap((c) => (c.parent_id === null ? [] : [c.parent_id])))];
  const [parents, counts] = await Promise.all([
    q.collectionsByIds(deps.db, parentIds),
    q.shownWorkCounts(
      deps.db,
      viewer,
      rows.map((c) => c.id),
    ),
  ]);
  const byId = new Map(parents.map((p) => [p.id, p]));
  return rows.map((c) =>
    presentCollection(c, {
      user: viewer.user,
      role: null,
      parent: c.parent_id === null ? null : byId.get(c.parent_id),
      works: counts.get(c.id) ?? 0,
    }),
  );
}

/** The collection, when the user may take `action` in it (else 403; 404 when there is none). */
async function collectionFor(
  deps: AppDeps,
  user: ViewerUser,
  viewer: Viewer,
  name: string,
  action: CollectionAction,
) {
  const c = await collectionOr404(deps, name);
  const view = await viewOf(deps, viewer, c, { count: true });
  collectionPolicy.authorize(user, action, { role: view.role });
  return { c, view };
}

/** The settings form filled from what is stored. */
async function settingsValues(deps: AppDeps, c: Collection): Promise<FormValues> {
  const parent = c.parent_id === null ? null : await q.findCollectionById(deps.db, c.parent_id);
  const flag = (v: number) => (v ? "1" : "");
  return {
    title: c.title,
    description: c.description_html,
    rules: c.rules_html,
    parent_name: parent?.name ?? "",
    moderated: flag(c.moderated),
    closed: flag(c.closed),
    anonymous: flag(c.anonymous),
    unrevealed: flag(c.unrevealed),
    reveal_works_at: revealDateValue(c.reveal_works_at),
    reveal_creators_at: revealDateValue(c.reveal_creators_at),
  };
}

const formPage = (form: FormState, view?: CollectionView) =>
  page(
    view ? `Settings - ${view.title}` : "New collection",
    <CollectionForm form={form} {...(view ? { c: view } : {})} />,
    {
      status: Object.keys(form.errors).length > 0 ? 422 : undefined,
    },
  );

/** The work a collection form is about, as the viewer may see it. */
async function workForCollections(deps: AppDeps, viewer: Viewer, workId: number) {
  const loaded = await loadWork(deps, viewer, workId);
  if (loaded.access === "login-required") return { loaded, login: true as const };
  return { loaded, login: false as const };
}

export function registerCollectionRoutes(app: FastifyInstance, deps: AppDeps, search: SearchDeps) {
  // ── The index, new collections ──

  route(app, deps, {
    method: "GET",
    url: "/collections",
    auth: "guest-ok",
    query: PageQuery,
    handler: async ({ deps, viewer, query }) => {
      const size = limits.pageSize;
      const { rows, total } = await q.listCollections(deps.db, { number: query.page, size });
      const collections = await viewsOf(deps, viewer, rows);
      return page(
        "Collections",
        <CollectionIndex
          collections={collections}
          total={total}
          page={query.page}
          pages={Math.min(Math.ceil(total / size), limits.maxPage)}
          loggedIn={viewer.user !== null}
        />,
        { mainClass: "collections-index" },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/collections/new",
    auth: "user",
    handler: async () => formPage(emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/collections",
    auth: "user",
    contributes: true,
    oncePerSubmission: true,
    body: NewCollectionInput,
    onInvalid: (_ctx, errors) => formPage({ values: _ctx.body, errors }),
    handler: async ({ req, deps, user, body }) => {
      const created = await createCollection(deps.db, {
        userId: user.id,
        input: body,
        now: deps.now(),
      });
      if (!created.ok) return refusedForm(req, created, (form) => formPage(form));
      return redirect(`/collections/${created.value.name}`, "Collection was created.");
    },
  });

  // ── One collection ──

  route(app, deps, {
    method: "GET",
    url: "/collections/:name",
    auth: "guest-ok",
    params: CollectionParams,
    handler: async ({ req, deps, viewer, params }) => {
      const c = await collectionOr404(deps, params.name);
      const childRows = c.parent_id === null ? await q.childrenOf(deps.db, c.id) : [];
      const [view, participants, recent] = await Promise.all([
        viewOf(deps, viewer, c, { count: true }),
        q.participantsOf(deps.db, c.id),
        q.newestShownWorks(deps.db, viewer, [c.id, ...childRows.map((r) => r.id)], RECENT_WORKS),
      ]);
      const [children, works] = await Promise.all([
        viewsOf(deps, viewer, childRows),
        presentWorks(deps.db, viewer, recent, deps.workCounts),
      ]);
      return page(
        c.title,
        <CollectionProfile
          c={view}
          owners={participants.filter((p) => p.role === "owner")}
          moderators={participants.filter((p) => p.role === "moderator")}
          children={children}
          works={works}
          loggedIn={viewer.user !== null}
          returnTo={req.url}
        />,
        {
          mainClass: "collections-show",
          description: `${c.title}, a collection of fan works on Fanfold.`,
        },
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/works",
    auth: "guest-ok",
    params: CollectionParams,
    query: RawQuery,
    handler: async (ctx) => {
      const c = await collectionOr404(ctx.deps, ctx.params.name);
      const view = await viewOf(ctx.deps, ctx.viewer, c, { count: true });
      return listingPage(
        search,
        ctx,
        {
          title: c.title,
          suffix: ` in ${c.title}`,
          path: `${view.url}/works`,
          scope: { kind: "collection", collectionId: c.id },
          empty: "There are no works in this collection that you can see.",
          description: `Fan works in the collection “${c.title}” on Fanfold, with filters to narrow them down.`,
          header: <CollectionNav c={view} current="works" />,
        },
        `${c.title} - Works`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/collections",
    auth: "guest-ok",
    params: CollectionParams,
    handler: async ({ deps, viewer, params }) => {
      const c = await collectionOr404(deps, params.name);
      const view = await viewOf(deps, viewer, c, { count: true });
      const children = c.parent_id === null ? await q.childrenOf(deps.db, c.id) : [];
      return page(
        `${c.title} - Subcollections`,
        <SubcollectionsView c={view} children={await viewsOf(deps, viewer, children)} />,
        { mainClass: "collections-index" },
      );
    },
  });

  // ── Settings and deletion (owners) ──

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/edit",
    auth: "user",
    params: CollectionParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "edit");
      return formPage(emptyForm(await settingsValues(deps, c)), view);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name",
    auth: "user",
    contributes: true,
    params: CollectionParams,
    body: CollectionSettingsInput,
    onInvalid: async (ctx, errors) => {
      const { view } = await collectionFor(ctx.deps, ctx.user, ctx.viewer, ctx.params.name, "edit");
      return formPage({ values: ctx.body, errors }, view);
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "edit");
      const saved = await editCollection(deps.db, {
        collectionId: c.id,
        userId: user.id,
        input: body,
        now: deps.now(),
      });
      if (!saved.ok) return refusedForm(req, saved, (form) => formPage(form, view));
      return redirect(view.url, "Collection settings were saved.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/confirm_delete",
    auth: "user",
    params: CollectionParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "delete");
      const items = await q.workIdsWithItemsIn(deps.db, c.id);
      return page(`Delete ${c.title}`, <ConfirmDeleteCollection c={view} works={items.length} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/delete",
    auth: "user",
    params: CollectionParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { c } = await collectionFor(deps, user, viewer, params.name, "delete");
      const deleted = await deleteCollection(deps.db, { collectionId: c.id, now: deps.now() });
      if (!deleted.ok) throw refusalError(deleted);
      return redirect("/collections", `"${c.title}" was deleted.`);
    },
  });

  for (const what of ["works", "creators"] as const) {
    route(app, deps, {
      method: "POST",
      url: `/collections/:name/reveal_${what}`,
      auth: "user",
      params: CollectionParams,
      handler: async ({ deps, user, viewer, params }) => {
        const { c, view } = await collectionFor(deps, user, viewer, params.name, "moderate");
        const done = await reveal(deps.db, { collectionId: c.id, what, now: deps.now() });
        if (!done.ok) throw refusalError(done);
        return redirect(
          view.url,
          what === "works" ? "The collection's works are revealed." : "The creators are revealed.",
        );
      },
    });
  }

  // ── Participants ──

  async function participantsPage(
    user: ViewerUser,
    viewer: Viewer,
    name: string,
    form: FormState,
    status?: number,
  ) {
    const { c, view } = await collectionFor(deps, user, viewer, name, "moderate");
    const participants = await q.participantsOf(deps.db, c.id);
    return page(
      `Participants - ${c.title}`,
      <ParticipantsView
        c={view}
        participants={participants.map((p) => ({ ...p, joined: formatDate(p.createdAt) }))}
        form={form}
      />,
      status,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/participants",
    auth: "user",
    params: CollectionParams,
    handler: ({ user, viewer, params }) =>
      participantsPage(user, viewer, params.name, emptyForm({ role: "moderator" })),
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/participants",
    auth: "user",
    params: CollectionParams,
    body: ParticipantInput,
    onInvalid: (ctx, errors) =>
      participantsPage(ctx.user, ctx.viewer, ctx.params.name, { values: ctx.body, errors }, 422),
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "participants");
      const added = await addParticipant(deps.db, {
        collectionId: c.id,
        login: body.login,
        role: body.role,
        now: deps.now(),
      });
      if (!added.ok)
        return refusedForm(req, added, (form) =>
          participantsPage(user, viewer, params.name, form, added.status),
        );
      return redirect(
        `${view.url}/participants`,
        `${added.value.login} is now ${body.role === "owner" ? "an owner" : `a ${body.role}`}.`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/participants/:userId",
    auth: "user",
    params: ParticipantParams,
    body: RoleInput,
    handler: async ({ deps, user, viewer, params, body }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "participants");
      const changed = await changeRole(deps.db, {
        collectionId: c.id,
        userId: params.userId,
        role: body.role,
        now: deps.now(),
      });
      if (!changed.ok) throw refusalError(changed);
      return redirect(`${view.url}/participants`, "The role was changed.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/participants/:userId/delete",
    auth: "user",
    params: ParticipantParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "participants");
      const removed = await removeParticipant(deps.db, {
        collectionId: c.id,
        userId: params.userId,
      });
      if (!removed.ok) throw refusalError(removed);
      return redirect(`${view.url}/participants`, "They were removed from the collection.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/join",
    auth: "user",
    params: CollectionParams,
    handler: async ({ deps, user, params }) => {
      const c = await collectionOr404(deps, params.name);
      const joined = await join(deps.db, { collectionId: c.id, userId: user.id, now: deps.now() });
      if (!joined.ok) throw refusalError(joined);
      return redirect(
        `/collections/${c.name}`,
        joined.value.already ? "You are in this collection already." : `You joined "${c.title}".`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/collections/:name/leave",
    auth: "user",
    params: CollectionParams,
    handler: async ({ deps, user, params }) => {
      const c = await collectionOr404(deps, params.name);
      const left = await removeParticipant(deps.db, { collectionId: c.id, userId: user.id });
      if (!left.ok) throw refusalError(left);
      return redirect(`/collections/${c.name}`, `You left "${c.title}".`);
    },
  });

  // ── The moderators' queue ──

  route(app, deps, {
    method: "GET",
    url: "/collections/:name/items",
    auth: "user",
    params: CollectionParams,
    query: QueueQuery,
    handler: async ({ deps, user, viewer, params, query }) => {
      const { c, view } = await collectionFor(deps, user, viewer, params.name, "moderate");
      const size = limits.pageSize;
      const { rows, total } = await q.queueOf(deps.db, c.id, query.status, {
        number: query.page,
        size,
      });
      const ids = rows.map((r) => r.workId);
      const [works, creators] = await Promise.all([
        worksByIds(deps.db, ids),
        creatorsOfWorks(deps.db, ids),
      ]);
      const views = new Map(
        (await presentWorks(deps.db, viewer, works)).map((w) => [w.id, w] as const),
      );
      // The one place a collection's moderators see who created its anonymous works.
      const entries: QueueEntry[] = rows.flatMap((r) => {
        const work = views.get(r.workId);
        if (!work) return [];
        return [
          {
            work,
            realCreators: (creators.get(r.workId) ?? []).map(creatorLink),
            collectionApproval: r.collectionApproval,
            creatorApproval: r.creatorApproval,
            added: formatDate(r.createdAt),
          },
        ];
      });
      return page(
        `Items - ${c.title}`,
        <QueueView
          c={view}
          tab={query.status}
          entries={entries}
          total={total}
          page={query.page}
          pages={Math.min(Math.ceil(total / size), limits.maxPage)}
        />,
      );
    },
  });

  for (const action of ["approve", "reject", "remove"] as const) {
    route(app, deps, {
      method: "POST",
      url: `/collections/:name/items/:workId/${action}`,
      auth: "user",
      params: ItemParams,
      body: ItemActionInput,
      handler: async ({ deps, user, viewer, params, body }) => {
        const { c, view } = await collectionFor(deps, user, viewer, params.name, "moderate");
        const done = await moderateItem(deps.db, {
          collectionId: c.id,
          workId: params.workId,
          action,
          now: deps.now(),
        });
        if (!done.ok) throw refusalError(done);
        const said = { approve: "approved", reject: "rejected", remove: "removed" }[action];
        return redirect(`${view.url}/items?status=${body.status}`, `The work was ${said}.`);
      },
    });
  }

  // ── From a work's page ──

  async function addPage(user: ViewerUser, loaded: LoadedWork, form: FormState, status?: number) {
    const [mine, items] = await Promise.all([
      q.collectionsOfUser(deps.db, user.id),
      q.itemsOfWork(deps.db, loaded.work.id),
    ]);
    const maintained = mine.filter((c) => c.role === "owner" || c.role === "moderator");
    if (!loaded.isCreator && (maintained.length === 0 || loaded.work.posted !== 1))
      throw forbidden(
        "Only a work's creators, and the owners and moderators of a collection, can add a work to collections.",
      );
    const current = loaded.isCreator
      ? items.map((i) => ({
          link: linkTo(i),
          state:
            i.creatorApproval === "pending"
              ? "invited"
              : i.creatorApproval === "rejected"
                ? "invitation declined"
                : i.collectionApproval === "approved"
                  ? "approved"
                  : i.collectionApproval === "pending"
                    ? "waiting for approval"
                    : "rejected",
        }))
      : [];
    return page(
      `Add ${loaded.work.title} to collections`,
      <AddToCollectionsForm
        work={{ id: loaded.work.id, title: loaded.work.title }}
        form={form}
        isCreator={loaded.isCreator}
        maintained={maintained.map(linkTo)}
        current={current}
      />,
      status,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/collection_items/new",
    auth: "user",
    params: WorkParams,
    handler: async ({ req, deps, user, viewer, params }) => {
      const { loaded, login } = await workForCollections(deps, viewer, params.workId);
      if (login) return redirect(restrictedLoginUrl(req.url));
      return addPage(user, loaded, emptyForm());
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/collection_items",
    auth: "user",
    contributes: true,
    params: WorkParams,
    body: AddToCollectionsInput,
    onInvalid: async (ctx, errors) => {
      const { loaded } = await workForCollections(ctx.deps, ctx.viewer, ctx.params.workId);
      return addPage(ctx.user, loaded, { values: ctx.body, errors }, 422);
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { loaded } = await workForCollections(deps, viewer, params.workId);
      // The page refuses who may do neither (403), before anything is written.
      await addPage(user, loaded, emptyForm());
      const args = {
        workId: loaded.work.id,
        userId: user.id,
        text: body.collection_names,
        now: deps.now(),
      };
      const done = loaded.isCreator
        ? await addWorkToCollections(deps.db, args)
        : await inviteWork(deps.db, args);
      if (!done.ok)
        return refusedForm(req, done, (form) => addPage(user, loaded, form, done.status));
      return redirect(
        `/works/${loaded.work.id}`,
        loaded.isCreator
          ? "The work was added to the collections (moderated ones show it once approved)."
          : "The work was invited: it joins once its creators accept.",
      );
    },
  });

  // ── A creator's collection items ──

  route(app, deps, {
    method: "GET",
    url: "/users/:login/collection_items",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const [collections, items] = await Promise.all([
        q.collectionsOfUser(deps.db, account.id),
        q.itemsOfCreator(deps.db, account.id),
      ]);
      const entries: CreatorItem[] = items.map((i) => ({
        collection: {
          ...linkTo(i),
          id: i.collectionId,
          anonymous: i.anonymous === 1,
          unrevealed: i.unrevealed === 1,
        },
        work: { id: i.workId, title: i.workTitle },
        collectionApproval: i.collectionApproval,
        creatorApproval: i.creatorApproval,
      }));
      return page(
        "Your collections",
        <UserItemsView
          login={account.login}
          collections={collections.map((c) => ({ ...linkTo(c), role: c.role }))}
          items={entries}
        />,
      );
    },
  });

  for (const action of ["accept", "decline", "remove"] as const) {
    route(app, deps, {
      method: "POST",
      url: `/users/:login/collection_items/:collectionId/:workId/${action}`,
      auth: "user",
      params: UserItemParams,
      handler: async ({ deps, user, params }) => {
        const account = await ownAccount(deps, user, params.login);
        if (!(await isCreatorOf(deps.db, account.id, params.workId))) throw notFound("work");
        const done = await answerItem(deps.db, {
          collectionId: params.collectionId,
          workId: params.workId,
          action,
          now: deps.now(),
        });
        if (!done.ok) throw refusalError(done);
        const said = {
          accept: "The invitation was accepted.",
          decline: "The invitation was declined.",
          remove: "The work was taken out of the collection.",
        }[action];
        return redirect(`/users/${account.login}/collection_items`, said);
      },
    });
  }
}
