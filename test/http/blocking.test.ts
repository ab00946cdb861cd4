import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { blockedByCreatorOf, isBlocked } from "../../src/engagement/blocking/queries.ts";
import { limits } from "../../src/core/limits.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("blocking users over HTTP", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  async function account(login: string) {
    const user = await buildUser(t.handle.db, { login, password: TEST_PASSWORD });
    const client = new Client(t.app);
    assert.equal((await client.logIn(login)).statusCode, 303);
    return { ...user, client };
  }
  const blocks = (userId: number) =>
    t.handle.db
      .selectFrom("blocked_users")
      .select("blocked_user_id")
      .where("user_id", "=", userId)
      .execute()
      .then((rows) => rows.map((r) => r.blocked_user_id));
  const kudosCount = async (workId: number) =>
    (
      await t.handle.db
        .selectFrom("work_stats")
        .select("kudos")
        .where("work_id", "=", workId)
        .executeTakeFirst()
    )?.kudos ?? 0;

  test("guests can't see or use the blocking pages", async () => {
    const guest = new Client(t.app);
    const page = await guest.get("/preferences/blocked");
    assert.equal(page.statusCode, 303);
    assert.match(page.headers.location ?? "", /^\/login\?return_to=%2Fpreferences%2Fblocked/);
    assert.equal((await guest.post("/preferences/blocked", { login: "anyone" })).statusCode, 401);
    assert.equal((await guest.post("/preferences/blocked/1/delete")).statusCode, 401);
  });

  test("block and unblock: the list shows who is blocked, with an unblock button", async () => {
    const me = await account("b_owner");
    const pest = await account("b_pest");
    const empty = await me.client.get("/preferences/blocked");
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /You have blocked nobody\./);
    assert.match(empty.body, /<label for="field-login">User name/);

    const res = await me.client.post("/preferences/blocked", { login: "B_Pest" });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/preferences/blocked");
    const listed = await me.client.get("/preferences/blocked");
    assert.match(listed.body, /b_pest is blocked: they can no longer comment on/);
    assert.match(listed.body, /<a href="\/users\/b_pest">b_pest<\/a>/);
    assert.match(listed.body, new RegExp(`action="/preferences/blocked/${pest.id}/delete"`));
    assert.match(listed.body, /Unblock<span class="landmark"> b_pest<\/span>/);
    assert.deepEqual(await blocks(me.id), [pest.id]);
    assert.equal(await isBlocked(t.handle.db, me.id, pest.id), true);
    assert.equal(await isBlocked(t.handle.db, pest.id, me.id), false, "blocking is one-way");

    const twice = await me.client.post("/preferences/blocked", { login: "b_pest" });
    assert.equal(twice.statusCode, 303);
    assert.match((await me.client.get("/preferences/blocked")).body, /b_pest is already blocked\./);
    assert.deepEqual(await blocks(me.id), [pest.id]);

    // Someone else's block can't be lifted by another user: only their own rows are touched.
    const other = await account("b_other");
    await other.client.post("/preferences/blocked", { login: "b_pest" });
    const lift = await me.client.post(`/preferences/blocked/${pest.id}/delete`);
    assert.equal(lift.statusCode, 303);
    assert.match((await me.client.get("/preferences/blocked")).body, /no longer blocked/);
    assert.deepEqual(await blocks(me.id), []);
    assert.deepEqual(await blocks(other.id), [pest.id]);
    const notBlocked = await me.client.post(`/preferences/blocked/${pest.id}/delete`);
    assert.equal(notBlocked.statusCode, 303);
    assert.equal((await me.client.post("/preferences/blocked/abc/delete")).statusCode, 400);
  });

  test("blocking yourself is refused with a clear message", async () => {
    const me = await account("b_self");
    const res = await me.client.post("/preferences/blocked", { login: "b_self" });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /You can't block yourself\./);
    assert.match(res.body, /class="field-error"/);
    assert.deepEqual(await blocks(me.id), []);
  });

  test("an unknown user name or an empty one is a 422 naming the field", async () => {
    const me = await account("b_typo");
    const res = await me.client.post("/preferences/blocked", { login: "nobody_by_that_name" });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /There is no user named &quot;nobody_by_that_name&quot;\./);
    assert.match(res.body, /<a href="#field-login">/);
    assert.match(res.body, /value="nobody_by_that_name"/);
    const blank = await me.client.post("/preferences/blocked", { login: "  " });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /<a href="#field-login">Enter a user name<\/a>/);
    const missing = await me.client.post("/preferences/blocked", {});
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /<a href="#field-login">Enter a user name<\/a>/);
    // From a button elsewhere (return_to), the refusal is an error page, not this form.
    const elsewhere = await me.client.post("/preferences/blocked", {
      login: "b_typo",
      return_to: "/users/b_typo",
    });
    assert.equal(elsewhere.statusCode, 422);
    assert.match(elsewhere.body, /You can't block yourself\./);
    assert.deepEqual(await blocks(me.id), []);
  });

  test(`at most ${limits.blockedUsers} blocks per user`, async () => {
    const me = await account("b_many");
    const victim = await account("b_victim");
    const db = t.handle.db;
    // A full list, written straight to the tables (the form is tested above).
    const fillers = await db
      .insertInto("users")
      .values(
        Array.from({ length: limits.blockedUsers }, (_, i) => ({
          login: `b_fill_${i}`,
          login_key: `b_fill_${i}`,
          email: `b_fill_${i}@example.org`,
          password_hash: "x",
          created_at: 1,
        })),
      )
      .returning("id")
      .execute();
    await db
      .insertInto("blocked_users")
      .values(fillers.map((u) => ({ user_id: me.id, blocked_user_id: u.id, created_at: 1 })))
      .execute();
    const res = await me.client.post("/preferences/blocked", { login: "b_victim" });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /You can block at most 1,000 users; unblock one first\./);
    assert.equal(await isBlocked(db, me.id, victim.id), false);
    await me.client.post(`/preferences/blocked/${fillers[0]!.id}/delete`);
    const room = await me.client.post("/preferences/blocked", { login: "b_victim" });
    assert.equal(room.statusCode, 303);
    assert.equal(await isBlocked(db, me.id, victim.id), true);
  });

  test("a blocked user's kudos are refused and not counted; once unblocked they are accepted", async () => {
    const writer = await account("b_writer");
    const coauthor = await account("b_coauthor");
    const troll = await account("b_troll");
    const { workId } = await buildWork(t.handle.db, { pseudId: writer.pseudId });
    // A work with two creators: a block by either one counts.
    const { workId: shared } = await buildWork(t.handle.db, { pseudId: writer.pseudId });
    await t.handle.db
      .insertInto("creatorships")
      .values({ work_id: shared, pseud_id: coauthor.pseudId, position: 1 })
      .execute();

    assert.equal(
      (await writer.client.post("/preferences/blocked", { login: "b_troll" })).statusCode,
      303,
    );
    assert.equal(await blockedByCreatorOf(t.handle.db, workId, troll.id), true);
    assert.equal(await blockedByCreatorOf(t.handle.db, workId, coauthor.id), false);

    const refused = await troll.client.post(`/works/${workId}/kudos`, {});
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /its creator has blocked you/);
    const viaShared = await troll.client.post(`/works/${shared}/kudos`, {});
    assert.equal(viaShared.statusCode, 403);
    assert.equal(await kudosCount(workId), 0);
    const rows = await t.handle.db
      .selectFrom("kudos")
      .select("id")
      .where("user_id", "=", troll.id)
      .execute();
    assert.equal(rows.length, 0);

    // Another user's works are not affected by this block.
    const { workId: elsewhere } = await buildWork(t.handle.db);
    assert.equal((await troll.client.post(`/works/${elsewhere}/kudos`, {})).statusCode, 303);

    await writer.client.post(`/preferences/blocked/${troll.id}/delete`);
    assert.equal(await blockedByCreatorOf(t.handle.db, workId, troll.id), false);
    const accepted = await troll.client.post(`/works/${workId}/kudos`, {});
    assert.equal(accepted.statusCode, 303);
    assert.equal(await kudosCount(workId), 1);
  });

  /** Posts a comment (or a reply, with `parent`) and returns its id. */
  async function commentAs(
    c: Client,
    target: { workId: number } | { parent: number },
    text: string,
  ) {
    const url =
      "workId" in target ? `/works/${target.workId}/comments` : `/comments/${target.parent}/reply`;
    const res = await c.post(url, { comment_content: text });
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    const id = Number(/#comment_(\d+)/.exec(res.headers.location ?? "")?.[1]);
    assert.ok(id > 0, res.headers.location);
    return id;
  }

  test("blocking, action by action: the page shows a control exactly when its route accepts it", async () => {
    const db = t.handle.db;
    const writer = await account("bt_writer");
    const host = await account("bt_host");
    const reader = await account("bt_reader");
    const { workId } = await buildWork(db, { pseudId: writer.pseudId });
    const { workId: hostWork } = await buildWork(db, { pseudId: host.pseudId });

    // Before any block: the writer answers on their own work and comments on someone else's;
    // the reader leaves one comment of each kind per state (open, then blocked).
    const writersComment = await commentAs(writer.client, { workId }, "Thanks for reading!");
    const writersElsewhere = await commentAs(writer.client, { workId: hostWork }, "Lovely work.");
    const states = ["open", "blocked"] as const;
    type State = (typeof states)[number];
    const mine = {} as Record<State, number>;
    const toDelete = {} as Record<State, number>;
    const myReplyElsewhere = {} as Record<State, number>;
    for (const state of states) {
      mine[state] = await commentAs(reader.client, { workId }, `My comment (${state}).`);
      toDelete[state] = await commentAs(reader.client, { workId }, `Regrets (${state}).`);
      myReplyElsewhere[state] = await commentAs(
        reader.client,
        { parent: writersElsewhere },
        `Agreed (${state}).`,
      );
    }

    interface Action {
      name: string;
      /** Where the control is offered, and what it looks like there. */
      page: string;
      control: RegExp;
      /** The page the control opens, if any (200, or 403 when refused). */
      form?: string;
      /** The write behind it (303, or 403 when refused). */
      post: string;
      body?: Record<string, string>;
      /** Still allowed for a blocked user. */
      stillAllowed?: boolean;
    }
    const work = `/works/${workId}`;
    const actions = (s: State): Action[] => [
      { name: "kudos", page: work, control: /id="new_kudo"/, post: `${work}/kudos` },
      {
        name: "comment",
        page: work,
        control: new RegExp(`action="${work}/comments"`),
        post: `${work}/comments`,
        body: { comment_content: `A new comment (${s}).` },
      },
      {
        name: "reply on the work",
        page: work,
        control: new RegExp(`href="/comments/${writersComment}/reply"`),
        form: `/comments/${writersComment}/reply`,
        post: `/comments/${writersComment}/reply`,
        body: { comment_content: `A reply (${s}).` },
      },
      {
        name: "edit own comment",
        page: work,
        control: new RegExp(`href="/comments/${mine[s]}/edit"`),
        form: `/comments/${mine[s]}/edit`,
        post: `/comments/${mine[s]}/edit`,
        body: { comment_content: `My comment, edited (${s}).` },
      },
      {
        name: "delete own comment",
        page: work,
        control: new RegExp(`href="/comments/${toDelete[s]}/confirm_delete"`),
        form: `/comments/${toDelete[s]}/confirm_delete`,
        post: `/comments/${toDelete[s]}/delete`,
        stillAllowed: true,
      },
      {
        name: "reply to the blocker's comment on another's work",
        page: `/works/${hostWork}`,
        control: new RegExp(`href="/comments/${writersElsewhere}/reply"`),
        form: `/comments/${writersElsewhere}/reply`,
        post: `/comments/${writersElsewhere}/reply`,
        body: { comment_content: `Another reply (${s}).` },
      },
      {
        name: "edit own reply to the blocker on another's work",
        page: `/works/${hostWork}`,
        control: new RegExp(`href="/comments/${myReplyElsewhere[s]}/edit"`),
        form: `/comments/${myReplyElsewhere[s]}/edit`,
        post: `/comments/${myReplyElsewhere[s]}/edit`,
        body: { comment_content: `Agreed, edited (${s}).` },
      },
    ];

    for (const state of states) {
      if (state === "blocked") {
        const res = await writer.client.post("/preferences/blocked", { login: "bt_reader" });
        assert.equal(res.statusCode, 303);
        t.clock.now += 11 * 60_000; // a fresh comment rate-limit window
      }
      for (const a of actions(state)) {
        const allowed = state === "open" || a.stillAllowed === true;
        const what = `${a.name}, ${state}`;
        const page = await reader.client.get(a.page);
        assert.equal(page.statusCode, 200, what);
        assert.equal(
          a.control.test(page.body),
          allowed,
          `${what}: control ${allowed ? "shown" : "hidden"}`,
        );
        if (a.form) {
          const form = await reader.client.get(a.form);
          assert.equal(form.statusCode, allowed ? 200 : 403, `${what}: GET ${a.form}`);
          if (!allowed) assert.match(form.body, /blocked you|been blocked/, what);
        }
        const res = await reader.client.post(a.post, a.body ?? {});
        assert.equal(res.statusCode, allowed ? 303 : 403, `${what}: POST ${a.post}`);
        if (!allowed) assert.match(res.body, /blocked you|been blocked/, what);
      }
    }

    // Nothing the blocked reader tried went in; what they did before the block stays.
    const texts = await db
      .selectFrom("comments")
      .select(["id", "body_html", "deleted"])
      .where("user_id", "=", reader.id)
      .execute();
    const bodies = texts.map((r) => r.body_html).join("\n");
    assert.match(bodies, /A new comment \(open\)/);
    assert.doesNotMatch(
      bodies,
      /A new comment \(blocked\)|A reply \(blocked\)|edited \(blocked\)|Another reply \(blocked\)/,
    );
    assert.match(bodies, /My comment \(blocked\)\./, "an old comment stays as written");
    assert.ok(
      !texts.some((r) => r.id === toDelete.blocked),
      "deleting one's own comment still works",
    );
    assert.equal(await kudosCount(workId), 1);
  });

  test("a co-creator blocked by another creator of a shared work still comments on it", async () => {
    const db = t.handle.db;
    const first = await account("bt_first");
    const second = await account("bt_second");
    const { workId } = await buildWork(db, { pseudId: first.pseudId });
    await db
      .insertInto("creatorships")
      .values({ work_id: workId, pseud_id: second.pseudId, position: 1 })
      .execute();
    await first.client.post("/preferences/blocked", { login: "bt_second" });
    assert.equal(await blockedByCreatorOf(db, workId, second.id), false);
    const page = await second.client.get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`action="/works/${workId}/comments"`));
    assert.doesNotMatch(page.body, /been blocked/);
    await commentAs(second.client, { workId }, "A note from the other creator.");
    // Their block still applies on the blocker's other works.
    const { workId: solo } = await buildWork(db, { pseudId: first.pseudId });
    assert.equal(await blockedByCreatorOf(db, solo, second.id), true);
    assert.equal((await second.client.post(`/works/${solo}/kudos`, {})).statusCode, 403);
  });
});
