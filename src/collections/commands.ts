/**
 * Every write to collections, their participants and their items (issue 15): one transaction
 * each. After any change to a work's items, or to a collection's anonymous or unrevealed
 * switch, the affected works' two flags are computed again from their items and set through
 * `setCollectionFlagsIn` (works/commands.ts) in the same transaction, so a work is never
 * shown with a byline or in a listing its collections no longer allow. That function also
 * announces a work readers see for the first time (`work.revealed`).
 *
 * Collections never import engagement: what people should hear of (a submission waiting, an
 * approval, a rejection, an invitation) goes out as a `collection.item` job.
 */
import { findUserByLogin } from "../accounts/queries.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import type { CollectionRole } from "../core/db/schema.ts";
import { enqueue } from "../core/jobs/kinds.ts";
import { limits } from "../core/limits.ts";
import { inTransaction, ok, refuse, type Result } from "../core/result.ts";
import { formatUserText, SANITIZER_VERSION } from "../core/text/sanitize.ts";
import { setCollectionFlagsIn } from "../works/commands.ts";
import { collectionKey, splitCollectionNames } from "./names.ts";
import * as q from "./queries.ts";
import type { Collection } from "./queries.ts";
import type { CollectionSettingsInput, NewCollectionInput } from "./schemas.ts";

type ItemEvent = "submitted" | "approved" | "rejected" | "invited";

async function tell(
  tx: Queryable,
  collectionId: number,
  workId: number,
  event: ItemEvent,
  now: number,
) {
  await enqueue(tx, { kind: "collection.item", payload: { collectionId, workId, event } }, now);
}

/** Sets each work's two switches from its items (see `switchesOf` for what counts). */
export async function recomputeSwitches(
  tx: Queryable,
  workIds: readonly number[],
  now: number,
): Promise<void> {
  for (const workId of new Set(workIds)) {
    await setCollectionFlagsIn(tx, workId, await q.switchesOf(tx, workId), now);
  }
}

const maintainer = (role: CollectionRole | null) => role === "owner" || role === "moderator";

/** How a collection is named in messages: its title and address name. */
const describe = (c: Pick<Collection, "title" | "name">) => `"${c.title}" (${c.name})`;

// ── Collections ────────────────────────────────────────────────────────────────────────────

/**
 * The parent a form names, checked: it exists, is not a subcollection itself (one level), is
 * not the collection itself, the collection has no subcollections of its own, and the user
 * maintains the parent (nobody files their collection under someone else's).
 */
async function resolveParent(
  tx: Queryable,
  userId: number,
  parentName: string,
  self: Collection | null,
): Promise<Result<number | null>> {
  if (parentName === "") return ok(null);
  const field = "parent_name";
  const parent = await q.findCollectionByKey(tx, collectionKey(parentName));
  if (!parent) return refuse(422, `There is no collection named "${parentName}".`, field);
  if (self && parent.id === self.id)
    return refuse(422, "A collection can't be its own parent.", field);
  if (parent.parent_id !== null)
    return refuse(
      422,
      `${describe(parent)} is itself a subcollection: collections nest one level only.`,
      field,
    );
  if (self && self.parent_id !== parent.id && (await q.childCount(tx, self.id)) > 0)
    return refuse(
      422,
      "This collection has subcollections, so it can't become a subcollection itself.",
      field,
    );
  if (self?.parent_id !== parent.id && !maintainer(await q.roleOf(tx, parent.id, userId)))
    return refuse(
      422,
      `Only the owners and moderators of ${describe(parent)} can add subcollections to it.`,
      field,
    );
  return ok(parent.id);
}

function settingsColumns(input: CollectionSettingsInput) {
  return {
    title: input.title,
    description_html: formatUserText(input.description),
    rules_html: formatUserText(input.rules),
    sanitizer_version: SANITIZER_VERSION,
    moderated: input.moderated ? 1 : 0,
    closed: input.closed ? 1 : 0,
    anonymous: input.anonymous ? 1 : 0,
    unrevealed: input.unrevealed ? 1 : 0,
    reveal_works_at: input.reveal_works_at,
    reveal_creators_at: input.reveal_creators_at,
  } as const;
}

/** Creates a collection; its creator is its first owner. */
export async function createCollection(
  db: Db,
  args: { userId: number; input: NewCollectionInput; now: number },
): Promise<Result<{ id: number; name: string }>> {
  const { userId, input, now } = args;
  return inTransaction(db, async (tx) => {
    const parent = await resolveParent(tx, userId, input.parent_name, null);
    if (!parent.ok) return parent;
    const id = await q.insertCollection(tx, {
      name: input.name,
      name_key: collectionKey(input.name),
      parent_id: parent.value,
      ...settingsColumns(input),
      created_at: now,
      updated_at: now,
    });
    if (id === undefined)
      return refuse(422, `The name "${input.name}" is taken: choose another.`, "name");
    await q.setParticipant(tx, { collectionId: id, userId, role: "owner", now });
    return ok({ id, name: input.name });
  });
}

