import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sweepExpiredSessions } from "../../src/accounts/sessions.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("accounts over HTTP", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("sign up creates the account, its default pseud and a logged-in session", async () => {
    const c = new Client(t.app);
    const res = await c.signUp("Amber_Quill");
    assert.equal(res.headers.location, "/users/Amber_Quill");
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find(
      (k) => k.name === "fanfold_session",
    );
    assert.ok(cookie, "session cookie set");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Lax");
    const page = await c.get("/users/Amber_Quill");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/users\/logout"/);
    assert.match(page.body, /href="\/users\/Amber_Quill\/pseuds\/Amber_Quill"/);
  });

  test("sign-up errors name each field, keep what was typed but never the password", async () => {
    const c = new Client(t.app);
    const res = await c.post("/signup", {
      login: "no",
      email: "not-an-email",
      password: "short",
      password_confirmation: "different",
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Username must be at least 3 characters/);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /Password must be at least 10 characters/);
    assert.match(res.body, /value="not-an-email"/);
    assert.doesNotMatch(res.body, /value="short"/);
  });

  test("usernames are unique case-insensitively and limited to letters, digits and _", async () => {
    const c = new Client(t.app);
    await c.signUp("casey_writes");
    const again = new Client(t.app);
    const dup = await again.post("/signup", {
      login: "CASEY_WRITES",
      email: "other@example.org",
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /That username is taken/);
    const bad = await again.post("/signup", {
      login: "has space",
      email: "x@example.org",
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /only letters, digits and underscores/);
    const long = await again.post("/signup", {
      login: "a".repeat(41),
      email: "x@example.org",
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    assert.match(long.body, /at most 40 characters/);
  });

  test("e-mail addresses are unique ignoring case, refused on their field; log in ignores case", async () => {
    await new Client(t.app).signUp("mail_owner");
    const form = (login: string, email: string) => ({
      login,
      email,
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    const dup = await new Client(t.app).post(
      "/signup",
      form("mail_thief", "MAIL_Owner@Example.ORG"),
    );
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /id="field-email-error">That email address is already used/);
    assert.doesNotMatch(dup.body, /That username is taken/);
    assert.match(dup.body, /value="mail_thief"/);
    // Both taken: both fields say so.
    const both = await new Client(t.app).post(
      "/signup",
      form("Mail_Owner", "mail_owner@example.org"),
    );
    assert.equal(both.statusCode, 422);
    assert.match(both.body, /id="field-login-error">That username is taken/);
    assert.match(both.body, /id="field-email-error">That email address is already used/);
    const accounts = await t.deps.db
      .selectFrom("users")
      .select("login")
      .where("email", "=", "mail_owner@example.org")
      .execute();
    assert.deepEqual(accounts, [{ login: "mail_owner" }]);
    const ok = await new Client(t.app).logIn("Mail_Owner@EXAMPLE.org");
    assert.equal(ok.statusCode, 303);
  });

  test("sign-ups racing for one address: the unique index lets one win, the rest get a field error", async () => {
    const clients = Array.from({ length: 8 }, () => new Client(t.app));
    await Promise.all(clients.map((c) => c.token()));
    const results = await Promise.all(
      clients.map((c, i) =>
        c.post("/signup", {
          login: `racer_${i}`,
          email: i % 2 ? "Racing@example.org" : "racing@EXAMPLE.org",
          password: TEST_PASSWORD,
          password_confirmation: TEST_PASSWORD,
          terms_of_service: "1",
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [303, 422, 422, 422, 422, 422, 422, 422]);
    for (const r of results.filter((r) => r.statusCode === 422)) {
      assert.match(r.body, /id="field-email-error">That email address is already used/);
    }
    const rows = await t.deps.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "racing@example.org")
      .execute();
    assert.equal(rows.length, 1);
    // The same for a username, in any case.
    const named = Array.from({ length: 4 }, () => new Client(t.app));
    await Promise.all(named.map((c) => c.token()));
    const byName = await Promise.all(
      named.map((c, i) =>
        c.post("/signup", {
          login: i % 2 ? "Racing_Name" : "racing_name",
          email: `racing_name_${i}@example.org`,
          password: TEST_PASSWORD,
          password_confirmation: TEST_PASSWORD,
          terms_of_service: "1",
        }),
      ),
    );
    assert.deepEqual(byName.map((r) => r.statusCode).sort(), [303, 422, 422, 422]);
    for (const r of byName.filter((r) => r.statusCode === 422)) {
      assert.match(r.body, /id="field-login-error">That username is taken/);
    }
  });

  test("common passwords are refused", async () => {
    const c = new Client(t.app);
    const res = await c.post("/signup", {
      login: "commoner",
      email: "commoner@example.org",
      password: "Password123",
      password_confirmation: "Password123",
      terms_of_service: "1",
    });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /too common/);
  });

  test("log in rotates the session; log out ends it", async () => {
    const writer = new Client(t.app);
    await writer.signUp("rotator");
    const firstSession = writer.cookies.get("fanfold_session");
    const res = await writer.logIn("rotator");
    assert.equal(res.statusCode, 303);
    const secondSession = writer.cookies.get("fanfold_session");
    assert.ok(secondSession && secondSession !== firstSession, "new session id at login");
    // The old cookie no longer logs anyone in.
    const stale = new Client(t.app);
    stale.cookies.set("fanfold_session", firstSession!);
    assert.doesNotMatch((await stale.get("/")).body, /href="\/users\/logout"/);

    const out = await writer.post("/logout");
    assert.equal(out.statusCode, 303);
    const replay = new Client(t.app);
    replay.cookies.set("fanfold_session", secondSession);
    assert.doesNotMatch((await replay.get("/")).body, /href="\/users\/logout"/);
  });

  test("log in by email, and a wrong password says so without naming which part was wrong", async () => {
    const c = new Client(t.app);
    await c.signUp("emailer");
    const guest = new Client(t.app);
    const wrong = await guest.post("/login", {
      login: "emailer",
      password: "not the password at all",
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /doesn(&#39;|')t match our records/);
    const unknown = await guest.post("/login", {
      login: "nobody_here",
      password: "whatever whatever",
    });
    assert.equal(unknown.statusCode, 401);
    const ok = await guest.post("/login", {
      login: "emailer@example.org",
      password: TEST_PASSWORD,
    });
    assert.equal(ok.statusCode, 303);
  });

  test("log in returns to a same-site page only", async () => {
    const c = new Client(t.app);
    await c.signUp("returner");
    const guest = new Client(t.app);
    const back = await guest.post("/login", {
      login: "returner",
      password: TEST_PASSWORD,
      return_to: "/works",
    });
    assert.equal(back.headers.location, "/works");
    const guest2 = new Client(t.app);
    const evil = await guest2.post("/login", {
      login: "returner",
      password: TEST_PASSWORD,
      return_to: "//evil.example/",
    });
    assert.equal(evil.headers.location, "/");
  });

  test("login attempts are throttled per account (429 with a clear message)", async () => {
    const c = new Client(t.app);
    await c.signUp("targeted");
    for (let i = 0; i < 10; i++) {
      const guest = new Client(t.app, `10.0.0.${i + 1}`);
      const res = await guest.post("/login", {
        login: "targeted",
        password: "wrong password " + i,
      });
      assert.equal(res.statusCode, 401);
    }
    const guest = new Client(t.app, "10.0.1.1");
    const blocked = await guest.post("/login", { login: "targeted", password: TEST_PASSWORD });
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many login attempts/);
    t.clock.now += 16 * 60 * 1000;
    const later = await guest.post("/login", { login: "targeted", password: TEST_PASSWORD });
    assert.equal(later.statusCode, 303);
  });

  test("login attempts are throttled per IP", async () => {
    const guest = new Client(t.app, "10.9.9.9");
    let last = 0;
    for (let i = 0; i < 51; i++) {
      last = (await guest.post("/login", { login: `someone${i}`, password: "wrong password" }))
        .statusCode;
    }
    assert.equal(last, 429);
    t.clock.now += 16 * 60 * 1000;
  });

  test("state-changing forms need the CSRF token of this browser", async () => {
    const c = new Client(t.app);
    await c.signUp("csrf_target");
    const none = await c.post("/logout", {}, { csrf: false });
    assert.equal(none.statusCode, 403);
    const other = new Client(t.app);
    await other.signUp("csrf_other");
    const foreign = await c.post("/logout", {}, { csrf: await other.token() });
    assert.equal(foreign.statusCode, 403);
    assert.match(foreign.body, /reload the page/);
    const guest = new Client(t.app);
    const signup = await guest.post("/signup", { login: "x_y_z" }, { csrf: "forged" });
    assert.equal(signup.statusCode, 403);
  });

  test("change password checks the current one and ends other sessions", async () => {
    const laptop = new Client(t.app);
    await laptop.signUp("changer");
    const phone = new Client(t.app);
    await phone.logIn("changer");
    const wrong = await laptop.post("/users/changer/password", {
      current_password: "wrong wrong wrong",
      password: "a brand new passphrase",
      password_confirmation: "a brand new passphrase",
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /current password is not correct/);
    const ok = await laptop.post("/users/changer/password", {
      current_password: TEST_PASSWORD,
      password: "a brand new passphrase",
      password_confirmation: "a brand new passphrase",
    });
    assert.equal(ok.statusCode, 303);
    assert.match((await laptop.get("/")).body, /href="\/users\/logout"/);
    assert.doesNotMatch((await phone.get("/")).body, /href="\/users\/logout"/);
    const relog = await new Client(t.app).logIn("changer", "a brand new passphrase");
    assert.equal(relog.statusCode, 303);
  });

  test("account pages belong to their owner: guests are sent to log in, others get 403", async () => {
    const owner = new Client(t.app);
    await owner.signUp("owner_one");
    const guest = new Client(t.app);
    const g = await guest.get("/users/owner_one/preferences");
    assert.equal(g.statusCode, 303);
    assert.match(g.headers.location as string, /^\/login\?return_to=/);
    const other = new Client(t.app);
    await other.signUp("nosy_one");
    for (const path of [
      "/users/owner_one/preferences",
      "/users/owner_one/password",
      "/users/owner_one/pseuds",
    ]) {
      assert.equal((await other.get(path)).statusCode, 403, path);
    }
    const post = await other.post("/users/owner_one/preferences", { view_adult: "1" });
    assert.equal(post.statusCode, 403);
    const guestPost = await guest.post("/users/owner_one/pseuds", { name: "Sneaky" });
    assert.equal(guestPost.statusCode, 401);
    assert.equal((await owner.get("/users/owner_one/preferences")).statusCode, 200);
    assert.equal((await owner.get("/users/nobody_at_all")).statusCode, 404);
  });

  test("pseuds: add one, refuse a duplicate, and show it on its own page", async () => {
    const c = new Client(t.app);
    await c.signUp("penname_user");
    const add = await c.post("/users/penname_user/pseuds", {
      name: "Ink Blot",
      description: "Short things.",
    });
    assert.equal(add.statusCode, 303);
    const dup = await c.post("/users/penname_user/pseuds", { name: "ink blot" });
    assert.equal(dup.statusCode, 422);
    assert.match(dup.body, /already have a pseud/);
    const bad = await c.post("/users/penname_user/pseuds", { name: "<script>" });
    assert.equal(bad.statusCode, 422);
    const pseudPage = await new Client(t.app).get("/users/penname_user/pseuds/Ink%20Blot");
    assert.equal(pseudPage.statusCode, 200);
    assert.match(pseudPage.body, /Ink Blot \(penname_user\)/);
    assert.equal((await c.get("/users/penname_user/pseuds/Nope")).statusCode, 404);
  });
});

test("cookies are Secure when the archive is served over HTTPS", async () => {
  const t = await createTestApp("sqlite", { FANFOLD_PUBLIC_URL: "https://archive.example.org" });
  try {
    const c = new Client(t.app);
    const res = await c.signUp("secure_user");
    const cookie = (res.cookies as { name: string; secure?: boolean }[]).find(
      (k) => k.name === "fanfold_session",
    );
    assert.equal(cookie?.secure, true);
  } finally {
    await t.close();
  }
});

test("sign-ups are rate limited per IP", async () => {
  const t = await createTestApp("sqlite");
  try {
    let status = 0;
    for (let i = 0; i < 11; i++) {
      const c = new Client(t.app, "10.7.7.7");
      status = (
        await c.post("/signup", {
          login: `bulk${i}`,
          email: `b${i}@example.org`,
          password: TEST_PASSWORD,
          password_confirmation: TEST_PASSWORD,
          terms_of_service: "1",
        })
      ).statusCode;
    }
    assert.equal(status, 429);
  } finally {
    await t.close();
  }
});

test("expired sessions stop working and are swept", async () => {
  const t = await createTestApp("sqlite");
  try {
    const c = new Client(t.app);
    await c.signUp("sleepy_reader");
    t.clock.now += 3 * 24 * 60 * 60 * 1000; // past the two-day life of an unremembered session
    assert.doesNotMatch((await c.get("/")).body, /href="\/users\/logout"/);
    sweepExpiredSessions(t.deps)();
    await new Promise((r) => setTimeout(r, 50));
    const left = await t.deps.db.selectFrom("sessions").selectAll().execute();
    assert.equal(left.length, 0);
  } finally {
    await t.close();
  }
});
