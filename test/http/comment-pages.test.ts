/** Comment pages of adult works ask first, as the work's own pages do; commenters choose a pseud. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom } from "../support/app.ts";

test("a thread on an Explicit work shows the adult-content notice first", async () => {
  const t = await createTestApp();
  try {
    const author = new Client(t.app);
    await author.signUp("gate_author");
    const workId = workIdFrom(
      (await author.post("/works", workForm({ rating: "Explicit" }))).headers.location,
    );
    const commented = await author.post(`/works/${workId}/comments`, {
      comment_content: "A note from the author about chapter one.",
    });
    assert.equal(commented.statusCode, 303, commented.body.slice(0, 300));
    const { id } = await t.deps.db
      .selectFrom("comments")
      .select("id")
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();

    const guest = new Client(t.app);
    const gated = await guest.get(`/comments/${id}`);
    assert.equal(gated.statusCode, 200);
    assert.match(gated.body, /This work could have adult content/);
    assert.doesNotMatch(gated.body, /A note from the author/);
    const reply = await guest.get(`/comments/${id}/reply`);
    assert.match(reply.body, /This work could have adult content/);

    const shown = await guest.get(`/comments/${id}?view_adult=true`);
    assert.match(shown.body, /A note from the author/);
    // Remembered for the browser session, as on the work's pages.
    assert.match((await guest.get(`/comments/${id}`)).body, /A note from the author/);
  } finally {
    await t.close();
  }
});

test("a commenter with several pseuds chooses which one signs; not someone else's", async () => {
  const t = await createTestApp();
  try {
    const author = new Client(t.app);
    await author.signUp("pseud_author");
    const workId = workIdFrom((await author.post("/works", workForm({}))).headers.location);
    const fan = new Client(t.app);
    await fan.signUp("pseud_fan");
    const page = await fan.get(`/works/${workId}`);
    assert.doesNotMatch(page.body, /Comment as/, "one pseud: nothing to choose");
    assert.equal(
      (await fan.post("/users/pseud_fan/pseuds", { name: "Night Owl" })).statusCode,
      303,
    );
    const withChoice = await fan.get(`/works/${workId}`);
    assert.match(withChoice.body, /<label for="field-pseud_id">Comment as/);
    const pseuds = await t.deps.db
      .selectFrom("pseuds")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select(["pseuds.id", "pseuds.name"])
      .where("users.login", "in", ["pseud_fan", "pseud_author"])
      .execute();
    const owl = pseuds.find((p) => p.name === "Night Owl")!;
    const authors = pseuds.find((p) => p.name === "pseud_author")!;
    const posted = await fan.post(`/works/${workId}`.concat("/comments"), {
      comment_content: "Signed by my other name.",
      pseud_id: String(owl.id),
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const shown = await new Client(t.app).get(`/works/${workId}`);
    assert.match(shown.body, /Night Owl \(pseud_fan\)/);
    // Someone else's pseud is refused, with the form and what was typed.
    const stolen = await fan.post(`/works/${workId}/comments`, {
      comment_content: "Pretending to be the author.",
      pseud_id: String(authors.id),
    });
    assert.equal(stolen.statusCode, 422);
    assert.match(stolen.body, /choose one of your pseuds/);
    assert.match(stolen.body, /Pretending to be the author\./);
  } finally {
    await t.close();
  }
});
