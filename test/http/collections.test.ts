/**
 * Collections over HTTP (issue 15), on both engines: creating, editing and deleting them, their
 * names and one-level nesting, open / moderated / closed collections through the work form,
 * the moderators' queue, invitations of works, the two switches (anonymous, unrevealed) with
 * their reveals, a collection's works listing, AO3's `dd.collections`, and who may not.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findItem } from "../../src/collections/queries.ts";
import { REVEAL_EVERY_MS } from "../../src/collections/register.ts";
import { revealDateValue } from "../../src/collections/schemas.ts";
import {
  Client,
  createTestApp,
  TEST_PASSWORD,
  workForm,
  workIdFrom,
  type TestApp,
} from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { buildCollection, buildItem } from "../support/factories-collections.ts";

const DAY = 86_400_000;

describeEachEngine("collections over HTTP", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  const db = () => t.handle.db;

  async function account(login: string) {
    const user = await buildUser(db(), { login, password: TEST_PASSWORD });
    const client = new Client(t.app);
    assert.equal((await client.logIn(login)).statusCode, 303);
    return { ...user, client };
  }

  async function postWork(client: Client, overrides: Record<string, string> = {}) {
    const res = await client.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return workIdFrom(res.headers.location);
  }

  const flags = (workId: number) =>
    db()
      .selectFrom("works")
      .select(["in_anon_collection as anonymous", "in_unrevealed_collection as unrevealed"])
      .where("id", "=", workId)
      .executeTakeFirstOrThrow();

  const inbox = (userId: number) =>
    db()
      .selectFrom("notifications")
      .select(["kind", "text", "url"])
      .where("user_id", "=", userId)
      .orderBy("id")
      .execute();

  const queued = (kind: string) =>
    db()
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", kind)
      .execute()
      .then((rows) => rows.map((r) => String(r.payload)));

  test("who may not: guests go to log in, others are refused", async () => {
    const owner = await account("c_guard_owner");
    const c = await buildCollection(db(), { owner, name: "guarded" });
    const workId = (await buildWork(db())).workId;
    await buildItem(db(), { collection: c, workId, by: owner });

    const guest = new Client(t.app);
    for (const url of [
      "/collections/new",
      "/collections/guarded/edit",
      "/collections/guarded/items",
      "/collections/guarded/participants",
      "/collections/guarded/confirm_delete",
    ]) {
      const res = await guest.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(res.headers.location ?? "", /^\/login\?return_to=/, url);
    }
    assert.equal((await guest.post("/collections", { name: "x", title: "X" })).statusCode, 401);
    assert.equal((await guest.post("/collections/guarded/join")).statusCode, 401);

    const stranger = await account("c_guard_stranger");
    for (const url of [
      "/collections/guarded/edit",
      "/collections/guarded/items",
      "/collections/guarded/participants",
      "/collections/guarded/confirm_delete",
    ])
      assert.equal((await stranger.client.get(url)).statusCode, 403, url);
    for (const url of [
      "/collections/guarded",
      "/collections/guarded/delete",
      `/collections/guarded/items/${workId}/approve`,
      `/collections/guarded/items/${workId}/reject`,
      `/collections/guarded/items/${workId}/remove`,
      "/collections/guarded/reveal_works",
      "/collections/guarded/reveal_creators",
      `/collections/guarded/participants/${owner.id}/delete`,
    ])
      assert.equal((await stranger.client.post(url, { title: "Mine now" })).statusCode, 403, url);
    const add = await stranger.client.post("/collections/guarded/participants", {
      login: "c_guard_stranger",
      role: "owner",
    });
    assert.equal(add.statusCode, 403);
    assert.ok(await findItem(db(), c.id, workId), "nothing was removed");

    // A moderator looks after the works, but neither the settings nor the participants.
    const moderator = await account("c_guard_moderator");
    const added = await owner.client.post("/collections/guarded/participants", {
      login: "c_guard_moderator",
      role: "moderator",
    });
    assert.equal(added.statusCode, 303);
    assert.equal((await moderator.client.get("/collections/guarded/items")).statusCode, 200);
    assert.equal((await moderator.client.get("/collections/guarded/participants")).statusCode, 200);
    assert.equal((await moderator.client.get("/collections/guarded/edit")).statusCode, 403);
    assert.equal(
      (
        await moderator.client.post("/collections/guarded/participants", {
          login: "c_guard_stranger",
          role: "moderator",
        })
      ).statusCode,
      403,
    );
    assert.equal((await moderator.client.post("/collections/guarded/delete")).statusCode, 403);
    assert.equal((await guest.get("/collections/no_such_collection")).statusCode, 404);
    assert.equal((await owner.client.get("/collections/no_such_collection/edit")).statusCode, 404);
  });

  test("creating a collection: the name's rules, unique ignoring case; its creator owns it", async () => {
    const me = await account("c_creator");
    const form = await me.client.get("/collections/new");
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="field-name">Name/);

    const spaces = await me.client.post("/collections", { name: "two words", title: "T" });
    assert.equal(spaces.statusCode, 422);
    assert.match(spaces.body, /only letters \(a–z\), digits and underscores/);
    assert.match(spaces.body, /value="two words"/, "what was typed stays");
    const reserved = await me.client.post("/collections", { name: "New", title: "T" });
    assert.equal(reserved.statusCode, 422);
    assert.match(
      reserved.body,
      /kept for the archive&#39;s own pages|kept for the archive's own pages/,
    );
    const long = await me.client.post("/collections", { name: "a".repeat(256), title: "T" });
    assert.equal(long.statusCode, 422);
    assert.equal(
      (await me.client.post("/collections", { name: "untitled", title: " " })).statusCode,
      422,
    );

    const res = await me.client.post("/collections", {
      name: "Yuletide_2026",
      title: "Yuletide 2026",
      description: "A gift exchange for <b>rare</b> fandoms.<script>alert(1)</script>",
      rules: "Write at least 1,000 words.",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    assert.equal(res.headers.location, "/collections/Yuletide_2026");
    const profile = await me.client.get("/collections/Yuletide_2026");
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /<h1 class="heading">Yuletide 2026<\/h1>/);
    assert.match(profile.body, /A gift exchange for <b>rare<\/b> fandoms\./);
    assert.doesNotMatch(profile.body, /<script>alert/);
    assert.match(profile.body, /Write at least 1,000 words\./);
    assert.match(profile.body, /<dd class="owners"><a href="\/users\/c_creator">c_creator<\/a>/);
    assert.match(profile.body, /Open to new works/);
    assert.match(profile.body, /You are an owner of this collection\./);
    assert.match(profile.body, /class="collections-show"/);

    const taken = await me.client.post("/collections", { name: "yuletide_2026", title: "Again" });
    assert.equal(taken.statusCode, 422);
    assert.match(
      taken.body,
      /The name &quot;yuletide_2026&quot; is taken|The name "yuletide_2026" is taken/,
    );
    // The address answers in any case.
    assert.equal((await new Client(t.app).get("/collections/YULETIDE_2026")).statusCode, 200);
    const rows = await db()
      .selectFrom("collection_participants")
      .innerJoin("collections", "collections.id", "collection_participants.collection_id")
      .select(["collection_participants.user_id", "collection_participants.role"])
      .where("collections.name_key", "=", "yuletide_2026")
      .execute();
    assert.deepEqual(rows, [{ user_id: me.id, role: "owner" }]);
  });

  test("the index lists collections newest first, 20 to a page, in a fixed number of queries", async () => {
    const fresh = await createTestApp(engine);
    try {
      const owner = await buildUser(fresh.handle.db);
      for (let i = 1; i <= 21; i++)
        await buildCollection(fresh.handle.db, {
          owner,
          name: `index_${i}`,
          title: `Index ${i}`,
          now: Date.UTC(2026, 0, i),
        });
      const guest = new Client(fresh.app);
      await guest.get("/collections?page=2");
      // Twenty collections cost what one does (parents and counts in one statement each).
      const before = fresh.queries.count;
      await guest.get("/collections?page=2");
      const forOne = fresh.queries.count - before;
      const first = await guest.get("/collections");
      assert.equal(fresh.queries.count - before - forOne, forOne, "no query per collection");
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /21 Collections/);
      const titles = [
        ...first.body.matchAll(/<a href="\/collections\/index_\d+">(Index \d+)<\/a>/g),
      ];
      assert.equal(titles.length, 20);
      assert.equal(titles[0]![1], "Index 21");
      assert.match(first.body, /href="\/collections\?page=2" rel="next"/);
      assert.doesNotMatch(first.body, /New collection<\/a>/, "guests are not offered to create");
      const second = await guest.get("/collections?page=2");
      assert.match(second.body, />Index 1<\/a>/);
      assert.doesNotMatch(second.body, />Index 2<\/a>/);
    } finally {
      await fresh.close();
    }
  });

  test("settings: the edit form holds what is stored; deleting asks first, keeps the works", async () => {
    const owner = await account("c_editor");
    const created = await owner.client.post("/collections", {
      name: "editable",
      title: "Editable",
      anonymous: "1",
    });
    assert.equal(created.statusCode, 303);
    const edit = await owner.client.get("/collections/editable/edit");
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /name="title" type="text" value="Editable"/);
    assert.match(edit.body, /id="field-anonymous" name="anonymous" value="1" checked/);

    const writer = await account("c_edit_writer");
    const workId = await postWork(writer.client, { collection_names: "editable" });
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 0 });

    const saved = await owner.client.post("/collections/editable", {
      title: "Edited",
      moderated: "1",
      anonymous: "1",
      reveal_creators_at: "2027-02-31T10:00",
    });
    assert.equal(saved.statusCode, 422, "a date that does not exist");
    assert.match(saved.body, /Enter a date as YYYY-MM-DD/);
    const ok = await owner.client.post("/collections/editable", {
      title: "Edited",
      moderated: "1",
      anonymous: "1",
      reveal_creators_at: "2027-01-31T10:00",
    });
    assert.equal(ok.statusCode, 303);
    const profile = await owner.client.get("/collections/editable");
    assert.match(profile.body, /<h1 class="heading">Edited<\/h1>/);
    assert.match(profile.body, /moderated: new works wait/);
    assert.match(profile.body, /Creators are shown as Anonymous until 2027-01-31 10:00 UTC/);

    const confirm = await owner.client.get("/collections/editable/confirm_delete");
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Delete “Edited”\?/);
    assert.match(confirm.body, /action="\/collections\/editable\/delete"/);
    const gone = await owner.client.post("/collections/editable/delete");
    assert.equal(gone.statusCode, 303);
    assert.equal(gone.headers.location, "/collections");
    assert.equal((await owner.client.get("/collections/editable")).statusCode, 404);
    const items = await db()
      .selectFrom("collection_items")
      .select("work_id")
      .where("work_id", "=", workId)
      .execute();
    assert.deepEqual(items, []);
    // The work stays, and is no longer anonymous: its only anonymous collection went.
    assert.deepEqual(await flags(workId), { anonymous: 0, unrevealed: 0 });
    assert.equal((await new Client(t.app).get(`/works/${workId}`)).statusCode, 200);
  });

  test("collections nest one level, under collections their owners maintain", async () => {
    const owner = await account("c_nest_owner");
    const other = await account("c_nest_other");
    const post = (client: Client, form: Record<string, string>) =>
      client.post("/collections", form);
    assert.equal(
      (await post(owner.client, { name: "nest_parent", title: "Parent" })).statusCode,
      303,
    );
    const child = await post(owner.client, {
      name: "nest_child",
      title: "Child",
      parent_name: "NEST_PARENT",
    });
    assert.equal(child.statusCode, 303, child.body.slice(0, 1000));
    const grandchild = await post(owner.client, {
      name: "nest_grandchild",
      title: "Grandchild",
      parent_name: "nest_child",
    });
    assert.equal(grandchild.statusCode, 422);
    assert.match(grandchild.body, /is itself a subcollection: collections nest one level only/);
    const unknown = await post(owner.client, { name: "nest_x", title: "X", parent_name: "nope" });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no collection named/);
    const foreign = await post(other.client, {
      name: "nest_foreign",
      title: "Foreign",
      parent_name: "nest_parent",
    });
    assert.equal(foreign.statusCode, 422);
    assert.match(foreign.body, /Only the owners and moderators of/);
    // A parent can't become a child: it has children of its own.
    assert.equal((await post(owner.client, { name: "nest_top", title: "Top" })).statusCode, 303);
    const demote = await owner.client.post("/collections/nest_parent", {
      title: "Parent",
      parent_name: "nest_top",
    });
    assert.equal(demote.statusCode, 422);
    assert.match(
      demote.body,
      /has subcollections, so it can&#39;t become|has subcollections, so it can't become/,
    );
    const self = await owner.client.post("/collections/nest_top", {
      title: "Top",
      parent_name: "nest_top",
    });
    assert.equal(self.statusCode, 422);

    const subs = await new Client(t.app).get("/collections/nest_parent/collections");
    assert.equal(subs.statusCode, 200);
    assert.match(subs.body, /<a href="\/collections\/nest_child">Child<\/a>/);
    const childPage = await new Client(t.app).get("/collections/nest_child");
    assert.match(
      childPage.body,
      /A subcollection of <a href="\/collections\/nest_parent">Parent<\/a>/,
    );

    // The parent's works are its own and its children's.
    const writer = await account("c_nest_writer");
    const inChild = await postWork(writer.client, {
      title: "In The Child",
      collection_names: "nest_child",
    });
    const parentWorks = await new Client(t.app).get("/collections/nest_parent/works");
    assert.match(parentWorks.body, new RegExp(`<a href="/works/${inChild}">In The Child</a>`));
    assert.match((await new Client(t.app).get("/collections/nest_parent")).body, /Works \(1\)/);
  });

  test("the work form: open, moderated and closed collections, unknown names, edits", async () => {
    const owner = await account("c_form_owner");
    const open = await buildCollection(db(), { owner, name: "form_open", title: "A Open" });
    const moderated = await buildCollection(db(), {
      owner,
      name: "form_moderated",
      title: "B Moderated",
      moderated: "1",
    });
    await buildCollection(db(), { owner, name: "form_closed", title: "Closed", closed: "1" });
    const writer = await account("c_form_writer");

    const newForm = await writer.client.get("/works/new");
    assert.match(
      newForm.body,
      /<label for="field-collection_names">Post to Collections \/ Challenges/,
    );

    const workId = await postWork(writer.client, { collection_names: "form_open, Form_Moderated" });
    assert.equal((await findItem(db(), open.id, workId))?.collectionApproval, "approved");
    assert.equal((await findItem(db(), moderated.id, workId))?.collectionApproval, "pending");
    await t.drainJobs();
    const told = await inbox(owner.id);
    assert.ok(
      told.some(
        (n) =>
          n.kind === "collection" &&
          /was submitted to B Moderated and is waiting for approval/.test(n.text) &&
          n.url === "/collections/form_moderated/items?status=pending",
      ),
      JSON.stringify(told),
    );

    const countWorks = async () =>
      Number(
        (
          await db()
            .selectFrom("works")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countWorks();
    const unknown = await writer.client.post(
      "/works",
      workForm({ title: "Nowhere", collection_names: "form_open, no_such_one" }),
    );
    assert.equal(unknown.statusCode, 422);
    assert.match(
      unknown.body,
      /There is no collection named &quot;no_such_one&quot;\.|There is no collection named "no_such_one"\./,
    );
    assert.match(unknown.body, /<a href="#field-collection_names">/);
    assert.match(unknown.body, /value="form_open, no_such_one"/);
    const closed = await writer.client.post(
      "/works",
      workForm({ title: "Too Late", collection_names: "form_closed" }),
    );
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /is closed to new works/);
    assert.equal(await countWorks(), before, "a refused collection posts nothing");

    // The moderated collection's own owner is approved at once.
    const own = await postWork(owner.client, { collection_names: "form_moderated" });
    assert.equal((await findItem(db(), moderated.id, own))?.collectionApproval, "approved");

    const edit = await writer.client.get(`/works/${workId}/edit`);
    assert.match(
      edit.body,
      /name="collection_names" type="text" value="form_open, form_moderated"/,
    );
    const leave = await writer.client.post(
      `/works/${workId}`,
      workForm({ collection_names: "form_moderated" }),
    );
    assert.equal(leave.statusCode, 303, leave.body.slice(0, 1000));
    assert.equal(await findItem(db(), open.id, workId), undefined, "left on edit");
    assert.equal((await findItem(db(), moderated.id, workId))?.collectionApproval, "pending");
    // A form without the field (an old script) changes nothing.
    assert.equal((await writer.client.post(`/works/${workId}`, workForm())).statusCode, 303);
    assert.ok(await findItem(db(), moderated.id, workId));
  });

  test("the queue: approve and reject; moderators see anonymous works' creators there only", async () => {
    const owner = await account("c_queue_owner");
    const moderator = await account("c_queue_mod");
    const exchange = await buildCollection(db(), {
      owner,
      name: "queue_exchange",
      title: "Queue Exchange",
      moderated: "1",
      anonymous: "1",
    });
    assert.equal(
      (
        await owner.client.post("/collections/queue_exchange/participants", {
          login: "c_queue_mod",
          role: "moderator",
        })
      ).statusCode,
      303,
    );
    const writer = await account("c_queue_writer");
    const first = await postWork(writer.client, {
      title: "Secret Santa",
      collection_names: "queue_exchange",
    });
    // Waiting for approval already hides the creator (pending counts).
    assert.deepEqual(await flags(first), { anonymous: 1, unrevealed: 0 });
    const guestPage = await new Client(t.app).get(`/works/${first}`);
    assert.match(guestPage.body, /<h3 class="byline heading">\s*Anonymous\s*<\/h3>/);
    assert.doesNotMatch(guestPage.body, /c_queue_writer/);

    const queue = await moderator.client.get("/collections/queue_exchange/items");
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Secret Santa/);
    assert.match(queue.body, /href="\/users\/c_queue_writer\/pseuds\/c_queue_writer"/);
    assert.match(queue.body, /Approve<span class="landmark"> Secret Santa<\/span>/);
    for (const page of ["/collections/queue_exchange", "/collections/queue_exchange/works"]) {
      assert.doesNotMatch((await moderator.client.get(page)).body, /c_queue_writer/, page);
    }

    const approve = await moderator.client.post(
      `/collections/queue_exchange/items/${first}/approve`,
      {
        status: "pending",
      },
    );
    assert.equal(approve.statusCode, 303);
    assert.equal(approve.headers.location, "/collections/queue_exchange/items?status=pending");
    assert.equal((await findItem(db(), exchange.id, first))?.collectionApproval, "approved");
    const approvedTab = await moderator.client.get(
      "/collections/queue_exchange/items?status=approved",
    );
    assert.match(approvedTab.body, /Secret Santa/);
    assert.doesNotMatch(
      (await moderator.client.get("/collections/queue_exchange/items")).body,
      /Secret Santa/,
    );
    // Now the public sees it in the collection, by Anonymous.
    const works = await new Client(t.app).get("/collections/queue_exchange/works");
    assert.match(works.body, /Secret Santa<\/a> by Anonymous/);

    const second = await postWork(writer.client, {
      title: "Not Fitting",
      collection_names: "queue_exchange",
    });
    assert.equal((await flags(second)).anonymous, 1);
    const reject = await owner.client.post(`/collections/queue_exchange/items/${second}/reject`);
    assert.equal(reject.statusCode, 303);
    assert.equal((await findItem(db(), exchange.id, second))?.collectionApproval, "rejected");
    assert.deepEqual(await flags(second), { anonymous: 0, unrevealed: 0 }, "rejected: named again");
    const rejectedTab = await owner.client.get("/collections/queue_exchange/items?status=rejected");
    assert.match(rejectedTab.body, /Not Fitting/);

    await t.drainJobs();
    const told = await inbox(writer.id);
    assert.ok(
      told.some((n) =>
        /“Secret Santa” was approved for the collection Queue Exchange/.test(n.text),
      ),
    );
    assert.ok(
      told.some(
        (n) =>
          /“Not Fitting” was not accepted into the collection Queue Exchange/.test(n.text) &&
          n.url === "/users/c_queue_writer/collection_items",
      ),
      JSON.stringify(told),
    );
    // Removing takes the item out altogether.
    assert.equal(
      (await moderator.client.post(`/collections/queue_exchange/items/${first}/remove`)).statusCode,
      303,
    );
    assert.equal(await findItem(db(), exchange.id, first), undefined);
    assert.deepEqual(await flags(first), { anonymous: 0, unrevealed: 0 });
  });

  test("the switches: unrevealed hides, two collections, reveal by action and by date", async () => {
    const owner = await account("c_switch_owner");
    const hidden = await buildCollection(db(), {
      owner,
      name: "switch_unrevealed",
      title: "Unrevealed",
      unrevealed: "1",
      reveal_works_at: revealDateValue(t.clock.now + 30 * DAY),
    });
    const anon = await buildCollection(db(), {
      owner,
      name: "switch_anonymous",
      title: "Anonymous",
      anonymous: "1",
      reveal_creators_at: revealDateValue(t.clock.now + 2 * DAY),
    });
    const writer = await account("c_switch_writer");
    const workId = await postWork(writer.client, {
      title: "Both Switches",
      collection_names: "switch_unrevealed, switch_anonymous",
    });
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 1 });
    const guest = new Client(t.app);
    assert.equal((await guest.get(`/works/${workId}`)).statusCode, 404);
    assert.equal(
      (await owner.client.get(`/works/${workId}`)).statusCode,
      404,
      "not even the owner",
    );
    assert.equal(
      (await writer.client.get(`/works/${workId}`)).statusCode,
      200,
      "its creator sees it",
    );
    assert.doesNotMatch((await guest.get("/works")).body, /Both Switches/);
    assert.ok(
      !(await queued("work.posted")).some((p) => p.includes(`${workId}`)),
      "an unrevealed work is not announced",
    );

    // Leaving the unrevealed collection reveals the work; the other keeps it anonymous.
    const leave = await writer.client.post(
      `/users/c_switch_writer/collection_items/${hidden.id}/${workId}/remove`,
    );
    assert.equal(leave.statusCode, 303);
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 0 });
    assert.ok((await queued("work.revealed")).some((p) => p.includes(`${workId}`)));
    assert.equal((await guest.get(`/works/${workId}`)).statusCode, 200);

    // Back in through the work page's "Add to Collections": hidden again.
    const addPage = await writer.client.get(`/works/${workId}/collection_items/new`);
    assert.equal(addPage.statusCode, 200);
    assert.match(
      addPage.body,
      /<a href="\/collections\/switch_anonymous">Anonymous<\/a> \(approved\)/,
    );
    const readd = await writer.client.post(`/works/${workId}/collection_items`, {
      collection_names: "switch_unrevealed",
    });
    assert.equal(readd.statusCode, 303, readd.body.slice(0, 1000));
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 1 });

    // Reveal by action: the owner unchecks "unrevealed".
    const edit = await owner.client.post("/collections/switch_unrevealed", { title: "Unrevealed" });
    assert.equal(edit.statusCode, 303);
    assert.deepEqual(await flags(workId), { anonymous: 1, unrevealed: 0 });

    // The buttons: "Reveal works" and "Reveal creators".
    const both = await buildCollection(db(), {
      owner,
      name: "switch_buttons",
      title: "Buttons",
      anonymous: "1",
      unrevealed: "1",
    });
    const second = await postWork(writer.client, {
      title: "Button Work",
      collection_names: "switch_buttons",
    });
    const profile = await owner.client.get("/collections/switch_buttons");
    assert.match(profile.body, /<button type="submit">Reveal works<\/button>/);
    assert.match(profile.body, /<button type="submit">Reveal creators<\/button>/);
    assert.equal(
      (await owner.client.post("/collections/switch_buttons/reveal_works")).statusCode,
      303,
    );
    assert.deepEqual(await flags(second), { anonymous: 1, unrevealed: 0 });
    assert.equal(
      (await owner.client.post("/collections/switch_buttons/reveal_creators")).statusCode,
      303,
    );
    assert.deepEqual(await flags(second), { anonymous: 0, unrevealed: 0 });
    assert.ok(both.id > 0);

    // Reveal by date: the job reveals the creators once their time has passed.
    t.clock.now += DAY;
    await t.drainJobs();
    assert.equal((await flags(workId)).anonymous, 1, "not yet");
    t.clock.now += DAY + REVEAL_EVERY_MS;
    await t.drainJobs();
    t.clock.now += REVEAL_EVERY_MS;
    await t.drainJobs();
    assert.deepEqual(await flags(workId), { anonymous: 0, unrevealed: 0 });
    const collection = await db()
      .selectFrom("collections")
      .select(["anonymous"])
      .where("id", "=", anon.id)
      .executeTakeFirstOrThrow();
    assert.equal(collection.anonymous, 0);
    assert.match(
      (await guest.get(`/works/${workId}`)).body,
      /rel="author" href="\/users\/c_switch_writer/,
    );
  });

  test("invitations: a moderator invites a work, its creator accepts or declines", async () => {
    const owner = await account("c_invite_owner");
    const invited = await buildCollection(db(), {
      owner,
      name: "invite_here",
      title: "Invite Here",
      anonymous: "1",
    });
    await buildCollection(db(), { name: "invite_elsewhere", title: "Elsewhere" });
    const writer = await account("c_invite_writer");
    const first = await postWork(writer.client, { title: "Invited Work" });
    const second = await postWork(writer.client, { title: "Declined Work" });

    const page = await owner.client.get(`/works/${first}`);
    assert.match(
      page.body,
      new RegExp(`<a href="/works/${first}/collection_items/new">Invite to Collections</a>`),
    );
    assert.equal((await owner.client.get(`/works/${first}/collection_items/new`)).statusCode, 200);
    const elsewhere = await owner.client.post(`/works/${first}/collection_items`, {
      collection_names: "invite_elsewhere",
    });
    assert.equal(elsewhere.statusCode, 422);
    assert.match(elsewhere.body, /only to collections you own or moderate/);
    for (const id of [first, second]) {
      const res = await owner.client.post(`/works/${id}/collection_items`, {
        collection_names: "invite_here",
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    }
    const item = await findItem(db(), invited.id, first);
    assert.deepEqual(
      { collection: item?.collectionApproval, creator: item?.creatorApproval },
      { collection: "approved", creator: "pending" },
    );
    // Until the creator accepts, the collection does not touch the work.
    assert.deepEqual(await flags(first), { anonymous: 0, unrevealed: 0 });
    const twice = await owner.client.post(`/works/${first}/collection_items`, {
      collection_names: "invite_here",
    });
    assert.equal(twice.statusCode, 422);
    assert.match(
      twice.body,
      /invited to &quot;Invite Here&quot; \(invite_here\) already|invited to "Invite Here" \(invite_here\) already/,
    );

    const stranger = await account("c_invite_stranger");
    assert.doesNotMatch(
      (await stranger.client.get(`/works/${first}`)).body,
      /Invite to Collections/,
    );
    assert.equal(
      (await stranger.client.get(`/works/${first}/collection_items/new`)).statusCode,
      403,
    );
    assert.equal(
      (
        await stranger.client.post(`/works/${first}/collection_items`, {
          collection_names: "invite_here",
        })
      ).statusCode,
      403,
    );

    await t.drainJobs();
    const told = await inbox(writer.id);
    assert.ok(
      told.some(
        (n) =>
          /Invite Here invites your work “Invited Work”/.test(n.text) &&
          n.url === "/users/c_invite_writer/collection_items",
      ),
      JSON.stringify(told),
    );

    const mine = await writer.client.get("/users/c_invite_writer/collection_items");
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /Invited: waiting for your answer/);
    const base = `/users/c_invite_writer/collection_items/${invited.id}`;
    assert.equal((await stranger.client.post(`${base}/${first}/accept`)).statusCode, 403);
    assert.equal(
      (await stranger.client.get("/users/c_invite_writer/collection_items")).statusCode,
      403,
    );
    assert.equal((await writer.client.post(`${base}/${first}/accept`)).statusCode, 303);
    assert.equal((await findItem(db(), invited.id, first))?.creatorApproval, "approved");
    assert.deepEqual(await flags(first), { anonymous: 1, unrevealed: 0 });
    assert.equal((await writer.client.post(`${base}/${second}/decline`)).statusCode, 303);
    assert.equal((await findItem(db(), invited.id, second))?.creatorApproval, "rejected");
    assert.deepEqual(await flags(second), { anonymous: 0, unrevealed: 0 });

    const shown = await new Client(t.app).get(`/works/${first}`);
    assert.match(
      shown.body,
      /<dd class="collections"><a href="\/collections\/invite_here">Invite Here<\/a><\/dd>/,
    );
    assert.doesNotMatch(
      (await new Client(t.app).get(`/works/${second}`)).body,
      /dd class="collections"/,
    );
  });

  test("a collection's works: the full Sort and filter, approved items only", async () => {
    const owner = await account("c_list_owner");
    await buildCollection(db(), { owner, name: "list_parent", title: "List Parent" });
    await owner.client.post("/collections", {
      name: "list_child",
      title: "List Child",
      parent_name: "list_parent",
      moderated: "1",
    });
    const writer = await account("c_list_writer");
    await postWork(writer.client, {
      title: "Alpha Fluff",
      freeforms: "Fluff",
      collection_names: "list_parent",
    });
    await postWork(writer.client, {
      title: "Beta Angst",
      freeforms: "Angst",
      collection_names: "list_parent",
    });
    const waiting = await postWork(writer.client, {
      title: "Gamma Waiting",
      freeforms: "Fluff",
      collection_names: "list_child",
    });
    await postWork(writer.client, { title: "Delta Elsewhere", freeforms: "Fluff" });
    await postWork(owner.client, {
      title: "Epsilon Child",
      freeforms: "Fluff",
      collection_names: "list_child",
    });

    const guest = new Client(t.app);
    const all = await guest.get("/collections/list_parent/works");
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /3 Works in List Parent/);
    for (const title of ["Alpha Fluff", "Beta Angst", "Epsilon Child"])
      assert.match(all.body, new RegExp(title));
    for (const title of ["Gamma Waiting", "Delta Elsewhere"])
      assert.doesNotMatch(all.body, new RegExp(title));
    assert.match(all.body, /aria-label="Collection"/);

    const fluff = await guest.get(
      "/collections/list_parent/works?include_tags=Fluff&sort=title&dir=asc",
    );
    assert.match(fluff.body, /2 Works in List Parent and Fluff/);
    const order = [...fluff.body.matchAll(/<a href="\/works\/\d+">(\w+ \w+)<\/a> by/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(order, ["Alpha Fluff", "Epsilon Child"]);
    const child = await guest.get("/collections/list_child/works");
    assert.match(child.body, /1 Work in List Child/);
    assert.equal((await guest.get("/collections/list_parent/works?sort=nonsense")).statusCode, 400);

    // Approving the waiting work brings it in, in the child and the parent.
    await owner.client.post(`/collections/list_child/items/${waiting}/approve`);
    assert.match(
      (await guest.get("/collections/list_parent/works")).body,
      /4 Works in List Parent/,
    );
  });

  test("participants: owners add and remove, never the last owner; join and leave", async () => {
    const owner = await account("c_people_owner");
    const c = await buildCollection(db(), { owner, name: "people", title: "People" });
    const reader = await account("c_people_reader");
    const join = await reader.client.post("/collections/people/join");
    assert.equal(join.statusCode, 303);
    const profile = await reader.client.get("/collections/people");
    assert.match(profile.body, /You are a member of this collection\./);
    assert.equal((await reader.client.post("/collections/people/leave")).statusCode, 303);
    assert.match(
      (await reader.client.get("/collections/people")).body,
      /<button type="submit">Join<\/button>/,
    );

    const lastOwner = await owner.client.post("/collections/people/leave");
    assert.equal(lastOwner.statusCode, 409);
    const demote = await owner.client.post(`/collections/people/participants/${owner.id}`, {
      role: "member",
    });
    assert.equal(demote.statusCode, 409);
    const unknown = await owner.client.post("/collections/people/participants", {
      login: "nobody_at_all",
      role: "moderator",
    });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no user named/);

    const promote = await owner.client.post("/collections/people/participants", {
      login: "c_people_reader",
      role: "owner",
    });
    assert.equal(promote.statusCode, 303);
    const list = await owner.client.get("/collections/people/participants");
    assert.match(list.body, /href="\/users\/c_people_reader">c_people_reader<\/a>/);
    // Two owners: one may step down now.
    assert.equal(
      (
        await owner.client.post(`/collections/people/participants/${owner.id}`, {
          role: "moderator",
        })
      ).statusCode,
      303,
    );
    assert.equal(
      (await reader.client.post(`/collections/people/participants/${owner.id}/delete`)).statusCode,
      303,
    );
    const left = await db()
      .selectFrom("collection_participants")
      .select(["user_id", "role"])
      .where("collection_id", "=", c.id)
      .execute();
    assert.deepEqual(left, [{ user_id: reader.id, role: "owner" }]);

    // A closed collection takes no new members.
    await buildCollection(db(), { name: "people_closed", title: "Closed", closed: "1" });
    assert.equal((await owner.client.post("/collections/people_closed/join")).statusCode, 409);
  });
});
