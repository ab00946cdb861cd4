/**
 * The search-index cache file's layout (src/search/index/doc-cache.ts, format 2), for tests that
 * damage it on purpose: where each column starts, a header swapped, the checksum recomputed.
 */
import { createHash } from "node:crypto";

/** Recomputes the checksum, as a file that is wrong but consistent would have it. */
export function resign(bytes: Buffer): Buffer {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return bytes;
  const first = bytes.subarray(0, nl).toString("latin1").split(" ");
  if (first.length !== 3) return bytes;
  first[2] = createHash("sha256")
    .update(bytes.subarray(nl + 1))
    .digest("hex");
  return Buffer.concat([Buffer.from(first.join(" "), "latin1"), bytes.subarray(nl)]);
}

/** Where things are in a cache file (format 2), for the tests that damage it on purpose. */
export function layout(bytes: Buffer) {
  const first = bytes.indexOf(0x0a);
  const second = bytes.indexOf(0x0a, first + 1);
  const header = JSON.parse(bytes.subarray(first + 1, second).toString("utf8")) as {
    works: number;
    tags: number;
    [k: string]: unknown;
  };
  let at = second + 1;
  while (at % 8 !== 0) at++;
  const n = header.works;
  const sizes: [string, number][] = [
    ["ids", 4 * n],
    ["revised", 8 * n],
    ["published", 8 * n],
    ["chapters", 4 * n],
    ["words", 4 * n],
    ["kudos", 4 * n],
    ["hits", 4 * n],
    ["comments", 4 * n],
    ["bookmarks", 4 * n],
    ["tagEnds", 4 * n],
    ["titleLens", 4 * n],
    ["creatorLens", 4 * n],
    ["lang", 2 * n],
    ["flags", n],
    ["tags", 4 * header.tags],
  ];
  const columns = {} as Record<
    | "ids"
    | "revised"
    | "published"
    | "chapters"
    | "words"
    | "kudos"
    | "hits"
    | "comments"
    | "bookmarks"
    | "tagEnds"
    | "titleLens"
    | "creatorLens"
    | "lang"
    | "flags"
    | "tags",
    number
  >;
  const lengths: Record<string, number> = {};
  for (const [name, size] of sizes) {
    (columns as Record<string, number>)[name] = at;
    lengths[name] = size;
    at += size + ((8 - (size % 8)) % 8); // each column zero-padded to 8 bytes
  }
  return { header, headerStart: first + 1, bodyStart: second + 1, columns, lengths };
}

/** The same file with another header (re-padded); the checksum is left as it was. */
export function rebuild(bytes: Buffer, header: unknown): Buffer {
  const l = layout(bytes);
  const firstLine = bytes.subarray(0, l.headerStart);
  const head = Buffer.from(`${JSON.stringify(header)}\n`);
  const pad = Buffer.alloc((8 - ((firstLine.length + head.length) % 8)) % 8, 0x20);
  return Buffer.concat([firstLine, head, pad, bytes.subarray(l.columns.ids)]);
}
