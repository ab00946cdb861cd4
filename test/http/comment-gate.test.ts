/** Comment pages of adult works ask first, as the work's own pages do. */
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
