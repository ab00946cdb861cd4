/**
 * Every command that changes what a work looks like records it in the change log, in its own
 * transaction (the browse index and the text index follow the log, nothing else tells them);
 * a refused command records nothing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { changesAfter, latestChange } from "../../src/core/db/changes.ts";
import type { DbHandle } from "../../src/core/db/index.ts";
import type { Result } from "../../src/core/result.ts";
import { addParent, makeSynonym, renameTag, setCanonical } from "../../src/tags/commands.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import {
  addChapter,
  deleteChapter,
  deleteWork,
  editChapter,
  editWork,
  postDraftChapter,
  postDraftWork,
  reorderChapters,
} from "../../src/works/commands.ts";
import { ChapterInput, WorkMetaInput } from "../../src/works/schemas.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("the change log", (engine) => {
  let h: DbHandle;
  let pseudId: number;
  before(async () => {
    h = await openTestDb(engine);
    pseudId = (await buildUser(h.db)).pseudId;
  });
  after(() => h.close());

  const now = () => Date.now();
  const chapter = (text: string, action: "post" | "draft" = "post") =>
    ChapterInput.parse({ text, action });

  /** Runs a command and returns the (entity, id) pairs it added to the log. */
  async function logged<T>(run: () => Promise<Result<T>>): Promise<[string, number][]> {
    const before = Math.max(await latestChange(h.db, "work"), await latestChange(h.db, "tag"));
    const result = await run();
    assert.ok(result.ok, JSON.stringify(result.ok ? null : result.errors));
    return (await changesAfter(h.db, before, 100)).map((c) => [c.entity, c.entityId]);
  }

  test("every works command records the work it changed", async () => {
    const { workId } = await buildWork(h.db, { pseudId, action: "draft" });
    const one: [string, number][] = [["work", workId]];
    assert.deepEqual(await logged(() => postDraftWork(h.db, { workId, now: now() })), one);
    const added = await addChapter(h.db, {
      workId,
      input: chapter("a second chapter", "draft"),
      now: now(),
    });
    assert.ok(added.ok);
    const chapterId = added.value.chapterId;
    assert.deepEqual(
      await logged(() => postDraftChapter(h.db, { workId, chapterId, now: now() })),
      one,
    );
    assert.deepEqual(
      await logged(() =>
        editChapter(h.db, { workId, chapterId, input: chapter("second, edited"), now: now() }),
      ),
      one,
    );
    const chapters = await h.db
      .selectFrom("chapters")
      .select(["id", "position"])
      .where("work_id", "=", workId)
      .execute();
    const reversed = new Map(chapters.map((c) => [c.id, chapters.length + 1 - c.position]));
    assert.deepEqual(
      await logged(() => reorderChapters(h.db, { workId, positions: reversed, now: now() })),
      one,
    );
    const meta = WorkMetaInput.parse({
      title: "Edited title",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Factory Fandom",
      language: "en",
    });
    assert.deepEqual(await logged(() => editWork(h.db, { workId, input: meta, now: now() })), one);
    assert.deepEqual(
      await logged(() =>
        addChapter(h.db, { workId, input: chapter("a third chapter"), now: now() }),
      ),
      one,
    );
    assert.deepEqual(
      await logged(() => deleteChapter(h.db, { workId, chapterId, now: now() })),
      one,
    );
    assert.deepEqual(await logged(() => deleteWork(h.db, { workId, now: now() })), one);
  });

  test("a refused command records nothing", async () => {
    const { workId } = await buildWork(h.db, { pseudId });
    const [only] = await h.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", workId)
      .execute();
    const before = await latestChange(h.db, "work");
    const refused = await deleteChapter(h.db, { workId, chapterId: only!.id, now: now() });
    assert.equal(refused.ok, false);
    assert.equal(await latestChange(h.db, "work"), before);
  });

  test("wrangling records the tags it changed", async () => {
    await buildWork(h.db, { pseudId, fandoms: "Grey's Anatomy", characters: "Derek Shepard" });
    const misspelt = await findTagByName(h.db, "Derek Shepard");
    assert.ok(misspelt);
    const fandom = await findTagByName(h.db, "Grey's Anatomy");
    assert.ok(fandom);
    const tagsIn = (pairs: [string, number][]) =>
      new Set(pairs.filter(([e]) => e === "tag").map(([, id]) => id));
    assert.ok(
      tagsIn(
        await logged(() => setCanonical(h.db, { tagId: fandom.id, canonical: true, now: now() })),
      ).has(fandom.id),
    );
    assert.ok(
      tagsIn(
        await logged(() =>
          addParent(h.db, { tagId: misspelt.id, parentName: "Grey's Anatomy", now: now() }),
        ),
      ).has(misspelt.id),
    );
    assert.ok(
      tagsIn(
        await logged(() =>
          renameTag(h.db, { tagId: misspelt.id, newName: "Derek Shepard (typo)", now: now() }),
        ),
      ).has(misspelt.id),
    );
    await buildWork(h.db, { pseudId, fandoms: "Grey's Anatomy", characters: "Derek Shepherd" });
    const canonical = await findTagByName(h.db, "Derek Shepherd");
    assert.ok(canonical);
    await setCanonical(h.db, { tagId: canonical.id, canonical: true, now: now() });
    const synonym = tagsIn(
      await logged(() =>
        makeSynonym(h.db, { tagId: misspelt.id, canonicalName: "Derek Shepherd", now: now() }),
      ),
    );
    assert.ok(synonym.has(misspelt.id) && synonym.has(canonical.id));
  });
});
