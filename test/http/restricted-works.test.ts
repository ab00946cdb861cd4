/**
 * A guest on any page of a work restricted to registered users goes where AO3 sends them:
 * `/users/login?restricted=true&return_to=…`, which says why and brings them back. The pages
 * come from the route registry (every guest GET under `/works/:workId`, plus the addresses
 * of a work's chapters, comments and bookmarks), so a new one is covered without a new case.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { declaredRoutes } from "../../src/core/http/route.tsx";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const RESTRICTED_LOGIN = /^\/users\/login\?restricted=true&return_to=/;

describeEachEngine("restricted works send guests to AO3's login address", (engine) => {
  let t: TestApp;
  const ids = { workId: 0, chapterId: 0, commentId: 0, bookmarkId: 0 };

  before(async () => {
    t = await createTestApp(engine);
    const writer = new Client(t.app);
    await writer.signUp("rw_writer");
    const posted = await writer.post(
      "/works",
      workForm({ title: "Members Only", restricted: "1" }),
    );
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    ids.workId = workIdFrom(posted.headers.location);
    const chapter = await t.handle.db
      .selectFrom("chapters")
      .select("id")
      .where("work_id", "=", ids.workId)
      .executeTakeFirstOrThrow();
    ids.chapterId = chapter.id;
    const comment = await writer.post(`/works/${ids.workId}/comments`, {
      comment_content: "A remark for members.",
    });
    assert.equal(comment.statusCode, 303, comment.body.slice(0, 300));
    const reader = new Client(t.app);
    await reader.signUp("rw_reader");
    const bookmark = await reader.post(`/works/${ids.workId}/bookmarks`, { private: "0" });
    assert.equal(bookmark.statusCode, 303, bookmark.body.slice(0, 300));
    const rows = await Promise.all([
      t.handle.db.selectFrom("comments").select("id").executeTakeFirstOrThrow(),
      t.handle.db.selectFrom("bookmarks").select("id").executeTakeFirstOrThrow(),
    ]);
    ids.commentId = rows[0].id;
    ids.bookmarkId = rows[1].id;
  });
  after(() => t.close());

  test("every guest page of the work, its chapters, comments and bookmarks", async () => {
    const fill = (url: string) =>
      url
        .replace(":workId", String(ids.workId))
        .replace(":chapterId", String(ids.chapterId))
        .replace(/^\/comments\/:id/, `/comments/${ids.commentId}`)
        .replace(/^\/bookmarks\/:id/, `/bookmarks/${ids.bookmarkId}`);
    const pages = declaredRoutes(t.app)
      .filter((r) => r.method === "GET" && r.auth === "guest-ok")
      .filter((r) =>
        /^\/(works\/:workId|chapters\/:chapterId|comments\/:id|bookmarks\/:id)(\/|$)/.test(r.url),
      )
      // Feeds are read as a guest whoever asks (feed readers carry no session), so a restricted
      // work has none: its feed address is a 404 (test/feeds), not a login a feed cannot use.
      .filter((r) => !r.url.endsWith("/feed.atom"))
      .map((r) => fill(r.url));
    assert.ok(pages.length >= 10, `only ${pages.length} pages found: ${pages.join(", ")}`);
    const wrong: string[] = [];
    for (const url of pages) {
      let res = await new Client(t.app).get(url);
      let asked = url;
      // A menu address that only picks a chapter may hand over to that page first.
      const hop = res.headers.location ?? "";
      if (hop.startsWith(`/works/${ids.workId}`)) {
        asked = hop;
        res = await new Client(t.app).get(hop);
      }
      const location = res.headers.location ?? "";
      const ok =
        (res.statusCode === 302 || res.statusCode === 303) &&
        RESTRICTED_LOGIN.test(location) &&
        decodeURIComponent(location.split("return_to=")[1] ?? "") === asked;
      if (!ok) wrong.push(`${url}: ${res.statusCode} ${location || res.body.slice(0, 80)}`);
    }
    assert.deepEqual(wrong, []);
  });
});
