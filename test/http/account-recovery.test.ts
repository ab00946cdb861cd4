import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createResetLink } from "../../src/accounts/recovery/commands.ts";
import { MAIL_LOG_PREFIX, mailJobHandler } from "../../src/accounts/recovery/mail.ts";
import { setRoles } from "../../src/accounts/queries.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import {
  changeUsername,
  confirmEmail,
  requestEmailChange,
} from "../../src/accounts/recovery/commands.ts";
import { decodedMessage, Sink } from "../support/smtp-sink.ts";

const NEW_PASSWORD = "a brand new reset password";
const HOUR = 60 * 60 * 1000;

const flashOf = (res: LightMyRequestResponse) => {
  const cookie = (res.cookies as { name: string; value: string }[]).find(
    (c) => c.name === "fanfold_flash",
  );
  return cookie ? decodeURIComponent(cookie.value) : undefined;
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describeEachEngine("account recovery over HTTP", (engine) => {
  const sink = new Sink();
  let t: TestApp;
  let n = 0;

  before(async () => {
    await sink.start();
    t = await createTestApp(engine, { SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  });
  after(async () => {
    await t.close();
    await sink.stop();
  });

  /** A new account with its own client (logged in), its sign-up mail delivered. */
  async function account(prefix: string) {
    n += 1;
    const login = `${prefix}_${n}`;
    const client = new Client(t.app);
    await client.signUp(login);
    await t.drainJobs();
    return { login, client, email: `${login}@example.org` };
  }

  /** Messages delivered to `to` since `from`, decoded. */
  async function mailTo(to: string, from = 0): Promise<string[]> {
    await t.drainJobs();
    return sink.messages
      .slice(from)
      .filter((m) => m.to.includes(to))
      .map((m) => decodedMessage(m.raw));
  }

  const linkIn = (message: string | undefined, path: string, param: string) => {
    const re = new RegExp(`http://localhost:3000${path}\\?${param}=([A-Za-z0-9_-]+)`);
    const token = re.exec(message ?? "")?.[1];
    assert.ok(token, `a ${path} link in ${message?.slice(0, 2000)}`);
    return token;
  };

  const userRow = (login: string) =>
    t.handle.db
      .selectFrom("users")
      .selectAll()
      .where("login_key", "=", login.toLowerCase())
      .executeTakeFirstOrThrow();

  async function askForReset(login: string) {
    const from = sink.messages.length;
    const res = await new Client(t.app).post("/users/password/new", { login });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return { res, from };
  }

  async function resetToken(login: string, email: string) {
    const { from } = await askForReset(login);
    const [mail] = await mailTo(email, from);
    return linkIn(mail, "/users/password/edit", "reset_password_token");
  }

  // ── E-mail confirmation ──

  test("sign-up mails a confirmation link; the account stays unconfirmed until it is followed", async () => {
    const from = sink.messages.length;
    const { login, client, email } = await account("confirmer");
    assert.equal((await userRow(login)).email_confirmed_at, null);
    const prefs = await client.get(`/users/${login}/preferences`);
    assert.match(prefs.body, /Please confirm your email address/);
    assert.match(prefs.body, new RegExp(`action="/users/${login}/confirm-email/resend"`));

    const [mail, ...more] = await mailTo(email, from);
    assert.equal(more.length, 0);
    assert.match(mail!, /Subject: \[Fanfold\] Confirm your email address/);
    const token = linkIn(mail, "/users/confirm-email", "token");

    const res = await client.get(`/users/confirm-email?token=${token}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/users/${login}/preferences`);
    assert.match(flashOf(res) ?? "", /confirmed/);
    assert.notEqual((await userRow(login)).email_confirmed_at, null);
    assert.doesNotMatch((await client.get(`/users/${login}/preferences`)).body, /Please confirm/);

    // Single use, for anyone.
    const again = await new Client(t.app).get(`/users/confirm-email?token=${token}`);
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /expired or was already used/);
    // A made-up or malformed token is no better, and never a 500.
    assert.equal((await client.get("/users/confirm-email?token=nope")).statusCode, 404);
    assert.equal((await client.get("/users/confirm-email")).statusCode, 404);
    assert.equal((await client.get("/users/confirm-email?token=%3Cscript%3E")).statusCode, 400);
  });

  test("resend: the owner only, a fresh link, rate-limited; nothing to send once confirmed", async () => {
    const { login, client, email } = await account("resender");
    const url = `/users/${login}/confirm-email/resend`;
    assert.equal((await new Client(t.app).post(url)).statusCode, 401, "guest");
    const other = await account("resend_other");
    assert.equal((await other.client.post(url)).statusCode, 403, "another user");

    const from = sink.messages.length;
    const res = await client.post(url);
    assert.equal(res.statusCode, 303);
    assert.match(flashOf(res) ?? "", new RegExp(`new confirmation link to ${email}`));
    const [mail] = await mailTo(email, from);
    const token = linkIn(mail, "/users/confirm-email", "token");
    assert.equal((await client.post(url)).statusCode, 303);
    assert.equal((await client.post(url)).statusCode, 303);
    assert.equal((await client.post(url)).statusCode, 429, "three an hour");

    assert.equal((await client.get(`/users/confirm-email?token=${token}`)).statusCode, 303);
    t.clock.now += HOUR + 1;
    const done = await client.post(url);
    assert.equal(done.statusCode, 303);
    assert.match(flashOf(done) ?? "", /already confirmed/);
  });

  // ── Forgot password ──

  test("the log-in page links to the reset request, a form with a labelled field", async () => {
    const login = await new Client(t.app).get("/login");
    assert.match(login.body, /href="\/users\/password\/new"[^>]*>Forgot your password\?/);
    const page = await new Client(t.app).get("/users/password/new");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="field-login">Username or email/);
    assert.match(page.body, /<form method="post" action="\/users\/password\/new"/);
  });

  test("a reset request answers the same whether or not the address exists", async () => {
    const { login, email } = await account("forgetful");
    const known = await askForReset(email);
    const unknown = await askForReset("nobody-at-all@example.org");
    const unknownName = await askForReset("no_such_user_here");
    const byName = await askForReset(login);
    for (const other of [unknown, unknownName, byName]) {
      assert.equal(other.res.statusCode, known.res.statusCode);
      assert.equal(other.res.headers.location, known.res.headers.location);
      assert.equal(flashOf(other.res), flashOf(known.res));
    }
    assert.match(flashOf(known.res) ?? "", /If an account uses that address, we've sent a link/);
    await t.drainJobs();
    const sent = sink.messages.slice(known.from);
    assert.deepEqual(
      sent.map((m) => m.to),
      [[email], [email]],
      "only the real account's address got mail, once per request",
    );
  });

  test("reset requests are limited per account and per address; bad input names the field", async () => {
    const { login } = await account("limited");
    const c = new Client(t.app);
    for (let i = 0; i < 3; i++)
      assert.equal((await c.post("/users/password/new", { login })).statusCode, 303);
    const limited = await new Client(t.app).post("/users/password/new", { login });
    assert.equal(limited.statusCode, 429, "a fourth request for one account, from anywhere");
    assert.match(limited.body, /Too many reset requests/);

    const busy = new Client(t.app);
    const answers = [];
    for (let i = 0; i < 11; i++)
      answers.push((await busy.post("/users/password/new", { login: `ghost_${i}` })).statusCode);
    assert.deepEqual(answers.slice(0, 10), Array(10).fill(303));
    assert.equal(answers[10], 429, "ten an hour from one address");

    const empty = await new Client(t.app).post("/users/password/new", { login: "  " });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter your username or email/);
    assert.match(empty.body, /id="field-login"/);
  });

  // ── Reset ──

  test("a reset link sets a new password once, ends every session, and is stored hashed", async () => {
    const { login, client, email } = await account("resetter");
    const elsewhere = new Client(t.app);
    assert.equal((await elsewhere.logIn(login)).statusCode, 303);
    assert.equal((await elsewhere.get(`/users/${login}/preferences`)).statusCode, 200);

    const token = await resetToken(login, email);
    // Only the hash is stored; the queued message (which held the link) is gone once sent.
    const rows = await t.handle.db
      .selectFrom("account_tokens")
      .selectAll()
      .where("purpose", "=", "reset-password")
      .execute();
    assert.ok(rows.some((r) => r.token_hash === sha256(token)));
    assert.ok(!JSON.stringify(rows).includes(token), "no raw token in account_tokens");
    const jobs = await t.handle.db.selectFrom("jobs").select("payload").execute();
    assert.ok(!JSON.stringify(jobs).includes(token), "no raw token left in the queue");

    const form = await new Client(t.app).get(`/users/password/edit?reset_password_token=${token}`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers["cache-control"], "no-store");
    assert.match(form.body, /<label for="field-password">New password/);
    assert.match(form.body, /<label for="field-password_confirmation">Confirm new password/);

    const guest = new Client(t.app);
    const mismatch = await guest.post("/users/password/edit", {
      reset_password_token: token,
      password: NEW_PASSWORD,
      password_confirmation: "something else entirely",
    });
    assert.equal(mismatch.statusCode, 422);
    assert.match(mismatch.body, /The passwords don&#39;t match|The passwords don't match/);
    const weak = await guest.post("/users/password/edit", {
      reset_password_token: token,
      password: "short",
      password_confirmation: "short",
    });
    assert.equal(weak.statusCode, 422);
    assert.match(weak.body, /Password must be at least/);
    const ownName = await guest.post("/users/password/edit", {
      reset_password_token: token,
      password: email,
      password_confirmation: email,
    });
    assert.equal(ownName.statusCode, 422);
    assert.match(ownName.body, /can&#39;t be your username or email|can't be your username/);

    const done = await guest.post("/users/password/edit", {
      reset_password_token: token,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, "/login");
    assert.match(flashOf(done) ?? "", /password has been changed/);

    // Every session of the account ended, the one that asked included.
    for (const c of [client, elsewhere]) {
      const res = await c.get(`/users/${login}/preferences`);
      assert.equal(res.statusCode, 303);
      assert.match(res.headers.location ?? "", /^\/login/);
    }
    assert.equal((await new Client(t.app).logIn(login)).statusCode, 401, "old password");
    assert.equal((await new Client(t.app).logIn(login, NEW_PASSWORD)).statusCode, 303);

    // Single use.
    const reuse = await guest.post("/users/password/edit", {
      reset_password_token: token,
      password: "yet another new password",
      password_confirmation: "yet another new password",
    });
    assert.equal(reuse.statusCode, 404);
    assert.match(reuse.body, /expired or was already used/);
    const page = await guest.get(`/users/password/edit?reset_password_token=${token}`);
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /href="\/users\/password\/new"/);
  });

  test("a reset also retires the account's other reset links, and confirms its address", async () => {
    const { login, email } = await account("two_links");
    const first = await resetToken(login, email);
    const second = await resetToken(login, email);
    const res = await new Client(t.app).post("/users/password/edit", {
      reset_password_token: second,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    assert.equal(res.statusCode, 303);
    const stale = await new Client(t.app).get(`/users/password/edit?reset_password_token=${first}`);
    assert.equal(stale.statusCode, 404);
    assert.notEqual((await userRow(login)).email_confirmed_at, null);
  });

  test("a reset link works for one hour", async () => {
    const { login, email } = await account("slow_reader");
    const token = await resetToken(login, email);
    const url = `/users/password/edit?reset_password_token=${token}`;
    t.clock.now += HOUR - 1000;
    assert.equal((await new Client(t.app).get(url)).statusCode, 200, "59:59 later");
    t.clock.now += 1000;
    assert.equal((await new Client(t.app).get(url)).statusCode, 404, "an hour later");
    const late = await new Client(t.app).post("/users/password/edit", {
      reset_password_token: token,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    assert.equal(late.statusCode, 404);
    assert.equal((await new Client(t.app).logIn(login)).statusCode, 303, "password unchanged");
  });

  test("expired links are pruned by the recurring account-tokens.prune job", async () => {
    const { login, email } = await account("pruned");
    await resetToken(login, email);
    const { id } = await userRow(login);
    const tokens = () =>
      t.handle.db
        .selectFrom("account_tokens")
        .select("purpose")
        .where("user_id", "=", id)
        .execute();
    assert.ok((await tokens()).some((r) => r.purpose === "reset-password"));
    t.clock.now += 7 * HOUR;
    await t.drainJobs();
    // The hour-long reset link is gone; the three-day confirmation link is still live.
    assert.deepEqual(
      (await tokens()).map((r) => r.purpose),
      ["confirm-email"],
    );
  });

  test("the operator's reset link (CLI) works like a mailed one", async () => {
    const { login } = await account("cli_user");
    const user = await userRow(login);
    const link = await createResetLink(t.handle.db, {
      userId: user.id,
      now: t.clock.now,
      base: "https://archive.example.org",
    });
    const token = /reset_password_token=([A-Za-z0-9_-]+)$/.exec(link)?.[1];
    assert.ok(link.startsWith("https://archive.example.org/users/password/edit?") && token);
    const page = await new Client(t.app).get(`/users/password/edit?reset_password_token=${token}`);
    assert.equal(page.statusCode, 200);
  });

  // ── Change e-mail ──

  test("change email: the owner only; needs the password; confirmed at the new address", async () => {
    const { login, client, email } = await account("mover");
    const url = `/users/${login}/email`;
    const guestPage = await new Client(t.app).get(url);
    assert.equal(guestPage.statusCode, 303);
    assert.match(guestPage.headers.location ?? "", /^\/login\?return_to=/);
    const form = { email: "Moved.Here@Example.org", current_password: TEST_PASSWORD };
    assert.equal((await new Client(t.app).post(url, form)).statusCode, 401);
    const other = await account("mover_other");
    assert.equal((await other.client.get(url)).statusCode, 403);
    assert.equal((await other.client.post(url, form)).statusCode, 403);
    for (const role of ["moderator", "admin"] as const) {
      const staff = await account(`mover_${role}`);
      await setRoles(t.handle.db, (await userRow(staff.login)).id, [role]);
      assert.equal((await staff.client.get(url)).statusCode, 403, role);
    }

    const prefs = await client.get(`/users/${login}/preferences`);
    assert.match(prefs.body, new RegExp(`href="/users/${login}/email"`));
    assert.match(prefs.body, new RegExp(`href="/users/${login}/username"`));
    const page = await client.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="field-email">New email/);
    assert.match(page.body, /<label for="field-current_password">Current password/);

    const wrong = await client.post(url, { ...form, current_password: "not my password" });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Your current password is not correct/);
    const invalid = await client.post(url, { ...form, email: "not an address" });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Enter a valid email address/);
    const taken = await client.post(url, { ...form, email: other.email });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /already used by another account/);

    const from = sink.messages.length;
    const res = await client.post(url, form);
    assert.equal(res.statusCode, 303);
    assert.match(flashOf(res) ?? "", /moved\.here@example\.org/);
    assert.equal((await userRow(login)).email, email, "unchanged until confirmed");

    const [notice, ...moreOld] = await mailTo(email, from);
    assert.equal(moreOld.length, 0);
    assert.match(notice!, /change its email address to moved\.here@example\.org/);
    assert.doesNotMatch(notice!, /confirm-email\?token=/, "the old address gets no link");
    const [confirm] = await mailTo("moved.here@example.org", from);
    const token = linkIn(confirm, "/users/confirm-email", "token");

    const done = await client.get(`/users/confirm-email?token=${token}`);
    assert.equal(done.statusCode, 303);
    assert.match(flashOf(done) ?? "", /new email address is confirmed/);
    const row = await userRow(login);
    assert.equal(row.email, "moved.here@example.org");
    assert.notEqual(row.email_confirmed_at, null);
    assert.equal((await new Client(t.app).logIn("moved.here@example.org")).statusCode, 303);
    assert.equal((await client.get(`/users/confirm-email?token=${token}`)).statusCode, 404);
  });

  test("a new address taken by someone else before confirmation is not applied", async () => {
    const { login, client, email } = await account("late_mover");
    const from = sink.messages.length;
    const target = `grabbed_${n}@example.org`;
    await client.post(`/users/${login}/email`, { email: target, current_password: TEST_PASSWORD });
    const token = linkIn((await mailTo(target, from))[0], "/users/confirm-email", "token");
    await new Client(t.app).post("/signup", {
      login: `grabber_${n}`,
      email: target,
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    const res = await client.get(`/users/confirm-email?token=${token}`);
    assert.equal(res.statusCode, 409);
    assert.equal((await userRow(login)).email, email);
  });

  // ── Change username ──

  test("change username: the owner only; validated as sign-up; old addresses redirect", async () => {
    const { login, client } = await account("Old_Name");
    const url = `/users/${login}/username`;
    assert.equal((await new Client(t.app).get(url)).statusCode, 303, "guest to log in");
    const other = await account("namer_other");
    assert.equal((await other.client.get(url)).statusCode, 403);
    const form = { login: `New_Name_${n}`, current_password: TEST_PASSWORD };
    assert.equal((await new Client(t.app).post(url, form)).statusCode, 401);
    assert.equal((await other.client.post(url, form)).statusCode, 403);
    assert.equal((await client.get(url)).statusCode, 200);

    const invalid = await client.post(url, { ...form, login: "no spaces!" });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Username may contain only letters, digits and underscores/);
    assert.match(invalid.body, /id="field-login"/);
    const taken = await client.post(url, { ...form, login: other.login.toUpperCase() });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /That username is taken/);
    const wrong = await client.post(url, { ...form, current_password: "not my password" });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /current password is not correct/);

    const res = await client.post(url, form);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/users/${form.login}/preferences`);
    assert.equal((await client.get(res.headers.location)).statusCode, 200, "still logged in");
    const pseuds = await t.handle.db
      .selectFrom("pseuds")
      .select(["name", "is_default"])
      .where("user_id", "=", (await userRow(form.login)).id)
      .execute();
    assert.deepEqual(pseuds, [{ name: form.login, is_default: 1 }], "default pseud renamed");

    const guest = new Client(t.app);
    const profile = await guest.get(`/users/${login}`);
    assert.equal(profile.statusCode, 301);
    assert.equal(profile.headers.location, `/users/${form.login}`);
    const works = await guest.get(`/users/${login.toLowerCase()}/works?page=2`);
    assert.equal(works.statusCode, 301);
    assert.equal(works.headers.location, `/users/${form.login}/works?page=2`);
    assert.equal((await guest.get(`/users/${form.login}`)).statusCode, 200);
    assert.equal((await guest.get("/users/never_existed_at_all")).statusCode, 404);
    // A form sent to the old address is not redirected.
    assert.equal((await client.post(`/users/${login}/username`, form)).statusCode, 404);

    // Someone else may take the old name: then it is theirs.
    const taker = await new Client(t.app).post("/signup", {
      login,
      email: `taker_${n}@example.org`,
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    assert.equal(taker.statusCode, 303);
    assert.equal((await guest.get(`/users/${login}`)).statusCode, 200);
  });

  test("a new username re-sorts the account's works by creator at once", async () => {
    const renamed = await account("Mmm_Sorts");
    const stays = await account("Nnn_Stays");
    const fandom = `Rename Sort Fandom ${n}`;
    for (const [who, title] of [
      [renamed.login, "By The Renamed"],
      [stays.login, "By The Stayer"],
    ] as const) {
      const pseudId = (
        await t.handle.db
          .selectFrom("pseuds")
          .select("pseuds.id")
          .innerJoin("users", "users.id", "pseuds.user_id")
          .where("users.login", "=", who)
          .executeTakeFirstOrThrow()
      ).id;
      await buildWork(t.handle.db, { pseudId, title, fandoms: fandom });
    }
    const byCreator = async () => {
      const page = await new Client(t.app).get(
        `/tags/${encodeURIComponent(fandom)}/works?sort=creator`,
      );
      assert.equal(page.statusCode, 200);
      const at = (title: string) => page.body.indexOf(`>${title}</a>`);
      assert.ok(at("By The Renamed") > 0 && at("By The Stayer") > 0, "both listed");
      return ["By The Renamed", "By The Stayer"].sort((a, b) => at(a) - at(b));
    };
    assert.deepEqual(await byCreator(), ["By The Renamed", "By The Stayer"]);
    const res = await renamed.client.post(`/users/${renamed.login}/username`, {
      login: `Zzz_Renamed_${n}`,
      current_password: TEST_PASSWORD,
    });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await byCreator(), ["By The Stayer", "By The Renamed"]);
  });

  test("two accounts racing for one new username: one gets it, the other a field error", async () => {
    const db = t.handle.db;
    const [a, b] = [await buildUser(db), await buildUser(db)];
    const wanted = `raced_${n++}`;
    const results = await Promise.all(
      [a, b].map((u) =>
        changeUsername(db, {
          userId: u.id,
          login: wanted,
          currentPassword: "factory password",
          now: t.clock.now,
        }),
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    const refused = results.find((r) => !r.ok);
    assert.ok(refused && !refused.ok);
    assert.equal(refused.status, 422);
    assert.match(refused.errors.login ?? "", /taken/);
  });

  test("two accounts confirming one new address at once: one gets it, the other a 409", async () => {
    const db = t.handle.db;
    const wanted = `contested_${n++}@example.org`;
    const from = sink.messages.length;
    for (const u of [await buildUser(db), await buildUser(db)]) {
      const asked = await requestEmailChange(db, {
        userId: u.id,
        email: wanted,
        currentPassword: "factory password",
        now: t.clock.now,
        base: "http://localhost:3000",
      });
      assert.ok(asked.ok);
    }
    const tokens = (await mailTo(wanted, from)).map((m) =>
      linkIn(m, "/users/confirm-email", "token"),
    );
    assert.equal(tokens.length, 2);
    const results = await Promise.all(
      tokens.map((token) => confirmEmail(db, { token, now: t.clock.now })),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    const refused = results.find((r) => !r.ok);
    assert.ok(refused && !refused.ok);
    assert.equal(refused.status, 409);
  });

  test("a suspended account may still manage its address and name (they add nothing)", async () => {
    const { login, client } = await account("suspended");
    await t.handle.db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 24 * HOUR })
      .where("login_key", "=", login.toLowerCase())
      .execute();
    assert.equal((await client.get(`/users/${login}/email`)).statusCode, 200);
    const res = await client.post(`/users/${login}/username`, {
      login: `${login}_b`,
      current_password: TEST_PASSWORD,
    });
    assert.equal(res.statusCode, 303);
  });
});

test("without SMTP the mail job writes the message, link included, to the log", async () => {
  const lines: string[] = [];
  const handler = mailJobHandler(null, (line) => lines.push(line));
  await handler(
    {
      to: "someone@example.org",
      subject: "[Fanfold] Reset your password",
      text: "Choose a new password: http://localhost:3000/users/password/edit?reset_password_token=abc",
      html: "<p>x</p>",
    },
    { now: 0, attempt: 1 },
  );
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.startsWith(MAIL_LOG_PREFIX));
  assert.match(lines[0]!, /To: someone@example\.org/);
  assert.match(lines[0]!, /reset_password_token=abc/);
});
