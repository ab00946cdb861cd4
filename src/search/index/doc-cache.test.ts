/**
 * The document cache file on its own: what is written reads back the same, and no damage to
 * a file (a byte changed, cut short, grown) makes reading throw. With the checksum, damage
 * is always a discard; with the checksum recomputed (a file that lies consistently), the
 * structural checks must still hand the index only documents it accepts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { BrowseIndex } from "./browse-index.ts";
import type { WorkDoc } from "./browse-types.ts";
import { parseDocCache, readDocCache, writeDocCache, type CacheOrigin } from "./doc-cache.ts";
import { layout, rebuild, resign } from "../../../test/support/cache-file.ts";

const dir = mkdtempSync(join(tmpdir(), "fanfold-doc-cache-"));
const ORIGIN: CacheOrigin = {
  archiveId: "3f1c2d9e-archive",
  mark: { changeId: 42, entity: "counts", entityId: 7, createdAt: 1_765_000_000_000 },
  from: 40,
};
const TAG_TYPES = new Map([1, 2, 3, 4, 5, 6, 7, 8].map((id) => [id, "freeform" as const]));

const docArb = fc.record({
  tagIds: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 5 }),
  fandomCount: fc.constantFrom(1, 2),
  restricted: fc.boolean(),
  complete: fc.boolean(),
  chapters: fc.integer({ min: 1, max: 60 }),
  words: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  language: fc.constantFrom("en", "fr", "zh", "pt-BR", ""),
  revisedAt: fc.integer({ min: 0, max: 2 ** 45 }),
  publishedAt: fc.integer({ min: 0, max: 2 ** 45 }),
  titleKey: fc.string({ maxLength: 12, unit: "binary" }),
  creatorKey: fc.string({ maxLength: 8 }),
  kudos: fc.nat(),
  hits: fc.nat(),
  comments: fc.nat(),
  bookmarks: fc.nat(),
});
/** Documents as the index hands them over: ascending distinct ids. */
const docsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 50 }), docArb), { maxLength: 8 })
  .map((pairs) => {
    let id = 0;
    return pairs.map(([step, d]): WorkDoc => ({ id: (id += step), ...d }));
  });

function written(docs: WorkDoc[]): Buffer {
  const file = join(dir, "docs.bin");
  writeDocCache(file, ORIGIN, docs);
  return readFileSync(file);
}

const read = (bytes: Buffer) => parseDocCache(bytes);

function docsOf(cache: { forEach(fn: (d: WorkDoc) => void): void }): WorkDoc[] {
  const out: WorkDoc[] = [];
  cache.forEach((d) => out.push(d));
  return out;
}

const damageArb = fc.record({
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 4,
  }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  grow: fc.uint8Array({ maxLength: 9 }),
});

type Damage = typeof damageArb extends fc.Arbitrary<infer T> ? T : never;

function damage(bytes: Buffer, d: Damage): Buffer {
  let out = Buffer.from(bytes);
  for (const [at, value] of d.edits) if (out.length > 0) out[at % out.length] = value;
  if (d.cut !== undefined) out = out.subarray(0, d.cut % (out.length + 1));
  return Buffer.concat([out, d.grow]);
}

test("a cache reads back the documents and the position it was written with", () => {
  fc.assert(
    fc.property(docsArb, (docs) => {
      const got = read(written(docs));
      assert.equal(got.status, "ok");
      if (got.status !== "ok") return;
      assert.deepEqual(
        { archiveId: got.cache.archiveId, mark: got.cache.mark, from: got.cache.from },
        ORIGIN,
      );
      assert.deepEqual(docsOf(got.cache), docs);
    }),
    { numRuns: 200, seed: 20261206 },
  );
});

test("no file at all is 'missing', not bad; a file is read in place or, unaligned, copied", () => {
  assert.deepEqual(readDocCache(join(dir, "never-written.bin")), { status: "missing" });
  const docs = fc.sample(docsArb, { numRuns: 20, seed: 7 }).find((d) => d.length % 2 === 1)!;
  const bytes = written(docs);
  writeFileSync(join(dir, "copy.bin"), bytes);
  const fromFile = readDocCache(join(dir, "copy.bin"));
  assert.equal(fromFile.status, "ok");
  if (fromFile.status === "ok") assert.deepEqual(docsOf(fromFile.cache), docs);
  for (const shift of [1, 2, 3, 4, 5, 6, 7]) {
    const unaligned = Buffer.concat([Buffer.alloc(shift), bytes]).subarray(shift);
    const got = parseDocCache(unaligned);
    assert.equal(got.status, "ok");
    if (got.status === "ok") assert.deepEqual(docsOf(got.cache), docs, `shifted by ${shift}`);
  }
});

test("any damage to a cache reads as the same documents or as bad, never as an exception", () => {
  fc.assert(
    fc.property(docsArb, damageArb, (docs, d) => {
      const bytes = written(docs);
      const damaged = damage(bytes, d);
      const got = read(damaged);
      if (got.status === "ok") {
        assert.ok(damaged.equals(bytes), "only an undamaged file is accepted");
        assert.deepEqual(docsOf(got.cache), docs);
      } else {
        assert.equal(got.status, "bad");
      }
    }),
    { numRuns: 500, seed: 20261207 },
  );
});

