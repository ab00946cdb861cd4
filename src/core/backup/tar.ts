/**
 * The smallest tar (POSIX ustar) a backup needs: regular files only, written in order and read
 * back by position. Each member's SHA-256 is taken while it is copied, so a backup file is
 * written and checked in one pass over its bytes. Sizes past ustar's 8 GiB octal field use
 * the base-256 form GNU tar and libarchive read.
 */
import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { once } from "node:events";

const BLOCK = 512;
const CHUNK = 1 << 20;

export class TarError extends Error {}

export interface TarMember {
  name: string;
  size: number;
  /** Byte offset of the member's data in the tar file. */
  offset: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = "";
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
      throw new TarError(`name too long for a tar member: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, "utf8");
  h.write(octal(0o644, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  if (size < 8 ** 11) h.write(octal(size, 12), 124, "ascii");
  else {
    // base-256: the high bit of the first byte set, the size big-endian in the rest.
    h[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  h.write(octal(Math.floor(mtime / 1000), 12), 136, "ascii");
  h.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

function readSize(h: Buffer): number {
  if ((h[124]! & 0x80) !== 0) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(h[i]!);
    return Number(size);
  }
  return parseInt(h.toString("ascii", 124, 136).replace(/\0.*$/, "").trim() || "0", 8);
}

function cString(h: Buffer, start: number, length: number): string {
  const end = h.indexOf(0, start);
  return h.toString("utf8", start, end === -1 || end > start + length ? start + length : end);
}

/** Writes members one after another; `finish()` adds the end-of-archive blocks. */
export class TarWriter {
  private readonly out: WriteStream;
  private failed: Error | null = null;

  constructor(file: string) {
    this.out = createWriteStream(file, { flags: "wx" });
    this.out.on("error", (err) => (this.failed = err));
  }

  private check() {
    if (this.failed) throw this.failed;
  }

  private async write(chunk: Buffer) {
    this.check();
    if (!this.out.write(chunk))
      await Promise.race([once(this.out, "drain"), once(this.out, "error")]);
    this.check();
  }

  async addBuffer(name: string, data: Buffer, mtime = Date.now()): Promise<void> {
    await this.write(header(name, data.length, mtime));
    await this.write(data);
    await this.pad(data.length);
  }

  /** Copies a file in; answers the SHA-256 of what was written (the file must not change). */
  async addFile(
    name: string,
    path: string,
    size: number,
    onChunk?: (done: number) => void,
  ): Promise<string> {
    await this.write(header(name, size, Date.now()));
    const hash = createHash("sha256");
    const fh = await open(path, "r");
    try {
      let done = 0;
      while (done < size) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
        const { bytesRead } = await fh.read(buf, 0, buf.length, done);
        if (bytesRead === 0) throw new TarError(`${path} shrank while being copied`);
        const part = buf.subarray(0, bytesRead);
        hash.update(part);
        await this.write(part);
        done += bytesRead;
        onChunk?.(done);
      }
    } finally {
      await fh.close();
    }
    await this.pad(size);
    return hash.digest("hex");
  }

  private async pad(size: number) {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.out.end();
    await once(this.out, "close");
    this.check();
  }

  /** Abandons the file (the caller removes it). */
  async abort(): Promise<void> {
    if (this.out.closed) return;
    this.out.destroy();
    await once(this.out, "close").catch(() => undefined);
  }
}

/** Reads a tar file member by member, by position. */
export class TarReader {
  private constructor(
    private readonly fh: FileHandle,
    private readonly length: number,
  ) {}

  static async open(file: string): Promise<TarReader> {
    const fh = await open(file, "r");
    const { size } = await fh.stat();
    return new TarReader(fh, size);
  }

  /** Every member in order (headers only); throws TarError naming where the file is damaged. */
  async *members(): AsyncGenerator<TarMember> {
    let offset = 0;
    let previous = "the start of the file";
    for (;;) {
      if (offset + BLOCK > this.length)
        throw new TarError(`the file ends after ${previous} (truncated?)`);
      const h = Buffer.alloc(BLOCK);
      await this.fh.read(h, 0, BLOCK, offset);
      if (h.every((b) => b === 0)) return;
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
      const stored = parseInt(h.toString("ascii", 148, 156).replace(/\0.*$/, "").trim(), 8);
      if (stored !== sum)
        throw new TarError(`a damaged member header after ${previous} (not a backup file?)`);
      const prefix = cString(h, 345, 155);
      const base = cString(h, 0, 100);
      const name = prefix ? `${prefix}/${base}` : base;
      const size = readSize(h);
      const type = String.fromCharCode(h[156]!);
      if (offset + BLOCK + size > this.length)
        throw new TarError(`the file ends inside ${name} (truncated?)`);
      if (type === "0" || type === "\0") yield { name, size, offset: offset + BLOCK };
      previous = name;
      offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
  }

  async readBuffer(member: TarMember): Promise<Buffer> {
    const buf = Buffer.alloc(member.size);
    await this.fh.read(buf, 0, member.size, member.offset);
    return buf;
  }

  /** Streams a member's bytes to `sink` (or nowhere), answering their SHA-256. */
  async copy(
    member: TarMember,
    sink?: (chunk: Buffer) => Promise<void>,
    onChunk?: (done: number) => void,
  ): Promise<string> {
    const hash = createHash("sha256");
    let done = 0;
    while (done < member.size) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, member.size - done));
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, member.offset + done);
      if (bytesRead === 0) throw new TarError(`the file ends inside ${member.name} (truncated?)`);
      const part = buf.subarray(0, bytesRead);
      hash.update(part);
      if (sink) await sink(part);
      done += bytesRead;
      onChunk?.(done);
    }
    return hash.digest("hex");
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
