import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Tag } from "../core/db/schema.ts";
import { notFound } from "../core/http/errors.ts";
import { z } from "zod";
import { json, redirect, refusedForm, route, type AppDeps } from "../core/http/route.tsx";
import type { Result } from "../core/result.ts";
import { emptyForm, type FormErrors, type FormState } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../core/viewer.ts";
import { TagAutocomplete } from "./autocomplete.ts";
import * as commands from "./commands.ts";
import { tagsShownTo, usesFor, type Audience } from "./count-queries.ts";
import { FORMER_FIXED_NAMES, withArticle } from "./fixed.ts";
import { tagKey, tagNameFromUrl, tagUrlName } from "./names.ts";
import { tagPolicy } from "./policy.ts";
import { childrenByType, findTagByName } from "./queries.ts";
import {
  CanonicalInput,
  MassWrangleInput,
  ParentInput,
  RenameInput,
  SynonymInput,
  TagNameParams,
  TagParentParams,
  WrangleQuery,
} from "./schemas.ts";
import {
  CHILD_LIST_LIMIT,
  CHILD_TYPES,
  TagEditPage,
  TagPage,
  WranglingIndex,
  WranglingQueue,
  tagPath,
} from "./views.tsx";
import * as q from "./wrangling-queries.ts";

const QUEUE_SIZE = 200;
const canWrangle = (user: ViewerUser) => tagPolicy.can(user, "wrangle", null);

async function tagFromUrl(deps: AppDeps, segment: string) {
  const tag = await findTagByName(deps.db, tagNameFromUrl(segment));
  if (!tag) throw notFound("tag");
  return tag;
}

/** Who may see what is decided by works/visibility.ts; the app passes its answer in. */
export interface TagRouteOptions {
  audienceOf: (viewer: Viewer) => Audience;
}

/**
 * A tag's page: a 404 unless a work the viewer may see carries it (see `tagsShownTo`), and
 * only such synonyms, parents and children. Wranglers see every tag, to wrangle it.
 */
async function pageProps(deps: AppDeps, viewer: Viewer, audience: Audience, segment: string) {
  const tag = await tagFromUrl(deps, segment);
  const canWrangle = tagPolicy.can(viewer.user, "wrangle", null);
  const shown = <T extends Tag>(tags: T[]) =>
    canWrangle ? tags : tagsShownTo(deps.db, audience, tags);
  if ((await shown([tag])).length === 0) throw notFound("tag");
  const childTypes = CHILD_TYPES.map((c) => c.type).filter((t) => t !== tag.type);
  const [canonical, synonyms, parents, children, subtags] = await Promise.all([
    tag.merger_id === null ? undefined : q.findTagById(deps.db, tag.merger_id),
    q.synonymsOf(deps.db, tag.id).then(shown),
    q.parentsOf(deps.db, tag.id).then(shown),
    // One more than the page lists, so it knows to say "and more".
    childrenByType(deps.db, tag.id, childTypes, CHILD_LIST_LIMIT + 1).then(shown),
    childrenByType(deps.db, tag.id, [tag.type], CHILD_LIST_LIMIT).then(shown),
  ]);
  return {
    tag,
    canonical,
    synonyms,
    parents,
    children,
    subtags,
    uses: usesFor(tag, audience),
    canWrangle,
  };
}

async function editPage(deps: AppDeps, viewer: Viewer, segment: string, form: FormState) {
  // Only wranglers get here: they count restricted works, as logged-in readers do.
  const props = await pageProps(deps, viewer, "members", segment);
  return page(`Wrangle ${props.tag.name}`, <TagEditPage {...props} form={form} />);
}

const AutocompleteParams = z.object({
  type: z.enum(["fandom", "relationship", "character", "freeform"], {
    message: "must be fandom, relationship, character or freeform",
  }),
});
const AutocompleteQuery = z.object({
  term: z.string().max(100, "must be at most 100 characters").default(""),
});

