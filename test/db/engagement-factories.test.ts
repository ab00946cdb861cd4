/**
 * The engagement factories go through the real commands: what they build is what a reader's
 * click builds (rows, counters, notifications), and a refusal is an error, not a silent no-op.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import {
  buildBookmark,
  buildComment,
  buildKudos,
  buildUser,
  buildWork,
  type FactoryUser,
} from "../support/factories.ts";

describeEachEngine("engagement factories", (engine) => {
  let h: DbHandle;
  let author: FactoryUser;
  let reader: FactoryUser;
  let workId: number;
  before(async () => {
    h = await openTestDb(engine);
    author = await buildUser(h.db);
    reader = await buildUser(h.db);
    ({ workId } = await buildWork(h.db, { pseudId: author.pseudId, comment_policy: "everyone" }));
  });
  after(() => h.close());

  const stats = () =>
    h.db
      .selectFrom("work_stats")
      .select(["kudos", "comments", "bookmarks"])
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();

  test("comments, replies and guest comments land in threads and counts", async () => {
    const top = await buildComment(h.db, workId, { by: reader, text: "yay" });
    const reply = await buildComment(h.db, workId, { by: author, parentId: top.id });
    const guest = await buildComment(h.db, workId, { guest: { name: "Nay", email: "n@x.org" } });
    const rows = await h.db
      .selectFrom("comments")
      .select(["id", "parent_id", "guest_name"])
      .where("work_id", "=", workId)
      .orderBy("id")
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.id, r.parent_id, r.guest_name]),
      [
        [top.id, null, null],
        [reply.id, top.id, null],
        [guest.id, null, "Nay"],
      ],
    );
    assert.equal((await stats()).comments, 3);
    const inbox = await h.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "=", reader.id)
      .execute();
    assert.ok(inbox.length >= 1, "the reply reached the commenter's inbox");
  });

  test("kudos from a user and a guest count once each; a second one is refused", async () => {
    await buildKudos(h.db, workId, { by: reader });
    await buildKudos(h.db, workId, { ip: "198.51.100.7" });
    assert.equal((await stats()).kudos, 2);
    await assert.rejects(buildKudos(h.db, workId, { by: reader }), /The kudos was refused/);
    await assert.rejects(buildKudos(h.db, workId, { by: author }), /The kudos was refused/);
    assert.equal((await stats()).kudos, 2);
  });

  test("bookmarks parse the form's fields; private ones are not counted", async () => {
    const shown = await buildBookmark(h.db, workId, { tags: "comfort, reread", rec: "1" });
    await buildBookmark(h.db, workId, { private: "1" });
    const tags = await h.db
      .selectFrom("bookmark_tags")
      .select("name")
      .where("bookmark_id", "=", shown.id)
      .orderBy("name")
      .execute();
    assert.deepEqual(
      tags.map((t) => t.name),
      ["comfort", "reread"],
    );
    assert.equal((await stats()).bookmarks, 1);
    await assert.rejects(buildBookmark(h.db, workId, { by: shown.by }), /The bookmark was refused/);
  });
});
