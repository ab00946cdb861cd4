/**
 * Sign-up modes and invitations (issue 13): open, by invitation, closed; the terms box; the
 * request queue; admins' batches and grants; an account's own invitations; and who may use
 * which page.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { issueInvitation } from "../../src/accounts/invitations/commands.ts";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";
import { saveSettings, type SiteSettings } from "../../src/core/settings.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const DAY = 86_400_000;

describeEachEngine("sign-up modes and invitations", (engine) => {
  let t: TestApp;
  let admin: Client;
  let moderator: Client;
  let member: Client;
  let suspended: Client;
  let seq = 0;

  const settings = (changes: Partial<SiteSettings>) =>
    saveSettings(t.deps.db, t.deps.db, changes, t.clock.now);

  const signupForm = (login: string, extra: Record<string, string> = {}) => ({
    login,
    email: `${login}@example.org`,
    password: TEST_PASSWORD,
    password_confirmation: TEST_PASSWORD,
    terms_of_service: "1",
    ...extra,
  });

  const userRow = (login: string) =>
    t.deps.db.selectFrom("users").selectAll().where("login", "=", login).executeTakeFirst();

  /** An invitation made as an admin's batch would make it, without its mail. */
  async function newCode() {
    const issued = await t.deps.db.transaction().execute((tx) =>
      issueInvitation(tx, {
        creator: null,
        email: null,
        baseUrl: "http://archive.test",
        archiveName: "Fanfold",
        now: t.clock.now,
      }),
    );
    return issued.code;
  }

  async function mailJobs() {
    const rows = await t.deps.db
      .selectFrom("jobs")
      .select(["kind", "payload"])
      .where("kind", "=", "mail.send")
      .orderBy("id")
      .execute();
    return rows.map(
      (r) => JSON.parse(r.payload) as { to: string; subject: string; text: string; html: string },
    );
  }

  async function signedUp(login: string, roles: string[] = []) {
    const c = new Client(t.app);
    await c.signUp(login);
    if (roles.length)
      await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, login))!.id, roles);
    return c;
  }

  before(async () => {
    t = await createTestApp(engine, { FANFOLD_LIMIT_SIGNUPS: "1000/1h" });
    admin = await signedUp("inv_admin", ["admin"]);
    moderator = await signedUp("inv_moderator", ["moderator"]);
    member = await signedUp("inv_member");
    suspended = await signedUp("inv_suspended");
    await t.deps.db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 30 * DAY })
      .where("login", "=", "inv_suspended")
      .execute();
  });
  after(() => t.close());
  beforeEach(async () => {
    seq += 1;
    await settings({ signupMode: "open", minimumAge: 13 });
  });

  test("open: the form asks to accept the terms and states the minimum age; acceptance is recorded", async () => {
    await settings({ minimumAge: 16 });
    const page = await new Client(t.app).get("/signup");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="terms_of_service"[^>]*required/);
    assert.match(page.body, /accept the <a href="\/tos">Terms of Service<\/a>/);
    assert.match(page.body, /at least\s*(<!-- -->)?16(<!-- -->)? years old/);
    assert.doesNotMatch(page.body, /name="invitation"/);

    const login = `open_${seq}`;
    const { terms_of_service: _, ...withoutTerms } = signupForm(login);
    const refused = await new Client(t.app).post("/signup", withoutTerms);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="field-terms_of_service-error">Please confirm/);
    assert.match(refused.body, /href="#field-terms_of_service"/);
    assert.equal(await userRow(login), undefined);

    const ok = await new Client(t.app).post("/signup", signupForm(login));
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    assert.equal((await userRow(login))?.terms_accepted_at, t.clock.now);
  });

  test("closed: the page says so and a sign-up is refused with 403, valid or not", async () => {
    await settings({ signupMode: "closed" });
    const page = await new Client(t.app).get("/signup");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sign-up is closed/);
    assert.doesNotMatch(page.body, /action="\/signup"/);
    const login = `closed_${seq}`;
    const res = await new Client(t.app).post("/signup", signupForm(login));
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Sign-up is closed/);
    const invalid = await new Client(t.app).post("/signup", { login });
    assert.equal(invalid.statusCode, 403);
    assert.equal(await userRow(login), undefined);
    // Nor are invitations asked for.
    const ask = await new Client(t.app).post("/invite_requests", { email: "x@example.org" });
    assert.equal(ask.statusCode, 403);
    // The header offers no way in while sign-up is closed, and does again once it opens.
    assert.doesNotMatch((await new Client(t.app).get("/works")).body, /<a href="\/signup">/);
    await settings({ signupMode: "open" });
    assert.match((await new Client(t.app).get("/works")).body, /<a href="\/signup">Sign up<\/a>/);
  });

  test("by invitation: without a code the page explains and links to the request form", async () => {
    await settings({ signupMode: "invitation" });
    const page = await new Client(t.app).get("/signup");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/invite_requests"/);
    assert.doesNotMatch(page.body, /<form method="post" action="\/signup"/);
    // Posting anyway names the missing invitation, and creates nothing.
    const login = `nocode_${seq}`;
    const res = await new Client(t.app).post("/signup", signupForm(login));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="field-invitation-error">Sign-up is by invitation/);
    assert.equal(await userRow(login), undefined);
  });

  test("by invitation: a code works once, in the same transaction as the account", async () => {
    await settings({ signupMode: "invitation" });
    const code = await newCode();
    const link = await new Client(t.app).get(`/invitations/${code}`);
    assert.equal(link.statusCode, 303);
    assert.equal(link.headers.location, `/signup?invitation=${code}`);
    const page = await new Client(t.app).get(`/signup?invitation=${code}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`type="hidden" name="invitation" value="${code}"`));
    assert.match(page.body, /name="terms_of_service"/);

    const first = `invited_${seq}`;
    const ok = await new Client(t.app).post("/signup", signupForm(first, { invitation: code }));
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const user = await userRow(first);
    const inv = await t.deps.db
      .selectFrom("invitations")
      .selectAll()
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    assert.equal(inv.used_by_user_id, user!.id);
    assert.equal(inv.used_at, t.clock.now);

    const second = `latecomer_${seq}`;
    const again = await new Client(t.app).post("/signup", signupForm(second, { invitation: code }));
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /id="field-invitation-error">That invitation has already been used/);
    // The refused code is shown to edit, keeping what was typed.
    assert.match(again.body, /id="field-invitation"[^>]*value="/);
    assert.match(again.body, new RegExp(`value="${second}"`));
    assert.equal(await userRow(second), undefined);
    // The link itself says so before the form is filled in.
    const used = await new Client(t.app).get(`/signup?invitation=${code}`);
    assert.match(used.body, /That invitation has already been used/);
  });

  test("by invitation: an expired or unknown code is refused on its field", async () => {
    await settings({ signupMode: "invitation" });
    const code = await newCode();
    t.clock.now += 31 * DAY;
    try {
      const login = `expired_${seq}`;
      const res = await new Client(t.app).post("/signup", signupForm(login, { invitation: code }));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /id="field-invitation-error">That invitation has expired/);
      assert.equal(await userRow(login), undefined);
      const unknown = await new Client(t.app).post(
        "/signup",
        signupForm(login, { invitation: "not-a-real-code" }),
      );
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.body, /id="field-invitation-error">That invitation code is not valid/);
      const tooLong = await new Client(t.app).post(
        "/signup",
        signupForm(login, { invitation: "x".repeat(300) }),
      );
      assert.equal(tooLong.statusCode, 422);
      assert.match(tooLong.body, /id="field-invitation-error"/);
    } finally {
      t.clock.now -= 31 * DAY;
    }
  });

  test("open: an invitation link is not needed and not checked", async () => {
    const login = `openinv_${seq}`;
    const res = await new Client(t.app).post("/signup", signupForm(login, { invitation: "junk" }));
    assert.equal(res.statusCode, 303);
  });

  test("the request queue: position, the same address again changes nothing", async () => {
    await settings({ signupMode: "invitation" });
    await t.deps.db.deleteFrom("invitation_requests").execute();
    const guest = new Client(t.app);
    const form = await guest.get("/invite_requests");
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="email"/);
    assert.match(form.body, /name="website"/);

    const first = await guest.post("/invite_requests", { email: "First.Asker@Example.org" });
    assert.equal(first.statusCode, 200, first.body.slice(0, 500));
    assert.match(first.body, /number 1 in the queue of 1/);
    const second = await new Client(t.app).post("/invite_requests", {
      email: "second@example.org",
    });
    assert.match(second.body, /number 2 in the queue of 2/);
    const again = await new Client(t.app).post("/invite_requests", {
      email: " first.asker@EXAMPLE.org ",
    });
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /number 1 in the queue of 2/);
    const rows = await t.deps.db
      .selectFrom("invitation_requests")
      .selectAll()
      .orderBy("id")
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.email_key, r.created_at]),
      [
        ["first.asker@example.org", t.clock.now],
        ["second@example.org", t.clock.now],
      ],
    );

    const bad = await new Client(t.app).post("/invite_requests", { email: "not an address" });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="field-email-error">Enter a valid email address/);
    const robot = await new Client(t.app).post("/invite_requests", {
      email: "robot@example.org",
      website: "http://spam.example",
    });
    assert.equal(robot.statusCode, 400);

    await settings({ signupMode: "open" });
    const open = await new Client(t.app).post("/invite_requests", { email: "x@example.org" });
    assert.equal(open.statusCode, 303);
    assert.equal(open.headers.location, "/signup");
    assert.equal(
      (await t.deps.db.selectFrom("invitation_requests").selectAll().execute()).length,
      2,
    );
  });

  test("the request form is rate-limited per address", async () => {
    const limited = await createTestApp(engine, { FANFOLD_LIMIT_SIGNUPS: "2/1h" });
    try {
      await saveSettings(
        limited.deps.db,
        limited.deps.db,
        { signupMode: "invitation" },
        limited.clock.now,
      );
      const c = new Client(limited.app);
      for (const n of [1, 2])
        assert.equal(
          (await c.post("/invite_requests", { email: `r${n}@example.org` })).statusCode,
          200,
        );
      assert.equal((await c.post("/invite_requests", { email: "r3@example.org" })).statusCode, 429);
    } finally {
      await limited.close();
    }
  });

  test("an admin invites the next N: mail jobs with the links, requests marked, one audit entry", async () => {
    await settings({ signupMode: "invitation" });
    await t.deps.db.deleteFrom("invitation_requests").execute();
    await t.deps.db.deleteFrom("jobs").execute();
    for (const email of ["one@example.org", "two@example.org", "three@example.org"])
      await new Client(t.app).post("/invite_requests", { email });

    const queue = await admin.get("/admin/invitations");
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /3 requests<\/strong>|3 requests waiting/);
    assert.ok(queue.body.indexOf("one@example.org") < queue.body.indexOf("three@example.org"));

    const res = await admin.post("/admin/invitations/send", { count: "2" });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const mails = await mailJobs();
    assert.deepEqual(
      mails.map((m) => m.to),
      ["one@example.org", "two@example.org"],
    );
    const links = mails.map(
      (m) => /https?:\/\/\S+\/invitations\/([A-Za-z0-9_-]+)/.exec(m.text)?.[1],
    );
    assert.ok(links.every(Boolean), mails[0]?.text);
    assert.match(mails[0]!.html, /href="http[^"]+\/invitations\//);
    const requests = await t.deps.db
      .selectFrom("invitation_requests")
      .selectAll()
      .orderBy("id")
      .execute();
    assert.deepEqual(
      requests.map((r) => r.invited_at),
      [t.clock.now, t.clock.now, null],
    );
    const audit = await t.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "invitations.send")
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_login, "inv_admin");
    assert.deepEqual(JSON.parse(audit[0]!.after_json ?? "{}") as unknown, {
      count: 2,
      requestIds: requests.slice(0, 2).map((r) => r.id),
    });

    // Asked again, an invited address gets no second place and no second invitation.
    const again = await new Client(t.app).post("/invite_requests", { email: "one@example.org" });
    assert.match(again.body, /An invitation has been sent to this address/);
    assert.equal((await mailJobs()).length, 2);

    // The mailed link signs up.
    const login = `mailed_${seq}`;
    const signup = await new Client(t.app).post(
      "/signup",
      signupForm(login, { invitation: links[0]! }),
    );
    assert.equal(signup.statusCode, 303, signup.body.slice(0, 500));

    // The queue now holds one; asking for more sends what there is, then refuses.
    const rest = await admin.post("/admin/invitations/send", { count: "5" });
    assert.equal(rest.statusCode, 303);
    const none = await admin.post("/admin/invitations/send", { count: "5" });
    assert.equal(none.statusCode, 409);
    assert.match(none.body, /Nobody is waiting/);
    for (const count of ["0", "abc", "501"]) {
      const bad = await admin.post("/admin/invitations/send", { count });
      assert.equal(bad.statusCode, 422, count);
      assert.match(bad.body, /id="field-count-error"/, count);
    }
  });

  test("an admin gives every account more invitations; an account shares them", async () => {
    const owner = await signedUp(`sharer_${seq}`);
    const login = `sharer_${seq}`;
    const empty = await owner.get(`/users/${login}/invitations`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /You have 0 invitations left/);
    assert.doesNotMatch(empty.body, /Create an invitation link/);
    assert.equal((await owner.post(`/users/${login}/invitations`, {})).statusCode, 409);

    const before = (await userRow(login))!.invitations_left;
    const grant = await admin.post("/admin/invitations/grant", { count: "2" });
    assert.equal(grant.statusCode, 303, grant.body.slice(0, 500));
    assert.equal((await userRow(login))!.invitations_left, before + 2);
    const audit = await t.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "invitations.grant")
      .execute();
    assert.ok(audit.length >= 1);
    const granted = JSON.parse(audit.at(-1)!.after_json ?? "{}") as { perAccount?: number };
    assert.equal(granted.perAccount, 2);
    const badGrant = await admin.post("/admin/invitations/grant", { count: "-1" });
    assert.equal(badGrant.statusCode, 422);
    assert.match(badGrant.body, /id="field-count-error"/);

    // A link, shown once.
    const made = await owner.post(`/users/${login}/invitations`, {});
    assert.equal(made.statusCode, 200);
    const code = /\/invitations\/([A-Za-z0-9_-]{20,})/.exec(made.body)?.[1];
    assert.ok(code, made.body.slice(0, 2000));
    assert.match(made.body, /You have 1 invitation left/);
    assert.doesNotMatch((await owner.get(`/users/${login}/invitations`)).body, new RegExp(code));

    // One mailed.
    await t.deps.db.deleteFrom("jobs").execute();
    const bad = await owner.post(`/users/${login}/invitations`, { email: "nope" });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="field-email-error">Enter a valid email address/);
    const sent = await owner.post(`/users/${login}/invitations`, { email: "Friend@Example.org" });
    assert.equal(sent.statusCode, 200);
    const mails = await mailJobs();
    assert.deepEqual(
      mails.map((m) => m.to),
      ["friend@example.org"],
    );
    assert.match(mails[0]!.text, new RegExp(`${login} has invited you`));
    const spent = await owner.post(`/users/${login}/invitations`, {});
    assert.equal(spent.statusCode, 409);
    assert.match(spent.body, /no invitations left/);

    // Someone uses the link: the list says who.
    await settings({ signupMode: "invitation" });
    const friend = `friend_${seq}`;
    assert.equal(
      (await new Client(t.app).post("/signup", signupForm(friend, { invitation: code })))
        .statusCode,
      303,
    );
    const list = (await owner.get(`/users/${login}/invitations`)).body;
    assert.match(list, new RegExp(`used by <a href="/users/${friend}">${friend}</a>`));
    assert.match(list, /sent to friend@example.org · not used yet/);
  });

  test("who may open what", async () => {
    const guest = new Client(t.app);
    // The request queue and invitation links are public.
    for (const c of [guest, member, suspended, moderator, admin])
      assert.equal((await c.get("/invite_requests")).statusCode, 200);

    // The admin page: admins only.
    const toLogin = await guest.get("/admin/invitations");
    assert.equal(toLogin.statusCode, 303);
    assert.match(toLogin.headers.location ?? "", /^\/login\?return_to=/);
    for (const c of [member, suspended, moderator])
      assert.equal((await c.get("/admin/invitations")).statusCode, 403);
    assert.equal((await admin.get("/admin/invitations")).statusCode, 200);
    for (const url of ["/admin/invitations/send", "/admin/invitations/grant"]) {
      assert.equal((await guest.post(url, { count: "1" })).statusCode, 401, url);
      for (const c of [member, suspended, moderator])
        assert.equal((await c.post(url, { count: "1" })).statusCode, 403, url);
    }

    // An account's invitations: its owner only; a suspended owner may look but not share.
    const mine = "/users/inv_member/invitations";
    assert.equal((await guest.get(mine)).statusCode, 303);
    assert.equal((await guest.post(mine, {})).statusCode, 401);
    for (const c of [suspended, moderator, admin]) {
      assert.equal((await c.get(mine)).statusCode, 403);
      assert.equal((await c.post(mine, {})).statusCode, 403);
    }
    assert.equal((await member.get(mine)).statusCode, 200);
    assert.equal((await member.get("/users/nobody_here/invitations")).statusCode, 404);
    const own = "/users/inv_suspended/invitations";
    assert.equal((await suspended.get(own)).statusCode, 200);
    const refused = await suspended.post(own, {});
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /suspended/);

    // Signed in, the sign-up page sends you to your profile in every mode.
    assert.equal((await member.get("/signup")).statusCode, 303);
  });
});
