/**
 * Collections' data layer on both engines (issue 15): what makes a work anonymous or
 * unrevealed, the reveal by date, and the counts and candidates of a parent collection.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { answerItem, inviteWork, moderateItem, revealDue } from "../../src/collections/commands.ts";
import { shownWorkCounts, switchesOf } from "../../src/collections/queries.ts";
import type { DbHandle } from "../../src/core/db/index.ts";
import { GUEST } from "../../src/core/viewer.ts";
import { collectionWorkIds } from "../../src/search/listings/collection-queries.ts";
import { openTestDb, describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { buildCollection, buildItem } from "../support/factories-collections.ts";

const NOW = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;

describeEachEngine("collections data layer", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  const flags = (workId: number) =>
    h.db
      .selectFrom("works")
      .select(["in_anon_collection as anonymous", "in_unrevealed_collection as unrevealed"])
      .where("id", "=", workId)
      .executeTakeFirstOrThrow();

  test("switches: pending submissions count, rejected items and unanswered invitations don't", async () => {
    const owner = await buildUser(h.db);
    const writer = await buildUser(h.db);
    const exchange = await buildCollection(h.db, {
      owner,
      moderated: "1",
      anonymous: "1",
      unrevealed: "1",
    });
    const { workId } = await buildWork(h.db, { pseudId: writer.pseudId });
    await buildItem(h.db, { collection: exchange, workId, by: writer });
    assert.deepEqual(await switchesOf(h.db, workId), { anonymous: true, unrevealed: true });
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 1 });
    const rejected = await moderateItem(h.db, {
      collectionId: exchange.id,
      workId,
      action: "reject",
      now: NOW,
    });
    assert.ok(rejected.ok);
    assert.deepEqual(await flags(workId), { anonymous: 0, unrevealed: 0 });

    const other = (await buildWork(h.db, { pseudId: writer.pseudId })).workId;
    const invited = await inviteWork(h.db, {
      workId: other,
      userId: owner.id,
      text: exchange.name,
      now: NOW,
    });
    assert.ok(invited.ok);
    assert.deepEqual(await switchesOf(h.db, other), { anonymous: false, unrevealed: false });
    await answerItem(h.db, {
      collectionId: exchange.id,
      workId: other,
      action: "accept",
      now: NOW,
    });
    assert.deepEqual(await flags(other), { anonymous: 1, unrevealed: 1 });
  });

  test("reveal by date: each switch at its own time, only once due", async () => {
    const owner = await buildUser(h.db);
    const c = await buildCollection(h.db, {
      owner,
      anonymous: "1",
      unrevealed: "1",
      reveal_works_at: new Date(NOW + HOUR).toISOString().slice(0, 16),
      reveal_creators_at: new Date(NOW + 3 * HOUR).toISOString().slice(0, 16),
    });
    const { workId } = await buildWork(h.db, { pseudId: owner.pseudId });
    await buildItem(h.db, { collection: c, workId, by: owner });
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 1 });
    const due = async (at: number) => {
      await revealDue(h.db, at);
      return flags(workId);
    };
    assert.deepEqual(await due(NOW), { anonymous: 1, unrevealed: 1 });
    assert.deepEqual(await due(NOW + 2 * HOUR), { anonymous: 1, unrevealed: 0 });
    const revealed = await h.db
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", "work.revealed")
      .execute();
    assert.ok(revealed.some((r) => String(r.payload).includes(String(workId))));
    assert.deepEqual(await due(NOW + 4 * HOUR), { anonymous: 0, unrevealed: 0 });
    assert.equal(await revealDue(h.db, NOW + 5 * HOUR), 0, "nothing left to reveal");
  });

  test("a parent's works are its own and its children's, each once, approved only", async () => {
    const owner = await buildUser(h.db);
    const parent = await buildCollection(h.db, { owner });
    const child = await buildCollection(h.db, {
      owner,
      parent_name: parent.name,
      moderated: "1",
    });
    const writer = await buildUser(h.db);
    const both = (await buildWork(h.db, { pseudId: owner.pseudId })).workId;
    const childOnly = (await buildWork(h.db, { pseudId: owner.pseudId })).workId;
    const waiting = (await buildWork(h.db, { pseudId: writer.pseudId })).workId;
    await buildItem(h.db, { collection: parent, workId: both, by: owner });
    await buildItem(h.db, { collection: child, workId: both, by: owner });
    await buildItem(h.db, { collection: child, workId: childOnly, by: owner });
    await buildItem(h.db, { collection: child, workId: waiting, by: writer });

    const ids = await collectionWorkIds(h.db, parent.id);
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      [both, childOnly].sort((a, b) => a - b),
    );
    assert.deepEqual(
      (await collectionWorkIds(h.db, child.id)).sort((a, b) => a - b),
      [both, childOnly].sort((a, b) => a - b),
    );
    const counts = await shownWorkCounts(h.db, GUEST, [parent.id, child.id]);
    assert.equal(counts.get(parent.id), 2);
    assert.equal(counts.get(child.id), 2);
  });
});
