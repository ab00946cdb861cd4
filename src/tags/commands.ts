/**
 * Tag wrangling. Each command checks the archive's rules, changes the tags, refreshes the
 * folded filter sets of every work it touches and records the tags it changed in the change
 * log (which the browse catalog and the text index follow), all in one transaction.
 */
import { recordChanges } from "../core/db/changes.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import type { Tag, TagType } from "../core/db/schema.ts";
import {
  inTransaction,
  ok,
  refusalMessage,
  refuse,
  rollback,
  type Result,
} from "../core/result.ts";
import { withArticle } from "./fixed.ts";
import { tagKey, normalizeTagName, tagNameProblem } from "./names.ts";
import { findTagByName, refreshFilterTags, worksTaggedWith } from "./queries.ts";
import * as q from "./wrangling-queries.ts";

const FIXED: ReadonlySet<TagType> = new Set(["media", "rating", "warning", "category"]);
const a = withArticle;

/** Refuses from inside a step: the whole transaction (a mass wrangle too) rolls back. */
function refused(message: string, status: 404 | 422 = 422): never {
  return rollback(refuse(status, message));
}

/** Runs wrangling steps in one transaction; they refuse by throwing (`refused`). */
const wrangling = (db: Db, steps: (tx: Queryable) => Promise<void>): Promise<Result> =>
  inTransaction(db, async (tx) => {
    await steps(tx);
    return ok();
  });

async function load(tx: Queryable, id: number): Promise<Tag> {
  const tag = await q.findTagById(tx, id);
  if (!tag) return refused("That tag no longer exists.", 404);
  if (FIXED.has(tag.type))
    refused(`"${tag.name}" is one of the archive's fixed tags and can't be wrangled.`);
  return tag;
}

async function target(tx: Queryable, name: string): Promise<Tag> {
  const tag = await findTagByName(tx, name);
  if (!tag) return refused(`There is no tag named "${normalizeTagName(name)}".`);
  return tag;
}

/**
 * Runs a wrangling change, then refolds the works under the tags it touches (the tags, their
 * subtags and synonyms), rewriting only the filter rows of tags they fold into before or after.
 */
async function refolding(
  tx: Queryable,
  tagIds: number[],
  now: number,
  change: () => Promise<void>,
) {
  const touched = new Set<number>();
  for (const id of tagIds) {
    for (const d of await q.metaDescendants(tx, id)) {
      touched.add(d);
      for (const s of await q.synonymsOf(tx, d)) touched.add(s.id);
    }
  }
  const before = await q.foldTargets(tx, [...touched]);
  await change();
  const after = await q.foldTargets(tx, [...touched]);
  const rewritten = [...new Set([...before, ...after])];
  await refreshFilterTags(tx, worksTaggedWith([...touched]), rewritten);
  // Indexes reload these tags' works from the filter table.
  await recordChanges(tx, "tag", rewritten, now);
}

interface TagArgs {
  tagId: number;
  now: number;
}

async function setCanonicalIn(tx: Queryable, args: TagArgs & { canonical: boolean }) {
  const { tagId, canonical, now } = args;
  const tag = await load(tx, tagId);
  if (canonical && tag.merger_id !== null)
    refused(`"${tag.name}" is a synonym; remove it from its canonical tag first.`);
  if (!canonical) {
    if ((await q.synonymsOf(tx, tagId)).length)
      refused(`"${tag.name}" has synonyms; move them to another canonical tag first.`);
    const subtags = (await q.childrenOf(tx, tagId)).filter((c) => c.type === tag.type);
    if (subtags.length) refused(`"${tag.name}" has subtags; remove them first.`);
  }
  await refolding(tx, [tagId], now, () => q.setCanonical(tx, tagId, canonical));
  await recordChanges(tx, "tag", [tagId], now);
}
export const setCanonical = (db: Db, args: TagArgs & { canonical: boolean }) =>
  wrangling(db, (tx) => setCanonicalIn(tx, args));

/**
 * Makes `tagId` a synonym of the canonical tag named `canonicalName` ("Derek Shepard" →
 * "Derek Shepherd"). A canonical tag merged this way hands over its synonyms and links.
 */
async function makeSynonymIn(tx: Queryable, args: TagArgs & { canonicalName: string }) {
  const { tagId, canonicalName, now } = args;
  const tag = await load(tx, tagId);
  const into = await target(tx, canonicalName);
  if (into.id === tag.id) refused("A tag can't be a synonym of itself.");
  if (into.type !== tag.type) {
    refused(
      `"${tag.name}" is ${a(tag.type)} and "${into.name}" is ${a(into.type)}: a synonym must be of the same type as its canonical tag.`,
    );
  }
  if (!into.canonical) {
    refused(
      into.merger_id !== null
        ? `"${into.name}" is itself a synonym; choose its canonical tag instead (synonyms can't be chained).`
        : `"${into.name}" is not canonical; make it canonical first, or choose a canonical tag.`,
    );
  }
  const affected = [tagId, ...(await q.metaDescendants(tx, tagId))];
  if (affected.includes(into.id)) refused(`"${into.name}" is a subtag of "${tag.name}".`);
  const moved = (await q.synonymsOf(tx, tagId)).map((t) => t.id);
  await refolding(tx, [tagId], now, async () => {
    await q.moveSynonyms(tx, tagId, into.id);
    await q.moveLinks(tx, tagId, into.id);
    await q.setMerger(tx, tagId, into.id);
  });
  await recordChanges(tx, "tag", [tagId, into.id, ...moved], now);
}
export const makeSynonym = (db: Db, args: TagArgs & { canonicalName: string }) =>
  wrangling(db, (tx) => makeSynonymIn(tx, args));

