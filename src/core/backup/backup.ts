/**
 * `fanfold backup FILE` and `fanfold restore FILE`: one tar for both engines (manifest.ts).
 *
 * A backup holds the database as one consistent state (SQLite's online backup; pg_dump in an
 * exported snapshot), a digest of every table taken from that same state, the secret and the
 * files in the data directory that cannot be rebuilt. The browse index's document cache
 * (`search-docs-*.bin`) is left out: the server rebuilds it at start.
 *
 * A restore checks the whole file first (format version, every member's SHA-256, the engine,
 * an empty target), then restores the database, compares every table's digest with the
 * manifest, puts the files back and migrates (a backup from an older Fanfold upgrades).
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { migrateToLatest, openDb } from "../db/index.ts";
import {
  FILES_PREFIX,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  MANIFEST_SUM,
  Manifest,
  ManifestHead,
  POSTGRES_MEMBER,
  SQLITE_MEMBER,
  type ManifestMember,
  type TableSummary,
} from "./manifest.ts";
import {
  dumpPostgres,
  findTool,
  majorOf,
  restorePostgres,
  ToolError,
  type Tool,
} from "./postgres.ts";
import {
  postgresSummary,
  postgresTarget,
  PostgresSnapshot,
  sqliteIsEmpty,
  sqliteSummary,
  type DatabaseSummary,
} from "./snapshot-queries.ts";
import { copySqlite, gunzipFile, gzipFile, type Log } from "./sqlite.ts";
import { TarError, TarReader, TarWriter, type TarMember } from "./tar.ts";

/** A refusal or failure to show the operator as it is (no stack trace). */
export class BackupError extends Error {}

export interface BackupConfig {
  dataDir: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  secret: string;
}

export interface BackupOptions {
  /** Progress lines (the CLI writes them to stderr). */
  log?: Log;
  /** The PostgreSQL client tools (default: found on PATH). */
  pgDump?: string;
  pgRestore?: string;
}

const quiet: Log = () => undefined;

/**
 * Files in the data directory a backup leaves out: the live database (copied its own way),
 * rebuildable caches, and half-written files. Everything else (the secret, `exports/`, files
 * later features keep there) goes in.
 */
function leftOut(rel: string): boolean {
  const top = rel.split(sep)[0]!;
  return (
    /^fanfold\.db(-wal|-shm|-journal)?$/.test(rel) ||
    /^search-docs-.*\.bin(\.tmp)?$/.test(rel) ||
    top.startsWith(".fanfold-backup-") ||
    top.startsWith(".fanfold-restore-") ||
    // Files still being written (data exports build into `<name>.part`, then rename).
    rel.endsWith(".partial") ||
    rel.endsWith(".part")
  );
}

async function dataFiles(dataDir: string, skip: Set<string>, log: Log) {
  const found: { rel: string; path: string; size: number }[] = [];
  async function walk(dir: string) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const rel = relative(dataDir, path);
      if (leftOut(rel) || skip.has(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push({ rel, path, size: (await stat(path)).size });
      else log(`backup: left out ${rel} (not a regular file)`);
    }
  }
  await walk(dataDir);
  return found;
}

const memberPath = (rel: string) => FILES_PREFIX + rel.split(sep).join("/");

