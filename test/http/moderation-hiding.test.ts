/**
 * Hiding by a moderator (issue 13): a hidden work leaves every page, count, feed and search
 * for everyone but its creators and moderators, who see it with the reason; hidden comments
 * and bookmarks leave pages and counts the same way; deleting goes through each domain's own
 * delete, so counters stay right.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildBookmark, buildComment, buildUser, buildWork } from "../support/factories.ts";

const PASSWORD = "factory password";
const FANDOM = "Hidden Lighthouse Fandom";
const TAG_URL = `/tags/${encodeURIComponent(FANDOM)}`;

describeEachEngine("hiding content over HTTP", (engine) => {
  let t: TestApp;
  let hiddenId: number;
  let chapterId: number;
  let visibleId: number;
  const as: Record<string, Client> = {};

  async function client(login: string) {
    const c = new Client(t.app);
    assert.equal((await c.logIn(login, PASSWORD)).statusCode, 303);
    return c;
  }

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const author = await buildUser(db, { login: "hide_author" });
    await buildUser(db, { login: "hide_reader" });
    await buildUser(db, { login: "hide_commenter" });
    await buildUser(db, { login: "hide_moderator", roles: ["moderator"] });
    const hidden = await buildWork(db, {
      pseudId: author.pseudId,
      title: "Zanzibar Lantern",
      fandoms: FANDOM,
      text: "The quokkaphrase glowed in the lantern.",
      now: t.clock.now - 1000,
    });
    hiddenId = hidden.workId;
    chapterId = hidden.chapterId;
    visibleId = (
      await buildWork(db, {
        pseudId: author.pseudId,
        title: "Plainly Visible",
        fandoms: FANDOM,
        now: t.clock.now - 2000,
      })
    ).workId;
    for (const login of ["hide_author", "hide_reader", "hide_commenter", "hide_moderator"])
      as[login] = await client(login);
  });
  after(() => t.close());

  const tagCounts = () =>
    t.handle.db
      .selectFrom("tags")
      .select(["members_count", "public_count"])
      .where("name", "=", FANDOM)
      .executeTakeFirstOrThrow();
  const stats = (workId: number) =>
    t.handle.db
      .selectFrom("work_stats")
      .select(["comments", "bookmarks"])
      .where("work_id", "=", workId)
      .executeTakeFirst()
      .then((r) => r ?? { comments: 0, bookmarks: 0 });

  /** Every listing a reader might find the work in. */
  const PLACES = [
    "/works",
    `${TAG_URL}/works`,
    "/works/search?q=quokkaphrase",
    `/works/search?fandom_names=${encodeURIComponent(FANDOM)}`,
    "/works/feed.atom",
    `${TAG_URL}/feed.atom`,
    "/users/hide_author/works",
    "/users/hide_author",
  ];

  test("a hidden work is gone for readers, kept for its author and moderators", async () => {
    const guest = new Client(t.app);
    for (const place of PLACES) {
      const res = await guest.get(place);
      assert.equal(res.statusCode, 200, place);
      assert.match(res.body, /Zanzibar Lantern/, `listed before hiding: ${place}`);
    }
    const before = await tagCounts();

    const noReason = await as.hide_moderator!.post(`/admin/content/work/${hiddenId}/hide`, {
      reason: "",
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /reason/);
    // A subscriber from before: while the work is hidden, new chapters are not announced.
    const subscribed = await as.hide_reader!.post(`/works/${hiddenId}/subscriptions`, {});
    assert.equal(subscribed.statusCode, 303, subscribed.body.slice(0, 300));
    await as.hide_reader!.get(subscribed.headers.location!); // shows (and uses up) the flash
    const res = await as.hide_moderator!.post(`/admin/content/work/${hiddenId}/hide`, {
      reason: "Copied from another archive",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const twice = await as.hide_moderator!.post(`/admin/content/work/${hiddenId}/hide`, {
      reason: "Again",
    });
    assert.equal(twice.statusCode, 409);

    for (const c of [guest, as.hide_reader!]) {
      for (const place of PLACES) {
        const page = await c.get(place);
        assert.doesNotMatch(page.body, /Zanzibar Lantern/, `hidden from ${place}`);
      }
      assert.match((await c.get(`${TAG_URL}/works`)).body, /Plainly Visible/);
      assert.equal((await c.get(`/works/${hiddenId}`)).statusCode, 404);
      assert.equal((await c.get(`/works/${hiddenId}/chapters/${chapterId}`)).statusCode, 404);
      assert.equal((await c.get(`/works/${hiddenId}/navigate`)).statusCode, 404);
      assert.equal((await c.get(`/reports/new?type=work&id=${hiddenId}`)).statusCode, 404);
    }
    const after = await tagCounts();
    assert.equal(after.members_count, before.members_count - 1);
    assert.equal(after.public_count, before.public_count - 1);

    for (const login of ["hide_author", "hide_moderator"]) {
      const page = await as[login]!.get(`/works/${hiddenId}`);
      assert.equal(page.statusCode, 200, login);
      assert.match(page.body, /Hidden by a moderator:<\/strong> Copied from another archive/);
    }
    const [entry] = await t.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "work.hide")
      .execute();
    assert.deepEqual(JSON.parse(entry!.before_json!), { hidden_reason: null });
    assert.deepEqual(JSON.parse(entry!.after_json!), {
      hidden_reason: "Copied from another archive",
    });
    assert.equal(entry!.subject_id, hiddenId);
    // Gone from every listing, the creator's own too, so the creator has a list of them.
    const profile = await as.hide_author!.get("/users/hide_author");
    assert.match(
      profile.body,
      /href="\/users\/hide_author\/works\/hidden">Hidden by moderators \(1\)/,
    );
    const hiddenList = await as.hide_author!.get("/users/hide_author/works/hidden");
    assert.equal(hiddenList.statusCode, 200);
    assert.match(hiddenList.body, /Zanzibar Lantern/);
    assert.doesNotMatch(hiddenList.body, /Plainly Visible/);
    assert.doesNotMatch((await as.hide_reader!.get("/users/hide_author")).body, /works\/hidden/);
    assert.equal((await as.hide_reader!.get("/users/hide_author/works/hidden")).statusCode, 403);
    assert.equal((await guest.get("/users/hide_author/works/hidden")).statusCode, 303);
    const chapter = await as.hide_author!.post(`/works/${hiddenId}/chapters`, {
      chapter_title: "While hidden",
      text: "Nobody hears of this one.",
      action: "post",
    });
    assert.equal(chapter.statusCode, 303, chapter.body.slice(0, 300));
    await t.drainJobs();
    const readerInbox = await as.hide_reader!.get("/users/hide_reader/inbox");
    assert.doesNotMatch(readerInbox.body, /Zanzibar Lantern/);
    const inbox = await as.hide_author!.get("/users/hide_author/inbox");
    assert.match(
      inbox.body,
      /A moderator hid your work “Zanzibar Lantern”: Copied from another archive/,
    );

    // Unhidden, it is back everywhere, counts included.
    const unhide = await as.hide_moderator!.post(`/admin/content/work/${hiddenId}/unhide`, {});
    assert.equal(unhide.statusCode, 303);
    for (const place of PLACES)
      assert.match((await guest.get(place)).body, /Zanzibar Lantern/, `back in ${place}`);
    assert.deepEqual(await tagCounts(), before);
    assert.equal((await guest.get(`/works/${hiddenId}`)).statusCode, 200);
    assert.equal(
      (
        await t.handle.db
          .selectFrom("audit_log")
          .select("id")
          .where("action", "=", "work.unhide")
          .execute()
      ).length,
      1,
    );
  });

  test("a hidden comment: shown to its writer and moderators only, and not counted", async () => {
    const db = t.handle.db;
    const commenter = await db
      .selectFrom("users")
      .select(["id", "login"])
      .where("login", "=", "hide_commenter")
      .executeTakeFirstOrThrow();
    const pseud = await db
      .selectFrom("pseuds")
      .select("id")
      .where("user_id", "=", commenter.id)
      .executeTakeFirstOrThrow();
    const made = await buildComment(db, visibleId, {
      by: { id: commenter.id, login: commenter.login, pseudId: pseud.id },
      text: "A rude remark about lighthouses.",
    });
    const commentId = made.id;
    assert.equal((await stats(visibleId)).comments, 1);
    const res = await as.hide_moderator!.post(`/admin/content/comment/${commentId}/hide`, {
      reason: "Harassment",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal((await stats(visibleId)).comments, 0);
    for (const c of [new Client(t.app), as.hide_reader!, as.hide_author!]) {
      const page = await c.get(`/works/${visibleId}`);
      assert.doesNotMatch(page.body, /A rude remark/);
      assert.equal((await c.get(`/comments/${commentId}`)).statusCode, 404);
    }
    for (const login of ["hide_commenter", "hide_moderator"]) {
      const page = await as[login]!.get(`/works/${visibleId}`);
      assert.match(page.body, /A rude remark/, login);
      assert.match(page.body, /Hidden by a moderator: Harassment/, login);
    }
    // The writer deleting it keeps the count right (it was not counted).
    const unhide = await as.hide_moderator!.post(`/admin/content/comment/${commentId}/unhide`, {});
    assert.equal(unhide.statusCode, 303);
    assert.equal((await stats(visibleId)).comments, 1);
    await as.hide_moderator!.post(`/admin/content/comment/${commentId}/hide`, { reason: "Again" });
    const confirm = await as.hide_moderator!.get(`/admin/content/comment/${commentId}/delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /A rude remark/);
    const unconfirmed = await as.hide_moderator!.post(
      `/admin/content/comment/${commentId}/delete`,
      { reason: "Harassment" },
    );
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Tick the box to confirm/);
    const del = await as.hide_moderator!.post(`/admin/content/comment/${commentId}/delete`, {
      reason: "Harassment",
      confirm: "1",
    });
    assert.equal(del.statusCode, 303);
    assert.equal((await stats(visibleId)).comments, 0);
    const gone = await db.selectFrom("comments").select("id").where("id", "=", commentId).execute();
    assert.equal(gone.length, 0);
    const [entry] = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "comment.delete")
      .execute();
    assert.match(entry!.before_json!, /A rude remark/);
    const inbox = await as.hide_commenter!.get("/users/hide_commenter/inbox");
    assert.match(inbox.body, /deleted your comment/);
  });

  test("a hidden bookmark: its owner and moderators see it; it is not counted", async () => {
    const db = t.handle.db;
    const reader = await db
      .selectFrom("users")
      .innerJoin("pseuds", "pseuds.user_id", "users.id")
      .select(["users.id", "users.login", "pseuds.id as pseudId"])
      .where("users.login", "=", "hide_reader")
      .executeTakeFirstOrThrow();
    const { id } = await buildBookmark(db, visibleId, {
      by: reader,
      notes: "Spammy link farm notes",
    });
    assert.equal((await stats(visibleId)).bookmarks, 1);
    const res = await as.hide_moderator!.post(`/admin/content/bookmark/${id}/hide`, {
      reason: "Spam",
    });
    assert.equal(res.statusCode, 303);
    assert.equal((await stats(visibleId)).bookmarks, 0);
    for (const c of [new Client(t.app), as.hide_author!]) {
      assert.doesNotMatch((await c.get(`/works/${visibleId}/bookmarks`)).body, /Spammy link farm/);
      assert.doesNotMatch((await c.get(`/users/hide_reader/bookmarks`)).body, /Spammy link farm/);
      assert.equal((await c.get(`/bookmarks/${id}`)).statusCode, 404);
    }
    for (const login of ["hide_reader", "hide_moderator"]) {
      const page = await as[login]!.get(`/bookmarks/${id}`);
      assert.equal(page.statusCode, 200, login);
      assert.match(page.body, /Hidden by a moderator: Spam/);
    }
    const del = await as.hide_moderator!.post(`/admin/content/bookmark/${id}/delete`, {
      reason: "Spam",
      confirm: "1",
    });
    assert.equal(del.statusCode, 303);
    assert.equal((await stats(visibleId)).bookmarks, 0);
  });

  test("content routes: bad types and ids are refused by name; others get 403", async () => {
    const bad = await as.hide_moderator!.post(`/admin/content/tag/1/hide`, { reason: "x" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /type/);
    const missing = await as.hide_moderator!.post(`/admin/content/work/999999/hide`, {
      reason: "x",
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(
      (await as.hide_author!.post(`/admin/content/work/${visibleId}/hide`, { reason: "x" }))
        .statusCode,
      403,
    );
    assert.equal(
      (await new Client(t.app).post(`/admin/content/work/${visibleId}/hide`, { reason: "x" }))
        .statusCode,
      401,
    );
    // A moderator deletes a work through the works domain: it and its tag counts go.
    const before = await tagCounts();
    const del = await as.hide_moderator!.post(`/admin/content/work/${visibleId}/delete`, {
      reason: "Spam",
      confirm: "1",
    });
    assert.equal(del.statusCode, 303);
    assert.equal((await new Client(t.app).get(`/works/${visibleId}`)).statusCode, 404);
    assert.equal((await tagCounts()).public_count, before.public_count - 1);
  });
});
