/**
 * Tag wrangling. Each command checks the archive's rules, changes the tags, and refreshes
 * the folded filter sets of every work it touches, all in one transaction.
 */
import { recordChanges } from "../core/db/changes.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import type { Tag, TagType } from "../core/db/schema.ts";
import { withArticle } from "./fixed.ts";
import { tagKey, normalizeTagName, tagNameProblem } from "./names.ts";
import { findTagByName, refreshFilterTags, worksTaggedWith } from "./queries.ts";
import * as q from "./wrangling-queries.ts";

export type Result = { ok: true } | { ok: false; error: string };
const refuse = (error: string): Result => ({ ok: false, error });
const OK: Result = { ok: true };

const FIXED: ReadonlySet<TagType> = new Set(["media", "rating", "warning", "category"]);
const a = withArticle;

class Refused extends Error {}

async function inTransaction(db: Db, fn: (tx: Queryable) => Promise<void>): Promise<Result> {
  try {
    await db.transaction().execute(fn);
    return OK;
  } catch (err) {
    if (err instanceof Refused) return refuse(err.message);
    throw err;
  }
}

async function load(tx: Queryable, id: number): Promise<Tag> {
  const tag = await q.findTagById(tx, id);
  if (!tag) throw new Refused("That tag no longer exists.");
  if (FIXED.has(tag.type))
    throw new Refused(`"${tag.name}" is one of the archive's fixed tags and can't be wrangled.`);
  return tag;
}

async function target(tx: Queryable, name: string): Promise<Tag> {
  const tag = await findTagByName(tx, name);
  if (!tag) throw new Refused(`There is no tag named "${normalizeTagName(name)}".`);
  return tag;
}

/** Refreshes the works under a tag: itself, its subtags and all their synonyms. */
/**
 * Runs a wrangling change, then refolds the works under the tags it touches (the tags, their
 * subtags and synonyms), rewriting only the filter rows of tags they fold into before or after.
 */
async function refolding(tx: Queryable, tagIds: number[], change: () => Promise<void>) {
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
  await recordChanges(tx, "tag", rewritten, Date.now());
}

async function setCanonicalIn(tx: Queryable, tagId: number, canonical: boolean): Promise<void> {
  const tag = await load(tx, tagId);
  if (canonical && tag.merger_id !== null) {
    throw new Refused(`"${tag.name}" is a synonym; remove it from its canonical tag first.`);
  }
  if (!canonical) {
    if ((await q.synonymsOf(tx, tagId)).length) {
      throw new Refused(`"${tag.name}" has synonyms; move them to another canonical tag first.`);
    }
    const subtags = (await q.childrenOf(tx, tagId)).filter((c) => c.type === tag.type);
    if (subtags.length) throw new Refused(`"${tag.name}" has subtags; remove them first.`);
  }
  await refolding(tx, [tagId], () => q.setCanonical(tx, tagId, canonical));
  await recordChanges(tx, "tag", [tagId], Date.now());
}
export const setCanonical = (db: Db, tagId: number, canonical: boolean) =>
  inTransaction(db, (tx) => setCanonicalIn(tx, tagId, canonical));

/**
 * Makes `tagId` a synonym of the canonical tag named `canonicalName` ("Derek Shepard" →
 * "Derek Shepherd"). A canonical tag merged this way hands over its synonyms and links.
 */
async function makeSynonymIn(tx: Queryable, tagId: number, canonicalName: string): Promise<void> {
  const tag = await load(tx, tagId);
  const into = await target(tx, canonicalName);
  if (into.id === tag.id) throw new Refused("A tag can't be a synonym of itself.");
  if (into.type !== tag.type) {
    throw new Refused(
      `"${tag.name}" is ${a(tag.type)} and "${into.name}" is ${a(into.type)}: a synonym must be of the same type as its canonical tag.`,
    );
  }
  if (!into.canonical) {
    throw new Refused(
      into.merger_id !== null
        ? `"${into.name}" is itself a synonym; choose its canonical tag instead (synonyms can't be chained).`
        : `"${into.name}" is not canonical; make it canonical first, or choose a canonical tag.`,
    );
  }
  const affected = [tagId, ...(await q.metaDescendants(tx, tagId))];
  if (affected.includes(into.id)) throw new Refused(`"${into.name}" is a subtag of "${tag.name}".`);
  const moved = (await q.synonymsOf(tx, tagId)).map((t) => t.id);
  await refolding(tx, [tagId], async () => {
    await q.moveSynonyms(tx, tagId, into.id);
    await q.moveLinks(tx, tagId, into.id);
    await q.setMerger(tx, tagId, into.id);
  });
  await recordChanges(tx, "tag", [tagId, into.id, ...moved], Date.now());
}
export const makeSynonym = (db: Db, tagId: number, canonicalName: string) =>
  inTransaction(db, (tx) => makeSynonymIn(tx, tagId, canonicalName));

