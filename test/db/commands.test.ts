import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { latestChange } from "../../src/core/db/changes.ts";
import {
  addChapter,
  deleteChapter,
  deleteWork,
  editWork,
  postWork,
  postWorkWithChapters,
  reorderChapters,
} from "../../src/works/commands.ts";
import * as chaptersQ from "../../src/works/chapter-queries.ts";
import { findWork, listWorks } from "../../src/works/queries.ts";
import { ChapterInput, NewWorkInput, WorkMetaInput } from "../../src/works/schemas.ts";
import { GUEST, NO_EXCLUSIONS } from "../../src/core/viewer.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const chapter = (text: string, action: "post" | "draft" = "post") =>
  ChapterInput.parse({ text, action });

describeEachEngine("work commands", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("postWork writes the work, its creator, first chapter, tags and counts together", async () => {
    const { workId } = await buildWork(h.db, {
      text: "one two three",
      freeforms: "Alpha, Beta",
      expected_chapters: "1",
    });
    const work = await findWork(h.db, workId);
    assert.equal(work?.word_count, 3);
    assert.equal(work?.chapter_count, 1);
    assert.equal(work?.complete, 1);
    assert.equal(work?.sanitizer_version, 2);
    const tags = await h.db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .select(["tags.name", "work_tags.position"])
      .where("work_id", "=", workId)
      .orderBy("position")
      .execute();
    assert.deepEqual(
      tags.map((t) => t.name),
      ["General Audiences", "No Archive Warnings Apply", "Factory Fandom", "Alpha", "Beta"],
    );
  });

  test("postWorkWithChapters posts a work and all its chapters in order, or nothing", async () => {
    const user = await buildUser(h.db);
    const input = (title: string, expected: string) =>
      NewWorkInput.parse({
        title,
        rating: "General Audiences",
        warnings: ["No Archive Warnings Apply"],
        fandoms: "Imported Fandom",
        language: "en",
        expected_chapters: expected,
        chapter_title: "One",
        text: "<p><strong>Mark</strong> speaks first.</p>",
      });
    const more = [
      { title: "Two", html: "<p>Lexie answers.</p>" },
      { title: "Three", html: "<p>The <em>elevator</em> stops.</p>" },
    ];
    const posted = await postWorkWithChapters(h.db, {
      pseudId: user.pseudId,
      input: input("Imported", ""),
      moreChapters: more,
      now: Date.now(),
    });
    assert.ok(posted.ok);
    const chapters = await chaptersQ.chaptersOfWork(h.db, posted.value.workId);
    assert.deepEqual(
      chapters.map((c) => [c.position, c.title, c.posted]),
      [
        [1, "One", 1],
        [2, "Two", 1],
        [3, "Three", 1],
      ],
    );
    assert.match(chapters[0]!.text_html, /<strong>Mark<\/strong>/);
    const work = await findWork(h.db, posted.value.workId);
    assert.equal(work?.chapter_count, 3);
    assert.equal(work?.word_count, 3 + 2 + 3);

    // Expecting fewer chapters than the file has is refused before anything is written.
    const before = await h.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const refused = await postWorkWithChapters(h.db, {
      pseudId: user.pseudId,
      input: input("Too many", "2"),
      moreChapters: more,
      now: Date.now(),
    });
    assert.equal(refused.ok, false);
    const afterwards = await h.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterwards.n), Number(before.n));
  });

  test("the work's summary and notes are not copied onto its first chapter", async () => {
    const { workId } = await buildWork(h.db, {
      summary: "Work summary",
      notes: "Work notes",
      end_notes: "Work end notes",
    });
    const [first] = await chaptersQ.chaptersOfWork(h.db, workId);
    assert.equal(first?.summary_html, "");
    assert.equal(first?.notes_html, "");
    assert.equal(first?.end_notes_html, "");
    const work = await findWork(h.db, workId);
    assert.match(work?.notes_html ?? "", /Work notes/);
  });

  test("a refused post leaves nothing behind (the transaction rolls back)", async () => {
    const user = await buildUser(h.db);
    await buildWork(h.db, { pseudId: user.pseudId, characters: "Clash Name" });
    const worksBefore = await h.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const input = NewWorkInput.parse({
      title: "Clashing",
      rating: "Mature",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Clash Name",
      freeforms: "Brand New Freeform Tag",
      language: "en",
      text: "Some text that is long enough.",
    });
    const result = await postWork(h.db, { pseudId: user.pseudId, input, now: Date.now() });
    assert.equal(result.ok, false);
    const worksAfter = await h.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(worksAfter.n), Number(worksBefore.n));
    const orphanTag = await h.db
      .selectFrom("tags")
      .select("id")
      .where("name_key", "=", "brand new freeform tag")
      .executeTakeFirst();
    assert.equal(orphanTag, undefined);
  });

  test("chapters: counts follow posted chapters, drafts do not count, positions stay compact", async () => {
    const { workId } = await buildWork(h.db, { text: "alpha beta gamma", expected_chapters: "3" });
    const c2 = await addChapter(h.db, {
      workId,
      input: chapter("delta epsilon zeta eta"),
      now: Date.now(),
    });
    const c3 = await addChapter(h.db, {
      workId,
      input: chapter("draft words here", "draft"),
      now: Date.now(),
    });
    assert.ok(c2.ok && c3.ok);
    let work = await findWork(h.db, workId);
    assert.equal(work?.chapter_count, 2);
    assert.equal(work?.word_count, 7);
    assert.equal(work?.complete, 0);
    const index = await chaptersQ.chapterIndex(h.db, workId);
    assert.deepEqual(
      index.map((c) => c.position),
      [1, 2, 3],
    );
    await reorderChapters(h.db, {
      workId,
      positions: new Map([[index[2]!.id, 1]]),
      now: Date.now(),
    });
    const reordered = await chaptersQ.chapterIndex(h.db, workId);
    assert.deepEqual(
      reordered.map((c) => c.id),
      [index[2]!.id, index[0]!.id, index[1]!.id],
    );
    const del = await deleteChapter(h.db, { workId, chapterId: index[0]!.id, now: Date.now() });
    assert.ok(del.ok);
    const after = await chaptersQ.chapterIndex(h.db, workId);
    assert.deepEqual(
      after.map((c) => c.position),
      [1, 2],
    );
    work = await findWork(h.db, workId);
    assert.equal(work?.chapter_count, 1);
    assert.equal(work?.word_count, 4);
  });

  test("posting more chapters than expected raises the expected count", async () => {
    const { workId } = await buildWork(h.db, { expected_chapters: "1" });
    await addChapter(h.db, { workId, input: chapter("another chapter here"), now: Date.now() });
    const work = await findWork(h.db, workId);
    assert.equal(work?.expected_chapters, 2);
    assert.equal(work?.complete, 1);
  });

  test("expected chapters below the posted count are refused on edit", async () => {
    const { workId } = await buildWork(h.db, { expected_chapters: "" });
    await addChapter(h.db, { workId, input: chapter("second chapter text"), now: Date.now() });
    const meta = WorkMetaInput.parse({
      title: "T",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "F",
      language: "en",
      expected_chapters: "1",
    });
    const result = await editWork(h.db, { workId, input: meta, now: Date.now() });
    assert.equal(result.ok, false);
    assert.match(JSON.stringify(result), /already has 2 posted chapters/);
  });

  test("listWorks hides drafts and, from guests, restricted works, in rows and total", async () => {
    const user = await buildUser(h.db);
    await buildWork(h.db, { pseudId: user.pseudId, title: "Visible" });
    await buildWork(h.db, { pseudId: user.pseudId, title: "Draft", action: "draft" });
    await buildWork(h.db, { pseudId: user.pseudId, title: "Restricted", restricted: "1" });
    const scope = { kind: "user" as const, userId: user.id };
    const guest = await listWorks(h.db, GUEST, scope, { number: 1, size: 20 });
    assert.deepEqual(
      guest.works.map((w) => w.title),
      ["Visible"],
    );
    assert.equal(guest.total, 1);
    const member = {
      user: {
        id: 999_999,
        login: "someone",
        roles: new Set<string>(),
        viewAdult: false,
        exclusions: NO_EXCLUSIONS,
        unreadNotifications: 0,
        suspendedUntil: null,
      },
      adultConsent: false,
    };
    const seen = await listWorks(h.db, member, scope, { number: 1, size: 20 });
    assert.deepEqual(seen.works.map((w) => w.title).sort(), ["Restricted", "Visible"]);
    const drafts = await listWorks(
      h.db,
      member,
      { kind: "drafts", userId: user.id },
      { number: 1, size: 20 },
    );
    assert.deepEqual(
      drafts.works.map((w) => w.title),
      ["Draft"],
    );
  });

  test("Unicode titles, tags and text round-trip", async () => {
    const { workId } = await buildWork(h.db, {
      title: "東京の夜 — Ночь 🌙 ליל",
      freeforms: "Éowyn, 日本語タグ, Кириллица, 🌙 Moon, עברית",
      text: "こんにちは世界。Привет, мир! שלום",
    });
    const work = await findWork(h.db, workId);
    assert.equal(work?.title, "東京の夜 — Ночь 🌙 ליל");
    const names = (
      await h.db
        .selectFrom("work_tags")
        .innerJoin("tags", "tags.id", "work_tags.tag_id")
        .select("tags.name")
        .where("work_id", "=", workId)
        .execute()
    ).map((t) => t.name);
    for (const n of ["Éowyn", "日本語タグ", "Кириллица", "🌙 Moon", "עברית"])
      assert.ok(names.includes(n), n);
    const [c] = await chaptersQ.chaptersOfWork(h.db, workId);
    assert.match(c!.text_html, /こんにちは世界。Привет, мир! שלום/);
    assert.equal(c!.word_count, 7 + 2 + 1);
  });
});

describeEachEngine("change log", (engine) => {
  test("every write to a work and every refold is recorded for the indexes", async () => {
    const h = await openTestDb(engine);
    try {
      const latest = () => latestChange(h.db, "work");
      const { workId } = await buildWork(h.db, {});
      const afterPost = await latest();
      assert.ok(afterPost > 0);
      await addChapter(h.db, { workId, input: chapter("a later chapter text"), now: Date.now() });
      assert.ok((await latest()) > afterPost);
      const beforeDelete = await latest();
      await deleteWork(h.db, { workId, now: Date.now() });
      assert.ok((await latest()) > beforeDelete);
      const rows = await h.db
        .selectFrom("changes")
        .select(["entity", "entity_id"])
        .where("entity", "=", "work")
        .execute();
      assert.ok(rows.every((r) => r.entity_id === workId));
    } finally {
      await h.close();
    }
  });
});
