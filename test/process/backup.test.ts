/**
 * `fanfold backup` / `fanfold restore` (src/core/backup/): the real CLI backs up an archive
 * while the app writes to it (works, chapters, comments in a loop); the backup restores into a
 * fresh data directory or database with every table's digest equal to the manifest's (taken
 * from the backup's own snapshot); the restored rows are consistent (no torn writes); the
 * restored archive starts and, from a backup taken at a quiet moment, serves the source's
 * listings. Then the refusals: a target that is not empty, a damaged member, a format version
 * from elsewhere, another engine, a missing pg_dump.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { buildApp } from "../../src/app.ts";
import {
  BackupError,
  createBackup,
  readManifest,
  restoreBackup,
} from "../../src/core/backup/backup.ts";
import { FORMAT_VERSION, MANIFEST, MANIFEST_SUM } from "../../src/core/backup/manifest.ts";
import {
  postgresSummary,
  postgresTarget,
  sqliteIsEmpty,
  sqliteSummary,
  type DatabaseSummary,
} from "../../src/core/backup/snapshot-queries.ts";
import { TarReader, TarWriter, type TarMember } from "../../src/core/backup/tar.ts";
import { loadConfig, type Config } from "../../src/core/config.ts";
import { migrateToLatest, openDb, type DbHandle, type Engine } from "../../src/core/db/index.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import type { AppDeps } from "../../src/core/http/route.tsx";
import type { WorkCatalog } from "../../src/search/index/catalog.ts";
import { ensureFixedTags } from "../../src/tags/queries.ts";
import { Client, workForm, workIdFrom } from "../support/app.ts";
import { describeEachEngine, openScratchDb } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";

const root = new URL("../..", import.meta.url).pathname;
const pgUrl = process.env.FANFOLD_TEST_PG_URL;
const scratch = mkdtempSync(join(tmpdir(), "fanfold-backup-test-"));

/** A data directory (and on PostgreSQL a database of its own): where an archive lives. */
interface Place {
  dataDir: string;
  databaseUrl?: string;
  config: Config;
}

const dropDatabases: string[] = [];

async function pgAdmin<T>(body: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

async function newPlace(engine: Engine): Promise<Place> {
  const dataDir = mkdtempSync(join(scratch, "data-"));
  let databaseUrl: string | undefined;
  if (engine === "postgres") {
    const name = `fanfold_bk_${randomBytes(5).toString("hex")}`;
    await pgAdmin((c) => c.query(`create database ${name}`));
    dropDatabases.push(name);
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    FANFOLD_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    LOG_LEVEL: "silent",
    FANFOLD_DEMO: "false",
    FANFOLD_LIMIT_COMMENTS: "100000/1m",
  });
  return { dataDir, config, ...(databaseUrl ? { databaseUrl } : {}) };
}

interface Running {
  app: Awaited<ReturnType<typeof buildApp>>;
  handle: DbHandle;
  catalog: WorkCatalog;
  close(): Promise<void>;
}

