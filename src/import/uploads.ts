/**
 * Uploads kept between an import's preview and its confirmation (issue 14): the writer can
 * change the splitting, fix the metadata or retry a refused file without choosing it again.
 * The bytes are DATA_DIR/imports/<id>, the row (import_uploads) says whose they are. An upload
 * belongs to its uploader only, lives 24 hours (the prune job), and goes once it is posted.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Db } from "../core/db/index.ts";
import { cleanInputText } from "../core/text/input-text.ts";
import * as q from "./upload-queries.ts";

export type { ImportUpload } from "./upload-queries.ts";

/** How long an upload is kept after it was made. */
export const UPLOAD_TTL_MS = 24 * 3_600_000;
/** Kept uploads per writer: storing one more lets the oldest go (20 MB each at most). */
export const UPLOADS_KEPT_PER_USER = 5;

const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Whether `id` has the shape of an upload id (never a path: no dots, no slashes). */
export const isUploadId = (id: string) => ID_PATTERN.test(id);

const uploadsDir = (dataDir: string) => join(dataDir, "imports");

export function uploadPath(dataDir: string, id: string): string {
  if (!isUploadId(id)) throw new Error(`not an upload id: ${JSON.stringify(id)}`);
  return join(uploadsDir(dataDir), id);
}

/** The name as the writer's computer gave it, without folders or control characters. */
export function cleanFileName(name: string): string {
  const base = basename(cleanInputText(name).replace(/\\/g, "/")).trim();
  return (base || "upload").slice(0, 255);
}

/** Writes the file, then the row: a crash in between leaves a stray file the prune removes. */
export async function storeUpload(
  db: Db,
  dataDir: string,
  args: { userId: number; fileName: string; bytes: Uint8Array; now: number },
): Promise<q.ImportUpload> {
  const id = randomBytes(24).toString("base64url");
  await mkdir(uploadsDir(dataDir), { recursive: true });
  await writeFile(uploadPath(dataDir, id), args.bytes, { mode: 0o600 });
  const row = {
    id,
    user_id: args.userId,
    file_name: cleanFileName(args.fileName),
    byte_size: args.bytes.byteLength,
    created_at: args.now,
  };
  await q.insertUpload(db, row);
  const beyond = await q.uploadsBeyond(db, {
    userId: args.userId,
    newest: id,
    keep: UPLOADS_KEPT_PER_USER - 1,
  });
  for (const old of beyond) await discardUpload(db, dataDir, old);
  return row;
}

/**
 * The user's own upload and its bytes, or undefined when there is no such upload, it is
 * someone else's, it has expired, or its file is gone: all the same to the asker (a 404).
 */
export async function loadOwnUpload(
  db: Db,
  dataDir: string,
  args: { userId: number; id: string; now: number },
): Promise<{ upload: q.ImportUpload; bytes: Buffer } | undefined> {
  if (!isUploadId(args.id)) return undefined;
  const upload = await q.findUpload(db, args.id);
  if (!upload || upload.user_id !== args.userId) return undefined;
  if (args.now - upload.created_at >= UPLOAD_TTL_MS) return undefined;
  try {
    return { upload, bytes: await readFile(uploadPath(dataDir, upload.id)) };
  } catch {
    return undefined;
  }
}

/** The row, then the file (a file without a row is swept by the prune). */
export async function discardUpload(db: Db, dataDir: string, id: string): Promise<void> {
  await q.deleteUpload(db, id);
  await rm(uploadPath(dataDir, id), { force: true });
}

/**
 * The "import-uploads.prune" job: uploads older than 24 hours, and files in imports/ that no
 * row names once they are that old too (a crash between writing and recording). Answers how
 * many files it removed.
 */
export async function pruneUploads(db: Db, dataDir: string, now: number): Promise<number> {
  const expired = await q.deleteUploadsBefore(db, now - UPLOAD_TTL_MS);
  for (const id of expired) await rm(uploadPath(dataDir, id), { force: true });
  let removed = expired.length;
  let names: string[];
  try {
    names = await readdir(uploadsDir(dataDir));
  } catch {
    return removed;
  }
  const known = await q.allUploadIds(db);
  for (const name of names) {
    if (known.has(name)) continue;
    const file = join(uploadsDir(dataDir), name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < UPLOAD_TTL_MS) continue;
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
}
