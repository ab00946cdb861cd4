// Co-creators over HTTP (issue 15): invitations from the work, chapter and series forms, the
// inbox and the requests page, credit only after accepting, refusals that do not say why,
// either creator editing, "Remove me" (never the last), and who may not do any of it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildSeries } from "../support/factories-series.ts";

describeEachEngine("co-creators over HTTP", (engine) => {
  let t: TestApp;
  /** Clients by login, each signed up and logged in. */
  const as: Record<string, Client> = {};
  const ids: Record<string, { id: number; pseudId: number }> = {};

  async function user(login: string) {
    const client = new Client(t.app);
    await client.signUp(login);
    as[login] = client;
    const row = await t.handle.db
      .selectFrom("users")
      .innerJoin("pseuds", "pseuds.user_id", "users.id")
      .select(["users.id", "pseuds.id as pseudId"])
      .where("users.login", "=", login)
      .executeTakeFirstOrThrow();
    ids[login] = row;
    return client;
  }

  before(async () => {
    t = await createTestApp(engine);
    for (const login of ["cc_ann", "cc_bea", "cc_cal", "cc_dot", "cc_eve", "cc_fay"])
      await user(login);
  });
  after(() => t.close());

  async function post(by: string, overrides: Record<string, string | string[]> = {}) {
    const res = await as[by]!.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return workIdFrom(res.headers.location);
  }

  const byline = (html: string) =>
    /<h3 class="byline heading">([\s\S]*?)<\/h3>/.exec(html)?.[1] ?? "";

  const creatorLogins = async (workId: number) =>
    (
      await t.handle.db
        .selectFrom("creatorships")
        .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
        .innerJoin("users", "users.id", "pseuds.user_id")
        .select("users.login")
        .where("creatorships.work_id", "=", workId)
        .orderBy("creatorships.position")
        .execute()
    ).map((r) => r.login);

  const invitationIds = async (login: string) =>
    (
      await t.handle.db
        .selectFrom("creator_invitations")
        .innerJoin("pseuds", "pseuds.id", "creator_invitations.pseud_id")
        .select("creator_invitations.id")
        .where("pseuds.user_id", "=", ids[login]!.id)
        .orderBy("creator_invitations.id")
        .execute()
    ).map((r) => r.id);

  const versionOf = async (workId: number) =>
    Number(
      (
        await t.handle.db
          .selectFrom("works")
          .select("version")
          .where("id", "=", workId)
          .executeTakeFirstOrThrow()
      ).version,
    );

  const answer = (login: string, decision: "accept" | "reject", id?: number) =>
    as[login]!.post(
      `/users/${login}/creatorships`,
      id === undefined ? { decision, all: "1" } : { decision, invitation_id: String(id) },
    );

  test("an invitation reaches the inbox and the requests page; the name shows only after accepting", async () => {
    const workId = await post("cc_ann", { title: "Two Keepers", co_creators: "cc_bea" });
    assert.deepEqual(await creatorLogins(workId), ["cc_ann"]);
    const before = await as.cc_cal!.get(`/works/${workId}`);
    assert.doesNotMatch(byline(before.body), /cc_bea/);

    await t.drainJobs();
    const inbox = await as.cc_bea!.get("/users/cc_bea/inbox");
    assert.match(inbox.body, /Co-creator invitation/);
    assert.match(inbox.body, /cc_ann invited you to be a co-creator of “Two Keepers”/);
    assert.match(inbox.body, /href="\/users\/cc_bea\/creatorships"/);

    const requests = await as.cc_bea!.get("/users/cc_bea/creatorships");
    assert.equal(requests.statusCode, 200);
    assert.match(requests.body, /Co-Creator Requests/);
    assert.match(requests.body, new RegExp(`href="/works/${workId}">Two Keepers</a>`));
    assert.match(requests.body, /invited by <a href="\/users\/cc_ann">cc_ann<\/a>/);

    const version = await versionOf(workId);
    const [invitation] = await invitationIds("cc_bea");
    const accepted = await answer("cc_bea", "accept", invitation);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, "/users/cc_bea/creatorships");
    const flashed = await as.cc_bea!.get("/users/cc_bea/creatorships");
    assert.match(flashed.body, /You are now a co-creator of “Two Keepers”/);
    assert.match(flashed.body, /You have no co-creator requests/);

    assert.deepEqual(await creatorLogins(workId), ["cc_ann", "cc_bea"]);
    assert.ok((await versionOf(workId)) > version, "the download cache sees a new version");
    const page = await as.cc_cal!.get(`/works/${workId}`);
    assert.match(byline(page.body), /href="\/users\/cc_ann\/pseuds\/cc_ann">cc_ann<\/a>/);
    assert.match(byline(page.body), /href="\/users\/cc_bea\/pseuds\/cc_bea">cc_bea<\/a>/);
    const change = await t.handle.db
      .selectFrom("changes")
      .select("id")
      .where("entity", "=", "work")
      .where("entity_id", "=", workId)
      .where("created_at", "=", t.clock.now)
      .executeTakeFirst();
    assert.ok(change, "the byline change is in the change log");
  });

  test("rejecting credits nobody; 'all' answers every request at once", async () => {
    const one = await post("cc_ann", { title: "Declined Tale", co_creators: "cc_cal" });
    const two = await post("cc_dot", { title: "First of Two", co_creators: "cc_cal" });
    const three = await post("cc_eve", { title: "Second of Two", co_creators: "cc_cal" });
    const [first] = await invitationIds("cc_cal");
    const rejected = await answer("cc_cal", "reject", first);
    assert.equal(rejected.statusCode, 303);
    assert.match((await as.cc_cal!.get("/users/cc_cal/creatorships")).body, /Request rejected/);
    assert.deepEqual(await creatorLogins(one), ["cc_ann"]);
    assert.equal((await invitationIds("cc_cal")).length, 2);

    const page = await as.cc_cal!.get("/users/cc_cal/creatorships");
    assert.match(page.body, /Accept all/);
    assert.equal((await answer("cc_cal", "accept")).statusCode, 303);
    assert.deepEqual(await creatorLogins(two), ["cc_dot", "cc_cal"]);
    assert.deepEqual(await creatorLogins(three), ["cc_eve", "cc_cal"]);
    assert.deepEqual(await invitationIds("cc_cal"), []);
  });

  test("an unknown name is refused at the field and nothing is saved", async () => {
    const before = await t.handle.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await as.cc_ann!.post(
      "/works",
      workForm({ title: "Never Saved", co_creators: "cc_bea, nobody_by_this_name" }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /We couldn't find a pseud named &quot;nobody_by_this_name&quot;/);
    assert.match(res.body, /id="field-co_creators-error"/);
    assert.match(res.body, /value="cc_bea, nobody_by_this_name"/);
    const after = await t.handle.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  test("opted out, blocked, blocking and oneself: one sentence that does not say which", async () => {
    // cc_fay turns invitations off; cc_dot blocks cc_ann; cc_ann blocks cc_eve.
    const prefs = await as.cc_fay!.get("/users/cc_fay/preferences");
    assert.match(prefs.body, /Allow others to invite me to be a co-creator/);
    assert.match(prefs.body, /name="allow_cocreator"[^>]*checked/);
    await as.cc_fay!.post("/users/cc_fay/preferences", { history_enabled: "1", allow_gifts: "1" });
    const saved = await t.handle.db
      .selectFrom("users")
      .select(["allow_cocreator", "allow_gifts"])
      .where("id", "=", ids.cc_fay!.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(saved, { allow_cocreator: 0, allow_gifts: 1 });
    assert.equal(
      (await as.cc_dot!.post("/preferences/blocked", { login: "cc_ann" })).statusCode,
      303,
    );
    assert.equal(
      (await as.cc_ann!.post("/preferences/blocked", { login: "cc_eve" })).statusCode,
      303,
    );
    const workId = await post("cc_ann", { title: "Closed Doors" });
    const messages: string[] = [];
    for (const name of ["cc_fay", "cc_dot", "cc_eve", "cc_ann"]) {
      const res = await as.cc_ann!.post(
        `/works/${workId}`,
        workForm({ title: "Closed Doors", co_creators: name }),
      );
      assert.equal(res.statusCode, 422, `${name}: ${res.body.slice(0, 300)}`);
      const message = /<p class="field-error" id="field-co_creators-error">([^<]*)<\/p>/.exec(
        res.body,
      )?.[1];
      assert.ok(message, `${name}: the error is at the field`);
      messages.push(message.replace(name, "NAME"));
    }
    assert.equal(new Set(messages).size, 1, messages.join(" | "));
    assert.match(messages[0]!, /NAME can't be invited as a co-creator\./);
    assert.deepEqual(await invitationIds("cc_fay"), []);
    assert.deepEqual(await invitationIds("cc_dot"), []);
    assert.deepEqual(await invitationIds("cc_eve"), []);
    // Turned back on, invitations work again (and unblocking is engagement's business).
    await as.cc_fay!.post("/users/cc_fay/preferences", { allow_cocreator: "1" });
    const ok = await as.cc_ann!.post(
      `/works/${workId}`,
      workForm({ title: "Closed Doors", co_creators: "cc_fay" }),
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    assert.equal((await invitationIds("cc_fay")).length, 1);
  });

  test("the edit form lists pending invitations: saved unchanged nothing changes, a name taken out is withdrawn", async () => {
    const workId = await post("cc_bea", { title: "Pending Tale", co_creators: "cc_cal, cc_eve" });
    const form = await as.cc_bea!.get(`/works/${workId}/edit`);
    assert.match(form.body, /value="cc_cal, cc_eve"/);
    const pending = async () =>
      (
        await t.handle.db
          .selectFrom("creator_invitations")
          .select("id")
          .where("target_type", "=", "work")
          .where("target_id", "=", workId)
          .orderBy("id")
          .execute()
      ).map((r) => r.id);
    const before = await pending();
    assert.equal(before.length, 2);
    const same = await as.cc_bea!.post(
      `/works/${workId}`,
      workForm({ title: "Pending Tale", co_creators: "cc_cal, cc_eve" }),
    );
    assert.equal(same.statusCode, 303);
    assert.deepEqual(await pending(), before);
    await as.cc_bea!.post(
      `/works/${workId}`,
      workForm({ title: "Pending Tale", co_creators: "cc_eve" }),
    );
    assert.deepEqual(await pending(), [before[1]]);
    // A form without the field (an old page, a script) leaves the invitations alone.
    await as.cc_bea!.post(`/works/${workId}`, workForm({ title: "Pending Tale" }));
    assert.deepEqual(await pending(), [before[1]]);
  });

  test("either creator edits, and an edit keeps the other creator's credit", async () => {
    const workId = await post("cc_ann", { title: "Shared Lamp" });
    await as.cc_ann!.post(
      `/works/${workId}`,
      workForm({ title: "Shared Lamp", co_creators: "cc_bea" }),
    );
    const [invitation] = await invitationIds("cc_bea");
    await answer("cc_bea", "accept", invitation);
    // The co-creator sees the edit links and may use them.
    const page = await as.cc_bea!.get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`href="/works/${workId}/edit"`));
    assert.equal((await as.cc_bea!.get(`/works/${workId}/edit`)).statusCode, 200);
    const edited = await as.cc_bea!.post(
      `/works/${workId}`,
      // Its own pseud, as the form sends it: before issue 15 this replaced every creator.
      workForm({ title: "Shared Lamp, Revised", pseud_id: String(ids.cc_bea!.pseudId) }),
    );
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 300));
    assert.deepEqual(await creatorLogins(workId), ["cc_ann", "cc_bea"]);
    // Choosing another pseud swaps only the editor's own (it was all creators before).
    await as.cc_ann!.post("/users/cc_ann/pseuds", { name: "Lamplighter" });
    const other = await t.handle.db
      .selectFrom("pseuds")
      .select("id")
      .where("user_id", "=", ids.cc_ann!.id)
      .where("name", "=", "Lamplighter")
      .executeTakeFirstOrThrow();
    const editForm = await as.cc_ann!.get(`/works/${workId}/edit`);
    assert.match(
      editForm.body,
      new RegExp(`<option value="${ids.cc_ann!.pseudId}" selected`),
      "the form starts at the editor's own pseud",
    );
    const swapped = await as.cc_ann!.post(
      `/works/${workId}`,
      workForm({ title: "Shared Lamp, Revised", pseud_id: String(other.id) }),
    );
    assert.equal(swapped.statusCode, 303, swapped.body.slice(0, 300));
    const credited = await t.handle.db
      .selectFrom("creatorships")
      .select("pseud_id")
      .where("work_id", "=", workId)
      .orderBy("position")
      .execute();
    assert.deepEqual(
      credited.map((r) => r.pseud_id),
      [other.id, ids.cc_bea!.pseudId],
    );
    assert.match(byline((await as.cc_cal!.get(`/works/${workId}`)).body), /Lamplighter \(cc_ann\)/);
  });

  test("remove me: asked first, then no more editing; the last creator is refused", async () => {
    const workId = await post("cc_dot", { title: "Parting Ways", co_creators: "cc_fay" });
    await answer("cc_fay", "accept", (await invitationIds("cc_fay")).at(-1));
    const page = await as.cc_fay!.get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`href="/works/${workId}/creators/remove_me"`));
    const confirm = await as.cc_fay!.get(`/works/${workId}/creators/remove_me`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Yes, remove me/);
    const removed = await as.cc_fay!.post(`/works/${workId}/creators/remove_me`);
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, "/users/cc_fay/works");
    assert.deepEqual(await creatorLogins(workId), ["cc_dot"]);
    assert.equal((await as.cc_fay!.get(`/works/${workId}/edit`)).statusCode, 403);
    assert.doesNotMatch(byline((await as.cc_cal!.get(`/works/${workId}`)).body), /cc_fay/);

    // Alone now: no link, and the page and the action say why.
    const alone = await as.cc_dot!.get(`/works/${workId}`);
    assert.doesNotMatch(alone.body, /creators\/remove_me/);
    const last = await as.cc_dot!.get(`/works/${workId}/creators/remove_me`);
    assert.match(last.body, /You are the only creator of this work/);
    assert.doesNotMatch(last.body, /Yes, remove me/);
    const refused = await as.cc_dot!.post(`/works/${workId}/creators/remove_me`);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /You are the only creator of this work/);
    assert.deepEqual(await creatorLogins(workId), ["cc_dot"]);
  });

  test("chapter invitations credit the chapter and the work; a chapter's byline shows where it differs", async () => {
    const workId = await post("cc_eve", { title: "Relay", chapter_title: "First Leg" });
    const newForm = await as.cc_eve!.get(`/works/${workId}/chapters/new`);
    assert.match(newForm.body, /Chapter co-creators/);
    const added = await as.cc_eve!.post(`/works/${workId}/chapters`, {
      chapter_title: "Second Leg",
      text: "The baton passed at the lighthouse.",
      co_creators: "cc_bea",
      action: "post",
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const second = Number(/chapters\/(\d+)/.exec(added.headers.location ?? "")?.[1]);
    const first = (
      await t.handle.db
        .selectFrom("chapters")
        .select("id")
        .where("work_id", "=", workId)
        .where("position", "=", 1)
        .executeTakeFirstOrThrow()
    ).id;
    const editForm = await as.cc_eve!.get(`/works/${workId}/chapters/${second}/edit`);
    assert.match(
      editForm.body,
      /name="co_creators"[^>]*value="cc_bea"|value="cc_bea"[^>]*name="co_creators"/,
    );

    await t.drainJobs();
    const inbox = await as.cc_bea!.get("/users/cc_bea/inbox");
    assert.match(inbox.body, /co-creator of Chapter 2 of “Relay”/);
    const requests = await as.cc_bea!.get("/users/cc_bea/creatorships");
    assert.match(requests.body, /Chapter 2: Second Leg of “Relay”/);
    await answer("cc_bea", "accept", (await invitationIds("cc_bea")).at(-1));

    assert.deepEqual(await creatorLogins(workId), ["cc_eve", "cc_bea"]);
    const chapterRows = await t.handle.db
      .selectFrom("chapter_creatorships")
      .innerJoin("pseuds", "pseuds.id", "chapter_creatorships.pseud_id")
      .select(["chapter_creatorships.chapter_id", "pseuds.name"])
      .where("chapter_creatorships.chapter_id", "in", [first, second])
      .orderBy("chapter_creatorships.chapter_id")
      .orderBy("chapter_creatorships.position")
      .execute();
    assert.deepEqual(chapterRows, [
      { chapter_id: first, name: "cc_eve" },
      { chapter_id: second, name: "cc_eve" },
      { chapter_id: second, name: "cc_bea" },
    ]);
    // Chapter 1 is by cc_eve alone, unlike the work: its preface names her. Chapter 2 is by
    // both, as the work is: no byline of its own.
    const one = await as.cc_cal!.get(`/works/${workId}/chapters/${first}`);
    const chapterByline = (html: string) =>
      /<div class="chapter preface group">[\s\S]*?<h3 class="byline heading">([\s\S]*?)<\/h3>/.exec(
        html,
      )?.[1];
    assert.match(chapterByline(one.body) ?? "", /cc_eve/);
    assert.doesNotMatch(chapterByline(one.body) ?? "", /cc_bea/);
    const two = await as.cc_cal!.get(`/works/${workId}/chapters/${second}`);
    assert.equal(chapterByline(two.body), undefined);

    // A chapter's co-creator edits the work's chapters, as any creator of the work does.
    assert.equal((await as.cc_bea!.get(`/works/${workId}/chapters/${first}/edit`)).statusCode, 200);
    // cc_bea leaves chapter 2 (she stays a creator of the work); not chapter 1, not hers.
    const hers = await as.cc_bea!.get(`/works/${workId}/chapters/${second}`);
    assert.match(hers.body, /Remove Me From Chapter/);
    assert.equal(
      (await as.cc_bea!.get(`/works/${workId}/chapters/${first}/creators/remove_me`)).statusCode,
      403,
    );
    const left = await as.cc_bea!.post(`/works/${workId}/chapters/${second}/creators/remove_me`);
    assert.equal(left.statusCode, 303);
    assert.deepEqual(await creatorLogins(workId), ["cc_eve", "cc_bea"]);
    const after = await as.cc_cal!.get(`/works/${workId}/chapters/${second}`);
    assert.match(chapterByline(after.body) ?? "", /cc_eve/);
    const lastOne = await as.cc_eve!.post(`/works/${workId}/chapters/${second}/creators/remove_me`);
    assert.equal(lastOne.statusCode, 422);
    assert.match(lastOne.body, /only creator of this chapter/);
  });

  test("series invitations: the creators page invites, the name shows after accepting, remove me", async () => {
    const workId = await post("cc_cal", { title: "Series Part One" });
    const seriesId = await buildSeries(t.handle.db, {
      pseudId: ids.cc_cal!.pseudId,
      workIds: [workId],
      title: "Lamp Cycle",
    });
    const page = await as.cc_cal!.get(`/series/${seriesId}/creators`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /Co-creators of/);
    const invited = await as.cc_cal!.post(`/series/${seriesId}/creators`, {
      co_creators: "cc_dot",
    });
    assert.equal(invited.statusCode, 303, invited.body.slice(0, 300));
    const pending = await as.cc_cal!.get(`/series/${seriesId}/creators`);
    assert.match(pending.body, /<dd class="pending">cc_dot<\/dd>/);
    assert.doesNotMatch(
      /<dd class="byline">([\s\S]*?)<\/dd>/.exec(pending.body)?.[1] ?? "",
      /cc_dot/,
    );
    const unknown = await as.cc_cal!.post(`/series/${seriesId}/creators`, {
      co_creators: "no_such_one",
    });
    assert.equal(unknown.statusCode, 422);

    await t.drainJobs();
    assert.match(
      (await as.cc_dot!.get("/users/cc_dot/inbox")).body,
      /co-creator of the series “Lamp Cycle”/,
    );
    const requests = await as.cc_dot!.get("/users/cc_dot/creatorships");
    assert.match(requests.body, new RegExp(`href="/series/${seriesId}">Lamp Cycle</a>`));
    await answer("cc_dot", "accept", (await invitationIds("cc_dot")).at(-1));
    const credited = await as.cc_cal!.get(`/series/${seriesId}/creators`);
    assert.match(/<dd class="byline">([\s\S]*?)<\/dd>/.exec(credited.body)?.[1] ?? "", /cc_dot/);
    assert.match(credited.body, /Remove me as co-creator/);

    // The co-creator may manage the series now; then removes themselves.
    assert.equal((await as.cc_dot!.get(`/series/${seriesId}/creators`)).statusCode, 200);
    assert.equal((await as.cc_dot!.get(`/series/${seriesId}/edit`)).statusCode, 200);
    assert.equal((await as.cc_dot!.post(`/series/${seriesId}/creators/remove_me`)).statusCode, 303);
    assert.equal((await as.cc_dot!.get(`/series/${seriesId}/creators`)).statusCode, 403);
    const last = await as.cc_cal!.post(`/series/${seriesId}/creators/remove_me`);
    assert.equal(last.statusCode, 422);
    assert.match(last.body, /only creator of this series/);
  });

  test("who may not: guests log in, others get 403, nobody's pages 404", async () => {
    const guest = new Client(t.app);
    const workId = await post("cc_ann", { title: "Guarded", co_creators: "cc_bea" });
    const seriesId = await buildSeries(t.handle.db, {
      pseudId: ids.cc_ann!.pseudId,
      workIds: [workId],
    });
    const chapter = (
      await t.handle.db
        .selectFrom("chapters")
        .select("id")
        .where("work_id", "=", workId)
        .executeTakeFirstOrThrow()
    ).id;
    const pages = [
      "/users/cc_bea/creatorships",
      `/works/${workId}/creators/remove_me`,
      `/works/${workId}/chapters/${chapter}/creators/remove_me`,
      `/series/${seriesId}/creators`,
      `/series/${seriesId}/creators/remove_me`,
    ];
    for (const url of pages) {
      const res = await guest.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(res.headers.location ?? "", /^\/login\?return_to=/, url);
      assert.equal((await guest.post(url, { decision: "accept", all: "1" })).statusCode, 401, url);
      // cc_cal is neither the invitee nor a creator.
      assert.equal((await as.cc_cal!.get(url)).statusCode, 403, `GET ${url}`);
      assert.equal(
        (await as.cc_cal!.post(url, { decision: "accept", all: "1", co_creators: "cc_cal" }))
          .statusCode,
        403,
        `POST ${url}`,
      );
    }
    assert.equal((await as.cc_cal!.get("/users/nobody_at_all/creatorships")).statusCode, 404);
    assert.equal((await as.cc_ann!.get("/series/999999/creators")).statusCode, 404);
    assert.equal((await as.cc_ann!.get("/works/999999/creators/remove_me")).statusCode, 404);
    // Someone else's invitation, answered from one's own page: not found, and untouched.
    const [theirs] = (await invitationIds("cc_bea")).slice(-1);
    const res = await answer("cc_cal", "accept", theirs);
    assert.equal(res.statusCode, 404);
    assert.ok((await invitationIds("cc_bea")).includes(theirs!));
    assert.deepEqual(await creatorLogins(workId), ["cc_ann"]);
  });

  test("co-created works count for each creator: listings, statistics, subscribers told once", async () => {
    const a = await user("cc_gus");
    const b = await user("cc_hal");
    const s1 = await user("cc_sub1");
    const s2 = await user("cc_sub2");
    const s3 = await user("cc_sub3");
    // A draft, so that the work is announced once, with both creators credited.
    const workId = await post("cc_gus", {
      title: "Joint Venture",
      action: "draft",
      co_creators: "cc_hal",
    });
    await answer("cc_hal", "accept", (await invitationIds("cc_hal")).at(-1));
    for (const [client, who] of [
      [s1, ["cc_gus"]],
      [s2, ["cc_hal"]],
      [s3, ["cc_gus", "cc_hal"]],
    ] as const)
      for (const login of who)
        assert.equal((await client.post(`/users/${login}/subscriptions`)).statusCode, 303);
    assert.equal((await a.post(`/works/${workId}/post`)).statusCode, 303);
    await t.drainJobs();
    for (const login of ["cc_sub1", "cc_sub2", "cc_sub3"]) {
      const told = await t.handle.db
        .selectFrom("notifications")
        .select("text")
        .where("user_id", "=", ids[login]!.id)
        .where("kind", "=", "new_work")
        .where("work_id", "=", workId)
        .execute();
      assert.equal(told.length, 1, `${login} is told once`);
      assert.match(told[0]!.text, /cc_gus, cc_hal posted a new work/);
    }
    for (const login of ["cc_gus", "cc_hal"]) {
      const works = await new Client(t.app).get(`/users/${login}/works`);
      assert.match(works.body, /Joint Venture/, `works by ${login}`);
      const profile = await new Client(t.app).get(`/users/${login}`);
      assert.match(profile.body, /Joint Venture/, `${login}'s profile`);
      const pseud = await new Client(t.app).get(`/users/${login}/pseuds/${login}`);
      assert.match(pseud.body, /Joint Venture/, `${login}'s pseud`);
    }
    for (const [client, login] of [
      [a, "cc_gus"],
      [b, "cc_hal"],
    ] as const) {
      const stats = await client.get(`/users/${login}/stats`);
      assert.equal(stats.statusCode, 200);
      assert.match(stats.body, /Joint Venture/, `${login}'s statistics`);
    }
  });
});
