/**
 * Logging in as tools written for the Archive of Our Own do (FanFicFare's `performLogin`,
 * AO3's own Devise form): the token from `/token_dispenser.json`, then `POST /users/login` with
 * `user[login]`, `user[password]`, `user[remember_me]` and `authenticity_token`. And AO3's other
 * log-in and log-out addresses: `/users/login` (with `restricted=true`) and `/users/logout`.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { getWork } from "@fujocoded/ao3.js";
import { RESTRICTED_NOTICE } from "../../src/accounts/views.tsx";
import { useAo3Client } from "../support/ao3-client.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

type Cookie = { name: string; value: string; maxAge?: number };
const sessionCookie = (res: { cookies: unknown }) =>
  (res.cookies as Cookie[]).find((c) => c.name === "fanfold_session");

/** What FanFicFare checks in the page it lands on after logging in. */
const LOGGED_IN = 'href="/users/logout"';

/** The token as a tool gets it: JSON from the dispenser, with this client's cookie. */
async function dispensedToken(c: Client): Promise<string> {
  const res = await c.get("/token_dispenser.json");
  assert.equal(res.statusCode, 200);
  return (JSON.parse(res.body) as { token: string }).token;
}

/** FanFicFare's log-in request, field for field (`performLogin`). */
function ao3LoginForm(login: string, password: string, token: string | undefined) {
  return {
    "user[login]": login,
    "user[password]": password,
    "user[remember_me]": "1",
    commit: "Log in",
    utf8: "✓",
    ...(token === undefined ? {} : { authenticity_token: token }),
  };
}

/** Follows a redirect as a tool's HTTP library does, with the client's cookies. */
async function follow(c: Client, res: { statusCode: number; headers: { location?: unknown } }) {
  assert.equal(res.statusCode, 303, "a redirect");
  return c.get(String(res.headers.location));
}

