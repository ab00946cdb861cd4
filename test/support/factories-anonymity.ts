/**
 * Factories for anonymous and unrevealed works (issue 15). They set the two switches the way
 * collections/ does, through `setCollectionFlagsIn` (works/commands.ts), without a collection:
 * the visibility rules read the switches alone, so these tests hold whatever collection put a
 * work there.
 */
import type { Db } from "../../src/core/db/index.ts";
import { ok } from "../../src/core/result.ts";
import { postWork, setCollectionFlagsIn } from "../../src/works/commands.ts";
import { NewWorkInput } from "../../src/works/schemas.ts";
import { buildUser, type WorkOverrides } from "./factories.ts";

export interface CollectionFlags {
  anonymous: boolean;
  unrevealed: boolean;
}

export const NO_FLAGS: CollectionFlags = { anonymous: false, unrevealed: false };

/** Sets a work's switches in a transaction of its own, as a collection's change would. */
export async function setFlags(db: Db, workId: number, flags: CollectionFlags, now = Date.now()) {
  await db.transaction().execute((tx) => setCollectionFlagsIn(tx, workId, flags, now));
}

let seq = 0;

/**
 * Posts (or saves as a draft) a work that is in a collection with these switches from the
 * start: they are set inside the posting transaction, as the collections association does, so
 * an unrevealed work is never announced at posting and an anonymous one never named.
 */
export async function buildCollectedWork(
  db: Db,
  flags: CollectionFlags,
  overrides: WorkOverrides = {},
) {
  const { pseudId, now, ...fields } = overrides;
  const author = pseudId ?? (await buildUser(db)).pseudId;
  const at = now ?? Date.now();
  seq += 1;
  const input = NewWorkInput.parse({
    title: `Collected work ${seq}`,
    rating: "General Audiences",
    warnings: ["No Archive Warnings Apply"],
    fandoms: "Factory Fandom",
    language: "en",
    text: "Some chapter text for a collected work.",
    ...fields,
  });
  const result = await postWork(db, {
    pseudId: author,
    input,
    now: at,
    associate: async (tx, workId) => {
      await setCollectionFlagsIn(tx, workId, flags, at);
      return ok();
    },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.value, pseudId: author };
}
