/**
 * A small ustar writer (POSIX.1-1988 tar) streamed through gzip: what a data export is
 * written as. No archive library is installed, and tar needs none: each file is a 512-byte
 * header, its bytes, and padding to the next 512; two empty blocks end the archive. Every
 * `tar` and archive manager reads the result (`tar -xzf export.tar.gz`).
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

const BLOCK = 512;

export interface ArchiveEntry {
  /** Path inside the archive ("fanfold-data/works/3-a-title.html"). */
  path: string;
  data: Buffer | string;
}

/** A header field: `value` as NUL-padded bytes, refused if it does not fit. */
function field(header: Buffer, offset: number, length: number, value: string) {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  bytes.copy(header, offset);
}

/** A number as tar writes it: octal digits, NUL-terminated, zero-padded to the field. */
const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0") + "\0";

/** The 512-byte ustar header of one regular file. */
export function tarHeader(path: string, size: number, mtimeMs: number): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  // Long paths keep their directory in the 155-byte prefix field.
  let name = path;
  let prefix = "";
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf("/");
    if (cut <= 0) throw new Error(`tar: the name "${path}" is too long`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o644, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(Math.floor(mtimeMs / 1000), 12));
  field(header, 148, 8, "        "); // the checksum counts itself as spaces
  field(header, 156, 1, "0");
  field(header, 257, 6, "ustar\0");
  field(header, 263, 2, "00");
  field(header, 345, 155, prefix);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return header;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK, 0);

/** The tar stream of `entries` (taken one at a time, so large archives are never all in memory). */
export async function* tarStream(
  entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>,
  mtimeMs: number,
): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
    yield tarHeader(entry.path, data.length, mtimeMs);
    yield data;
    yield padding(data.length);
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

/** Writes `entries` as a .tar.gz file at `file` (overwriting it). */
export async function writeTarGz(
  file: string,
  entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>,
  mtimeMs: number,
): Promise<void> {
  await pipeline(Readable.from(tarStream(entries, mtimeMs)), createGzip(), createWriteStream(file));
}
