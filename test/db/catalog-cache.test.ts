/**
 * The search catalog's document cache against the database it is opened with: a damaged
 * file, another archive's file, or a file newer than a restored database is never used (one
 * log line says why) and the catalog starts with the same listings a database scan gives.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { sql } from "kysely";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { insertKudos } from "../../src/engagement/kudos/queries.ts";
import { bumpCounts } from "../../src/engagement/counters/queries.ts";
import type { BrowseQuery } from "../../src/search/index/browse-types.ts";
import { WorkCatalog } from "../../src/search/index/catalog.ts";
import { layout, rebuild, resign } from "../support/cache-file.ts";
import { describeEachEngine, openScratchDb, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { skipUnless } from "../support/skip.ts";

const pgUrl = process.env.FANFOLD_TEST_PG_URL;

const BASE: BrowseQuery = {
  include: [],
  exclude: [],
  sort: "revised",
  descending: true,
  page: 1,
  pageSize: 50,
  facets: true,
};
/** Listings that read every column the cache holds. */
const LISTINGS: [Partial<BrowseQuery>, boolean][] = [
  [{}, true],
  [{}, false],
  [{ sort: "kudos" }, true],
  [{ kudos: { min: 2 } }, true],
  [{ sort: "hits", descending: false }, true],
  [{ sort: "title", descending: false }, true],
  [{ sort: "creator", descending: false }, false],
  [{ sort: "published" }, true],
  [{ sort: "words" }, true],
  [{ language: "fr" }, true],
  [{ complete: true }, true],
  [{ crossover: "only" }, true],
  [{ singleChapter: true }, true],
];

async function listings(catalog: WorkCatalog) {
  const out = [];
  for (const [q, loggedIn] of LISTINGS) out.push(await catalog.search({ ...BASE, ...q }, loggedIn));
  return out;
}

/** What a fresh scan of the database lists (no cache involved). */
async function scanned(h: DbHandle, engine: Engine) {
  const fresh = await WorkCatalog.open(h.db, engine);
  const out = await listings(fresh);
  await fresh.close();
  return out;
}

/** A small archive whose works differ in every column the cache holds. */
async function corpus(h: DbHandle) {
  const a = await buildUser(h.db);
  const b = await buildUser(h.db);
  const works = [
    await buildWork(h.db, { pseudId: a.pseudId, title: "Éclair", freeforms: "Fluff, Angst" }),
    await buildWork(h.db, {
      pseudId: b.pseudId,
      title: "Bridges",
      language: "fr",
      restricted: "1",
      fandoms: "F1, F2",
    }),
    await buildWork(h.db, {
      pseudId: a.pseudId,
      title: "Zebra",
      complete: "1",
      freeforms: "Fluff",
    }),
    await buildWork(h.db, { pseudId: b.pseudId, title: "Anchor", text: "word ".repeat(300) }),
  ];
  const ids = works.map((w) => w.workId);
  for (let k = 0; k < 3; k++) await insertKudos(h.db, ids[0]!, { guestKey: `a${k}` }, Date.now());
  await insertKudos(h.db, ids[1]!, { guestKey: "b" }, Date.now());
  await bumpCounts(h.db, { workId: ids[3]! }, { hits: 7, comments: 2, bookmarks: 1 }, Date.now());
  return ids;
}

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: (m: string) => lines.push(m),
    notUsed: () => lines.filter((l) => l.includes("not used")),
  };
}

function flip(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0x5a;
  return out;
}