/** Makes a backup of the configured archive into `file` (which must not exist yet). */
export async function createBackup(
  config: BackupConfig,
  file: string,
  opts: BackupOptions = {},
): Promise<{ manifest: Manifest; bytes: number }> {
  const log = opts.log ?? quiet;
  const out = resolve(file);
  if (existsSync(out)) throw new BackupError(`${out} already exists; choose another name.`);
  if (!existsSync(dirname(out))) throw new BackupError(`There is no folder ${dirname(out)}.`);
  const partial = `${out}.${randomBytes(4).toString("hex")}.partial`;
  const staging = await mkdtemp(join(dirname(out), ".fanfold-backup-"));
  const tar = new TarWriter(partial);
  const members: ManifestMember[] = [];
  const notes: string[] = [
    "The browse index's document cache (search-docs-*.bin) is not included: the server rebuilds it at start.",
  ];
  try {
    // ── the database ──
    let summary: DatabaseSummary;
    let member: string;
    let tool: string;
    let bytes: number;
    let dbFile: string;
    if (config.database.kind === "sqlite") {
      const source = config.database.file;
      if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
      const copy = join(staging, "fanfold.db");
      const { restarts } = await copySqlite(source, copy, log);
      if (restarts > 0)
        notes.push(`The online copy started again ${restarts} time(s) under writes.`);
      log("backup: digesting tables");
      summary = sqliteSummary(copy);
      bytes = (await stat(copy)).size;
      log("backup: compressing the database");
      dbFile = join(staging, "fanfold.db.gz");
      await gzipFile(copy, dbFile);
      await rm(copy);
      member = SQLITE_MEMBER;
      tool = "SQLite online backup API, gzip";
    } else {
      const url = config.database.url;
      const pgDump = await findTool("pg_dump", opts.pgDump ?? "pg_dump");
      const snapshot = await PostgresSnapshot.open(url).catch((err: unknown) => {
        throw new BackupError(`Cannot connect to DATABASE_URL: ${(err as Error).message}`);
      });
      try {
        const server = await snapshot.serverMajor();
        if (pgDump.major < server)
          throw new BackupError(
            `${pgDump.version} cannot dump a PostgreSQL ${server} server: install postgresql-client-${server}.`,
          );
        const id = await snapshot.export();
        dbFile = join(staging, "fanfold.pgdump");
        // pg_dump and the digests read the same snapshot, side by side.
        const count = await snapshot.tableCount();
        const digests = snapshot.summary();
        digests.catch(() => undefined); // awaited below; pg_dump's failure may come first
        await dumpPostgres(pgDump, url, id, dbFile, count, log);
        log("backup: digesting tables");
        summary = await digests;
      } finally {
        await snapshot.close();
      }
      bytes = (await stat(dbFile)).size;
      member = POSTGRES_MEMBER;
      tool = pgDump.version;
    }
    const dbSize = (await stat(dbFile)).size;
    log(`backup: writing ${basename(out)}`);
    members.push({ path: member, size: dbSize, sha256: await tar.addFile(member, dbFile, dbSize) });
    await rm(dbFile);

    // ── the secret and stored files ──
    const secretFile = join(config.dataDir, "secret");
    const secretInFile =
      existsSync(secretFile) && (await readFile(secretFile, "utf8")).trim() === config.secret;
    if (!secretInFile)
      notes.push(
        "The secret comes from FANFOLD_SECRET in the environment, which is in no file: set the same FANFOLD_SECRET where this backup is restored.",
      );
    const files = await dataFiles(config.dataDir, new Set([out, partial, staging]), log);
    let fileBytes = 0;
    for (const f of files) {
      const path = memberPath(f.rel);
      members.push({ path, size: f.size, sha256: await tar.addFile(path, f.path, f.size) });
      fileBytes += f.size;
    }
    log(`backup: ${files.length} file(s) from the data directory (${fileBytes} bytes)`);

    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      engine: config.database.kind,
      archiveId: summary.archiveId,
      migration: summary.migration,
      createdAt: new Date().toISOString(),
      database: { member, tool, bytes },
      secret: secretInFile ? "file" : "environment",
      tables: summary.tables,
      members,
      notes,
    };
    const json = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
    await tar.addBuffer(MANIFEST, json);
    await tar.addBuffer(MANIFEST_SUM, Buffer.from(sha256(json) + "\n"));
    await tar.finish();
    await rename(partial, out);
    return { manifest, bytes: (await stat(out)).size };
  } catch (err) {
    await tar.abort();
    await rm(partial, { force: true });
    throw err instanceof ToolError ? new BackupError(err.message) : err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

interface OpenedBackup {
  reader: TarReader;
  manifest: Manifest;
  members: Map<string, TarMember>;
}

/** Opens a backup file and checks its manifest (not yet the members' checksums). */
async function openBackup(file: string): Promise<OpenedBackup> {
  if (!existsSync(file)) throw new BackupError(`There is no file ${file}.`);
  const reader = await TarReader.open(file);
  try {
    const members = new Map<string, TarMember>();
    try {
      for await (const m of reader.members()) {
        if (members.has(m.name)) throw new BackupError(`${m.name} appears twice in ${file}.`);
        members.set(m.name, m);
      }
    } catch (err) {
      if (err instanceof TarError) throw new BackupError(`${file} is damaged: ${err.message}.`);
      throw err;
    }
    const json = members.get(MANIFEST);
    const sum = members.get(MANIFEST_SUM);
    if (!json || !sum) throw new BackupError(`${file} is not a Fanfold backup (no ${MANIFEST}).`);
    const bytes = await reader.readBuffer(json);
    if ((await reader.readBuffer(sum)).toString().trim() !== sha256(bytes))
      throw new BackupError(`${file} is damaged: ${MANIFEST} does not match its checksum.`);
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new BackupError(`${file} is damaged: ${MANIFEST} is not JSON.`);
    }
    const head = ManifestHead.safeParse(raw);
    if (!head.success) throw new BackupError(`${file} is not a Fanfold backup.`);
    if (head.data.version !== FORMAT_VERSION)
      throw new BackupError(
        `${file} has backup format version ${head.data.version}; this Fanfold reads version ${FORMAT_VERSION}` +
          (head.data.version > FORMAT_VERSION ? " (restore it with a newer Fanfold)." : "."),
      );
    const manifest = Manifest.safeParse(raw);
    if (!manifest.success)
      throw new BackupError(
        `${file} is damaged: ${MANIFEST} is not valid (${manifest.error.issues[0]?.path.join(".")}).`,
      );
    for (const m of manifest.data.members) {
      if (!members.has(m.path)) throw new BackupError(`${file} is damaged: ${m.path} is missing.`);
      if (m.path.startsWith(FILES_PREFIX) && !safeRelative(m.path.slice(FILES_PREFIX.length)))
        throw new BackupError(`${file} names an unsafe path: ${m.path}.`);
    }
    return { reader, manifest: manifest.data, members };
  } catch (err) {
    await reader.close();
    throw err;
  }
}

