// Gifts (issue 15): the work form's "Gift this work to" field, the recipient's refusal, the
// Gifts pages and their visibility, AO3's markup, and the recipient's notification.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import {
  blockUser,
  buildPseud,
  inboxOf,
  setAllowGifts,
  setSwitches,
  userIdOf,
} from "../support/factories-gifts.ts";

const ANON = { anonymous: true, unrevealed: false };
const UNREVEALED = { anonymous: true, unrevealed: true };
const NONE = { anonymous: false, unrevealed: false };

describeEachEngine("gifts", (engine) => {
  let t: TestApp;
  let writer: Client;
  let giftee: Client;
  let other: Client;
  let guest: Client;
  let gifteeId: number;
  let writerId: number;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("gift_writer");
    giftee = new Client(t.app);
    await giftee.signUp("giftee");
    other = new Client(t.app);
    await other.signUp("gift_other");
    guest = new Client(t.app);
    gifteeId = await userIdOf(t.handle.db, "giftee");
    writerId = await userIdOf(t.handle.db, "gift_writer");
  });
  after(() => t.close());

  async function post(overrides: Record<string, string | string[]> = {}, by = writer) {
    const res = await by.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return workIdFrom(res.headers.location);
  }

  /**
   * Saves a draft, sets its collection switches, then posts it: a work that is in such a
   * collection from the moment readers could first see it.
   */
  async function postInto(
    flags: { anonymous: boolean; unrevealed: boolean },
    overrides: Record<string, string | string[]> = {},
  ) {
    const id = await post({ ...overrides, action: "draft" });
    await setSwitches(t.handle.db, id, flags, t.clock.now);
    const res = await writer.post(`/works/${id}/post`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return id;
  }

  const giftsOf = (workId: number) =>
    t.handle.db
      .selectFrom("gifts")
      .select(["id", "pseud_id", "recipient_name", "recipient_key"])
      .where("work_id", "=", workId)
      .orderBy("id")
      .execute();

  const countWorks = async () =>
    Number(
      (
        await t.handle.db
          .selectFrom("works")
          .select((eb) => eb.fn.countAll<number | string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test("a gift to a user and to a name: For … on the work, “for” in blurbs, Gifts pages", async () => {
    const id = await post({ title: "Lantern Gift", gift_recipients: "giftee, Aunt May" });
    const rows = await giftsOf(id);
    assert.equal(rows.length, 2);
    assert.ok(rows[0]!.pseud_id !== null, "the login names the user's default pseud");
    assert.equal(rows[0]!.recipient_key, `pseud:${rows[0]!.pseud_id}`);
    assert.deepEqual(
      { pseud: rows[1]!.pseud_id, name: rows[1]!.recipient_name, key: rows[1]!.recipient_key },
      { pseud: null, name: "Aunt May", key: "name:aunt may" },
    );

    const work = await guest.get(`/works/${id}`);
    assert.match(
      work.body,
      /<div class="notes module"><h3 class="heading">Notes:<\/h3><ul class="associations"><li>For <a href="\/users\/giftee\/pseuds\/giftee\/gifts">giftee<\/a>, Aunt May\.<\/li><\/ul>/,
    );

    const listing = await guest.get("/users/gift_writer/works");
    assert.match(
      listing.body,
      /Lantern Gift<\/a> by <a rel="author" href="\/users\/gift_writer\/pseuds\/gift_writer">gift_writer<\/a> for <a href="\/users\/giftee\/pseuds\/giftee\/gifts">giftee<\/a>, Aunt May/,
    );

    for (const path of ["/users/giftee/gifts", "/users/giftee/pseuds/giftee/gifts"]) {
      const page = await guest.get(path);
      assert.equal(page.statusCode, 200, path);
      assert.match(page.body, /<h1 class="heading">Gifts for giftee<\/h1>/);
      assert.match(page.body, new RegExp(`id="work_${id}"`));
      assert.doesNotMatch(page.body, /Refuse Gift/, "only the recipient sees Refuse");
    }
    const own = await giftee.get("/users/giftee/gifts");
    assert.match(own.body, new RegExp(`href="/gifts/${rows[0]!.id}/refuse"`));
    assert.match(own.body, />Refuse Gift</);
  });

  test("“pseud (login)” gives to that pseud; case and repeats fold; unknown names stay names", async () => {
    await buildPseud(t.handle.db, gifteeId, "Starling");
    const id = await post({
      gift_recipients:
        "Starling (giftee), starling (GIFTEE), Nobody (giftee), , aunt may, Aunt May",
    });
    const rows = await giftsOf(id);
    assert.deepEqual(
      rows.map((r) => [r.pseud_id === null ? "name" : "pseud", r.recipient_name]),
      [
        ["pseud", "Starling (giftee)"],
        ["name", "Nobody (giftee)"],
        ["name", "aunt may"],
      ],
    );
    const page = await guest.get(`/works/${id}`);
    assert.match(
      page.body,
      /For <a href="\/users\/giftee\/pseuds\/Starling\/gifts">Starling \(giftee\)<\/a>, Nobody \(giftee\), aunt may\./,
    );
    const pseudPage = await guest.get("/users/giftee/pseuds/Starling/gifts");
    assert.match(pseudPage.body, /Gifts for Starling \(giftee\)/);
    assert.match(pseudPage.body, new RegExp(`id="work_${id}"`));
    const defaultPage = await guest.get("/users/giftee/pseuds/giftee/gifts");
    assert.doesNotMatch(defaultPage.body, new RegExp(`id="work_${id}"`));
  });

  test("a user who takes no gifts, or blocked or was blocked by the giver: one message", async () => {
    const before = await countWorks();
    const refused = async (label: string) => {
      const res = await writer.post(
        "/works",
        workForm({ gift_recipients: "Aunt May, gift_other" }),
      );
      assert.equal(res.statusCode, 422, label);
      assert.match(res.body, /gift_other can(&#39;|')t receive gifts\./, label);
      // The field keeps what was typed and carries the error.
      assert.match(res.body, /id="field-gift_recipients-error"/, label);
      assert.match(res.body, /value="Aunt May, gift_other"/, label);
      return res.body.match(/can(&#39;|')t receive gifts\.[^<]*/)?.[0];
    };
    const otherId = await userIdOf(t.handle.db, "gift_other");
    await setAllowGifts(t.handle.db, otherId, false);
    const a = await refused("gifts off");
    await setAllowGifts(t.handle.db, otherId, true);
    await blockUser(t.handle.db, otherId, "gift_writer");
    const b = await refused("the recipient blocked the giver");
    await t.handle.db.deleteFrom("blocked_users").execute();
    await blockUser(t.handle.db, writerId, "gift_other");
    const c = await refused("the giver blocked the recipient");
    await t.handle.db.deleteFrom("blocked_users").execute();
    assert.equal(a, b);
    assert.equal(b, c);
    assert.equal(await countWorks(), before, "nothing was posted");
    // With nothing in the way, the same form posts.
    await post({ gift_recipients: "gift_other" });
  });

  test("giving a work to yourself is refused at the field", async () => {
    const res = await writer.post("/works", workForm({ gift_recipients: "gift_writer" }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /own creators/);
  });

  test("editing shows the current recipients; removed ones go; kept ones stay as they were", async () => {
    const id = await post({ gift_recipients: "giftee, Aunt May" });
    const [pseudGift] = await giftsOf(id);
    const edit = await writer.get(`/works/${id}/edit`);
    assert.match(edit.body, /name="gift_recipients"[^>]*value="giftee, Aunt May"/);
    const saved = await writer.post(
      `/works/${id}`,
      workForm({ gift_recipients: "giftee, Uncle Ben" }),
    );
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const rows = await giftsOf(id);
    assert.deepEqual(
      rows.map((r) => r.recipient_name),
      ["giftee", "Uncle Ben"],
    );
    assert.equal(rows[0]!.id, pseudGift!.id, "the kept gift is the same row");
    // A form without the field (an old script) leaves the gifts alone.
    const { gift_recipients: _, ...rest } = workForm({});
    const bare = await writer.post(`/works/${id}`, rest);
    assert.equal(bare.statusCode, 303);
    assert.equal((await giftsOf(id)).length, 2);
    // An empty field removes them all.
    await writer.post(`/works/${id}`, workForm({ gift_recipients: "" }));
    assert.equal((await giftsOf(id)).length, 0);
    assert.doesNotMatch((await guest.get(`/works/${id}`)).body, /class="associations"/);
  });

  test("the recipient refuses: a confirmation, then the gift is gone from the work", async () => {
    const id = await post({ title: "Unwanted", gift_recipients: "giftee, Aunt May" });
    const [gift] = await giftsOf(id);
    const url = `/gifts/${gift!.id}/refuse`;

    // Who may not: guests log in first; another user is refused; an unknown gift is 404.
    const guestGet = await guest.get(url);
    assert.equal(guestGet.statusCode, 303);
    assert.match(guestGet.headers.location ?? "", /login/);
    assert.equal((await guest.post(url)).statusCode, 401);
    assert.equal((await other.get(url)).statusCode, 403);
    assert.equal((await other.post(url)).statusCode, 403);
    assert.equal((await writer.post(url)).statusCode, 403, "nor may the giver");
    assert.equal((await giftee.get("/gifts/999999/refuse")).statusCode, 404);
    assert.equal((await giftsOf(id)).length, 2);

    const confirm = await giftee.get(url);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Refuse this gift\?/);
    assert.match(confirm.body, new RegExp(`action="${url}"`));
    const done = await giftee.post(url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, "/users/giftee/gifts");
    assert.deepEqual(
      (await giftsOf(id)).map((r) => r.recipient_name),
      ["Aunt May"],
    );
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /<li>For Aunt May\.<\/li>/);
    assert.doesNotMatch(page.body, /giftee\/gifts/);
    assert.doesNotMatch(
      (await guest.get("/users/giftee/gifts")).body,
      new RegExp(`id="work_${id}"`),
    );
    assert.equal((await giftee.post(url)).statusCode, 404, "refused once");
  });

  test("Gifts pages list what the viewer may see: restricted, drafts, anonymous, unrevealed", async () => {
    const recipient = new Client(t.app);
    await recipient.signUp("gift_seer");
    const to = { gift_recipients: "gift_seer" };
    const open = await post({ ...to, title: "Open Gift" });
    const restricted = await post({ ...to, title: "Members Gift", restricted: "1" });
    const draft = await post({ ...to, title: "Draft Gift", action: "draft" });
    const anon = await post({ ...to, title: "Anon Gift" });
    await setSwitches(t.handle.db, anon, ANON, t.clock.now);
    const hidden = await post({ ...to, title: "Unrevealed Gift" });
    await setSwitches(t.handle.db, hidden, UNREVEALED, t.clock.now);

    const shown = (body: string, id: number) => new RegExp(`id="work_${id}"`).test(body);
    const asGuest = (await guest.get("/users/gift_seer/gifts")).body;
    const asMember = (await other.get("/users/gift_seer/gifts")).body;
    const asRecipient = (await recipient.get("/users/gift_seer/gifts")).body;
    assert.ok(shown(asGuest, open) && shown(asMember, open) && shown(asRecipient, open));
    assert.ok(!shown(asGuest, restricted), "restricted: not to guests");
    assert.ok(shown(asMember, restricted) && shown(asRecipient, restricted));
    for (const body of [asGuest, asMember, asRecipient]) {
      assert.ok(!shown(body, draft), "drafts never");
      assert.ok(!shown(body, hidden), "unrevealed: not until the reveal");
      assert.ok(shown(body, anon), "anonymous works are listed…");
    }
    const anonBlurb = new RegExp(`Anon Gift</a> by Anonymous for <a href="/users/gift_seer/`);
    assert.match(asGuest, anonBlurb, "…as Anonymous");
    assert.doesNotMatch(asGuest.slice(asGuest.indexOf("Anon Gift")), /^[^<]*gift_writer/);
    assert.match(asGuest, /<h2 class="heading">2 Works<\/h2>/);

    await setSwitches(t.handle.db, hidden, NONE, t.clock.now);
    assert.ok(shown((await guest.get("/users/gift_seer/gifts")).body, hidden), "after the reveal");
    // The recipient can't refuse what they can't see yet.
    const [draftGift] = await giftsOf(draft);
    assert.equal((await recipient.get(`/gifts/${draftGift!.id}/refuse`)).statusCode, 404);
  });

  test("the Gifts pages paginate and answer 404 for unknown users and pseuds", async () => {
    const many = new Client(t.app);
    await many.signUp("gift_many");
    for (let i = 0; i < 21; i++) await post({ title: `Many ${i}`, gift_recipients: "gift_many" });
    const first = await guest.get("/users/gift_many/gifts");
    assert.match(first.body, /1 - 20 of 21 Works/);
    assert.match(first.body, /href="\/users\/gift_many\/gifts\?page=2"/);
    const second = await guest.get("/users/gift_many/gifts?page=2");
    assert.match(second.body, /21 - 21 of 21 Works/);
    assert.equal((await guest.get("/users/nobody_here/gifts")).statusCode, 404);
    assert.equal((await guest.get("/users/gift_many/pseuds/Nope/gifts")).statusCode, 404);
    assert.equal((await guest.get("/users/gift_many/gifts?page=0")).statusCode, 400);
  });

  test("the recipient hears of a gift once readers can see the work, as Anonymous if it is", async () => {
    const hears = new Client(t.app);
    await hears.signUp("gift_hears");
    const userId = await userIdOf(t.handle.db, "gift_hears");
    const inbox = () => inboxOf(t.handle.db, userId, "gift");
    await t.drainJobs();

    const posted = await post({ title: "Posted Gift", gift_recipients: "gift_hears, Aunt May" });
    await t.drainJobs();
    let rows = await inbox();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.text, "gift_writer gave you a gift: “Posted Gift”.");
    assert.equal(rows[0]!.url, `/works/${posted}`);
    assert.equal(rows[0]!.actor_user_id, writerId);

    // A draft: nothing until it is posted.
    const draft = await post({
      title: "Draft Gift 2",
      gift_recipients: "gift_hears",
      action: "draft",
    });
    await t.drainJobs();
    assert.equal((await inbox()).length, 1);
    assert.equal((await writer.post(`/works/${draft}/post`)).statusCode, 303);
    await t.drainJobs();
    assert.equal((await inbox()).length, 2);

    // Added to a posted work by editing: told then; saving again tells nobody twice.
    const later = await post({ title: "Later Gift" });
    await t.drainJobs();
    await writer.post(
      `/works/${later}`,
      workForm({ title: "Later Gift", gift_recipients: "gift_hears" }),
    );
    await t.drainJobs();
    await writer.post(
      `/works/${later}`,
      workForm({ title: "Later Gift", gift_recipients: "gift_hears" }),
    );
    await t.drainJobs();
    assert.equal((await inbox()).length, 3);

    // Waiting for a reveal (and anonymous): nothing until the reveal, then "Anonymous". The
    // switches are set before the work is posted, as a collection's are.
    const secret = await postInto(UNREVEALED, {
      title: "Secret Gift",
      gift_recipients: "gift_hears",
    });
    const added = await postInto(UNREVEALED, { title: "Secret Added" });
    await t.drainJobs();
    assert.equal((await inbox()).length, 3, "nothing while unrevealed");
    await writer.post(
      `/works/${added}`,
      workForm({ title: "Secret Added", gift_recipients: "gift_hears" }),
    );
    await t.drainJobs();
    assert.equal((await inbox()).length, 3, "nor when given while unrevealed");
    await setSwitches(t.handle.db, secret, ANON, t.clock.now);
    await setSwitches(t.handle.db, added, ANON, t.clock.now);
    await t.drainJobs();
    rows = await inbox();
    assert.equal(rows.length, 5, "told at the reveal");
    // The two reveals are announced by jobs that may run at once: either order is right.
    assert.deepEqual(
      rows
        .slice(3)
        .map((r) => [r.text, r.actor_user_id])
        .sort(),
      [
        ["Anonymous gave you a gift: “Secret Added”.", null],
        ["Anonymous gave you a gift: “Secret Gift”.", null],
      ],
    );
    // The creators' subscribers are not told of an anonymous work at its reveal.
    const fan = new Client(t.app);
    await fan.signUp("gift_fan");
    assert.equal((await fan.post("/users/gift_writer/subscriptions")).statusCode, 303);
    const fanId = await userIdOf(t.handle.db, "gift_fan");
    const quiet = await postInto(UNREVEALED, { title: "Quiet Reveal" });
    await t.drainJobs();
    const before = (await inboxOf(t.handle.db, fanId, "new_work")).length;
    await setSwitches(t.handle.db, quiet, ANON, t.clock.now);
    await t.drainJobs();
    assert.equal((await inboxOf(t.handle.db, fanId, "new_work")).length, before);
    // A revealed work that is not anonymous is announced to them as a new work.
    const loud = await postInto({ anonymous: false, unrevealed: true }, { title: "Loud Reveal" });
    await t.drainJobs();
    assert.ok(!(await inboxOf(t.handle.db, fanId, "new_work")).some((n) => n.work_id === loud));
    await setSwitches(t.handle.db, loud, NONE, t.clock.now);
    await t.drainJobs();
    const fanInbox = await inboxOf(t.handle.db, fanId, "new_work");
    assert.ok(fanInbox.some((n) => n.work_id === loud));
    assert.ok(!fanInbox.some((n) => n.work_id === quiet));
  });
});
