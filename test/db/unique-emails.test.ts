/**
 * The migration that makes e-mail addresses unique ignoring case: it indexes a clean archive,
 * and on an archive whose accounts already share addresses it stops, changes nothing and
 * lists them for an administrator to resolve.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { migrateToLatest, type DbHandle, type Engine } from "../../src/core/db/index.ts";
import { describeEachEngine, openTestDb, scanningCatalog } from "../support/db.ts";

const PREVIOUS = "2026-12-01T1100-notifications";

async function addUser(h: DbHandle, login: string, email: string) {
  const row = await h.db
    .insertInto("users")
    .values({
      login,
      login_key: login.toLowerCase(),
      email,
      password_hash: "x",
      created_at: 1,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const migrate = (engine: Engine, h: DbHandle) =>
  scanningCatalog(engine, () => migrateToLatest(h.db));

describeEachEngine("unique e-mail migration", (engine) => {
  test("a clean archive gets the index: one address in any case belongs to one account", async () => {
    const h = await openTestDb(engine, { migrateTo: PREVIOUS });
    try {
      await addUser(h, "alice", "alice@example.org");
      await addUser(h, "bob", "bob@example.org");
      const ran = await migrate(engine, h);
      assert.ok(ran.includes("2026-12-06T1000-unique-emails"), ran.join(", "));
      await assert.rejects(addUser(h, "alice2", "ALICE@example.org"));
      await addUser(h, "carol", "carol@example.org");
    } finally {
      await h.close();
    }
  });

  test("accounts already sharing an address stop it, are listed, and nothing changes", async () => {
    const h = await openTestDb(engine, { migrateTo: PREVIOUS });
    try {
      const alice = await addUser(h, "alice", "alice@example.org");
      const alice2 = await addUser(h, "alice_again", "Alice@Example.ORG");
      const bob = await addUser(h, "bob", "bob@example.org");
      const bob2 = await addUser(h, "bob_too", "bob@example.org");
      await addUser(h, "carol", "carol@example.org");

      let message = "";
      await assert.rejects(migrate(engine, h), (err: Error) => {
        message = err.message;
        return true;
      });
      assert.match(message, /Migration 2026-12-06T1000-unique-emails failed/);
      assert.match(message, /2 addresses are shared by several accounts/);
      assert.match(
        message,
        new RegExp(
          `alice@example\\.org: id ${alice} \\(alice, alice@example\\.org\\); id ${alice2} \\(alice_again, Alice@Example\\.ORG\\)`,
        ),
      );
      assert.match(message, new RegExp(`bob@example\\.org: id ${bob} .*; id ${bob2} `));
      assert.doesNotMatch(message, /carol/);
      assert.match(message, /Give each account an address of its own/);
      assert.match(message, /npm run fanfold -- migrate/);

      // Nothing was merged, deleted or rewritten, and the index is not there.
      const emails = await h.db.selectFrom("users").select("email").orderBy("id").execute();
      assert.equal(emails.length, 5);
      assert.equal(emails[1]!.email, "Alice@Example.ORG");

      // Once the administrator resolves them, the migration goes through.
      await h.db
        .updateTable("users")
        .set({ email: "alice.again@example.org" })
        .where("id", "=", alice2)
        .execute();
      await h.db.deleteFrom("users").where("id", "=", bob2).execute();
      const ran = await migrate(engine, h);
      assert.ok(ran.includes("2026-12-06T1000-unique-emails"), ran.join(", "));
      await assert.rejects(addUser(h, "bob_three", "BOB@example.org"));
    } finally {
      await h.close();
    }
  });
});