/** Deterministic "random" bytes. */
function noise(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Every way of damaging a good cache file the review named, by name. */
function damages(good: Buffer): Record<string, Buffer> {
  const l = layout(good);
  const out: Record<string, Buffer> = {
    "a byte of the first line flipped": flip(good, 2),
    "the format number changed": flip(good, good.indexOf(" ") + 1),
    "a byte of the checksum flipped": flip(good, l.headerStart - 10),
    "a header byte flipped": flip(good, l.headerStart + 5),
    "a header digit changed": (() => {
      const at = good.indexOf('"works":', l.headerStart) + 8;
      const out = Buffer.from(good);
      out[at] = out[at] === 0x39 ? 0x31 : out[at]! + 1;
      return out;
    })(),
    "cut short by a byte": good.subarray(0, good.length - 1),
    "cut in half": good.subarray(0, good.length >> 1),
    "cut inside the first line": good.subarray(0, 10),
    empty: Buffer.alloc(0),
    "a byte appended": Buffer.concat([good, Buffer.from([0])]),
    "a page appended": Buffer.concat([good, noise(4096, 1)]),
    "not a cache at all": noise(good.length, 2),
    "the previous version's file (format 1)": Buffer.from(
      `${JSON.stringify({ magic: "fanfold-browse-docs", format: 1, mark: l.header.mark, works: 0 })}\n`,
    ),
    "the same length, other values (two works' kudos swapped)": (() => {
      const out = Buffer.from(good);
      const at = l.columns.kudos;
      const first = out.readInt32LE(at);
      out.writeInt32LE(out.readInt32LE(at + 4), at);
      out.writeInt32LE(first, at + 4);
      assert.notDeepEqual(out, good, "the corpus has works with different kudos");
      return out;
    })(),
    // With the checksum recomputed: the structural checks alone must catch these.
    "re-signed: more works than the file holds": resign(
      rebuild(good, { ...l.header, works: l.header.works + 1 }),
    ),
    "re-signed: a huge length": resign(rebuild(good, { ...l.header, tags: 2 ** 31 - 1 })),
    "re-signed: a length of the wrong type": resign(rebuild(good, { ...l.header, works: "4" })),
    "re-signed: no position": resign(rebuild(good, { ...l.header, mark: null })),
    "re-signed: a language code out of range": (() => {
      const out = Buffer.from(good);
      out.writeUInt16LE(999, l.columns.lang);
      return resign(out);
    })(),
    "re-signed: a tag id out of range": (() => {
      const out = Buffer.from(good);
      out.writeInt32LE(-3, l.columns.tags);
      return resign(out);
    })(),
    "re-signed: offsets not monotonic": (() => {
      const out = Buffer.from(good);
      out.writeInt32LE(l.header.tags + 1, l.columns.tagEnds);
      return resign(out);
    })(),
  };
  for (const [name, at] of Object.entries(l.columns)) {
    const bytes = Buffer.from(good);
    noise(Math.min(8, l.lengths[name]!), at).copy(bytes, at);
    if (bytes.equals(good)) bytes[at] = bytes[at]! ^ 0xff; // never a no-op
    out[`random bytes in the ${name} column`] = bytes;
  }
  return out;
}

describeEachEngine("search index cache", (engine) => {
  test("a damaged cache is discarded with one log line; listings equal a database scan", async () => {
    const h = await openTestDb(engine);
    const cacheFile = join(mkdtempSync(join(tmpdir(), "fanfold-cache-")), "docs.bin");
    try {
      await corpus(h);
      const first = await WorkCatalog.open(h.db, engine, { cacheFile });
      await first.close();
      const good = readFileSync(cacheFile);
      const want = await scanned(h, engine);
      const check = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(check.stats.source, "cache", "the undamaged file is used");
      assert.deepEqual(await listings(check), want);
      await check.close();

      for (const [name, bytes] of Object.entries(damages(good))) {
        writeFileSync(cacheFile, bytes);
        const r = recorder();
        const catalog = await WorkCatalog.open(h.db, engine, { cacheFile, log: r.log });
        assert.equal(catalog.stats.source, "database", name);
        assert.equal(r.notUsed().length, 1, `${name}: one line says why (${r.lines.join(" | ")})`);
        assert.deepEqual(await listings(catalog), want, name);
        await catalog.close();
      }
      // The scan wrote a good cache again.
      const after = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(after.stats.source, "cache");
      await after.close();
    } finally {
      await h.close();
    }
  });

  test("a cache from another archive is discarded", async () => {
    const h = await openTestDb(engine);
    const cacheFile = join(mkdtempSync(join(tmpdir(), "fanfold-cache-")), "docs.bin");
    try {
      await corpus(h);
      await (await WorkCatalog.open(h.db, engine, { cacheFile })).close();
      // Another archive whose log happens to hold the same position: only its id differs.
      await h.db.updateTable("archive").set({ id: "another-archive" }).execute();
      const r = recorder();
      const catalog = await WorkCatalog.open(h.db, engine, { cacheFile, log: r.log });
      assert.equal(catalog.stats.source, "database");
      assert.equal(r.notUsed().length, 1);
      assert.match(r.notUsed()[0]!, /another archive/);
      await catalog.close();
      // Written again for this archive: used next time.
      const again = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(again.stats.source, "cache");
      await again.close();
    } finally {
      await h.close();
    }
  });

  test("a backup restored over a newer database never gets the newer cache", async (t) => {
    const backup = engine === "sqlite" ? sqliteBackup() : await postgresBackup(t);
    if (!backup) return;
    let h = await backup.open();
    const cacheFile = join(backup.dir, "docs.bin");
    try {
      const [a, b, c] = await corpus(h);
      await (await WorkCatalog.open(h.db, engine, { cacheFile })).close();
      const snapshot = await backup.take(h);

      // After the backup: readers leave kudos on another work; the cache is saved again.
      for (let k = 0; k < 6; k++) await insertKudos(h.db, c!, { guestKey: `late${k}` }, Date.now());
      const newer = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(newer.stats.source, "cache");
      const byKudos = async (cat: WorkCatalog) =>
        (await cat.search({ ...BASE, sort: "kudos" }, true)).ids.slice(0, 2);
      assert.deepEqual(await byKudos(newer), [c, a]);
      await newer.close();

      h = await backup.restore(h, snapshot);
      const r = recorder();
      const restored = await WorkCatalog.open(h.db, engine, { cacheFile, log: r.log });
      assert.equal(restored.stats.source, "database", r.lines.join(" | "));
      assert.equal(r.notUsed().length, 1);
      assert.deepEqual(await byKudos(restored), [a, b], "kudos sort as the restored database");
      assert.deepEqual(
        (await restored.search({ ...BASE, kudos: { min: 4 } }, true)).ids,
        [],
        "kudos_from as the restored database",
      );
      assert.deepEqual(await listings(restored), await scanned(h, engine));
      await restored.close();
    } finally {
      await h.close();
      await backup.done();
    }
  });
});

interface Backup {
  dir: string;
  open(): Promise<DbHandle>;
  take(h: DbHandle): Promise<string>;
  /** Restores into the same database, as an administrator would; returns it reopened. */
  restore(h: DbHandle, snapshot: string): Promise<DbHandle>;
  done(): Promise<void>;
}

/** SQLite: the file backed up with VACUUM INTO, copied back over the database file. */
function sqliteBackup(): Backup {
  const dir = mkdtempSync(join(tmpdir(), "fanfold-restore-"));
  const file = join(dir, "fanfold.db");
  const open = () => openScratchDb("sqlite", { sqliteFile: file });
  return {
    dir,
    open,
    async take(h) {
      const to = join(dir, "backup.db");
      await sql`vacuum into ${sql.lit(to)}`.execute(h.db);
      return to;
    },
    async restore(h, snapshot) {
      await h.close();
      for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
      copyFileSync(snapshot, file);
      return open();
    },
    async done() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL: pg_dump of the schema's data, restored into the emptied tables with psql. */
async function postgresBackup(t: TestContext): Promise<Backup | null> {
  let tools = true;
  try {
    execFileSync("pg_dump", ["--version"]);
    execFileSync("psql", ["--version"]);
  } catch {
    tools = false;
  }
  if (skipUnless(t, tools, "the PostgreSQL restore test needs pg_dump and psql")) return null;
  const url = pgUrl!;
  const dir = mkdtempSync(join(tmpdir(), "fanfold-restore-"));
  const schemaOf = async (h: DbHandle) =>
    (await sql<{ s: string }>`select current_schema() as s`.execute(h.db)).rows[0]!.s;
  return {
    dir,
    open: () => openTestDb("postgres"),
    async take(h) {
      const schema = await schemaOf(h);
      const out = join(dir, "backup.sql");
      execFileSync(
        "pg_dump",
        ["--data-only", "--disable-triggers", `--schema=${schema}`, `--file=${out}`, url],
        { stdio: "pipe" },
      ); // its warnings about circular keys are what --disable-triggers is for
      return out;
    },
    async restore(h, snapshot) {
      const schema = await schemaOf(h);
      const tables = await sql<{ t: string }>`
        select table_name as t from information_schema.tables
        where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(h.db);
      await sql
        .raw(
          `truncate ${tables.rows.map((r) => `"${schema}"."${r.t}"`).join(", ")} restart identity cascade`,
        )
        .execute(h.db);
      execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", `--file=${snapshot}`, url], {
        stdio: "pipe",
      });
      return h;
    },
    async done() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