/**
 * Saves a collection's settings. Unchecking "anonymous" or "unrevealed" reveals its works'
 * creators or its works at once (AO3's reveal by action); checking them hides them.
 */
export async function editCollection(
  db: Db,
  args: { collectionId: number; userId: number; input: CollectionSettingsInput; now: number },
): Promise<Result> {
  const { collectionId, userId, input, now } = args;
  return inTransaction(db, async (tx) => {
    const before = await q.findCollectionById(tx, collectionId);
    if (!before) return refuse(404, "That collection no longer exists.");
    const parent = await resolveParent(tx, userId, input.parent_name, before);
    if (!parent.ok) return parent;
    const columns = settingsColumns(input);
    await q.updateCollection(tx, collectionId, {
      ...columns,
      parent_id: parent.value,
      updated_at: now,
    });
    if (columns.anonymous !== before.anonymous || columns.unrevealed !== before.unrevealed)
      await recomputeSwitches(tx, await q.workIdsWithItemsIn(tx, collectionId), now);
    return ok();
  });
}

/**
 * Deletes a collection with its items and participants, never its works: each work's switches
 * are computed again without it (leaving an unrevealed collection reveals the work). Its
 * subcollections stay, as collections of their own.
 */
export async function deleteCollection(
  db: Db,
  args: { collectionId: number; now: number },
): Promise<Result> {
  const { collectionId, now } = args;
  return inTransaction(db, async (tx) => {
    const workIds = await q.workIdsWithItemsIn(tx, collectionId);
    await q.deleteCollection(tx, collectionId);
    await recomputeSwitches(tx, workIds, now);
    return ok();
  });
}

/** "Reveal works" or "Reveal creators": the switch goes off and every work follows. */
export async function reveal(
  db: Db,
  args: { collectionId: number; what: "works" | "creators"; now: number },
): Promise<Result> {
  const { collectionId, what, now } = args;
  return inTransaction(db, async (tx) => {
    await q.updateCollection(
      tx,
      collectionId,
      what === "works" ? { unrevealed: 0, updated_at: now } : { anonymous: 0, updated_at: now },
    );
    await recomputeSwitches(tx, await q.workIdsWithItemsIn(tx, collectionId), now);
    return ok();
  });
}

/**
 * The reveal by date (the `collections.reveal` job): each collection whose reveal time has
 * passed reveals its works and/or creators, one transaction per collection. The number of
 * collections revealed.
 */
export async function revealDue(db: Db, now: number): Promise<number> {
  const due = await q.dueReveals(db, now);
  for (const c of due) {
    await inTransaction(db, async (tx) => {
      const works = c.unrevealed === 1 && c.reveal_works_at !== null && c.reveal_works_at <= now;
      const creators =
        c.anonymous === 1 && c.reveal_creators_at !== null && c.reveal_creators_at <= now;
      await q.updateCollection(tx, c.id, {
        ...(works ? { unrevealed: 0 } : {}),
        ...(creators ? { anonymous: 0 } : {}),
        updated_at: now,
      });
      await recomputeSwitches(tx, await q.workIdsWithItemsIn(tx, c.id), now);
      return ok();
    });
  }
  return due.length;
}

// ── Participants ───────────────────────────────────────────────────────────────────────────

const LAST_OWNER = "A collection needs at least one owner: add another owner first.";

/** Whether taking `userId`'s owner role away would leave the collection with none. */
async function lastOwner(tx: Queryable, collectionId: number, userId: number) {
  return (
    (await q.roleOf(tx, collectionId, userId)) === "owner" &&
    (await q.ownerCount(tx, collectionId)) <= 1
  );
}

/** An owner adds someone by user name (or changes the role of someone already in). */
export async function addParticipant(
  db: Db,
  args: { collectionId: number; login: string; role: CollectionRole; now: number },
): Promise<Result<{ login: string }>> {
  const { collectionId, role, now } = args;
  return inTransaction(db, async (tx) => {
    const user = await findUserByLogin(tx, args.login);
    if (!user) return refuse(422, `There is no user named "${args.login}".`, "login");
    if (role !== "owner" && (await lastOwner(tx, collectionId, user.id)))
      return refuse(409, LAST_OWNER, "role");
    await q.setParticipant(tx, { collectionId, userId: user.id, role, now });
    return ok({ login: user.login });
  });
}