function safeRelative(rel: string): boolean {
  return (
    rel.length > 0 && !rel.startsWith("/") && !rel.split("/").some((p) => p === ".." || p === "")
  );
}

/** The manifest of a backup file, after checking the file's structure and format version. */
export async function readManifest(file: string): Promise<Manifest> {
  const opened = await openBackup(resolve(file));
  await opened.reader.close();
  return opened.manifest;
}

const ENGINE_NAME = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;

/** Restores a backup into the configured, empty target: see the module comment. */
export async function restoreBackup(
  config: BackupConfig,
  file: string,
  opts: BackupOptions = {},
): Promise<{ manifest: Manifest; migrations: string[] }> {
  const log = opts.log ?? quiet;
  const { reader, manifest, members } = await openBackup(resolve(file));
  let staging: string | undefined;
  try {
    const target = config.database;
    if (manifest.engine !== target.kind)
      throw new BackupError(
        `This is a backup of a ${ENGINE_NAME[manifest.engine]} archive and the configured database is ${ENGINE_NAME[target.kind]}` +
          (target.kind === "postgres" ? " (DATABASE_URL is set)" : " (DATABASE_URL is not set)") +
          `. Restoring across engines is not supported: configure a ${ENGINE_NAME[manifest.engine]} target.`,
      );

    // ── the target must be empty ──
    let pgRestore: Tool | undefined;
    if (target.kind === "sqlite") {
      if (!sqliteIsEmpty(target.file))
        throw new BackupError(
          `${target.file} already holds a database: restore needs an empty FANFOLD_DATA_DIR (or none).`,
        );
    } else {
      const found = await postgresTarget(target.url).catch((err: unknown) => {
        throw new BackupError(
          `Cannot connect to DATABASE_URL: ${(err as Error).message}. Create an empty database first (createdb).`,
        );
      });
      if (found.tables.length > 0)
        throw new BackupError(
          `The database of DATABASE_URL is not empty (${found.tables.length} tables: ${found.tables.slice(0, 5).join(", ")}…): restore needs an empty database.`,
        );
      pgRestore = await findTool("pg_restore", opts.pgRestore ?? "pg_restore");
      const dumped = majorOf(manifest.database.tool);
      if (pgRestore.major < dumped)
        throw new BackupError(
          `${pgRestore.version} cannot read a dump made by ${manifest.database.tool}: install postgresql-client-${dumped}.`,
        );
    }
    const fileMembers = manifest.members.filter((m) => m.path.startsWith(FILES_PREFIX));
    for (const m of fileMembers) {
      const rel = m.path.slice(FILES_PREFIX.length);
      if (rel !== "secret" && existsSync(join(config.dataDir, rel)))
        throw new BackupError(
          `${join(config.dataDir, rel)} already exists: restore needs an empty FANFOLD_DATA_DIR.`,
        );
    }

    // ── every member as the manifest says, before anything is written ──
    for (const m of manifest.members) {
      const member = members.get(m.path)!;
      let done = 0;
      const hash = await reader.copy(member, undefined, (n) => {
        if (member.size > 1 << 26 && n - done > 1 << 26) {
          done = n;
          log(`restore: checking ${m.path} ${Math.floor((n / member.size) * 100)}%`);
        }
      });
      if (hash !== m.sha256 || member.size !== m.size)
        throw new BackupError(
          `The backup is damaged: ${m.path} does not match its checksum in the manifest.`,
        );
    }
    log(`restore: ${manifest.members.length} member(s) checked`);

    // ── the database ──
    await mkdir(config.dataDir, { recursive: true });
    staging = await mkdtemp(join(config.dataDir, ".fanfold-restore-"));
    const dbMember = members.get(manifest.database.member);
    if (!dbMember) throw new BackupError(`The backup has no ${manifest.database.member}.`);
    const extracted = join(staging, basename(manifest.database.member));
    await extract(reader, dbMember, extracted);
    let restored: DatabaseSummary;
    if (target.kind === "sqlite") {
      log("restore: decompressing the database");
      const copy = join(staging, "fanfold.db");
      await gunzipFile(extracted, copy);
      await rm(extracted);
      log("restore: comparing table digests");
      restored = sqliteSummary(copy);
      compareTables(manifest.tables, restored.tables);
      for (const suffix of ["", "-wal", "-shm", "-journal"])
        await rm(target.file + suffix, { force: true });
      await mkdir(dirname(target.file), { recursive: true });
      await rename(copy, target.file);
    } else {
      const tables = Object.keys(manifest.tables).length;
      await restorePostgres(pgRestore!, target.url, extracted, tables, log);
      log("restore: comparing table digests");
      restored = await postgresSummary(target.url);
      compareTables(manifest.tables, restored.tables);
    }

    // ── the secret and stored files ──
    for (const m of fileMembers) {
      const rel = m.path.slice(FILES_PREFIX.length);
      const dest = join(config.dataDir, ...rel.split("/"));
      await mkdir(dirname(dest), { recursive: true });
      await extract(reader, members.get(m.path)!, dest + ".partial");
      await rename(dest + ".partial", dest);
      if (rel === "secret") await chmod(dest, 0o600);
    }
    log(`restore: ${fileMembers.length} file(s) into ${config.dataDir}`);
    if (manifest.secret === "environment")
      log("restore: the archive's secret was FANFOLD_SECRET (in no file): set the same one here.");

    // ── upgrade an older backup ──
    const handle = openDb(target);
    try {
      const applied = await migrateToLatest(handle.db);
      if (applied.length > 0) log(`restore: migrated (${applied.join(", ")})`);
      return { manifest, migrations: applied };
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw err instanceof ToolError ? new BackupError(err.message) : err;
  } finally {
    await reader.close();
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

async function extract(reader: TarReader, member: TarMember, dest: string) {
  const fh = await open(dest, "wx");
  try {
    await reader.copy(member, async (chunk) => {
      await fh.write(chunk);
    });
  } finally {
    await fh.close();
  }
}

function compareTables(
  expected: Record<string, TableSummary>,
  actual: Record<string, TableSummary>,
): void {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const name of [...names].sort()) {
    const e = expected[name];
    const a = actual[name];
    if (!e || !a || e.sha256 !== a.sha256)
      throw new BackupError(
        `The restored table ${name} differs from the backup (${e?.rows ?? "no"} rows backed up, ${a?.rows ?? "no"} restored).`,
      );
  }
}
