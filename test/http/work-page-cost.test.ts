/**
 * What a guest's work page costs in SQL (issue 16). The works domain's own part of the page
 * is three statements: the work with its creators and which optional parts it has (series,
 * gifts, related works, chapter creators: each asked for only when present), its tags, and
 * the chapter index with the chapter shown. Add-ons come on top: with engagement off, only
 * collections' (one statement), so the page is 4 statements; engagement's add-ons (counts,
 * kudos, comments, hits) are theirs to count. A view writes nothing once the chapter's
 * rendered text is stored. The shown chapter's text comes from memory while the work's version
 * and the chapter's position and edit time are those it was kept for (works/rendered-cache.ts):
 * the first view after a change reads it (one statement more).
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import { addChapter, editChapter, reorderChapters } from "../../src/works/commands.ts";
import { ChapterInput } from "../../src/works/schemas.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

/** Statements the page runs without engagement: see the comment above. */
const GUEST_WORK_PAGE_STATEMENTS = 4;

async function appCountingSql(engine: Engine) {
  const log = { on: false, statements: [] as string[] };
  const handle = await openTestDb(engine, {
    onQuery: (sql) => {
      if (log.on) log.statements.push(sql);
    },
  });
  const config = loadConfig({
    FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-test-")),
    FANFOLD_SECRET: "test-secret-test-secret-test-secret-1234",
    LOG_LEVEL: "silent",
  });
  const app = await buildApp(
    { db: handle.db, engine, config, limiter: memoryRateLimiter(), now: Date.now },
    { logger: false, jobs: "manual", engagement: false, textBackfill: false },
  );
  await app.ready();
  return { handle, app, log };
}

describeEachEngine("the statements of a guest's work page", (engine) => {
  let handle: DbHandle;
  let app: FastifyInstance;
  let log: { on: boolean; statements: string[] };
  before(async () => {
    ({ handle, app, log } = await appCountingSql(engine));
  });
  after(async () => {
    await app.close();
    await handle.close();
  });

  /** The statements one guest view of `url` runs (after a first view). */
  async function statementsOf(url: string) {
    assert.equal((await app.inject({ method: "GET", url })).statusCode, 200);
    log.statements = [];
    log.on = true;
    const res = await app.inject({ method: "GET", url });
    log.on = false;
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    return log.statements;
  }

  test(`a one-chapter work: ${GUEST_WORK_PAGE_STATEMENTS} statements, none of them writes`, async () => {
    const { workId, chapterId } = await buildWork(handle.db, {
      text: "A long enough chapter.\n\nIn two paragraphs.",
    });
    for (const url of [`/works/${workId}`, `/works/${workId}/chapters/${chapterId}`]) {
      const statements = await statementsOf(url);
      assert.equal(
        statements.length,
        GUEST_WORK_PAGE_STATEMENTS,
        `${url}:\n${statements.join("\n")}`,
      );
      assert.deepEqual(
        statements.filter((s) => !/^\s*select\b/i.test(s)),
        [],
        `${url} wrote during a view`,
      );
    }
  });

  test("more chapters cost no more statements; the entire work no more either", async () => {
    const { workId } = await buildWork(handle.db, {
      text: "The first chapter's text.",
      expected_chapters: "3",
    });
    for (const text of ["The second chapter's text.", "The third chapter's text."]) {
      const added = await addChapter(handle.db, {
        workId,
        input: ChapterInput.parse({ text, action: "post" }),
        now: Date.now(),
      });
      assert.ok(added.ok);
    }
    for (const url of [`/works/${workId}`, `/works/${workId}?view_full_work=true`]) {
      const statements = await statementsOf(url);
      assert.equal(
        statements.length,
        GUEST_WORK_PAGE_STATEMENTS,
        `${url}:\n${statements.join("\n")}`,
      );
    }
  });

  test("an edit or a move: the next view reads the chapter's new text (one statement more), then none", async () => {
    const { workId } = await buildWork(handle.db, {
      text: "The first chapter, as first posted.",
      expected_chapters: "2",
    });
    const added = await addChapter(handle.db, {
      workId,
      input: ChapterInput.parse({ text: "The second chapter.", action: "post" }),
      now: Date.now(),
    });
    assert.ok(added.ok);
    const url = `/works/${workId}`;
    assert.equal((await statementsOf(url)).length, GUEST_WORK_PAGE_STATEMENTS);
    const { id: first } = await handle.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", workId)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    const edited = await editChapter(handle.db, {
      workId,
      chapterId: first,
      input: ChapterInput.parse({ text: "The first chapter, edited since.", action: "post" }),
      now: Date.now(),
    });
    assert.ok(edited.ok);
    log.statements = [];
    log.on = true;
    const res = await app.inject({ method: "GET", url });
    log.on = false;
    assert.match(res.body, /The first chapter, edited since\./);
    assert.doesNotMatch(res.body, /as first posted/);
    assert.equal(log.statements.length, GUEST_WORK_PAGE_STATEMENTS + 1);
    assert.equal((await statementsOf(url)).length, GUEST_WORK_PAGE_STATEMENTS);

    // Moved to second place: its paragraphs carry the new position.
    const moved = await reorderChapters(handle.db, {
      workId,
      positions: new Map([[first, 2]]),
      now: Date.now(),
    });
    assert.ok(moved.ok);
    const page = await app.inject({ method: "GET", url: `/works/${workId}/chapters/${first}` });
    assert.match(page.body, /id="chapter-2-p1"/);
    assert.doesNotMatch(page.body, /id="chapter-1-p1"[^>]*>The first chapter/);
  });

  test("the kept text is sent as UTF-8 bytes: the same page, every character intact", async () => {
    const text = "Mark’s POV — Lexie’s is plain. Él sonrió ♥ 日本語 & 1 < 2.";
    const { workId } = await buildWork(handle.db, { text });
    const url = `/works/${workId}`;
    const masked = (body: string) => body.replace(/name="_csrf" value="[^"]*"/g, "");
    const first = await app.inject({ method: "GET", url });
    const again = await app.inject({ method: "GET", url });
    for (const res of [first, again]) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(Number(res.headers["content-length"]), res.rawPayload.length);
      assert.match(
        res.body,
        /<p id="chapter-1-p1">Mark’s POV — Lexie’s is plain\. Él sonrió ♥ 日本語 &amp; 1 &lt; 2\.<\/p>/,
      );
    }
    assert.equal(masked(again.body), masked(first.body));
  });
});