export async function changeRole(
  db: Db,
  args: { collectionId: number; userId: number; role: CollectionRole; now: number },
): Promise<Result> {
  const { collectionId, userId, role, now } = args;
  return inTransaction(db, async (tx) => {
    const current = await q.roleOf(tx, collectionId, userId);
    if (current === null) return refuse(404, "That person is not in this collection.");
    if (role !== "owner" && (await lastOwner(tx, collectionId, userId)))
      return refuse(409, LAST_OWNER);
    await q.setParticipant(tx, { collectionId, userId, role, now });
    return ok();
  });
}

/** Removes a participant (an owner removing someone, or someone leaving); never the last owner. */
export async function removeParticipant(
  db: Db,
  args: { collectionId: number; userId: number },
): Promise<Result> {
  const { collectionId, userId } = args;
  return inTransaction(db, async (tx) => {
    if ((await q.roleOf(tx, collectionId, userId)) === null)
      return refuse(404, "That person is not in this collection.");
    if (await lastOwner(tx, collectionId, userId)) return refuse(409, LAST_OWNER);
    await q.removeParticipant(tx, collectionId, userId);
    return ok();
  });
}

/** "Join": a member. Someone already in keeps their role; a closed collection takes nobody new. */
export async function join(
  db: Db,
  args: { collectionId: number; userId: number; now: number },
): Promise<Result<{ already: boolean }>> {
  const { collectionId, userId, now } = args;
  return inTransaction<{ already: boolean }>(db, async (tx) => {
    const collection = await q.findCollectionById(tx, collectionId);
    if (!collection) return refuse(404, "That collection no longer exists.");
    if ((await q.roleOf(tx, collectionId, userId)) !== null) return ok({ already: true });
    if (collection.closed) return refuse(409, "This collection is closed to new members.");
    await q.setParticipant(tx, { collectionId, userId, role: "member", now });
    return ok({ already: false });
  });
}

// ── Items ──────────────────────────────────────────────────────────────────────────────────

/**
 * One of a work's creators puts it in a collection. In a moderated collection it waits for the
 * moderators, unless the poster is one; a closed collection takes no new works. A work already
 * there stays as it is, except that naming a collection whose invitation waits for the
 * creators accepts it. Switches are the caller's to recompute.
 */
async function submitIn(
  tx: Queryable,
  args: { collection: Collection; workId: number; userId: number; now: number; field: string },
): Promise<Result> {
  const { collection, workId, userId, now, field } = args;
  const existing = await q.findItem(tx, collection.id, workId);
  if (existing) {
    if (existing.creatorApproval !== "approved")
      await q.setItemApproval(tx, collection.id, workId, { creator: "approved" });
    return ok();
  }
  if (collection.closed)
    return refuse(422, `${describe(collection)} is closed to new works.`, field);
  const waits =
    collection.moderated === 1 && !maintainer(await q.roleOf(tx, collection.id, userId));
  await q.insertItem(tx, {
    collectionId: collection.id,
    workId,
    collectionApproval: waits ? "pending" : "approved",
    creatorApproval: "approved",
    addedBy: userId,
    now,
  });
  if (waits) await tell(tx, collection.id, workId, "submitted", now);
  return ok();
}

/** The collections a field names, or a refusal naming the ones that do not exist. */
async function namedCollections(
  tx: Queryable,
  text: string,
  field: string,
): Promise<Result<Collection[]>> {
  const names = splitCollectionNames(text);
  if (names.length > limits.collectionsPerWork)
    return refuse(
      422,
      `A work can be posted to at most ${limits.collectionsPerWork} collections at once.`,
      field,
    );
  const found = await q.collectionsByKeys(tx, names.map(collectionKey));
  const byKey = new Map(found.map((c) => [c.name_key, c]));
  const unknown = names.filter((n) => !byKey.has(collectionKey(n)));
  if (unknown.length > 0)
    return refuse(
      422,
      unknown.length === 1
        ? `There is no collection named "${unknown[0]}".`
        : `There are no collections named ${unknown.map((n) => `"${n}"`).join(", ")}.`,
      field,
    );
  return ok(names.map((n) => byKey.get(collectionKey(n))!));
}

/**
 * The work form's "Post to Collections" field, saved in the work's transaction: named
 * collections are joined; on edit, collections left out are left. Invitations the creators
 * have not accepted (waiting or declined) are not in the field, so they stay as they are.
 */
