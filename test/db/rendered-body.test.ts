/**
 * The rendered chapter body (issue 16): sanitized text with paragraph ids, stored once per
 * version in `chapters.rendered_html` by every write that changes the text or the position,
 * and served as stored by the reading pages, which never render it again.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SanitizedHtml } from "../../src/core/text/sanitize.ts";
import {
  addChapter,
  deleteChapter,
  editChapter,
  reorderChapters,
} from "../../src/works/commands.ts";
import { renderChapterText } from "../../src/works/rendered.ts";
import { ChapterInput } from "../../src/works/schemas.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

const chapter = (text: string, position?: number) =>
  ChapterInput.parse({ text, action: "post", ...(position ? { position: String(position) } : {}) });

describeEachEngine("rendered chapter bodies", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  const stored = async (workId: number) =>
    t.handle.db
      .selectFrom("chapters")
      .select(["id", "position", "text_html", "rendered_html"])
      .where("work_id", "=", workId)
      .orderBy("position")
      .execute();
  const guestPage = async (url: string) => {
    const res = await t.app.inject({ method: "GET", url });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    return res.body;
  };

  test("posting stores the text rendered with its paragraph ids", async () => {
    const { workId } = await buildWork(t.handle.db, { text: "First.\n\nSecond." });
    const [row] = await stored(workId);
    assert.ok(row);
    assert.equal(row.rendered_html, renderChapterText(row.text_html, 1));
    assert.match(row.rendered_html ?? "", /<p id="chapter-1-p1">First\.<\/p>/);
    assert.match(row.rendered_html ?? "", /<p id="chapter-1-p2">Second\.<\/p>/);
  });

  test("an edit renders the new text; moves render again for the new position", async () => {
    const { workId, chapterId } = await buildWork(t.handle.db, { text: "Old words." });
    const now = Date.now();
    const edited = await editChapter(t.handle.db, {
      workId,
      chapterId,
      input: chapter("New words."),
      now,
    });
    assert.ok(edited.ok);
    let [row] = await stored(workId);
    assert.match(row?.rendered_html ?? "", /<p id="chapter-1-p1">New words\.<\/p>/);
    assert.doesNotMatch(row?.rendered_html ?? "", /Old words/);

    // A chapter added in first place moves this one to second.
    const added = await addChapter(t.handle.db, {
      workId,
      input: chapter("A prologue first.", 1),
      now,
    });
    assert.ok(added.ok);
    let rows = await stored(workId);
    assert.deepEqual(
      rows.map((r) => r.rendered_html),
      ['<p id="chapter-1-p1">A prologue first.</p>', '<p id="chapter-2-p1">New words.</p>'],
    );
    for (const r of rows) assert.equal(r.rendered_html, renderChapterText(r.text_html, r.position));

    // Reordering and deleting keep every stored rendering in step with its position.
    const moved = await reorderChapters(t.handle.db, {
      workId,
      positions: new Map([[chapterId, 1]]),
      now,
    });
    assert.ok(moved.ok);
    rows = await stored(workId);
    assert.equal(rows[0]?.id, chapterId);
    assert.equal(rows[0]?.rendered_html, '<p id="chapter-1-p1">New words.</p>');
    assert.equal(rows[1]?.rendered_html, '<p id="chapter-2-p1">A prologue first.</p>');
    const deleted = await deleteChapter(t.handle.db, { workId, chapterId, now });
    assert.ok(deleted.ok);
    [row] = await stored(workId);
    assert.equal(row?.rendered_html, '<p id="chapter-1-p1">A prologue first.</p>');
  });

  test("a view serves the stored rendering as it is, and never renders it again", async () => {
    const { workId, chapterId } = await buildWork(t.handle.db, { text: "Plain text." });
    // Only a page that reads the column can show this: rendering the text gives "Plain text."
    const marker = '<p id="chapter-1-p1">Stored rendering, served as is.</p>' as SanitizedHtml;
    await t.handle.db
      .updateTable("chapters")
      .set({ rendered_html: marker })
      .where("id", "=", chapterId)
      .execute();
    for (const url of [
      `/works/${workId}`,
      `/works/${workId}/chapters/${chapterId}`,
      `/works/${workId}?view_full_work=true`,
    ]) {
      const body = await guestPage(url);
      assert.match(body, /Stored rendering, served as is\./, url);
      assert.doesNotMatch(body, /Plain text\./, url);
    }
  });

  test("a chapter stored without a rendering is rendered on its first view and kept", async () => {
    const { workId, chapterId } = await buildWork(t.handle.db, { text: "Older row.\n\nTwo." });
    await t.handle.db
      .updateTable("chapters")
      .set({ rendered_html: null })
      .where("id", "=", chapterId)
      .execute();
    const body = await guestPage(`/works/${workId}`);
    assert.match(body, /<p id="chapter-1-p2">Two\.<\/p>/);
    const [row] = await stored(workId);
    assert.ok(row);
    assert.equal(row.rendered_html, renderChapterText(row.text_html, 1));
    // Kept: the next view serves what the first one stored, whatever the text says now.
    await t.handle.db
      .updateTable("chapters")
      .set({ text_html: "<p>Changed behind its back.</p>" as SanitizedHtml })
      .where("id", "=", chapterId)
      .execute();
    assert.match(await guestPage(`/works/${workId}`), /<p id="chapter-1-p1">Older row\.<\/p>/);
  });
});
