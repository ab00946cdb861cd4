/** Factories for collections (issue 15): built through the real commands, as the pages do. */
import {
  addWorkToCollections,
  createCollection,
  moderateItem,
} from "../../src/collections/commands.ts";
import { findItem } from "../../src/collections/queries.ts";
import { NewCollectionInput } from "../../src/collections/schemas.ts";
import type { Db } from "../../src/core/db/index.ts";
import { buildUser, type FactoryUser } from "./factories.ts";

let seq = 0;

export interface CollectionOverrides {
  /** The first owner; a new user when left out. */
  owner?: FactoryUser;
  name?: string;
  now?: number;
  /** Any field of the settings form, as the form sends it ("1" checks a box). */
  [field: string]: string | number | FactoryUser | undefined;
}

/** Creates a collection through `createCollection`, parsing the fields the form sends. */
export async function buildCollection(db: Db, overrides: CollectionOverrides = {}) {
  const { owner, now, ...fields } = overrides;
  const by = owner ?? (await buildUser(db));
  seq += 1;
  const input = NewCollectionInput.parse({
    name: `collection_${seq}_${Math.random().toString(36).slice(2, 7)}`,
    title: `Collection ${seq}`,
    ...fields,
  });
  const created = await createCollection(db, { userId: by.id, input, now: now ?? Date.now() });
  if (!created.ok) throw new Error(`The collection was refused: ${JSON.stringify(created.errors)}`);
  return { id: created.value.id, name: created.value.name, owner: by };
}

/**
 * Puts a work in a collection as one of its creators does (pending in a moderated one), and,
 * with `approve`, approves it as a moderator would.
 */
export async function buildItem(
  db: Db,
  args: {
    collection: { id: number; name: string };
    workId: number;
    by: FactoryUser;
    approve?: boolean;
    now?: number;
  },
) {
  const now = args.now ?? Date.now();
  const added = await addWorkToCollections(db, {
    workId: args.workId,
    userId: args.by.id,
    text: args.collection.name,
    now,
  });
  if (!added.ok) throw new Error(`The item was refused: ${JSON.stringify(added.errors)}`);
  if (args.approve) {
    const item = await findItem(db, args.collection.id, args.workId);
    if (item?.collectionApproval !== "approved") {
      const approved = await moderateItem(db, {
        collectionId: args.collection.id,
        workId: args.workId,
        action: "approve",
        now,
      });
      if (!approved.ok) throw new Error(JSON.stringify(approved.errors));
    }
  }
  return findItem(db, args.collection.id, args.workId);
}