/** `/tags/<segment><rest>`: the tag's address segment and what follows it (path and query). */
const TAG_ADDRESS = /^\/tags\/([^/?#]+)(.*)$/s;

/**
 * Where an address naming a fixed tag by its former name now lives (`/tags/Underage/works`
 * → `/tags/Underage%20Sex/works`), or null: AO3 redirects renamed tags. Only while no tag
 * holds the old name; a tag made with it since is the one its address shows.
 */
async function renamedFixedTagUrl(deps: AppDeps, url: string): Promise<string | null> {
  const match = TAG_ADDRESS.exec(url);
  if (!match) return null;
  let name: string;
  try {
    name = tagNameFromUrl(decodeURIComponent(match[1]!));
  } catch {
    return null;
  }
  const renamed = FORMER_FIXED_NAMES.get(tagKey(name));
  if (!renamed || (await findTagByName(deps.db, name))) return null;
  return `/tags/${tagUrlName(renamed)}${match[2]!}`;
}

export function registerTagRoutes(app: FastifyInstance, deps: AppDeps, opts: TagRouteOptions) {
  const autocomplete = new TagAutocomplete(deps.db, deps.now);
  // Before routing, so the tag page, its works listing and its feed all follow the rename.
  app.addHook("onRequest", async (req, reply) => {
    if (req.method !== "GET" && req.method !== "HEAD") return;
    const to = await renamedFixedTagUrl(deps, req.url);
    if (to) return reply.redirect(to, 301);
  });
  route(app, deps, {
    method: "GET",
    url: "/autocomplete/:type",
    auth: "guest-ok",
    params: AutocompleteParams,
    query: AutocompleteQuery,
    handler: async ({ reply, viewer, params, query }) => {
      reply.header("cache-control", "no-cache");
      return json(await autocomplete.search(params.type, query.term, opts.audienceOf(viewer)));
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/tags/:name",
    auth: "guest-ok",
    params: TagNameParams,
    handler: async ({ deps, viewer, params }) => {
      const props = await pageProps(deps, viewer, opts.audienceOf(viewer), params.name);
      return page(props.tag.name, <TagPage {...props} />, {
        description: `“${props.tag.name}”, ${withArticle(props.tag.type)} on Fanfold: its works, synonyms and related tags.`,
        mainClass: "tags-show",
        // Its works as Atom (feeds/; a synonym's feed leads to its canonical tag's).
        alternates: [
          {
            href: `/tags/${props.tag.id}/feed.atom`,
            type: "application/atom+xml",
            title: `Works tagged ${props.tag.name}`,
          },
        ],
      });
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/tags/:name/edit",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    handler: async ({ deps, viewer, params }) => {
      return editPage(deps, viewer, params.name, emptyForm());
    },
  });

  // Every wrangling form posts to one of the six routes below: the role is checked by
  // `allow`, invalid input re-shows the edit page, and `wrangled` shows the command's outcome.
  type WranglingCtx = {
    req: FastifyRequest;
    deps: AppDeps;
    viewer: Viewer;
    params: { name: string };
  };
  const invalid = (ctx: WranglingCtx & { body: FormState["values"] }, errors: FormErrors) =>
    editPage(ctx.deps, ctx.viewer, ctx.params.name, { values: ctx.body, errors });
  async function wrangled(
    ctx: WranglingCtx,
    command: (tagId: number, now: number) => Promise<Result>,
    done: string,
  ) {
    const tag = await tagFromUrl(ctx.deps, ctx.params.name);
    const result = await command(tag.id, ctx.deps.now());
    if (!result.ok)
      return refusedForm(ctx.req, result, (form) =>
        editPage(ctx.deps, ctx.viewer, ctx.params.name, form),
      );
    // A rename changes the address; look the tag up again by id.
    const current = (await q.findTagById(ctx.deps.db, tag.id)) ?? tag;
    return redirect(`${tagPath(current.name)}/edit`, done);
  }

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/canonical",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    body: CanonicalInput,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) =>
          commands.setCanonical(ctx.deps.db, { tagId, canonical: ctx.body.canonical === "1", now }),
        "Canonical status saved.",
      ),
  });

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/synonym",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    body: SynonymInput,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) =>
          commands.makeSynonym(ctx.deps.db, { tagId, canonicalName: ctx.body.canonical, now }),
        "Synonym saved; works now fold into the canonical tag.",
      ),
  });

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/synonym/delete",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) => commands.removeSynonym(ctx.deps.db, { tagId, now }),
        "Synonym link removed.",
      ),
  });

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/parents",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    body: ParentInput,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) =>
          commands.addParent(ctx.deps.db, { tagId, parentName: ctx.body.parent, now }),
        "Parent tag added.",
      ),
  });

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/parents/:parentId/delete",
    auth: "user",
    allow: canWrangle,
    params: TagParentParams,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) =>
          commands.removeParent(ctx.deps.db, { tagId, parentId: ctx.params.parentId, now }),
        "Parent tag removed.",
      ),
  });

  route(app, deps, {
    method: "POST",
    url: "/tags/:name/rename",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    body: RenameInput,
    onInvalid: invalid,
    handler: (ctx) =>
      wrangled(
        ctx,
        (tagId, now) => commands.renameTag(ctx.deps.db, { tagId, newName: ctx.body.name, now }),
        "Tag renamed.",
      ),
  });

  route(app, deps, {
    method: "GET",
    url: "/wrangling",
    auth: "user",
    allow: canWrangle,
    handler: async ({ deps }) => {
      const [fandoms, unwrangled] = await Promise.all([
        q.canonicalFandoms(deps.db),
        q.unwrangledFandoms(deps.db, QUEUE_SIZE),
      ]);
      return page("Tag wrangling", <WranglingIndex fandoms={fandoms} unwrangled={unwrangled} />);
    },
  });

  const queuePage = async (
    deps: AppDeps,
    segment: string,
    type: "character" | "relationship" | "freeform",
    form?: FormState,
  ) => {
    const fandom = await tagFromUrl(deps, segment);
    if (fandom.type !== "fandom") throw notFound("fandom");
    const tags = await q.unwrangledInFandom(deps.db, fandom.id, type, QUEUE_SIZE);
    return page(
      `Wrangling ${fandom.name}`,
      <WranglingQueue fandom={fandom} type={type} tags={tags} {...(form ? { form } : {})} />,
    );
  };

  route(app, deps, {
    method: "GET",
    url: "/wrangling/:name",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    query: WrangleQuery,
    handler: async ({ deps, params, query }) => {
      return queuePage(deps, params.name, query.type);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/wrangling/:name",
    auth: "user",
    allow: canWrangle,
    params: TagNameParams,
    query: WrangleQuery,
    body: MassWrangleInput,
    onInvalid: (ctx, errors) =>
      queuePage(ctx.deps, ctx.params.name, ctx.query.type, { values: ctx.body, errors }),
    handler: async ({ req, deps, params, query, body }) => {
      const action: commands.MassWrangle = body.fandom
        ? { kind: "fandom", fandom: body.fandom }
        : { kind: "synonym", canonical: body.canonical };
      const result = await commands.wrangleMany(deps.db, {
        tagIds: body.tag_ids,
        action,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => queuePage(deps, params.name, query.type, form));
      return redirect(
        `/wrangling/${tagUrlName(tagNameFromUrl(params.name))}?type=${query.type}`,
        `${body.tag_ids.length} tags wrangled.`,
      );
    },
  });
}
