/** A user's page offers another reader Subscribe, Mute and Block, each showing its state. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("actions on a user's page", (engine) => {
  let t: TestApp;
  let author: Client;
  let reader: Client;
  let authorId = 0;

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("profile_author");
    reader = new Client(t.app);
    await reader.signUp("profile_reader");
    const row = await t.deps.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "profile_author")
      .executeTakeFirstOrThrow();
    authorId = row.id;
  });
  after(() => t.close());

  const buttons = (html: string) =>
    [
      ...html.matchAll(
        /<button type="submit">((?:Un)?(?:subscribe|Subscribe|[Mm]ute|[Bb]lock)[^<]*)<\/button>/g,
      ),
    ].map((m) => m[1]);

  test("guests and the user themself get none", async () => {
    assert.deepEqual(buttons((await new Client(t.app).get("/users/profile_author")).body), []);
    assert.deepEqual(buttons((await author.get("/users/profile_author")).body), []);
  });

  test("subscribe, mute and block, then undo each", async () => {
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Subscribe to profile_author",
      "Mute profile_author",
      "Block profile_author",
    ]);
    for (const [url, form] of [
      ["/users/profile_author/subscriptions", { return_to: "/users/profile_author" }],
      [
        "/preferences/exclusions/users",
        { login: "profile_author", return_to: "/users/profile_author" },
      ],
      ["/preferences/blocked", { login: "profile_author", return_to: "/users/profile_author" }],
    ] as const) {
      const res = await reader.post(url, form);
      assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 200)}`);
    }
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Unsubscribe from profile_author",
      "Unmute profile_author",
      "Unblock profile_author",
    ]);
    for (const url of [
      "/users/profile_author/subscriptions",
      `/preferences/exclusions/users/${authorId}/delete`,
      `/preferences/blocked/${authorId}/delete`,
    ]) {
      const res = await reader.post(url, { return_to: "/users/profile_author" });
      assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 200)}`);
    }
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Subscribe to profile_author",
      "Mute profile_author",
      "Block profile_author",
    ]);
  });
});