describeEachEngine("AO3-style log-in and log-out", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("the token dispenser answers JSON with this client's CSRF token, never cached", async () => {
    const c = new Client(t.app);
    const res = await c.get("/token_dispenser.json");
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    assert.equal(res.headers["cache-control"], "no-store");
    const { token } = JSON.parse(res.body) as { token: unknown };
    assert.equal(typeof token, "string");
    assert.ok((token as string).length >= 32, "a real token");
    assert.ok(c.cookies.has("fanfold_csrf"), "bound to a cookie the client now holds");
    // The same client gets the same token; another client another one.
    assert.equal(await dispensedToken(c), token);
    assert.notEqual(await dispensedToken(new Client(t.app)), token);
  });

  test("POST /users/login with the AO3 field names logs in, as FanFicFare checks", async () => {
    await buildUser(t.deps.db, { login: "ffn_reader", password: TEST_PASSWORD });
    const c = new Client(t.app);
    const token = await dispensedToken(c);
    const res = await c.post("/users/login", ao3LoginForm("ffn_reader", TEST_PASSWORD, token), {
      csrf: false,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, "/");
    const cookie = sessionCookie(res);
    assert.ok(cookie?.value, "session cookie set");
    // `user[remember_me]=1`: the 30-day session, as on /login with "Remember me".
    assert.equal(cookie.maxAge, 30 * 24 * 60 * 60);
    const landed = await follow(c, res);
    assert.ok(landed.body.includes(LOGGED_IN), "the landing page links to /users/logout");
    assert.match(landed.body, />Log Out</);
    assert.match(landed.body, /Successfully logged in\./);
    // Every page now knows the reader.
    const profile = await c.get("/users/ffn_reader");
    assert.ok(profile.body.includes(LOGGED_IN));
    assert.match(profile.body, /<summary>ffn_reader<\/summary>/);
  });

  test("user[remember_me]: absent or 0 is a short session; Rails' hidden 0 then 1 remembers", async () => {
    await buildUser(t.deps.db, { login: "rememberer", password: TEST_PASSWORD });
    const cases: [string, string[] | undefined, boolean][] = [
      ["absent", undefined, false],
      ["0", ["0"], false],
      ["hidden 0, box 1", ["0", "1"], true],
    ];
    for (const [name, remember, remembered] of cases) {
      const c = new Client(t.app);
      const form: Record<string, string | string[]> = {
        "user[login]": "rememberer",
        "user[password]": TEST_PASSWORD,
        authenticity_token: await dispensedToken(c),
      };
      if (remember) form["user[remember_me]"] = remember;
      const res = await c.post("/users/login", form, { csrf: false });
      assert.equal(res.statusCode, 303, name);
      assert.equal(sessionCookie(res)?.maxAge !== undefined, remembered, name);
    }
  });

  test("without this client's token: 403 and not logged in", async () => {
    await buildUser(t.deps.db, { login: "csrf_victim", password: TEST_PASSWORD });
    const c = new Client(t.app);
    await dispensedToken(c); // holds a cookie, but sends no token
    const none = await c.post(
      "/users/login",
      ao3LoginForm("csrf_victim", TEST_PASSWORD, undefined),
      { csrf: false },
    );
    assert.equal(none.statusCode, 403);
    assert.equal(sessionCookie(none), undefined);

    // A page on another site can get a token of its own, never this browser's.
    const attacker = new Client(t.app);
    const foreign = await c.post(
      "/users/login",
      ao3LoginForm("csrf_victim", TEST_PASSWORD, await dispensedToken(attacker)),
      { csrf: false },
    );
    assert.equal(foreign.statusCode, 403);
    assert.equal(sessionCookie(foreign), undefined);
    assert.ok(!(await c.get("/")).body.includes(LOGGED_IN), "still a guest");
  });

  test("a wrong password shows the form again (401) and counts against the one limiter", async () => {
    await buildUser(t.deps.db, { login: "guessed_at", password: TEST_PASSWORD });
    for (let i = 0; i < 10; i++) {
      const guest = new Client(t.app, `10.11.0.${i + 1}`);
      // Half the guesses by the AO3 route, half by Fanfold's form: one count.
      const res =
        i % 2 === 0
          ? await guest.post(
              "/users/login",
              ao3LoginForm("guessed_at", `wrong password ${i}`, await dispensedToken(guest)),
              { csrf: false },
            )
          : await guest.post("/login", { login: "guessed_at", password: `wrong password ${i}` });
      assert.equal(res.statusCode, 401, `attempt ${i}`);
      assert.match(res.body, /doesn(&#x27;|&#39;|')t match our records/);
      assert.match(res.body, /<form method="post" action="\/login"/, "the form again");
      assert.match(res.body, /value="guessed_at"/, "the login kept");
      assert.doesNotMatch(res.body, /wrong password/, "the password not echoed");
      assert.equal(sessionCookie(res), undefined);
    }
    const guest = new Client(t.app, "10.11.1.1");
    const blocked = await guest.post(
      "/users/login",
      ao3LoginForm("guessed_at", TEST_PASSWORD, await dispensedToken(guest)),
      { csrf: false },
    );
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many login attempts/);
    assert.equal(sessionCookie(blocked), undefined);
    t.clock.now += 16 * 60 * 1000;
  });

  test("bad input answers 400 naming the AO3 field", async () => {
    const c = new Client(t.app);
    const token = await dispensedToken(c);
    const missing = await c.post(
      "/users/login",
      { "user[login]": "someone", authenticity_token: token },
      { csrf: false },
    );
    assert.equal(missing.statusCode, 400);
    assert.ok(missing.body.includes("user[password]"), missing.body.slice(0, 500));
    const listed = await c.post(
      "/users/login",
      { "user[login][]": "someone", "user[password]": "x", authenticity_token: token },
      { csrf: false },
    );
    assert.equal(listed.statusCode, 400);
    assert.ok(listed.body.includes("user[login]"));
  });

  test("GET /users/logout only asks; its form logs out; a guest is sent home", async () => {
    const c = new Client(t.app);
    await c.signUp("leaving_soon");
    const ask = await c.get("/users/logout");
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Are you sure you want to log out\?/);
    const form = /<form method="post" action="([^"]+)"[^>]*>[\s\S]*?<\/form>/.exec(
      ask.body.slice(ask.body.indexOf('id="main"')),
    );
    assert.ok(form, "a form in the page");
    assert.equal(form[1], "/logout");
    assert.match(form[0], /<button type="submit">Log out<\/button>/);
    assert.ok((await c.get("/")).body.includes(LOGGED_IN), "still logged in after the GET");

    const out = await c.post(form[1]);
    assert.equal(out.statusCode, 303);
    const home = await follow(c, out);
    assert.ok(!home.body.includes(LOGGED_IN), "logged out");
    assert.match(home.body, /You have logged out/);

    const guest = await new Client(t.app).get("/users/logout");
    assert.equal(guest.statusCode, 303);
    assert.equal(guest.headers.location, "/");
  });

  test("/users/login is the log-in page; restricted=true adds AO3's sentence above the form", async () => {
    const c = new Client(t.app);
    const plain = await c.get("/users/login");
    const fanfold = await c.get("/login");
    assert.equal(plain.statusCode, 200);
    const formOf = (body: string) =>
      /<form method="post" action="\/login"[\s\S]*?<\/form>/.exec(body)?.[0];
    assert.equal(formOf(plain.body), formOf(fanfold.body), "the same form");
    assert.ok(!plain.body.includes(RESTRICTED_NOTICE));

    const sentence = "This work is only available to registered users of the Archive.";
    assert.equal(RESTRICTED_NOTICE, sentence);
    for (const url of ["/users/login?restricted=true", "/login?restricted=true"]) {
      const res = await c.get(url);
      assert.equal(res.statusCode, 200, url);
      const notice = new RegExp(`<p[^>]*>${sentence.replaceAll(".", "\\.")}</p>`).exec(res.body);
      assert.ok(notice, `${url}: the sentence, alone in its paragraph`);
      assert.ok(notice.index < res.body.indexOf('<form method="post" action="/login"'), "above");
    }
    for (const url of ["/users/login?restricted=false", "/users/login?restricted=0"])
      assert.ok(!(await c.get(url)).body.includes(sentence), url);
    // The page's token is there under Rails' name too, for tools that read it from the page.
    const token = /name="authenticity_token" value="([^"]+)"/.exec(plain.body)?.[1];
    assert.equal(token, await dispensedToken(c));
  });

  test("after logging in the reader lands on return_to, never off the archive", async () => {
    await buildUser(t.deps.db, { login: "returner", password: TEST_PASSWORD });
    const c = new Client(t.app);
    const shown = await c.get(
      "/users/login?restricted=true&return_to=%2Fworks%2F42%3Fview_adult%3Dtrue",
    );
    assert.match(shown.body, /name="return_to" value="\/works\/42\?view_adult=true"/);
    const res = await c.post("/login", {
      login: "returner",
      password: TEST_PASSWORD,
      return_to: "/works/42?view_adult=true",
    });
    assert.equal(res.headers.location, "/works/42?view_adult=true");

    for (const unsafe of [
      "//evil.example/",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const guest = new Client(t.app);
      const ao3 = await guest.post(
        "/users/login",
        {
          ...ao3LoginForm("returner", TEST_PASSWORD, await dispensedToken(guest)),
          return_to: unsafe,
        },
        { csrf: false },
      );
      assert.equal(ao3.statusCode, 303, unsafe);
      assert.equal(ao3.headers.location, "/", unsafe);
    }
    const ao3Back = new Client(t.app);
    const back = await ao3Back.post(
      "/users/login",
      {
        ...ao3LoginForm("returner", TEST_PASSWORD, await dispensedToken(ao3Back)),
        return_to: "/works/7",
      },
      { csrf: false },
    );
    assert.equal(back.headers.location, "/works/7");
    // Already logged in: the page sends the reader straight on.
    const again = await ao3Back.get("/users/login?restricted=true&return_to=%2Fworks%2F7");
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, "/works/7");
  });

  test("'login' and 'logout' cannot be usernames (they are pages under /users/)", async () => {
    for (const login of ["login", "LogOut"]) {
      const c = new Client(t.app);
      const res = await c.post("/signup", {
        login,
        email: `${login}@example.org`,
        password: TEST_PASSWORD,
        password_confirmation: TEST_PASSWORD,
        terms_of_service: "1",
      });
      assert.equal(res.statusCode, 422, login);
      assert.match(res.body, /That username is reserved/);
    }
  });

  test("ao3.js: a restricted work is locked for a guest and whole once logged in the AO3 way", async () => {
    const author = await buildUser(t.deps.db, { login: "locked_author" });
    const work = await buildWork(t.deps.db, {
      pseudId: author.pseudId,
      title: "Members Only Lighthouse",
      restricted: "1",
      text: "one two three four five six seven",
    });
    const workId = String(work.workId);

    const guest = useAo3Client(t.app);
    try {
      const locked = await getWork({ workId });
      assert.deepEqual(locked, { id: work.workId, locked: true });
      // It read the log-in page the work sent it to, as AO3 does.
      const last = guest.requests.at(-1)!;
      assert.match(last.url, /\/users\/login\?(.*&)?restricted=true/);
      assert.equal(last.status, 200);
    } finally {
      guest.restore();
    }

    await buildUser(t.deps.db, { login: "ao3js_reader", password: TEST_PASSWORD });
    const reader = new Client(t.app);
    const login = await reader.post(
      "/users/login",
      ao3LoginForm("ao3js_reader", TEST_PASSWORD, await dispensedToken(reader)),
      { csrf: false },
    );
    assert.equal(login.statusCode, 303);
    const member = useAo3Client(t.app, { client: reader });
    try {
      const read = await getWork({ workId });
      assert.equal(read.locked, false);
      assert.ok(!read.locked);
      assert.equal(read.title, "Members Only Lighthouse");
      assert.deepEqual(
        read.authors.map((a) => a.username),
        ["locked_author"],
      );
      assert.equal(read.words, 7);
    } finally {
      member.restore();
    }
  });
});