async function removeSynonymIn(tx: Queryable, tagId: number): Promise<void> {
  const tag = await load(tx, tagId);
  if (tag.merger_id === null) throw new Refused(`"${tag.name}" is not a synonym.`);
  await refolding(tx, [tagId], () => q.setMerger(tx, tagId, null));
  await recordChanges(tx, "tag", [tagId], Date.now());
}
export const removeSynonym = (db: Db, tagId: number) =>
  inTransaction(db, (tx) => removeSynonymIn(tx, tagId));

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
async function addParentIn(tx: Queryable, tagId: number, parentName: string): Promise<void> {
  const child = await load(tx, tagId);
  const parent = await target(tx, parentName);
  if (parent.id === child.id) throw new Refused("A tag can't be its own parent.");
  if (child.merger_id !== null)
    throw new Refused(`"${child.name}" is a synonym; wrangle its canonical tag instead.`);
  if (parent.merger_id !== null)
    throw new Refused(`"${parent.name}" is a synonym; use its canonical tag.`);
  const problem = linkProblem(child, parent);
  if (problem) throw new Refused(problem);
  if (parent.type === child.type && (await q.metaDescendants(tx, child.id)).includes(parent.id)) {
    throw new Refused(
      `"${parent.name}" is already below "${child.name}"; that link would make a loop.`,
    );
  }
  // Only a metatag changes what works fold into; other links are bookkeeping.
  if (parent.type === child.type)
    await refolding(tx, [child.id], () => q.addLink(tx, child.id, parent.id));
  else await q.addLink(tx, child.id, parent.id);
  await recordChanges(tx, "tag", [child.id], Date.now());
}
export const addParent = (db: Db, tagId: number, parentName: string) =>
  inTransaction(db, (tx) => addParentIn(tx, tagId, parentName));

async function removeParentIn(tx: Queryable, tagId: number, parentId: number): Promise<void> {
  const child = await load(tx, tagId);
  await refolding(tx, [child.id], () => q.removeLink(tx, child.id, parentId));
  await recordChanges(tx, "tag", [child.id], Date.now());
}
export const removeParent = (db: Db, tagId: number, parentId: number) =>
  inTransaction(db, (tx) => removeParentIn(tx, tagId, parentId));

/** Renames a tag (spelling or case); every work keeps it, since works link tags by id. */
async function renameTagIn(tx: Queryable, tagId: number, newName: string): Promise<void> {
  const tag = await load(tx, tagId);
  const name = normalizeTagName(newName);
  if (!name) throw new Refused("Enter the new name.");
  const problem =
    tagNameProblem(name) ?? (name.includes(",") ? "Tag names can't contain commas." : null);
  if (problem) throw new Refused(problem);
  const clash = await findTagByName(tx, name);
  if (clash && clash.id !== tag.id) {
    throw new Refused(
      `There is already a tag named "${clash.name}"; make one a synonym of the other instead.`,
    );
  }
  await q.renameTag(tx, tag.id, name, tagKey(name));
  await recordChanges(tx, "tag", [tag.id], Date.now());
}
export const renameTag = (db: Db, tagId: number, newName: string) =>
  inTransaction(db, (tx) => renameTagIn(tx, tagId, newName));

/** Mass wrangling: one action applied to many tags; stops at the first refusal, changing nothing. */
export async function wrangleMany(
  db: Db,
  tagIds: readonly number[],
  action: { kind: "fandom"; fandom: string } | { kind: "synonym"; canonical: string },
): Promise<Result> {
  return inTransaction(db, async (tx) => {
    for (const id of tagIds) {
      if (action.kind === "fandom") await addParentIn(tx, id, action.fandom);
      else await makeSynonymIn(tx, id, action.canonical);
    }
  });
}
