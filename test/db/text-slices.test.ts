/**
 * The text index is built in timed slices (issue 16: no stalls during a backfill): with a
 * budget, batches shrink to what fits it and the event loop is handed back between them;
 * merging FTS5's segments afterwards goes in steps too. The entries are the same.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import {
  indexWorkText,
  nextSliceSize,
  optimizeWorkText,
} from "../../src/search/text/entry-queries.ts";
import { parseTextQuery } from "../../src/search/text/query.ts";
import { searchWorkText } from "../../src/search/text/search-queries.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

async function found(h: DbHandle, text: string): Promise<number[]> {
  const parsed = parseTextQuery(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return (await searchWorkText(h.db, h.engine, parsed.query)).ids.sort((a, b) => a - b);
}

test("a slice holds as many works as fit the budget at the last pace, growing at most twofold", () => {
  assert.equal(nextSliceSize(4, 1, 5), 8);
  assert.equal(nextSliceSize(10, 10, 5), 5);
  assert.equal(nextSliceSize(8, 400, 5), 1);
  assert.equal(nextSliceSize(400, 0, 5), 500);
});

describeEachEngine("text index in slices", (engine: Engine) => {
  test("a tiny budget indexes one work per batch, yielding between them", async () => {
    const h = await openTestDb(engine);
    try {
      const { pseudId } = await buildUser(h.db);
      const ids: number[] = [];
      for (let i = 0; i < 8; i++) {
        const work = await buildWork(h.db, { pseudId, text: `Slicedword appears in work ${i}.` });
        ids.push(work.workId);
      }
      let yields = 0;
      let served = false;
      setImmediate(() => (served = true));
      await indexWorkText(h.db, h.engine, ids, {
        sliceMs: 0.000_001,
        betweenBatches: async () => {
          yields += 1;
          await new Promise((r) => setImmediate(r));
        },
      });
      // A first slice of 4 works, then each took longer than the budget: one at a time.
      assert.equal(yields, 4);
      assert.ok(served, "the event loop never got a turn");
      assert.deepEqual(await found(h, "slicedword"), ids);

      let steps = 0;
      await optimizeWorkText(h.db, h.engine, async () => void steps++);
      // Five transactions left FTS5 five segments a table to merge, step by step.
      if (engine === "sqlite") assert.ok(steps > 0, "no merge step ran");
      assert.deepEqual(await found(h, "slicedword"), ids);
    } finally {
      await h.close();
    }
  });
});
