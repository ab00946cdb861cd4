/**
 * The SQLite statement cache: the same answers as compiling every statement anew, with each
 * SQL text compiled once, through transactions, errors in mid-statement, streams left early
 * and statements still being iterated. PostgreSQL's named statements: the same answers as
 * unnamed ones, and a schema change under a prepared `select *` survived.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { openDb, type DbHandle } from "../../src/core/db/index.ts";
import { cachingDatabase } from "../../src/core/db/statement-cache.ts";
import { openScratchDb, openTestDb } from "../support/db.ts";
import { skipUnless } from "../support/skip.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describe("SQLite statement cache", () => {
  let h: DbHandle;
  let uncached: DbHandle;
  const ids: number[] = [];
  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), "fanfold-statements-")), "test.db");
    h = await openScratchDb("sqlite", { sqliteFile: file });
    uncached = openDb({ kind: "sqlite", file }, { statementCache: false });
    const { pseudId } = await buildUser(h.db);
    for (const title of ["One", "Two", "Three", "Four"])
      ids.push((await buildWork(h.db, { pseudId, title })).workId);
  });
  after(async () => {
    await uncached.close();
    await h.close();
  });

  const stats = () => h.statementStats!();
  const titles = (db: DbHandle["db"], from: number) =>
    db
      .selectFrom("works")
      .select(["id", "title", "word_count"])
      .where("id", ">=", from)
      .orderBy("id")
      .execute();

  test("answers as compiling anew, compiling each SQL text once", async () => {
    assert.equal(uncached.statementStats, undefined);
    await titles(h.db, 0);
    const before = stats();
    for (const from of [0, ids[1]!, ids[3]!, 1e9])
      assert.deepEqual(await titles(h.db, from), await titles(uncached.db, from));
    assert.equal(stats().prepared, before.prepared);
    assert.equal(stats().reused, before.reused + 4);
  });

  test("transactions: begin, commit and rollback reused; a rollback leaves no trace", async () => {
    const rename = (db: DbHandle["db"], title: string) =>
      db.updateTable("works").set({ title }).where("id", "=", ids[0]!).execute();
    await h.db.transaction().execute((tx) => rename(tx, "One"));
    await assert.rejects(
      h.db.transaction().execute(async (tx) => {
        await rename(tx, "Uno");
        throw new Error("roll back");
      }),
    );
    const before = stats();
    for (const title of ["Eins", "One"]) {
      await h.db.transaction().execute((tx) => rename(tx, title));
      await assert.rejects(
        h.db.transaction().execute(async (tx) => {
          await rename(tx, "Uno");
          assert.equal((await titles(tx, ids[0]!))[0]?.title, "Uno");
          throw new Error("roll back");
        }),
      );
      assert.equal((await titles(h.db, ids[0]!))[0]?.title, title);
    }
    assert.equal(stats().prepared, before.prepared);
  });

  test("an error in mid-statement leaves the statement usable", async () => {
    // abs() of the smallest integer overflows when SQLite reaches that row, not before.
    const risky = (failAt: number) =>
      sql<{ id: number; x: number }>`select id, case when id = ${failAt}
        then abs(-9223372036854775808) else id end as x from works order by id`.execute(h.db);
    await risky(-1);
    const before = stats();
    await assert.rejects(risky(ids[2]!), /integer overflow/);
    assert.equal((await risky(-1)).rows.length, ids.length);
    // A write refused by a constraint, then the same statement succeeding.
    const insertTag = (name: string) =>
      sql`insert into kysely_cache_probe (name) values (${name})`.execute(h.db);
    await sql`create table kysely_cache_probe (name text primary key)`.execute(h.db);
    await insertTag("a");
    await assert.rejects(insertTag("a"), /UNIQUE/);
    await insertTag("b");
    assert.equal(stats().prepared, before.prepared + 2); // create table, insert
  });

  test("a stream left early, or failing, resets its statement for the next query", async () => {
    const stream = () => h.db.selectFrom("works").select("id").orderBy("id").stream();
    for await (const row of stream()) {
      assert.equal(row.id, ids[0]);
      break;
    }
    const before = stats();
    for await (const row of stream()) {
      assert.equal(row.id, ids[0]);
      break;
    }
    const all: number[] = [];
    for await (const row of stream()) all.push(row.id);
    assert.deepEqual(all, ids);
    await assert.rejects(async () => {
      for await (const row of stream()) if (row.id === ids[1]) throw new Error("reader gave up");
    }, /reader gave up/);
    assert.deepEqual(
      (await h.db.selectFrom("works").select("id").orderBy("id").execute()).map((r) => r.id),
      ids,
    );
    assert.equal(stats().prepared, before.prepared); // the same SQL text, streamed or not
  });
});

describe("cachingDatabase", () => {
  const open = (max?: number) => {
    const sqlite = new SQLite(":memory:");
    sqlite.exec("create table t (n integer); insert into t values (1), (2), (3)");
    return { sqlite, db: cachingDatabase(sqlite, max ? { max } : {}) };
  };

  test("a statement still being iterated is not handed out again", () => {
    const { db } = open();
    const text = "select n from t order by n";
    const outer = db.prepare(text).iterate([]);
    assert.deepEqual(outer.next().value, { n: 1 });
    const inner = db.prepare(text);
    assert.deepEqual(inner.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual([...outer], [{ n: 2 }, { n: 3 }]);
    assert.equal(db.stats().prepared, 2);
    db.prepare(text).all([]);
    assert.deepEqual(db.stats(), { prepared: 2, reused: 1, size: 1 });
  });

  test("bounded: the least recently used statement goes first", () => {
    const { db } = open(2);
    const a = "select 1 as a";
    const b = "select 2 as b";
    const c = "select 3 as c";
    for (const text of [a, b, a, c, a, b]) db.prepare(text).all([]);
    // a, b compiled; a reused; c evicts b; a reused; b compiled again (evicting c).
    assert.deepEqual(db.stats(), { prepared: 4, reused: 2, size: 2 });
  });

  test("long SQL texts are not kept; close closes the connection", () => {
    const { sqlite, db } = open();
    const long = `select '${"x".repeat(9000)}' as x`;
    db.prepare(long).all([]);
    db.prepare(long).all([]);
    assert.deepEqual(db.stats(), { prepared: 2, reused: 0, size: 0 });
    db.close();
    assert.equal(sqlite.open, false);
  });
});

describe("PostgreSQL named statements", () => {
  const url = process.env.FANFOLD_TEST_PG_URL;
  let h: DbHandle | undefined;
  let unnamed: DbHandle | undefined;
  before(async () => {
    if (!url) return;
    h = await openTestDb("postgres");
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(h.db)).rows[0]!
      .s;
    unnamed = openDb({ kind: "postgres", url, schema }, { namedStatements: false });
    const { pseudId } = await buildUser(h.db);
    for (const title of ["One", "Two", "Three"]) await buildWork(h.db, { pseudId, title });
  });
  after(async () => {
    await unnamed?.close();
    await h?.close();
  });

  test("the same answers as unnamed statements, each text named once", async (t) => {
    if (skipUnless(t, Boolean(url), "PostgreSQL tests need FANFOLD_TEST_PG_URL")) return;
    assert.equal(unnamed!.namedStatementStats, undefined);
    const titles = (db: DbHandle["db"], from: number) =>
      db.selectFrom("works").selectAll().where("id", ">=", from).orderBy("id").execute();
    await titles(h!.db, 0);
    const before = h!.namedStatementStats!();
    for (const from of [0, 2, 1e9]) {
      assert.deepEqual(await titles(h!.db, from), await titles(unnamed!.db, from));
      await h!.db.transaction().execute(async (tx) => {
        assert.deepEqual(await titles(tx, from), await titles(unnamed!.db, from));
      });
    }
    const now = h!.namedStatementStats!();
    assert.equal(now.named, before.named);
    assert.equal(now.namedCalls, before.namedCalls + 6);
  });

  test("a schema change under a prepared select * is survived", async (t) => {
    if (skipUnless(t, Boolean(url), "PostgreSQL tests need FANFOLD_TEST_PG_URL")) return;
    const db = h!.db;
    await sql`create table probe (a integer)`.execute(db);
    await sql`insert into probe values (1)`.execute(db);
    const all = () =>
      db
        .selectFrom("probe" as never)
        .selectAll()
        .execute();
    // Enough calls that every pooled connection has prepared it.
    await Promise.all(Array.from({ length: 20 }, all));
    await sql`alter table probe add column b text default 'x'`.execute(db);
    for (let i = 0; i < 20; i++) assert.deepEqual(await all(), [{ a: 1, b: "x" }]);
  });
});