export async function setWorkCollectionsIn(
  tx: Queryable,
  args: { workId: number; userId: number; text: string; isNew: boolean; now: number },
): Promise<Result> {
  const { workId, userId, isNew, now } = args;
  const field = "collection_names";
  const named = await namedCollections(tx, args.text, field);
  if (!named.ok) return named;
  for (const collection of named.value) {
    const submitted = await submitIn(tx, { collection, workId, userId, now, field });
    if (!submitted.ok) return submitted;
  }
  if (!isNew) {
    const kept = new Set(named.value.map((c) => c.id));
    for (const item of await q.itemsOfWork(tx, workId)) {
      if (!kept.has(item.collectionId) && item.creatorApproval === "approved")
        await q.deleteItem(tx, item.collectionId, workId);
    }
  }
  await recomputeSwitches(tx, [workId], now);
  return ok();
}

/** "Add to collections" from the work's page, by one of its creators. */
export async function addWorkToCollections(
  db: Db,
  args: { workId: number; userId: number; text: string; now: number },
): Promise<Result<{ added: Collection[] }>> {
  const { workId, userId, now } = args;
  const field = "collection_names";
  return inTransaction(db, async (tx) => {
    const named = await namedCollections(tx, args.text, field);
    if (!named.ok) return named;
    for (const collection of named.value) {
      const submitted = await submitIn(tx, { collection, workId, userId, now, field });
      if (!submitted.ok) return submitted;
    }
    await recomputeSwitches(tx, [workId], now);
    return ok({ added: named.value });
  });
}

/**
 * An owner or moderator invites someone else's work to the collections named (only ones they
 * maintain): the item is approved on the collections' side and waits for the work's creators,
 * who hear of it. Until they accept, the collections' switches do not touch the work.
 */
export async function inviteWork(
  db: Db,
  args: { workId: number; userId: number; text: string; now: number },
): Promise<Result<{ invited: Collection[] }>> {
  const { workId, userId, now } = args;
  const field = "collection_names";
  return inTransaction(db, async (tx) => {
    const named = await namedCollections(tx, args.text, field);
    if (!named.ok) return named;
    for (const collection of named.value) {
      if (!maintainer(await q.roleOf(tx, collection.id, userId)))
        return refuse(
          422,
          `You can invite works only to collections you own or moderate, not to ${describe(collection)}.`,
          field,
        );
      const existing = await q.findItem(tx, collection.id, workId);
      if (existing)
        return refuse(
          422,
          existing.creatorApproval === "pending"
            ? `This work was invited to ${describe(collection)} already; its creators haven't answered yet.`
            : `This work is in ${describe(collection)} already.`,
          field,
        );
      await q.insertItem(tx, {
        collectionId: collection.id,
        workId,
        collectionApproval: "approved",
        creatorApproval: "pending",
        addedBy: userId,
        now,
      });
      await tell(tx, collection.id, workId, "invited", now);
    }
    return ok({ invited: named.value });
  });
}

type ItemAction = "approve" | "reject" | "remove";

/**
 * A moderator's decision on an item: approve or reject it (its creators hear either way, when
 * they had asked for it), or remove it from the collection. The work's switches follow.
 */
export async function moderateItem(
  db: Db,
  args: { collectionId: number; workId: number; action: ItemAction; now: number },
): Promise<Result> {
  const { collectionId, workId, action, now } = args;
  return inTransaction(db, async (tx) => {
    const item = await q.findItem(tx, collectionId, workId);
    if (!item) return refuse(404, "That work is not in this collection.");
    if (action === "remove") {
      await q.deleteItem(tx, collectionId, workId);
    } else {
      const next = action === "approve" ? "approved" : "rejected";
      if (item.collectionApproval === next) return ok();
      await q.setItemApproval(tx, collectionId, workId, { collection: next });
      if (item.creatorApproval === "approved") await tell(tx, collectionId, workId, next, now);
    }
    await recomputeSwitches(tx, [workId], now);
    return ok();
  });
}

/**
 * The creator's side of an item: accept or decline a moderator's invitation, or take the work
 * out of the collection. The work's switches follow.
 */
export async function answerItem(
  db: Db,
  args: {
    collectionId: number;
    workId: number;
    action: "accept" | "decline" | "remove";
    now: number;
  },
): Promise<Result> {
  const { collectionId, workId, action, now } = args;
  return inTransaction(db, async (tx) => {
    const item = await q.findItem(tx, collectionId, workId);
    if (!item) return refuse(404, "That work is not in this collection.");
    if (action === "remove") await q.deleteItem(tx, collectionId, workId);
    else
      await q.setItemApproval(tx, collectionId, workId, {
        creator: action === "accept" ? "approved" : "rejected",
      });
    await recomputeSwitches(tx, [workId], now);
    return ok();
  });
}
