/**
 * The SQL a backup runs, on the engines' own drivers (it works on whole databases, below
 * Kysely's typed tables): which tables there are, a content digest of each (its rows in
 * primary-key order, hashed), the archive's id and newest migration, and whether a restore
 * target is empty. On PostgreSQL the digests are taken in the snapshot pg_dump copies, so the
 * manifest describes exactly the rows in the dump.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import SQLite from "better-sqlite3";
import pg from "pg";
import type { TableSummary } from "./manifest.ts";

export interface DatabaseSummary {
  archiveId: string | null;
  migration: string | null;
  tables: Record<string, TableSummary>;
}

const FLUSH = 1 << 16;

/** Hashes rows as lines, feeding the hash in large pieces (one update per row is slow). */
class RowHasher {
  private readonly hash = createHash("sha256");
  private pending: string[] = [];
  private pendingLength = 0;
  rows = 0;

  add(line: string) {
    this.pending.push(line);
    this.pendingLength += line.length;
    this.rows += 1;
    if (this.pendingLength >= FLUSH) this.flush();
  }

  private flush() {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending.join("\n") + "\n");
    this.pending = [];
    this.pendingLength = 0;
  }

  summary(): TableSummary {
    this.flush();
    return { rows: this.rows, sha256: this.hash.digest("hex") };
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────

const sqliteValue = (_key: string, value: unknown): unknown =>
  value && typeof value === "object" && (value as { type?: string }).type === "Buffer"
    ? `x'${Buffer.from((value as { data: number[] }).data).toString("hex")}'`
    : value;

/**
 * Digests every table of a SQLite file (not the FTS5 virtual tables: their shadow tables
 * hold the data and are digested like any other), with its id and newest migration.
 */
export function sqliteSummary(file: string): DatabaseSummary {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'
           and coalesce(sql, '') not like 'CREATE VIRTUAL TABLE%' order by name`,
      )
      .pluck()
      .all() as string[];
    const summary: DatabaseSummary = { archiveId: null, migration: null, tables: {} };
    for (const table of tables) {
      const pk = (
        db.prepare(`pragma table_info(${quote(table)})`).all() as { name: string; pk: number }[]
      )
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => quote(c.name));
      const order = pk.length > 0 ? pk.join(", ") : "rowid";
      const hasher = new RowHasher();
      const rows = db
        .prepare(`select * from ${quote(table)} order by ${order}`)
        .raw(true)
        .iterate() as IterableIterator<unknown[]>;
      for (const row of rows) hasher.add(JSON.stringify(row, sqliteValue));
      summary.tables[table] = hasher.summary();
    }
    if (tables.includes("archive"))
      summary.archiveId =
        (db.prepare("select id from archive limit 1").pluck().get() as string | undefined) ?? null;
    if (tables.includes("kysely_migration"))
      summary.migration =
        (db.prepare("select max(name) from kysely_migration").pluck().get() as string | null) ??
        null;
    return summary;
  } finally {
    db.close();
  }
}

/** True when there is no database file, or one without tables (an empty file, say). */
export function sqliteIsEmpty(file: string): boolean {
  if (!existsSync(file) || statSync(file).size === 0) return true;
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select count(*) from sqlite_master").pluck().get() as number) === 0;
  } finally {
    db.close();
  }
}

/** Copies a live SQLite database with the online backup API (sqlite.ts drives it). */
export function openSqliteSource(file: string): SQLite.Database {
  const db = new SQLite(file, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────

/** A connection holding one repeatable-read snapshot, which pg_dump can be pointed at. */
export class PostgresSnapshot {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresSnapshot> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("begin isolation level repeatable read, read only");
    return new PostgresSnapshot(client);
  }

  /** The snapshot's id for `pg_dump --snapshot` (valid while this transaction is open). */
  async export(): Promise<string> {
    const { rows } = await this.client.query<{ id: string }>("select pg_export_snapshot() as id");
    return rows[0]!.id;
  }

  async tableCount(): Promise<number> {
    return (await pgTables(this.client)).length;
  }

  async serverMajor(): Promise<number> {
    return serverMajor(this.client);
  }

  async summary(onTable?: (name: string, done: number, total: number) => void) {
    return pgSummary(this.client, onTable);
  }

  async close(): Promise<void> {
    await this.client.query("rollback").catch(() => undefined);
    await this.client.end();
  }
}

async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("show server_version_num");
  return Math.floor(Number(rows[0]!.v) / 10_000);
}

interface PgTable {
  schema: string;
  name: string;
  pk: string[] | null;
}

async function pgTables(client: pg.Client): Promise<PgTable[]> {
  const { rows } = await client.query<PgTable>(`
    select n.nspname as schema, c.relname as name,
      (select array_agg(a.attname::text order by k.ord)
         from pg_index i
         cross join unnest(i.indkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where i.indrelid = c.oid and i.indisprimary) as pk
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
    order by n.nspname, c.relname`);
  return rows;
}

const tableKey = (t: PgTable) => (t.schema === "public" ? t.name : `${t.schema}.${t.name}`);

/** Digests every table the connection sees (run inside a transaction: it uses a cursor). */
async function pgSummary(
  client: pg.Client,
  onTable?: (name: string, done: number, total: number) => void,
): Promise<DatabaseSummary> {
  const tables = await pgTables(client);
  const summary: DatabaseSummary = { archiveId: null, migration: null, tables: {} };
  let done = 0;
  for (const table of tables) {
    const from = `${quote(table.schema)}.${quote(table.name)}`;
    // Rows as PostgreSQL's own text form: exact, and the same on any client.
    const order = table.pk?.length ? table.pk.map(quote).join(", ") : `t::text collate "C"`;
    await client.query(
      `declare backup_rows no scroll cursor for select t::text as r from only ${from} t order by ${order}`,
    );
    const hasher = new RowHasher();
    for (;;) {
      const { rows } = await client.query<{ r: string }>("fetch 5000 from backup_rows");
      for (const row of rows) hasher.add(row.r);
      if (rows.length < 5000) break;
    }
    await client.query("close backup_rows");
    summary.tables[tableKey(table)] = hasher.summary();
    onTable?.(tableKey(table), ++done, tables.length);
  }
  const names = new Set(tables.map(tableKey));
  if (names.has("archive")) {
    const { rows } = await client.query<{ id: string }>("select id from archive limit 1");
    summary.archiveId = rows[0]?.id ?? null;
  }
  if (names.has("kysely_migration")) {
    const { rows } = await client.query<{ name: string | null }>(
      "select max(name) as name from kysely_migration",
    );
    summary.migration = rows[0]?.name ?? null;
  }
  return summary;
}

/** Digests a PostgreSQL database as it is now (one snapshot). */
export async function postgresSummary(url: string): Promise<DatabaseSummary> {
  const snapshot = await PostgresSnapshot.open(url);
  try {
    return await snapshot.summary();
  } finally {
    await snapshot.close();
  }
}

/** The tables in a PostgreSQL database (none: it is empty), and the server's major version. */
export async function postgresTarget(url: string): Promise<{ tables: string[]; major: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return {
      tables: (await pgTables(client)).map(tableKey),
      major: await serverMajor(client),
    };
  } finally {
    await client.end();
  }
}
