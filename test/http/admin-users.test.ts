/**
 * /admin/users and /admin/audit over HTTP, on both engines: finding accounts, granting and
 * revoking roles through the form (each change audited with before and after), the last-admin
 * rule, and reading the log; plus the role commands the command line shares.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findUserByLogin } from "../../src/accounts/queries.ts";
import { createAdmin, setUserRoles } from "../../src/admin/commands.ts";
import { auditEntries, recordAudit } from "../../src/core/audit-queries.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";

/** The visible text of an HTML fragment (tags dropped, entities of the page decoded). */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/** The usernames listed in the accounts table. */
const listed = (html: string) =>
  [...html.matchAll(/<p class="account-name"><a href="\/admin\/users\/([^"]+)">/g)].map(
    (m) => m[1],
  );

const rolesOf = async (t: TestApp, login: string) =>
  (await findUserByLogin(t.deps.db, login))!.roles;

const entriesAbout = async (t: TestApp, userId: number) =>
  (await auditEntries(t.deps.db, { subjectType: "user", subjectId: userId, limit: 100 })).reverse();

describeEachEngine("admin: accounts and roles", (engine) => {
  let t: TestApp;
  let boss: { id: number; login: string };
  let bossClient: Client;
  let moderatorClient: Client;

  const clientOf = async (login: string) => {
    const c = new Client(t.app);
    assert.equal((await c.logIn(login)).statusCode, 303);
    return c;
  };

  before(async () => {
    t = await createTestApp(engine);
    boss = await buildUser(t.deps.db, { login: "boss", password: TEST_PASSWORD, roles: ["admin"] });
    bossClient = await clientOf("boss");
    await buildUser(t.deps.db, { login: "mod_mia", password: TEST_PASSWORD, roles: ["moderator"] });
    moderatorClient = await clientOf("mod_mia");
  });
  after(() => t.close());

  test("search by username or e-mail prefix, any case, wildcards taken literally", async () => {
    await buildUser(t.deps.db, { login: "alpha_one" });
    await buildUser(t.deps.db, { login: "alpha_two" });
    await buildUser(t.deps.db, { login: "alphabet" });
    await buildUser(t.deps.db, { login: "zed_beta" });
    let res = await bossClient.get("/admin/users?q=ALPHA");
    assert.equal(res.statusCode, 200);
    assert.deepEqual(listed(res.body), ["alpha_one", "alpha_two", "alphabet"]);
    assert.match(textOf(res.body), /3 accounts beginning with “ALPHA”/);
    // "_" is a letter of the name here, not LIKE's any-one-character.
    res = await bossClient.get("/admin/users?q=alpha_");
    assert.deepEqual(listed(res.body), ["alpha_one", "alpha_two"]);
    res = await bossClient.get("/admin/users?q=alph%25");
    assert.deepEqual(listed(res.body), []);
    // By e-mail address (the factory's are login@example.org).
    res = await bossClient.get("/admin/users?q=zed_beta%40exa");
    assert.deepEqual(listed(res.body), ["zed_beta"]);
    // The table shows roles and state.
    res = await bossClient.get("/admin/users?q=boss");
    assert.match(textOf(res.body), /boss E-mail boss@example\.org Roles Admin State E-mail/);
  });

  test("results come 50 to a page", async () => {
    for (let i = 0; i < 52; i++)
      await buildUser(t.deps.db, { login: `pager_${String(i).padStart(2, "0")}` });
    const first = await bossClient.get("/admin/users?q=pager_");
    assert.equal(listed(first.body).length, 50);
    assert.match(first.body, /href="\/admin\/users\?q=pager_&amp;page=2"/);
    const second = await bossClient.get("/admin/users?q=pager_&page=2");
    assert.deepEqual(listed(second.body), ["pager_50", "pager_51"]);
    const bad = await bossClient.get("/admin/users?page=0");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /page/);
  });

  test("an account's page shows its state; a moderator sees it without the roles form", async () => {
    const u = await buildUser(t.deps.db, { login: "in_trouble" });
    await t.deps.db
      .updateTable("users")
      .set({ suspended_until: Date.UTC(2026, 11, 24), banned_at: null, email_confirmed_at: null })
      .where("id", "=", u.id)
      .execute();
    const asBoss = await bossClient.get("/admin/users/in_trouble");
    assert.equal(asBoss.statusCode, 200);
    const text = textOf(asBoss.body);
    assert.match(text, /Suspended until 2026-12-24/);
    assert.match(text, /E-mail not confirmed/);
    assert.match(asBoss.body, /href="\/admin\/reports\?user=in_trouble"/);
    assert.match(asBoss.body, /action="\/admin\/users\/in_trouble\/roles"/);
    assert.match(
      asBoss.body,
      new RegExp(`/admin/audit\\?subject_type=user&amp;subject_id=${u.id}`),
    );

    const asModerator = await moderatorClient.get("/admin/users/in_trouble");
    assert.equal(asModerator.statusCode, 200);
    assert.doesNotMatch(asModerator.body, /\/roles"/);
    assert.doesNotMatch(asModerator.body, /\/admin\/audit/);
    const post = await moderatorClient.post("/admin/users/in_trouble/roles", {
      roles: "moderator",
    });
    assert.equal(post.statusCode, 403);
    assert.equal(await rolesOf(t, "in_trouble"), "");

    assert.equal((await bossClient.get("/admin/users/nobody_here")).statusCode, 404);
  });

  test("the account's owner, an ordinary user, is refused their own admin page", async () => {
    await buildUser(t.deps.db, { login: "just_me", password: TEST_PASSWORD });
    const me = await clientOf("just_me");
    assert.equal((await me.get("/admin/users/just_me")).statusCode, 403);
    assert.equal((await me.post("/admin/users/just_me/roles", { roles: "admin" })).statusCode, 403);
    assert.equal(await rolesOf(t, "just_me"), "");
  });

  test("grant and revoke through the form, each role audited with before and after", async () => {
    const u = await buildUser(t.deps.db, { login: "promoted", password: TEST_PASSWORD });
    t.clock.now += 1000;
    const res = await bossClient.post("/admin/users/promoted/roles", {
      roles: ["moderator", "wrangler"],
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/admin/users/promoted");
    assert.equal(await rolesOf(t, "promoted"), "moderator wrangler");
    const page = await bossClient.get("/admin/users/promoted");
    assert.match(page.body, /roles are now: moderator, wrangler/);
    assert.match(page.body, /value="moderator" checked/);

    let entries = await entriesAbout(t, u.id);
    assert.deepEqual(
      entries.map((e) => ({
        actor: [e.actor_user_id, e.actor_login],
        action: e.action,
        label: e.subject_label,
        before: JSON.parse(e.before_json!) as unknown,
        after: JSON.parse(e.after_json!) as unknown,
        at: e.created_at,
      })),
      [
        {
          actor: [boss.id, "boss"],
          action: "role.grant",
          label: "promoted",
          before: { roles: [] },
          after: { roles: ["moderator"] },
          at: t.clock.now,
        },
        {
          actor: [boss.id, "boss"],
          action: "role.grant",
          label: "promoted",
          before: { roles: ["moderator"] },
          after: { roles: ["moderator", "wrangler"] },
          at: t.clock.now,
        },
      ],
    );

    // Unticking a box revokes; saving unchanged records nothing.
    assert.equal(
      (await bossClient.post("/admin/users/promoted/roles", { roles: "moderator" })).statusCode,
      303,
    );
    assert.equal(await rolesOf(t, "promoted"), "moderator");
    assert.equal(
      (await bossClient.post("/admin/users/promoted/roles", { roles: "moderator" })).statusCode,
      303,
    );
    entries = await entriesAbout(t, u.id);
    assert.deepEqual(
      entries.map((e) => [e.action, e.before_json, e.after_json]),
      [
        ["role.grant", '{"roles":[]}', '{"roles":["moderator"]}'],
        ["role.grant", '{"roles":["moderator"]}', '{"roles":["moderator","wrangler"]}'],
        ["role.revoke", '{"roles":["moderator","wrangler"]}', '{"roles":["moderator"]}'],
      ],
    );

    // The new moderator can open /admin now; roles are read on every request.
    const promoted = await clientOf("promoted");
    assert.equal((await promoted.get("/admin")).statusCode, 200);
    assert.equal((await promoted.get("/admin/audit")).statusCode, 403);
  });

  test("an unknown role is refused naming the field; nothing changes", async () => {
    await buildUser(t.deps.db, { login: "steady", roles: ["wrangler"] });
    const res = await bossClient.post("/admin/users/steady/roles", {
      roles: ["wrangler", "superuser"],
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="field-roles-error"[^>]*>Roles are admin, moderator, wrangler\./);
    assert.equal(await rolesOf(t, "steady"), "wrangler");
    const tooMany = await bossClient.post("/admin/users/steady/roles", {
      roles: ["admin", "admin", "admin", "admin"],
    });
    assert.equal(tooMany.statusCode, 422);
    assert.equal((await bossClient.post("/admin/users/nobody_here/roles", {})).statusCode, 404);
  });

  test("the last admin cannot give up the role; with a second admin they can", async () => {
    // boss is the only admin of this archive so far.
    const before = (await auditEntries(t.deps.db, { limit: 1000 })).length;
    const refused = await bossClient.post("/admin/users/boss/roles", { roles: "moderator" });
    assert.equal(refused.statusCode, 409);
    assert.match(textOf(refused.body), /You are the archive's only admin/);
    // The boxes show what was sent, with the error beside them.
    assert.match(refused.body, /value="moderator" checked/);
    assert.equal(await rolesOf(t, "boss"), "admin");
    assert.equal((await auditEntries(t.deps.db, { limit: 1000 })).length, before);

    await buildUser(t.deps.db, { login: "deputy", password: TEST_PASSWORD });
    assert.equal(
      (await bossClient.post("/admin/users/deputy/roles", { roles: "admin" })).statusCode,
      303,
    );
    const deputy = await clientOf("deputy");
    const stepDown = await bossClient.post("/admin/users/boss/roles", { roles: "moderator" });
    assert.equal(stepDown.statusCode, 303);
    assert.equal(await rolesOf(t, "boss"), "moderator");
    // Now deputy is the last one.
    const last = await deputy.post("/admin/users/deputy/roles", {});
    assert.equal(last.statusCode, 409);
    assert.equal(await rolesOf(t, "deputy"), "admin");
    // The former admin lost the roles form with the role.
    assert.equal((await bossClient.post("/admin/users/boss/roles", {})).statusCode, 403);
    // Give it back, for the tests that follow.
    assert.equal(
      (await deputy.post("/admin/users/boss/roles", { roles: "admin" })).statusCode,
      303,
    );
  });

  test("the audit log: newest first, filtered, escaped, paged by id; admins only", async () => {
    const target = await buildUser(t.deps.db, { login: "log_subject" });
    for (let i = 0; i < 53; i++)
      await recordAudit(t.deps.db, {
        actor: null,
        action: "test.step",
        subject: { type: "user", id: target.id, label: `step ${i}` },
        before: { n: i },
        after: { n: i + 1, note: "<script>alert(1)</script>" },
        reason: "<b>why</b>",
        now: t.clock.now + i,
      });
    const res = await bossClient.get("/admin/audit?action=test.step");
    assert.equal(res.statusCode, 200);
    const labels = [...res.body.matchAll(/\(step (\d+)\)/g)].map((m) => Number(m[1]));
    assert.equal(labels.length, 50);
    assert.equal(labels[0], 52);
    assert.equal(labels[49], 3);
    assert.ok(!res.body.includes("<script>alert(1)</script>"));
    // Escaped as any text is (preact writes `<` as `&lt;`; `>` alone opens nothing).
    assert.ok(res.body.includes("note: &lt;script>alert(1)&lt;/script>"));
    assert.ok(res.body.includes("&lt;b>why&lt;/b>"));
    assert.ok(!res.body.includes("<b>why"));
    assert.match(
      textOf(res.body),
      /\(command line\) test\.step user #\d+ \(step 52\) Before n: 52/,
    );
    const older = /href="(\/admin\/audit\?[^"]*before=\d+)" rel="next"/.exec(res.body)?.[1];
    assert.ok(older, "an Older entries link");
    const next = await bossClient.get(older.replace(/&amp;/g, "&"));
    assert.deepEqual(
      [...next.body.matchAll(/\(step (\d+)\)/g)].map((m) => Number(m[1])),
      [2, 1, 0],
    );
    assert.doesNotMatch(next.body, /rel="next"/);

    // Filters: by actor and by subject.
    const byBoss = await bossClient.get("/admin/audit?actor=boss&action=role.grant");
    assert.match(textOf(byBoss.body), /boss role\.grant user #\d+ \(promoted\)/);
    assert.doesNotMatch(byBoss.body, /test\.step/);
    const about = await bossClient.get(
      `/admin/audit?subject_type=user&subject_id=${target.id}&action=&actor=`,
    );
    assert.equal([...about.body.matchAll(/test\.step/g)].length, 50);
    // Blank filters mean no filter; a bad number is named.
    const bad = await bossClient.get("/admin/audit?subject_id=abc");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /subject_id/);

    assert.equal((await moderatorClient.get("/admin/audit")).statusCode, 403);
  });
});

describeEachEngine("admin: the role commands", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("createAdmin makes a confirmed account with its pseud and the admin role, audited from the command line", async () => {
    const now = Date.UTC(2026, 11, 1);
    const made = await createAdmin(t.deps.db, {
      existing: false,
      login: "first_admin",
      email: "First@Example.org",
      passwordHash: "not-a-real-hash",
      now,
    });
    assert.ok(made.ok, JSON.stringify(made));
    const user = (await findUserByLogin(t.deps.db, "first_admin"))!;
    assert.equal(user.roles, "admin");
    assert.equal(user.email, "first@example.org");
    assert.equal(Number(user.email_confirmed_at), now);
    const pseuds = await t.deps.db
      .selectFrom("pseuds")
      .select(["name", "is_default"])
      .where("user_id", "=", user.id)
      .execute();
    assert.deepEqual(pseuds, [{ name: "first_admin", is_default: 1 }]);
    const [entry] = await entriesAbout(t, user.id);
    assert.equal(entry?.actor_user_id, null);
    assert.equal(entry?.actor_login, "(command line)");
    assert.equal(entry?.action, "role.grant");

    const again = await createAdmin(t.deps.db, {
      existing: false,
      login: "FIRST_admin",
      email: "other@example.org",
      passwordHash: "x",
      now,
    });
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.status, 409);
    assert.equal((await auditEntries(t.deps.db, { limit: 100 })).length, 1);
  });

  test("createAdmin --existing grants admin and keeps the other roles", async () => {
    const u = await buildUser(t.deps.db, { login: "old_hand", roles: ["wrangler"] });
    const result = await createAdmin(t.deps.db, { existing: true, userId: u.id, now: 1 });
    assert.ok(result.ok);
    assert.deepEqual(result.value.after, ["admin", "wrangler"]);
    assert.equal((await findUserByLogin(t.deps.db, "old_hand"))!.roles, "admin wrangler");
  });

  test("setUserRoles refuses unknown accounts and, from the command line too, removing the last admin", async () => {
    const missing = await setUserRoles(t.deps.db, {
      actor: null,
      userId: 999_999,
      roles: [],
      now: 1,
    });
    assert.equal(!missing.ok && missing.status, 404);
    // first_admin and old_hand are admins: one may go, not both.
    const first = (await findUserByLogin(t.deps.db, "first_admin"))!;
    const old = (await findUserByLogin(t.deps.db, "old_hand"))!;
    const one = await setUserRoles(t.deps.db, { actor: null, userId: first.id, roles: [], now: 2 });
    assert.ok(one.ok);
    const two = await setUserRoles(t.deps.db, { actor: null, userId: old.id, roles: [], now: 3 });
    assert.equal(!two.ok && two.status, 409);
    assert.match(!two.ok ? (two.errors.roles ?? "") : "", /old_hand is the archive's only admin/);
    assert.equal((await findUserByLogin(t.deps.db, "old_hand"))!.roles, "admin wrangler");
  });
});
