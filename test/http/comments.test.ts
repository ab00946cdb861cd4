import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { withinEdits } from "../../src/engagement/comments/threads.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const commentIdFrom = (location: string | undefined) =>
  Number(/#comment_(\d+)/.exec(location ?? "")?.[1]);

/** The comment ids a page shows, in order (`<li class="comment…" id="comment_N">`). */
const shownIds = (html: string) =>
  [...html.matchAll(/<li class="comment[^"]*" id="comment_(\d+)"/g)].map((m) => Number(m[1]));

const heading = (html: string) => /Comments \((\d+)\)/.exec(html)?.[1];

describe("withinEdits (moderation of edited comments)", () => {
  test("counts single-character inserts, deletes and replacements, banded", () => {
    assert.equal(withinEdits("kitten", "sitting", 3), true);
    assert.equal(withinEdits("kitten", "sitting", 2), false);
    assert.equal(withinEdits("", "0123456789", 10), true);
    assert.equal(withinEdits("", "0123456789x", 10), false);
    const long = "word ".repeat(2_000);
    assert.equal(
      withinEdits(long, long.slice(0, 5_000) + "0123456789" + long.slice(5_000), 10),
      true,
    );
    assert.equal(
      withinEdits(long, long.slice(0, 5_000) + "0123456789!" + long.slice(5_000), 10),
      false,
    );
  });
});

describeEachEngine("comments over HTTP", (engine) => {
  let t: TestApp;
  let author: Client;
  let seq = 0;

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("comment_author");
  });
  after(() => t.close());

  async function reader(prefix = "reader") {
    seq += 1;
    const c = new Client(t.app);
    await c.signUp(`${prefix}_${seq}`);
    return c;
  }

  async function postWork(overrides: Record<string, string | string[]> = {}, by = author) {
    const res = await by.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    return workIdFrom(res.headers.location);
  }

  async function comment(
    c: Client,
    workId: number,
    text: string,
    extra: Record<string, string> = {},
  ) {
    return c.post(`/works/${workId}/comments`, { comment_content: text, ...extra });
  }

  async function commentId(
    c: Client,
    workId: number,
    text: string,
    extra: Record<string, string> = {},
  ) {
    const res = await comment(c, workId, text, extra);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const id = commentIdFrom(res.headers.location);
    assert.ok(id > 0, res.headers.location);
    return id;
  }

  async function replyId(
    c: Client,
    parentId: number,
    text: string,
    extra: Record<string, string> = {},
  ) {
    const res = await c.post(`/comments/${parentId}/reply`, { comment_content: text, ...extra });
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const id = commentIdFrom(res.headers.location);
    assert.ok(id > 0, res.headers.location);
    return id;
  }

  const db = () => t.deps.db;
  const row = (id: number) =>
    db().selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
  async function storedCount(workId: number) {
    const r = await db()
      .selectFrom("work_stats")
      .select("comments")
      .where("work_id", "=", workId)
      .executeTakeFirst();
    return r?.comments ?? 0;
  }
  async function userId(login: string) {
    const r = await db()
      .selectFrom("users")
      .select("id")
      .where("login", "=", login)
      .executeTakeFirstOrThrow();
    return r.id;
  }
  async function loginOfClient(c: Client) {
    const res = await c.get("/");
    return /href="\/users\/([A-Za-z0-9_]+)"/.exec(res.body)?.[1] ?? "";
  }
  async function notifications(userIdValue: number) {
    return db()
      .selectFrom("notifications")
      .select(["kind", "comment_id", "actor_user_id", "text"])
      .where("user_id", "=", userIdValue)
      .orderBy("id")
      .execute();
  }

  test("registered users only (the default): guests are asked to log in and refused", async () => {
    const id = await postWork({ title: "Default Policy Work" });
    const guest = new Client(t.app);
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /Log in<\/a> to leave a comment/);
    assert.doesNotMatch(page.body, /name="comment_content"/);
    const refused = await comment(guest, id, "A guest tries anyway.");
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /only takes comments from registered users/);

    const r = await reader();
    const cid = await commentId(r, id, "What a lovely story.");
    const shown = await guest.get(`/works/${id}`);
    assert.match(shown.body, /What a lovely story\./);
    assert.equal(heading(shown.body), "1");
    assert.deepEqual(shownIds(shown.body), [cid]);
    assert.equal(await storedCount(id), 1);
    const guestReply = await guest.post(`/comments/${cid}/reply`, {
      comment_content: "Guest reply.",
      name: "G",
      email: "g@example.org",
    });
    assert.equal(guestReply.statusCode, 401);
    const replyForm = await guest.get(`/comments/${cid}/reply`);
    assert.equal(replyForm.statusCode, 303);
    assert.match(replyForm.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    const stored = await row(cid);
    assert.equal(stored?.status, "published");
    assert.equal(stored?.depth, 1);
    assert.equal(stored?.thread_id, cid);
    assert.equal(stored?.sanitizer_version, 2);
  });

  test("the work form sets who may comment and moderation; the edit form shows them", async () => {
    const id = await postWork({ comment_policy: "everyone", moderated_comments: "1" });
    const stored = await db()
      .selectFrom("works")
      .select(["comment_policy", "moderated_comments"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { comment_policy: "everyone", moderated_comments: 1 });
    const form = await author.get(`/works/${id}/edit`);
    assert.match(form.body, /<legend>Comments<\/legend>/);
    assert.match(form.body, /Who can comment on this work/);
    assert.match(form.body, /value="everyone" checked/);
    assert.match(form.body, /name="moderated_comments" value="1" checked/);
    const fresh = await author.get("/works/new");
    assert.match(fresh.body, /value="registered" checked/);
    const bad = await author.post("/works", workForm({ comment_policy: "robots" }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Choose who can comment on this work/);
  });

  test("everyone: guests give a name and an email, which is never shown", async () => {
    const id = await postWork({ comment_policy: "everyone" });
    const guest = new Client(t.app);
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /name="name"/);
    assert.match(page.body, /name="email"/);
    assert.match(page.body, /name="website"/, "honeypot on the guest form");

    const missing = await comment(guest, id, "Kept text from the guest.");
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Name: please enter a name/);
    assert.match(missing.body, /Email: please enter your email address/);
    assert.match(missing.body, /Kept text from the guest\./);
    const badEmail = await comment(guest, id, "Kept again.", { name: "Wanderer", email: "nope" });
    assert.equal(badEmail.statusCode, 422);
    assert.match(badEmail.body, /Email: please enter a valid email address/);
    assert.match(badEmail.body, /value="Wanderer"/);

    const email = "secret.guest.address@example.net";
    const cid = await commentId(guest, id, "Signed by a guest.", { name: "Wanderer", email });
    const stored = await row(cid);
    assert.equal(stored?.guest_email, email);
    assert.equal(stored?.user_id, null);

    const pages = [
      await guest.get(`/works/${id}`),
      await author.get(`/works/${id}`),
      await author.get(`/comments/${cid}`),
      await author.get(`/comments/${cid}/confirm_delete`),
      await author.get(`/works/${id}/comments/unreviewed`),
      await (await reader()).get(`/comments/${cid}/reply`),
    ];
    for (const p of pages) {
      assert.ok(p.statusCode < 400, `${p.statusCode}`);
      assert.ok(!p.body.includes(email), "the guest's email must never appear");
      assert.ok(!p.body.includes("secret.guest.address"), "nor any part of it");
    }
    assert.match(pages[0]!.body, /Wanderer <span class="guest">\(Guest\)<\/span>/);
    // The creator hears about it; a guest has no account to notify.
    const inbox = await notifications(await userId("comment_author"));
    const n = inbox.find((x) => x.comment_id === cid);
    assert.equal(n?.kind, "comment");
    assert.equal(n?.actor_user_id, null);
    assert.match(n?.text ?? "", /Wanderer \(Guest\)/);
  });

  test("comments off: no form, a clear message, and posts refused", async () => {
    const id = await postWork({ comment_policy: "off" });
    const r = await reader();
    const page = await r.get(`/works/${id}`);
    assert.match(
      page.body,
      /this work doesn&#39;t allow comments|this work doesn't allow comments/,
    );
    assert.doesNotMatch(page.body, /name="comment_content"/);
    const res = await comment(r, id, "Trying on a closed work.");
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /doesn(&#39;|')t allow comments/);
    const own = await comment(author, id, "Even the author.");
    assert.equal(own.statusCode, 403);
    const count = await db()
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("work_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test("moderated: comments wait in the queue, shown only to creators, until approved", async () => {
    const id = await postWork({ moderated_comments: "1" });
    const r = await reader();
    const res = await comment(r, id, "Please approve me.");
    assert.equal(res.statusCode, 303);
    const followed = await r.get(res.headers.location!);
    assert.match(
      followed.body,
      /Your comment was received and is awaiting the author(&#39;|')s approval/,
    );
    assert.doesNotMatch(followed.body, /Please approve me\./);
    const cid = (
      await db()
        .selectFrom("comments")
        .select("id")
        .where("work_id", "=", id)
        .executeTakeFirstOrThrow()
    ).id;
    assert.equal((await row(cid))?.status, "pending");
    assert.equal(await storedCount(id), 0);
    assert.equal(heading((await new Client(t.app).get(`/works/${id}`)).body), "0");
    assert.equal((await new Client(t.app).get(`/comments/${cid}`)).statusCode, 404);
    assert.equal((await r.get(`/comments/${cid}`)).statusCode, 404, "not even the commenter");
    const early = await author.post(`/comments/${cid}/reply`, { comment_content: "Too soon." });
    assert.equal(early.statusCode, 403, "no replies to a comment awaiting approval");
    assert.match(early.body, /Only published comments can be replied to/);

    const mine = await author.get(`/works/${id}`);
    assert.match(mine.body, /Please approve me\./);
    assert.match(mine.body, /Awaiting your approval/);
    assert.match(mine.body, /Unreviewed comments \(1\)/);
    const queue = await author.get(`/works/${id}/comments/unreviewed`);
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Please approve me\./);
    assert.match(queue.body, new RegExp(`action="/comments/${cid}/approve"`));
    assert.match(queue.body, new RegExp(`href="/comments/${cid}/confirm_delete"`));

    // Nobody but a creator sees the queue or approves.
    assert.equal((await r.get(`/works/${id}/comments/unreviewed`)).statusCode, 403);
    const guestQueue = await new Client(t.app).get(`/works/${id}/comments/unreviewed`);
    assert.equal(guestQueue.statusCode, 303);
    assert.match(guestQueue.headers.location ?? "", /^\/login/);
    assert.equal((await r.post(`/comments/${cid}/approve`)).statusCode, 403);
    assert.equal((await new Client(t.app).post(`/comments/${cid}/approve`)).statusCode, 401);
    const authorId = await userId("comment_author");
    assert.equal((await notifications(authorId)).filter((n) => n.comment_id === cid).length, 0);

    const approved = await author.post(`/comments/${cid}/approve`);
    assert.equal(approved.statusCode, 303);
    assert.equal((await row(cid))?.status, "published");
    assert.equal(await storedCount(id), 1);
    assert.match((await new Client(t.app).get(`/works/${id}`)).body, /Please approve me\./);
    assert.equal((await notifications(authorId)).filter((n) => n.comment_id === cid).length, 1);
    assert.equal((await author.post(`/comments/${cid}/approve`)).statusCode, 409, "once only");
    assert.equal(await storedCount(id), 1);

    // The creator's own comments never wait.
    const own = await commentId(author, id, "Author's note in the comments.");
    assert.equal((await row(own))?.status, "published");
    assert.equal(await storedCount(id), 2);
  });

  test("edits: marked Last edited; on a moderated work, more than 10 characters changed goes back to the queue", async () => {
    const id = await postWork({ moderated_comments: "1" });
    const r = await reader();
    await comment(r, id, "The original words of this comment.");
    const cid = (
      await db()
        .selectFrom("comments")
        .select("id")
        .where("work_id", "=", id)
        .executeTakeFirstOrThrow()
    ).id;
    await author.post(`/comments/${cid}/approve`);
    assert.equal(await storedCount(id), 1);

    const form = await r.get(`/comments/${cid}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /The original words of this comment\./);

    t.clock.now += 86_400_000;
    const small = await r.post(`/comments/${cid}/edit`, {
      comment_content: "The original wordz of this comment!",
    });
    assert.equal(small.statusCode, 303);
    assert.equal((await row(cid))?.status, "published", "two characters changed: stays");
    const shown = await new Client(t.app).get(`/comments/${cid}`);
    assert.match(shown.body, /The original wordz of this comment!/);
    assert.match(shown.body, /Last edited <time[^>]*>2026-11-24<\/time>/);

    const big = await r.post(`/comments/${cid}/edit`, {
      comment_content: "Entirely different words now, with a link.",
    });
    assert.equal(big.statusCode, 303);
    const followed = await r.get(big.headers.location!);
    assert.match(followed.body, /awaiting the author(&#39;|')s approval again/);
    assert.equal((await row(cid))?.status, "pending");
    assert.equal(await storedCount(id), 0);
    assert.doesNotMatch(
      (await new Client(t.app).get(`/works/${id}`)).body,
      /Entirely different words/,
    );
    await author.post(`/comments/${cid}/approve`);
    assert.equal(await storedCount(id), 1);
    const inbox = await notifications(await userId("comment_author"));
    assert.equal(
      inbox.filter((n) => n.comment_id === cid).length,
      1,
      "approval of an edit is not news",
    );

    // The creator's own comment on their moderated work never goes back to the queue.
    const own = await commentId(author, id, "Creator comment one.");
    await author.post(`/comments/${own}/edit`, {
      comment_content: "A completely rewritten creator comment.",
    });
    assert.equal((await row(own))?.status, "published");

    // Not moderated: any edit stays published.
    const open = await postWork();
    const c2 = await commentId(r, open, "Short.");
    await r.post(`/comments/${c2}/edit`, { comment_content: "Something much longer than before." });
    assert.equal((await row(c2))?.status, "published");
  });

  test("only the commenter edits: not the creator, other users or guests", async () => {
    const id = await postWork({ comment_policy: "everyone" });
    const r = await reader();
    const cid = await commentId(r, id, "Mine to edit.");
    const other = await reader();
    assert.equal((await other.get(`/comments/${cid}/edit`)).statusCode, 403);
    assert.equal(
      (await other.post(`/comments/${cid}/edit`, { comment_content: "Hijack" })).statusCode,
      403,
    );
    assert.equal((await author.get(`/comments/${cid}/edit`)).statusCode, 403);
    assert.equal(
      (await author.post(`/comments/${cid}/edit`, { comment_content: "Hijack" })).statusCode,
      403,
    );
    const guest = new Client(t.app);
    const g = await guest.get(`/comments/${cid}/edit`);
    assert.equal(g.statusCode, 303);
    assert.match(g.headers.location ?? "", /^\/login/);
    assert.equal(
      (await guest.post(`/comments/${cid}/edit`, { comment_content: "Hijack" })).statusCode,
      401,
    );
    assert.match((await row(cid))?.body_html ?? "", /Mine to edit\./);
    // The page only offers Edit to its author.
    assert.match((await r.get(`/works/${id}`)).body, new RegExp(`href="/comments/${cid}/edit"`));
    assert.doesNotMatch(
      (await other.get(`/works/${id}`)).body,
      new RegExp(`/comments/${cid}/edit`),
    );
    const empty = await r.post(`/comments/${cid}/edit`, { comment_content: "   " });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Comment: please write something/);
  });

  test("replies nest; past 5 levels the thread folds behind a link to the comment's page", async () => {
    const id = await postWork();
    const a = await reader();
    const b = await reader();
    const ids = [await commentId(a, id, "Level 1 comment.")];
    for (let level = 2; level <= 7; level++) {
      const who = level % 2 === 0 ? b : a;
      ids.push(await replyId(who, ids[ids.length - 1]!, `Level ${level} reply.`));
    }
    const rows = await Promise.all(ids.map((x) => row(x)));
    assert.deepEqual(
      rows.map((x) => x?.depth),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.ok(rows.every((x) => x?.thread_id === ids[0]));

    const page = await new Client(t.app).get(`/works/${id}`);
    assert.deepEqual(shownIds(page.body), ids.slice(0, 5));
    assert.doesNotMatch(page.body, /Level 6 reply\./);
    assert.match(page.body, new RegExp(`<a href="/comments/${ids[4]}">Continue this thread →</a>`));
    assert.match(page.body, /<ol class="thread">\s*<li class="comment" id="comment_/);
    assert.equal(heading(page.body), "7");

    const rest = await new Client(t.app).get(`/comments/${ids[4]}`);
    assert.equal(rest.statusCode, 200);
    assert.deepEqual(shownIds(rest.body), ids.slice(4));
    assert.match(rest.body, /Level 6 reply\./);
    assert.match(rest.body, new RegExp(`href="/comments/${ids[3]}"`), "a link up to the parent");
    assert.equal((await new Client(t.app).get("/comments/999999")).statusCode, 404);
    assert.equal((await new Client(t.app).get("/comments/abc")).statusCode, 400);

    // The reply form without script, and who is told.
    const form = await a.get(`/comments/${ids[0]}/reply`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Level 1 comment\./);
    assert.match(form.body, new RegExp(`action="/comments/${ids[0]}/reply"`));
    const inboxB = await notifications(await userId(await loginOfClient(b)));
    assert.deepEqual(
      inboxB.filter((n) => n.kind === "reply").map((n) => n.comment_id),
      [ids[2], ids[4], ids[6]],
    );
    const authorInbox = await notifications(await userId("comment_author"));
    assert.equal(authorInbox.filter((n) => ids.includes(n.comment_id ?? 0)).length, 7);
    // Replying to yourself tells nobody about a reply.
    const self = await replyId(a, ids[6]!, "Talking to myself.");
    const inboxA = await notifications(await userId(await loginOfClient(a)));
    assert.ok(!inboxA.some((n) => n.comment_id === self));
    // AO3's address for a reply works too.
    const alias = await a.post(`/comments/${ids[0]}`, { comment_content: "Via the old address." });
    assert.equal(alias.statusCode, 303);
    assert.equal((await row(commentIdFrom(alias.headers.location)))?.parent_id, ids[0]);
  });

  test("the creator's own comment does not notify them; replies to them send one notice", async () => {
    const id = await postWork();
    const authorId = await userId("comment_author");
    const mine = await commentId(author, id, "Thanks for reading!");
    assert.ok(!(await notifications(authorId)).some((n) => n.comment_id === mine));
    const r = await reader();
    const reply = await replyId(r, mine, "You're welcome.");
    const about = (await notifications(authorId)).filter((n) => n.comment_id === reply);
    assert.deepEqual(
      about.map((n) => n.kind),
      ["reply"],
    );
  });

  test("users blocked by a creator can't comment or reply", async () => {
    const id = await postWork();
    const friend = await reader();
    const root = await commentId(friend, id, "A friendly comment.");
    const pest = await reader("pest");
    const pestLogin = await loginOfClient(pest);
    const before = await commentId(pest, id, "Written before the block.");
    await db()
      .insertInto("blocked_users")
      .values({
        user_id: await userId("comment_author"),
        blocked_user_id: await userId(pestLogin),
        created_at: t.clock.now,
      })
      .execute();
    const page = await pest.get(`/works/${id}`);
    assert.match(page.body, /you have been blocked/);
    assert.doesNotMatch(page.body, /name="comment_content"/);
    assert.doesNotMatch(page.body, new RegExp(`/comments/${root}/reply`));
    const res = await comment(pest, id, "Let me in.");
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /blocked/);
    assert.equal(
      (await pest.post(`/comments/${root}/reply`, { comment_content: "Sneaky reply." })).statusCode,
      403,
    );
    assert.equal((await pest.get(`/comments/${root}/reply`)).statusCode, 403);
    const edit = await pest.post(`/comments/${before}/edit`, { comment_content: "Edited after." });
    assert.equal(edit.statusCode, 403);
    assert.equal(await storedCount(id), 2);
  });

  test("muted users' comments disappear for the muting reader only, counts included", async () => {
    const id = await postWork();
    const muter = await reader("muter");
    const loud = await reader("loud");
    const other = await reader();
    const loudRoot = await commentId(loud, id, "LOUD opinion here.");
    const calm = await commentId(other, id, "A calm remark.");
    const underLoud = await replyId(other, loudRoot, "Answer under the loud one.");
    const loudReply = await replyId(loud, calm, "LOUD reply to calm.");
    const muted = await muter.post("/preferences/exclusions/users", {
      login: await loginOfClient(loud),
    });
    assert.equal(muted.statusCode, 303);

    const seen = await muter.get(`/works/${id}`);
    assert.doesNotMatch(seen.body, /LOUD/);
    assert.equal(heading(seen.body), "2");
    assert.match(seen.body, /A calm remark\./);
    // Replies others wrote under a muted comment stay, under a placeholder.
    assert.match(seen.body, /Answer under the loud one\./);
    assert.match(seen.body, /\(A comment by a user you muted\.\)/);
    assert.ok(!shownIds(seen.body).includes(loudReply));
    assert.doesNotMatch((await muter.get(`/comments/${loudRoot}`)).body, /LOUD/);
    assert.equal((await muter.get(`/comments/${loudReply}`)).statusCode, 404);

    const others = await other.get(`/works/${id}`);
    assert.equal(heading(others.body), "4");
    assert.match(others.body, /LOUD opinion here\./);
    assert.deepEqual(shownIds(others.body), [loudRoot, underLoud, calm, loudReply]);
    assert.equal(await storedCount(id), 4);
  });

  test("freezing a thread stops replies anywhere in it until unfrozen; creators only", async () => {
    const id = await postWork();
    const r = await reader();
    const root = await commentId(r, id, "Freeze me.");
    const child = await replyId(r, root, "A child.");
    assert.equal((await r.post(`/comments/${root}/freeze`)).statusCode, 403);
    assert.equal((await new Client(t.app).post(`/comments/${root}/freeze`)).statusCode, 401);
    assert.equal((await author.post(`/comments/${root}/freeze`)).statusCode, 303);
    assert.equal((await row(child))?.frozen, 1);
    const refused = await r.post(`/comments/${child}/reply`, { comment_content: "Too late." });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /frozen/);
    const page = await r.get(`/works/${id}`);
    assert.match(page.body, /Frozen: this thread takes no new replies/);
    assert.doesNotMatch(page.body, new RegExp(`/comments/${child}/reply`));
    assert.equal((await author.post(`/comments/${root}/freeze`)).statusCode, 409);
    assert.equal((await r.post(`/comments/${root}/unfreeze`)).statusCode, 403);
    assert.equal((await author.post(`/comments/${root}/unfreeze`)).statusCode, 303);
    await replyId(r, child, "Thawed.");
  });

  test("hiding: shown to creators only (marked), out of the counts; creators only", async () => {
    const id = await postWork();
    const r = await reader();
    const cid = await commentId(r, id, "Hide this one.");
    assert.equal((await r.post(`/comments/${cid}/hide`)).statusCode, 403);
    assert.equal((await new Client(t.app).post(`/comments/${cid}/hide`)).statusCode, 401);
    assert.equal((await (await reader()).post(`/comments/${cid}/hide`)).statusCode, 403);
    assert.equal((await author.post(`/comments/${cid}/hide`)).statusCode, 303);
    assert.equal((await row(cid))?.status, "hidden");
    assert.equal(await storedCount(id), 0);
    const theirs = await r.get(`/works/${id}`);
    assert.doesNotMatch(theirs.body, /Hide this one\./);
    assert.equal(heading(theirs.body), "0");
    const mine = await author.get(`/works/${id}`);
    assert.match(mine.body, /Hide this one\./);
    assert.match(mine.body, /Hidden: only the work(&#39;|')s creators see this comment/);
    assert.equal((await author.post(`/comments/${cid}/hide`)).statusCode, 409);
    assert.equal((await author.post(`/comments/${cid}/unhide`)).statusCode, 303);
    assert.equal(await storedCount(id), 1);
    assert.match((await r.get(`/works/${id}`)).body, /Hide this one\./);
  });

  test("deleting: confirm first; with replies a placeholder stays, without the row goes", async () => {
    const id = await postWork();
    const r = await reader();
    const other = await reader();
    const root = await commentId(r, id, "Root to delete.");
    const reply = await replyId(other, root, "Reply that stays.");
    const lone = await commentId(other, id, "Lonely comment.");
    assert.equal(await storedCount(id), 3);

    assert.equal((await other.get(`/comments/${root}/confirm_delete`)).statusCode, 403);
    assert.equal((await other.post(`/comments/${root}/delete`)).statusCode, 403);
    assert.equal((await new Client(t.app).post(`/comments/${root}/delete`)).statusCode, 401);
    const confirm = await r.get(`/comments/${root}/confirm_delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Yes, delete comment/);
    assert.match(confirm.body, new RegExp(`action="/comments/${root}/delete"`));

    assert.equal((await r.post(`/comments/${root}/delete`)).statusCode, 303);
    const kept = await row(root);
    assert.equal(kept?.deleted, 1);
    assert.equal(kept?.body_html, "");
    assert.equal(await storedCount(id), 2);
    const page = await new Client(t.app).get(`/works/${id}`);
    assert.match(page.body, /\(Previous comment deleted\.\)/);
    assert.doesNotMatch(page.body, /Root to delete\./);
    assert.match(page.body, /Reply that stays\./);
    assert.deepEqual(shownIds(page.body), [root, reply, lone]);
    assert.equal((await r.post(`/comments/${root}/delete`)).statusCode, 404);

    // The work's creator may delete anyone's comment; a bare placeholder goes with its last reply.
    assert.equal((await author.post(`/comments/${lone}/delete`)).statusCode, 303);
    assert.equal(await row(lone), undefined);
    assert.equal((await other.post(`/comments/${reply}/delete`)).statusCode, 303);
    assert.equal(await row(reply), undefined);
    assert.equal(await row(root), undefined);
    assert.equal(await storedCount(id), 0);
  });

  test("10,000 characters at most; a failed post keeps what was typed", async () => {
    const id = await postWork();
    const r = await reader();
    const ok = await comment(r, id, "a".repeat(10_000));
    assert.equal(ok.statusCode, 303);
    const long = "b".repeat(10_001);
    const res = await comment(r, id, long);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Comment must be at most 10,000 characters \(yours has 10,001\)/);
    assert.ok(res.body.includes(long), "the text is kept");
    const empty = await comment(r, id, "  ");
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Comment: please write something/);
    const onlyScript = await comment(r, id, "<script>alert(1)</script>");
    assert.equal(onlyScript.statusCode, 422);
    assert.match(onlyScript.body, /nothing is left once markup/);
  });

  test("comment HTML is sanitized and paragraphs applied; names are escaped", async () => {
    const id = await postWork({ comment_policy: "everyone" });
    const guest = new Client(t.app);
    const cid = await commentId(
      guest,
      id,
      'First <b>bold</b> line\n\nSecond <script>alert("x")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">link</a>',
      { name: "<i>Evil</i> Name", email: "evil@example.org" },
    );
    const page = await new Client(t.app).get(`/comments/${cid}`);
    assert.match(page.body, /<p>First <b>bold<\/b> line<\/p>/);
    assert.doesNotMatch(page.body, /alert\("x"\)/);
    assert.doesNotMatch(page.body, /onerror/);
    assert.doesNotMatch(page.body, /javascript:/);
    assert.doesNotMatch(page.body, /<i>Evil<\/i>/);
    assert.match(page.body, /&lt;i>Evil&lt;\/i> Name/);
  });

  test("honeypot: a filled hidden field is refused", async () => {
    const id = await postWork({ comment_policy: "everyone" });
    const bot = new Client(t.app);
    const res = await comment(bot, id, "Buy things", {
      name: "Bot",
      email: "bot@example.org",
      website: "http://spam.example",
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /must be left empty/);
    assert.equal(await storedCount(id), 0);
  });

  test("access: drafts are 404, restricted works ask guests to log in", async () => {
    const draft = await postWork({ action: "draft" });
    const r = await reader();
    assert.equal((await comment(r, draft, "On a draft?")).statusCode, 404);
    assert.equal((await comment(author, draft, "My own draft.")).statusCode, 403);

    const restricted = await postWork({ restricted: "1", comment_policy: "everyone" });
    const cid = await commentId(r, restricted, "Members only remark.");
    const guest = new Client(t.app);
    const page = await guest.get(`/comments/${cid}`);
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? "", /^\/users\/login\?restricted=true&return_to=/);
    assert.equal((await guest.get(`/comments/${cid}/reply`)).statusCode, 303);
    const post = await comment(guest, restricted, "Guest on restricted.", {
      name: "G",
      email: "g@example.org",
    });
    assert.equal(post.statusCode, 401);
    assert.equal(
      (
        await guest.post(`/comments/${cid}/reply`, {
          comment_content: "x",
          name: "G",
          email: "g@example.org",
        })
      ).statusCode,
      401,
    );
    assert.equal(await storedCount(restricted), 1);
  });

  test("chapters: a chapter's comments on its page, all of them on the entire work", async () => {
    const id = await postWork();
    const added = await author.post(`/works/${id}/chapters`, {
      chapter_title: "Two",
      text: "The second chapter's text.",
      action: "post",
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 500));
    const second = Number(/chapters\/(\d+)/.exec(added.headers.location ?? "")?.[1]);
    const chapters = await db()
      .selectFrom("chapters")
      .select(["id", "position"])
      .where("work_id", "=", id)
      .orderBy("position")
      .execute();
    const first = chapters[0]!.id;
    const r = await reader();
    const onFirst = await commentId(r, id, "About chapter one.", { chapter_id: String(first) });
    const onSecond = await commentId(r, id, "About chapter two.", { chapter_id: String(second) });
    const onWork = await commentId(r, id, "About the whole work.");
    assert.equal((await row(onSecond))?.chapter_id, second);
    assert.equal((await row(onWork))?.chapter_id, null);
    const reply = await replyId(r, onSecond, "Reply inherits the chapter.");
    assert.equal((await row(reply))?.chapter_id, second);

    const p2 = await r.get(`/works/${id}/chapters/${second}`);
    assert.deepEqual(shownIds(p2.body), [onSecond, reply]);
    assert.match(p2.body, new RegExp(`name="chapter_id" value="${second}"`));
    const p1 = await r.get(`/works/${id}`);
    assert.deepEqual(shownIds(p1.body), [onFirst]);
    const all = await r.get(`/works/${id}?view_full_work=true`);
    assert.deepEqual(shownIds(all.body), [onFirst, onSecond, reply, onWork]);
    assert.equal(heading(all.body), "4");
    const elsewhere = await postWork();
    const wrong = await comment(r, id, "Wrong chapter.", {
      chapter_id: String(
        (
          await db()
            .selectFrom("chapters")
            .select("id")
            .where("work_id", "=", elsewhere)
            .executeTakeFirstOrThrow()
        ).id,
      ),
    });
    assert.equal(wrong.statusCode, 422);
  });

  test("20 threads per page, with ?page=", async () => {
    const id = await postWork();
    // Two readers take turns, staying under the per-account rate limit.
    const pair = [await reader(), await reader()] as const;
    const r = pair[0];
    const ids: number[] = [];
    for (let i = 1; i <= 21; i++)
      ids.push(await commentId(pair[i % 2]!, id, `Comment number ${i}.`));
    const first = await r.get(`/works/${id}`);
    assert.deepEqual(shownIds(first.body), ids.slice(0, 20));
    assert.match(first.body, new RegExp(`href="/works/${id}\\?page=2#comments"`));
    const second = await r.get(`/works/${id}?page=2`);
    assert.deepEqual(shownIds(second.body), ids.slice(20));
    assert.equal(heading(second.body), "21");
    assert.equal((await r.get(`/works/${id}?page=0`)).statusCode, 400);
    // The 21st thread's address points at page 2.
    const again = await comment(pair[1], id, "Comment number 22.");
    assert.match(again.headers.location ?? "", new RegExp(`/works/${id}\\?page=2#comment_\\d+`));
  });

  test("20 parallel comments by different readers: 20 rows, count 20, no duplicates", async () => {
    const id = await postWork();
    const readers = await Promise.all(Array.from({ length: 20 }, () => reader("par")));
    await Promise.all(readers.map((c) => c.token()));
    const results = await Promise.all(
      readers.map((c, i) => comment(c, id, `Parallel comment ${i}.`)),
    );
    assert.deepEqual(
      results.map((x) => x.statusCode),
      Array(20).fill(303),
    );
    const rows = await db()
      .selectFrom("comments")
      .select(["id", "user_id", "thread_id"])
      .where("work_id", "=", id)
      .execute();
    assert.equal(rows.length, 20);
    assert.equal(new Set(rows.map((x) => x.user_id)).size, 20);
    assert.ok(rows.every((x) => x.thread_id === x.id));
    assert.equal(await storedCount(id), 20);
    assert.equal(heading((await readers[0]!.get(`/works/${id}?view_full_work=true`)).body), "20");

    const root = rows[0]!.id;
    const replies = await Promise.all(
      readers.map((c, i) =>
        c.post(`/comments/${root}/reply`, { comment_content: `Parallel reply ${i}.` }),
      ),
    );
    assert.deepEqual(
      replies.map((x) => x.statusCode),
      Array(20).fill(303),
    );
    const replyRows = await db()
      .selectFrom("comments")
      .select(["id", "user_id", "depth", "thread_id", "parent_id"])
      .where("parent_id", "=", root)
      .execute();
    assert.equal(replyRows.length, 20);
    assert.equal(new Set(replyRows.map((x) => x.user_id)).size, 20);
    assert.ok(replyRows.every((x) => x.depth === 2 && x.thread_id === root));
    assert.equal(await storedCount(id), 40);
  });
  test("blocked by the creator: on the thread page the commenter keeps Delete, loses Edit and Reply; the edit page says why", async () => {
    const id = await postWork();
    const r = await reader("blocked_commenter");
    const login = `blocked_commenter_${seq}`;
    const mineId = await commentId(r, id, "Written before the block.");
    const authorsId = await replyId(author, mineId, "Thank you!");
    const thread = async () => (await r.get(`/comments/${mineId}`)).body;
    let page = await thread();
    assert.match(page, new RegExp(`href="/comments/${mineId}/edit"`));
    assert.match(page, new RegExp(`href="/comments/${authorsId}/reply"`));
    assert.equal((await author.post("/preferences/blocked", { login })).statusCode, 303);

    page = await thread();
    assert.doesNotMatch(page, new RegExp(`href="/comments/${mineId}/edit"`));
    assert.doesNotMatch(page, /\/reply"/);
    assert.match(page, new RegExp(`href="/comments/${mineId}/confirm_delete"`));
    const edit = await r.get(`/comments/${mineId}/edit`);
    assert.equal(edit.statusCode, 403);
    assert.match(
      edit.body,
      /you can&#39;t edit your comments on it|you can't edit your comments on it/,
    );
    const sent = await r.post(`/comments/${mineId}/edit`, { comment_content: "Changed after." });
    assert.equal(sent.statusCode, 403);
    assert.equal((await row(mineId))?.body_html, "<p>Written before the block.</p>");
    assert.equal((await r.get(`/comments/${mineId}/confirm_delete`)).statusCode, 200);
    assert.equal((await r.post(`/comments/${mineId}/delete`)).statusCode, 303);
    // It had a reply, so it stays as a placeholder, emptied of its text.
    assert.equal((await row(mineId))?.deleted, 1);
  });
});

describe("comment rate limits", () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp("sqlite", { FANFOLD_LIMIT_COMMENTS: "2/10m" });
  });
  after(() => t.close());

  test("too many comments in the window: 429 with a clear message", async () => {
    const writer = new Client(t.app);
    await writer.signUp("limited_writer");
    const res = await writer.post("/works", workForm());
    const id = workIdFrom(res.headers.location);
    const r = new Client(t.app);
    await r.signUp("limited_reader");
    for (let i = 0; i < 2; i++) {
      const ok = await r.post(`/works/${id}/comments`, { comment_content: `Comment ${i}.` });
      assert.equal(ok.statusCode, 303);
    }
    const limited = await r.post(`/works/${id}/comments`, { comment_content: "One too many." });
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /You(&#39;|')re doing that too often/);
    assert.ok(limited.headers["retry-after"]);
    t.clock.now += 11 * 60_000;
    const later = await r.post(`/works/${id}/comments`, { comment_content: "After waiting." });
    assert.equal(later.statusCode, 303);
  });
});