async function removeSynonymIn(tx: Queryable, { tagId, now }: TagArgs) {
  const tag = await load(tx, tagId);
  if (tag.merger_id === null) refused(`"${tag.name}" is not a synonym.`);
  await refolding(tx, [tagId], now, () => q.setMerger(tx, tagId, null));
  await recordChanges(tx, "tag", [tagId], now);
}
export const removeSynonym = (db: Db, args: TagArgs) =>
  wrangling(db, (tx) => removeSynonymIn(tx, args));

/** Which links make sense: the child's type, then the parent types it may hang under. */
function linkProblem(child: Tag, parent: Tag): string | null {
  if (parent.type === child.type) {
    if (!child.canonical || !parent.canonical) {
      return `Only canonical tags can be subtags and metatags ("${child.canonical ? parent.name : child.name}" is not canonical).`;
    }
    return null;
  }
  const allowed: Partial<Record<TagType, TagType[]>> = {
    fandom: ["media"],
    character: ["fandom"],
    relationship: ["fandom", "character"],
    freeform: ["fandom"],
  };
  if (allowed[child.type]?.includes(parent.type)) return null;
  return `${a(child.type)[0]?.toUpperCase()}${a(child.type).slice(1)} can't be placed under ${a(parent.type)} ("${child.name}" under "${parent.name}").`;
}

/** Links a tag to a parent: its fandom, medium, a character of a relationship, or a metatag. */
async function addParentIn(tx: Queryable, args: TagArgs & { parentName: string }) {
  const { tagId, parentName, now } = args;
  const child = await load(tx, tagId);
  const parent = await target(tx, parentName);
  if (parent.id === child.id) refused("A tag can't be its own parent.");
  if (child.merger_id !== null)
    refused(`"${child.name}" is a synonym; wrangle its canonical tag instead.`);
  if (parent.merger_id !== null) refused(`"${parent.name}" is a synonym; use its canonical tag.`);
  const problem = linkProblem(child, parent);
  if (problem) refused(problem);
  if (parent.type === child.type && (await q.metaDescendants(tx, child.id)).includes(parent.id))
    refused(`"${parent.name}" is already below "${child.name}"; that link would make a loop.`);
  // Only a metatag changes what works fold into; other links are bookkeeping.
  if (parent.type === child.type)
    await refolding(tx, [child.id], now, () => q.addLink(tx, child.id, parent.id));
  else await q.addLink(tx, child.id, parent.id);
  await recordChanges(tx, "tag", [child.id], now);
}
export const addParent = (db: Db, args: TagArgs & { parentName: string }) =>
  wrangling(db, (tx) => addParentIn(tx, args));

async function removeParentIn(tx: Queryable, args: TagArgs & { parentId: number }) {
  const { tagId, parentId, now } = args;
  const child = await load(tx, tagId);
  await refolding(tx, [child.id], now, () => q.removeLink(tx, child.id, parentId));
  await recordChanges(tx, "tag", [child.id], now);
}
export const removeParent = (db: Db, args: TagArgs & { parentId: number }) =>
  wrangling(db, (tx) => removeParentIn(tx, args));

/** Renames a tag (spelling or case); every work keeps it, since works link tags by id. */
async function renameTagIn(tx: Queryable, args: TagArgs & { newName: string }) {
  const { tagId, newName, now } = args;
  const tag = await load(tx, tagId);
  const name = normalizeTagName(newName);
  if (!name) refused("Enter the new name.");
  const problem =
    tagNameProblem(name) ?? (name.includes(",") ? "Tag names can't contain commas." : null);
  if (problem) refused(problem);
  const clash = await findTagByName(tx, name);
  if (clash && clash.id !== tag.id)
    refused(
      `There is already a tag named "${clash.name}"; make one a synonym of the other instead.`,
    );
  await q.renameTag(tx, tag.id, name, tagKey(name));
  await recordChanges(tx, "tag", [tag.id], now);
}
export const renameTag = (db: Db, args: TagArgs & { newName: string }) =>
  wrangling(db, (tx) => renameTagIn(tx, args));

export type MassWrangle =
  { kind: "fandom"; fandom: string } | { kind: "synonym"; canonical: string };

/**
 * Mass wrangling: one action applied to many tags; stops at the first refusal, changing
 * nothing. The refusal names the form field of the action (`fandom` or `canonical`).
 */
export async function wrangleMany(
  db: Db,
  args: { tagIds: readonly number[]; action: MassWrangle; now: number },
): Promise<Result> {
  const { tagIds, action, now } = args;
  const result = await wrangling(db, async (tx) => {
    for (const tagId of tagIds) {
      if (action.kind === "fandom")
        await addParentIn(tx, { tagId, parentName: action.fandom, now });
      else await makeSynonymIn(tx, { tagId, canonicalName: action.canonical, now });
    }
  });
  if (result.ok) return result;
  const field = action.kind === "fandom" ? "fandom" : "canonical";
  return refuse(result.status, refusalMessage(result), field);
}