test("a damaged file with a matching checksum still only yields documents the index takes", () => {
  let accepted = 0;
  fc.assert(
    fc.property(docsArb, damageArb, (docs, d) => {
      const got = read(resign(damage(written(docs), d)));
      if (got.status !== "ok") return;
      accepted++;
      const index = new BrowseIndex(TAG_TYPES);
      got.cache.forEach((doc) => index.upsert(doc));
      index.prepare();
      index.search(
        {
          include: [],
          exclude: [],
          sort: "kudos",
          descending: true,
          page: 1,
          pageSize: 20,
          facets: true,
        },
        true,
      );
    }),
    { numRuns: 600, seed: 20261208 },
  );
  // Some damage lands in values that stay in range (a count, a date): those are accepted.
  assert.ok(accepted > 0);
});

test("each structural check refuses a consistent but impossible file", () => {
  const docs: WorkDoc[] = [
    {
      id: 3,
      tagIds: [1, 2],
      fandomCount: 1,
      restricted: false,
      complete: true,
      chapters: 1,
      words: 100,
      language: "en",
      revisedAt: 1000,
      publishedAt: 900,
      titleKey: "ab",
      creatorKey: "c",
      kudos: 1,
      hits: 2,
      comments: 3,
      bookmarks: 4,
    },
    {
      id: 9,
      tagIds: [3],
      fandomCount: 2,
      restricted: true,
      complete: false,
      chapters: 2,
      words: 200,
      language: "fr",
      revisedAt: 2000,
      publishedAt: 1900,
      titleKey: "de",
      creatorKey: "fg",
      kudos: 5,
      hits: 6,
      comments: 7,
      bookmarks: 8,
    },
  ];
  const bytes = written(docs);
  const l = layout(bytes);
  const header = l.header;
  const withHeader = (change: (h: Record<string, unknown>) => unknown) =>
    resign(rebuild(bytes, change(structuredClone(header))));
  const column = (name: keyof typeof l.columns, write: (b: Buffer, at: number) => void) => {
    const copy = Buffer.from(bytes);
    write(copy, l.columns[name]);
    return resign(copy);
  };
  const cases: Record<string, Buffer> = {
    "more works than the file holds": withHeader((h) => ({ ...h, works: 3 })),
    "fewer works": withHeader((h) => ({ ...h, works: 1 })),
    "negative works": withHeader((h) => ({ ...h, works: -1 })),
    "a huge length": withHeader((h) => ({ ...h, works: 1e12 })),
    "a length as a string": withHeader((h) => ({ ...h, works: "2" })),
    "a fractional length": withHeader((h) => ({ ...h, titleChars: 3.5 })),
    "tag count off by one": withHeader((h) => ({ ...h, tags: 4 })),
    "title length off": withHeader((h) => ({ ...h, titleChars: 5 })),
    "languages not a list": withHeader((h) => ({ ...h, languages: "en" })),
    "languages too few": withHeader((h) => ({ ...h, languages: ["en"] })),
    "languages repeated": withHeader((h) => ({ ...h, languages: ["en", "en"] })),
    "a language not a string": withHeader((h) => ({ ...h, languages: ["en", 7] })),
    "a field missing": withHeader((h) => ({ ...h, from: undefined })),
    "an extra field": withHeader((h) => ({ ...h, extra: 1 })),
    "no mark": withHeader((h) => ({ ...h, mark: null })),
    "a mark id of zero": withHeader((h) => ({ ...h, mark: { ...ORIGIN.mark, changeId: 0 } })),
    "replaying from past the mark": withHeader((h) => ({ ...h, from: 43 })),
    "an empty archive id": withHeader((h) => ({ ...h, archiveId: "" })),
    "a header that is an array": withHeader(() => [1, 2]),
    "another format": (() => {
      const b = Buffer.from(bytes);
      b[b.indexOf(" ") + 1] = "1".charCodeAt(0);
      return resign(b);
    })(),
    "work ids out of order": column("ids", (b, at) => b.writeInt32LE(2, at + 4)),
    "a work id of zero": column("ids", (b, at) => b.writeInt32LE(0, at)),
    "a date that is not a number": column("revised", (b, at) => b.writeDoubleLE(NaN, at)),
    "a date out of range": column("published", (b, at) => b.writeDoubleLE(1e300, at)),
    "a negative count": column("kudos", (b, at) => b.writeInt32LE(-5, at)),
    "tag lists going backwards": column("tagEnds", (b, at) => b.writeInt32LE(4, at)),
    "tag lists overrunning": column("tagEnds", (b, at) => b.writeInt32LE(4, at + 4)),
    "a negative title length": column("titleLens", (b, at) => b.writeInt32LE(-1, at)),
    "creator lengths not adding up": column("creatorLens", (b, at) => b.writeInt32LE(2, at)),
    "a language code out of range": column("lang", (b, at) => b.writeUInt16LE(2, at)),
    "unknown flags": column("flags", (b, at) => b.writeUInt8(0x80, at)),
    "a tag id of zero": column("tags", (b, at) => b.writeInt32LE(0, at)),
    "a negative tag id": column("tags", (b, at) => b.writeInt32LE(-7, at + 8)),
  };
  for (const [name, file] of Object.entries(cases)) {
    const got = read(file);
    assert.equal(got.status, "bad", name);
    if (got.status === "bad") {
      assert.match(got.problem, name === "another format" ? /^written in format 1/ : /^damaged: /);
    }
  }
  // The harness itself: an unchanged file re-signed is still good.
  assert.equal(read(resign(bytes)).status, "ok");
});
