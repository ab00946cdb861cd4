/**
 * Wrangles the demo archive the way volunteers would, through the same commands: the
 * built-in fandoms and their characters become canonical and are filed under their media and
 * fandoms, relationships between canonical characters follow, misspelled character names
 * become synonyms of the right ones, popular additional tags become canonical, and
 * "Alternate Universe - …" tags become subtags of "Alternate Universe". So a fresh archive
 * shows the fandom index, autocomplete and folded tag pages working.
 */
import type { Db } from "../core/db/index.ts";
import type { Tag } from "../core/db/schema.ts";
import { refusalMessage, type Result } from "../core/result.ts";
import { addParent, makeSynonym, setCanonical } from "../tags/commands.ts";
import { findTagByName } from "../tags/queries.ts";
import { tagsOfType } from "./queries.ts";
import { FANDOMS } from "./vocabulary.ts";

/** Optimal string alignment distance (a swap counts once), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i] as number[];
      const prev = rows[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

async function must(result: Promise<Result>) {
  const r = await result;
  if (!r.ok) throw new Error(`Demo wrangling refused: ${refusalMessage(r)}`);
}

export async function wrangleDemo(db: Db, opts: { now: number; freeformMinUses?: number }) {
  const { now } = opts;
  const canonicalCharacters = new Map<string, { tag: Tag; fandom: string }>();
  for (const fandom of FANDOMS) {
    const fandomTag = await findTagByName(db, fandom.name);
    if (!fandomTag) continue;
    await must(setCanonical(db, { tagId: fandomTag.id, canonical: true, now }));
    await must(addParent(db, { tagId: fandomTag.id, parentName: fandom.medium, now }));
    for (const character of fandom.characters) {
      const tag = await findTagByName(db, character.name);
      if (!tag || tag.type !== "character") continue;
      await must(setCanonical(db, { tagId: tag.id, canonical: true, now }));
      await must(addParent(db, { tagId: tag.id, parentName: fandom.name, now }));
      canonicalCharacters.set(tag.name_key, { tag, fandom: fandom.name });
    }
  }

  for (const tag of await tagsOfType(db, "character")) {
    if (tag.canonical || tag.merger_id !== null) continue;
    const right = [...canonicalCharacters.values()].find(
      (c) => editDistance(c.tag.name_key, tag.name_key) <= 2,
    );
    if (right) await must(makeSynonym(db, { tagId: tag.id, canonicalName: right.tag.name, now }));
  }

  for (const tag of await tagsOfType(db, "relationship")) {
    const names = tag.name.split(/\/| & /).map((n) => n.trim().toLowerCase());
    const people = names.map((n) => canonicalCharacters.get(n));
    if (people.some((p) => p === undefined)) continue;
    await must(setCanonical(db, { tagId: tag.id, canonical: true, now }));
    for (const fandom of new Set(people.map((p) => p!.fandom)))
      await must(addParent(db, { tagId: tag.id, parentName: fandom, now }));
    for (const p of people)
      await must(addParent(db, { tagId: tag.id, parentName: p!.tag.name, now }));
  }

  const minUses = opts.freeformMinUses ?? 2;
  const freeforms = (await tagsOfType(db, "freeform")).filter((t) => t.taggings_count >= minUses);
  for (const tag of freeforms)
    await must(setCanonical(db, { tagId: tag.id, canonical: true, now }));
  const au = freeforms.find((t) => t.name_key === "alternate universe");
  if (au) {
    for (const tag of freeforms) {
      if (tag.id !== au.id && tag.name_key.startsWith("alternate universe - "))
        await must(addParent(db, { tagId: tag.id, parentName: au.name, now }));
    }
  }
}