/** The archive at `place`, served in this process as the server would (jobs left queued). */
async function serve(place: Place): Promise<Running> {
  const handle = openDb(place.config.database);
  await migrateToLatest(handle.db);
  await ensureFixedTags(handle.db, Date.now());
  const config = { ...place.config, passwordHashCost: { memoryCost: 256, timeCost: 1 } };
  const deps: AppDeps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(() => Date.now()),
    now: () => Date.now(),
  };
  const services: { catalog?: WorkCatalog } = {};
  const app = await buildApp(deps, { logger: false, services, jobs: "manual" });
  await app.ready();
  return {
    app,
    handle,
    catalog: services.catalog!,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

/** Runs the real CLI against `place`; answers its exit code and output. */
function cli(place: Place, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FANFOLD_DATA_DIR: place.dataDir,
    LOG_LEVEL: "silent",
  };
  delete env.FANFOLD_SECRET;
  if (place.databaseUrl) env.DATABASE_URL = place.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

function summaryOf(place: Place): Promise<DatabaseSummary> {
  const db = place.config.database;
  return db.kind === "sqlite" ? Promise.resolve(sqliteSummary(db.file)) : postgresSummary(db.url);
}

async function isEmpty(place: Place): Promise<boolean> {
  const db = place.config.database;
  return db.kind === "sqlite"
    ? sqliteIsEmpty(db.file)
    : (await postgresTarget(db.url)).tables.length === 0;
}

/** Works, chapters and comments, posted through the app until told to stop. */
function writeLoad(app: Running["app"], author: Client, fan: Client) {
  let stop = false;
  const counts = { works: 0, chapters: 0, comments: 0 };
  const failures: string[] = [];
  const ids: number[] = [];
  const expect303 = (what: string, res: { statusCode: number; body: string }) => {
    if (res.statusCode !== 303)
      failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.statusCode === 303;
  };
  const done = (async () => {
    for (let i = 1; !stop; i++) {
      const posted = await author.post(
        "/works",
        workForm({ title: `Load ${i}`, text: `The fog came in at dusk, night ${i}.` }),
      );
      if (expect303("work", posted)) {
        ids.push(workIdFrom(posted.headers.location));
        counts.works += 1;
      }
      const some = ids[(i * 7919) % ids.length];
      if (some === undefined) continue;
      const chapter = await author.post(`/works/${some}/chapters`, {
        chapter_title: `Part ${i}`,
        text: `The lamp came on, ${i} times.`,
        action: "post",
      });
      if (expect303("chapter", chapter)) counts.chapters += 1;
      const comment = await fan.post(`/works/${ids[ids.length - 1]}/comments`, {
        comment_content: `Lovely fog, number ${i}.`,
      });
      if (expect303("comment", comment)) counts.comments += 1;
    }
  })();
  return {
    counts,
    failures,
    async stop() {
      stop = true;
      await done;
    },
  };
}

/** Invariants that a torn write (half a command's rows) would break. */
async function assertConsistent(handle: DbHandle) {
  const db = handle.db;
  const works = await db
    .selectFrom("works")
    .select(["id", "chapter_count", "word_count", "posted"])
    .execute();
  assert.ok(works.length > 0, "the restored archive has works");
  const chapters = await db
    .selectFrom("chapters")
    .select(["work_id", "posted", "word_count"])
    .execute();
  const creators = new Set(
    (await db.selectFrom("creatorships").select("work_id").execute()).map((r) => r.work_id),
  );
  const changed = new Set(
    (await db.selectFrom("changes").select("entity_id").where("entity", "=", "work").execute()).map(
      (r) => r.entity_id,
    ),
  );
  const jobs = await db.selectFrom("jobs").select(["kind", "payload"]).execute();
  const announced = new Set(
    jobs
      .filter((j) => j.kind === "work.posted")
      .map((j) => (JSON.parse(j.payload) as { workId: number }).workId),
  );
  const chapterJobs = new Map<number, number>();
  for (const j of jobs.filter((j) => j.kind === "chapter.posted")) {
    const id = (JSON.parse(j.payload) as { workId: number }).workId;
    chapterJobs.set(id, (chapterJobs.get(id) ?? 0) + 1);
  }
  for (const w of works) {
    const own = chapters.filter((c) => c.work_id === w.id && c.posted === 1);
    assert.ok(own.length >= 1, `work ${w.id} has its chapters`);
    assert.equal(w.chapter_count, own.length, `work ${w.id}: chapter_count agrees`);
    assert.equal(
      w.word_count,
      own.reduce((n, c) => n + c.word_count, 0),
      `work ${w.id}: words`,
    );
    assert.ok(creators.has(w.id), `work ${w.id} has its creator`);
    assert.ok(changed.has(w.id), `work ${w.id} is in the change log`);
    assert.ok(announced.has(w.id), `work ${w.id}'s announcement is queued`);
    assert.equal(chapterJobs.get(w.id) ?? 0, own.length - 1, `work ${w.id}: chapter announcements`);
  }
  // The counters agree with the rows they count, a daily breakdown with its total.
  const comments = await db
    .selectFrom("comments")
    .select(["work_id"])
    .where("status", "=", "published")
    .where("deleted", "=", 0)
    .execute();
  const stats = new Map(
    (await db.selectFrom("work_stats").select(["work_id", "comments"]).execute()).map((s) => [
      s.work_id,
      s.comments,
    ]),
  );
  const daily = await db
    .selectFrom("work_daily_stats")
    .select(["work_id", "comments"])
    .where("chapter_id", "=", 0)
    .execute();
  for (const w of works) {
    const n = comments.filter((c) => c.work_id === w.id).length;
    assert.equal(stats.get(w.id) ?? 0, n, `work ${w.id}: the comment counter agrees`);
    const days = daily.filter((d) => d.work_id === w.id).reduce((s, d) => s + d.comments, 0);
    assert.equal(days, n, `work ${w.id}: the daily comment counts agree`);
  }
  assert.ok(comments.length > 0, "comments were restored");
}

/** A listing page without what changes per request or per process (form tokens, asset versions). */
async function listing(app: Running["app"], path: string): Promise<string> {
  const res = await new Client(app, "10.9.9.9").get(path);
  assert.equal(res.statusCode, 200, path);
  return (
    res.body
      .replace(/name="(_csrf|_nonce|nonce)" value="[^"]*"/g, 'name="$1" value=""')
      .replace(/nonce="[^"]*"/g, 'nonce=""')
      // Asset versions hash the files when each app starts (not the archive's content).
      .replace(/\?v=[0-9a-f]+/g, "?v=")
  );
}

const PATHS = ["/works", "/works?sort=kudos", "/works?sort=title&page=2", "/works?sort=comments"];

/** Rewrites a backup with its manifest changed (and a matching checksum). */
async function rewriteManifest(
  from: string,
  to: string,
  change: (m: Record<string, unknown>) => void,
  opts: { staleSum?: boolean } = {},
) {
  const reader = await TarReader.open(from);
  const writer = new TarWriter(to);
  try {
    for await (const m of reader.members()) {
      const data = await reader.readBuffer(m);
      if (m.name === MANIFEST_SUM) {
        // The original checksum, kept for an edited manifest (else one that matches it).
        if (opts.staleSum) await writer.addBuffer(m.name, data);
      } else if (m.name === MANIFEST) {
        const json = JSON.parse(data.toString()) as Record<string, unknown>;
        change(json);
        const edited = Buffer.from(JSON.stringify(json));
        await writer.addBuffer(m.name, edited);
        if (!opts.staleSum)
          await writer.addBuffer(
            MANIFEST_SUM,
            Buffer.from(createHash("sha256").update(edited).digest("hex")),
          );
      } else await writer.addBuffer(m.name, data);
    }
    await writer.finish();
  } finally {
    await reader.close();
  }
}

after(async () => {
  if (pgUrl)
    for (const name of dropDatabases)
      await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
  rmSync(scratch, { recursive: true, force: true });
});

describeEachEngine("backup and restore", (engine) => {
  let source: Place;
  let running: Running;
  let quiet: string;

  before(async () => {
    source = await newPlace(engine);
    running = await serve(source);
    // A stored file a backup must carry, and a cache it must leave out.
    mkdirSync(join(source.dataDir, "exports"));
    writeFileSync(join(source.dataDir, "exports", "export-1.zip"), "PK fake");
    writeFileSync(join(source.dataDir, "search-docs-0123456789abcdef.bin"), "x");
    quiet = join(scratch, `quiet-${engine}.tar`);
  });
  after(async () => {
    await running?.close();
  });

  test("a backup taken under write load restores whole and consistent", async () => {
    const a = await buildUser(running.handle.db, { login: `author_${engine}` });
    const f = await buildUser(running.handle.db, { login: `fan_${engine}` });
    const author = new Client(running.app);
    const fan = new Client(running.app);
    assert.equal((await author.logIn(a.login, "factory password")).statusCode, 303);
    assert.equal((await fan.logIn(f.login, "factory password")).statusCode, 303);

    const load = writeLoad(running.app, author, fan);
    while (load.counts.works < 20 && load.failures.length === 0)
      await new Promise((r) => setTimeout(r, 20));
    const file = join(scratch, `loaded-${engine}.tar`);
    const worksBefore = load.counts.works;
    const backup = await cli(source, ["backup", file]);
    const worksAfter = load.counts.works;
    await load.stop();
    assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    assert.deepEqual(load.failures, []);
    assert.ok(worksAfter > worksBefore, "the app kept writing while the backup ran");
    assert.match(
      backup.stderr,
      engine === "sqlite" ? /database 100% \(\d+ pages\)/ : /table works \(\d+ of \d+\)/,
    );

    const manifest = await readManifest(file);
    assert.equal(manifest.engine, engine);
    assert.equal(manifest.secret, "file");
    const paths = manifest.members.map((m) => m.path);
    assert.ok(
      paths.includes("files/secret") && paths.includes("files/exports/export-1.zip"),
      paths.join(),
    );
    assert.ok(!paths.some((p) => p.includes("search-docs")), "the rebuildable cache is left out");
    const backedUp = manifest.tables.works!.rows;
    assert.ok(
      backedUp >= worksBefore && backedUp <= worksAfter,
      `${worksBefore} ≤ ${backedUp} ≤ ${worksAfter}`,
    );

    // Restored by the CLI into a fresh place: every table's digest is the backup's own.
    const copy = await newPlace(engine);
    const restored = await cli(copy, ["restore", file]);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    const summary = await summaryOf(copy);
    assert.deepEqual(summary.tables, manifest.tables);
    assert.equal(summary.archiveId, manifest.archiveId);
    assert.equal(
      readFileSync(join(copy.dataDir, "secret"), "utf8"),
      readFileSync(join(source.dataDir, "secret"), "utf8"),
    );
    assert.equal(readFileSync(join(copy.dataDir, "exports", "export-1.zip"), "utf8"), "PK fake");

    const served = await serve(copy);
    try {
      await assertConsistent(served.handle);
      const last = (
        await served.handle.db
          .selectFrom("works")
          .select("id")
          .orderBy("id", "desc")
          .executeTakeFirstOrThrow()
      ).id;
      const page = await new Client(served.app).get(`/works/${last}`);
      assert.equal(page.statusCode, 200);
    } finally {
      await served.close();
    }
  });

  test("a backup at a quiet moment serves the same listings once restored", async () => {
    await running.catalog.catchUp();
    const expected = [];
    for (const path of PATHS) expected.push(await listing(running.app, path));
    assert.match(expected[0]!, /Load \d+/);
    const made = await createBackup(source.config, quiet);
    assert.ok(made.bytes > 0);
    const copy = await newPlace(engine);
    await restoreBackup(copy.config, quiet);
    assert.deepEqual((await summaryOf(copy)).tables, made.manifest.tables);
    const served = await serve(copy);
    try {
      for (const [i, path] of PATHS.entries()) {
        const got = await listing(served.app, path);
        let at = 0;
        while (at < got.length && got[at] === expected[i]![at]) at++;
        assert.equal(
          got,
          expected[i],
          `${path} differs at: ${got.slice(at - 200, at + 200)}\n---\n${expected[i]!.slice(at - 200, at + 200)}`,
        );
      }
    } finally {
      await served.close();
    }
  });

  test("refused: a target that is not empty, a damaged file, another format, another engine", async () => {
    // The source itself is not empty.
    await assert.rejects(restoreBackup(source.config, quiet), (err: Error) => {
      assert.ok(err instanceof BackupError);
      assert.match(err.message, engine === "sqlite" ? /already holds a database/ : /is not empty/);
      return true;
    });

    const empty = await newPlace(engine);
    // One byte flipped inside the database member: the member is named, nothing is written.
    const damaged = join(scratch, `damaged-${engine}.tar`);
    copyFileSync(quiet, damaged);
    const reader = await TarReader.open(damaged);
    let db: TarMember | undefined;
    for await (const m of reader.members()) if (m.name.startsWith("database/")) db = m;
    await reader.close();
    assert.ok(db);
    const fh = await open(damaged, "r+");
    const at = db.offset + Math.floor(db.size / 2);
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await fh.write(byte, 0, 1, at);
    await fh.close();
    const named = new RegExp(`${db.name.replace(/\./g, "\\.")} does not match its checksum`);
    await assert.rejects(restoreBackup(empty.config, damaged), named);
    assert.ok(await isEmpty(empty), "a damaged backup leaves the target empty");
    assert.ok(!existsSync(join(empty.dataDir, "exports")));

    // A manifest of another format version (with a checksum that matches it).
    const future = join(scratch, `future-${engine}.tar`);
    await rewriteManifest(quiet, future, (m) => (m.version = FORMAT_VERSION + 1));
    await assert.rejects(
      restoreBackup(empty.config, future),
      /format version 2; this Fanfold reads version 1 \(restore it with a newer Fanfold\)/,
    );
    // An edited manifest without a matching checksum.
    const edited = join(scratch, `edited-${engine}.tar`);
    await rewriteManifest(quiet, edited, (m) => (m.archiveId = "someone else"), {
      staleSum: true,
    });
    await assert.rejects(
      restoreBackup(empty.config, edited),
      /manifest\.json does not match its checksum/,
    );

    // Another engine: refused before the target is looked at.
    const other = loadConfig({
      FANFOLD_DATA_DIR: join(scratch, "never-made"),
      ...(engine === "sqlite" ? { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" } : {}),
      FANFOLD_SECRET: "x".repeat(40),
    });
    await assert.rejects(restoreBackup(other, quiet), /across engines is not supported/);
    assert.ok(!existsSync(join(scratch, "never-made")));
    assert.ok(await isEmpty(empty));

    // An existing backup file is never overwritten.
    await assert.rejects(createBackup(source.config, quiet), /already exists/);
    if (engine === "postgres") {
      await assert.rejects(
        createBackup(source.config, join(scratch, "no-tool.tar"), {
          pgDump: "/nonexistent/pg_dump",
        }),
        /pg_dump was not found .*postgresql-client/,
      );
      assert.ok(!existsSync(join(scratch, "no-tool.tar")));
    }
  });
});

test("a backup from an older schema is migrated on restore", async () => {
  const old = await newPlace("sqlite");
  const older = "2026-12-07T1000-text-follower-cursor";
  const handle = await openScratchDb("sqlite", {
    sqliteFile: (old.config.database as { file: string }).file,
    migrateTo: older,
  });
  await handle.close();
  const file = join(scratch, "older.tar");
  const { manifest } = await createBackup(old.config, file);
  assert.equal(manifest.migration, older);
  const copy = await newPlace("sqlite");
  const { migrations } = await restoreBackup(copy.config, file);
  assert.ok(migrations.includes("2026-12-07T1100-community"), migrations.join());
  assert.equal((await summaryOf(copy)).migration, migrations.at(-1));
});
