/**
 * What a backup file says about itself. The tar holds the members the manifest lists (the
 * database first, then files from the data directory), then `manifest.json` and
 * `manifest.json.sha256` (its own checksum): written last, once every member's SHA-256 is
 * known, and found by name. One format for both engines; only the database member differs.
 */
import { z } from "zod";

export const FORMAT = "fanfold-backup";
/** Bump when a reader of the previous version could misread a new file. */
export const FORMAT_VERSION = 1;

export const MANIFEST = "manifest.json";
export const MANIFEST_SUM = "manifest.json.sha256";
/** SQLite: the online-backup copy, gzip-compressed. */
export const SQLITE_MEMBER = "database/fanfold.db.gz";
/** PostgreSQL: `pg_dump --format=custom` (compressed by pg_dump itself). */
export const POSTGRES_MEMBER = "database/fanfold.pgdump";
/** Files from the data directory keep their relative path under this folder. */
export const FILES_PREFIX = "files/";

const TableSummary = z.object({
  rows: z.number().int().nonnegative(),
  /** SHA-256 over the table's rows in primary-key order (snapshot-queries.ts tableDigests). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TableSummary = z.infer<typeof TableSummary>;

const Member = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestMember = z.infer<typeof Member>;

/** Only the fields every version has: read first, so a newer file is refused by its version. */
export const ManifestHead = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
});

export const Manifest = ManifestHead.extend({
  engine: z.enum(["sqlite", "postgres"]),
  /** The `archive` table's id: the same archive after a restore. */
  archiveId: z.string().nullable(),
  /** The newest migration the database had: a restore migrates on from there. */
  migration: z.string().nullable(),
  createdAt: z.string(),
  /** How the database was copied (the pg_dump version matters to pg_restore). */
  database: z.object({
    member: z.string(),
    tool: z.string(),
    /** Uncompressed size of the SQLite copy (PostgreSQL: the dump's size). */
    bytes: z.number().int().nonnegative(),
  }),
  /** "file": `<data dir>/secret` is in the backup. "environment": FANFOLD_SECRET, in no file. */
  secret: z.enum(["file", "environment"]),
  tables: z.record(z.string(), TableSummary),
  members: z.array(Member),
  notes: z.array(z.string()),
});
export type Manifest = z.infer<typeof Manifest>;
