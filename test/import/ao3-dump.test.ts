import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import type { Viewer } from "../../src/core/viewer.ts";
import { GUEST } from "../../src/core/viewer.ts";
import { ao3DumpCommand } from "../../src/import/ao3-dump/cli.ts";
import { CsvError, readCsv } from "../../src/import/ao3-dump/csv.ts";
import { Ao3DumpError, importAo3Dump } from "../../src/import/ao3-dump/import.ts";
import { DUMP_LOGIN } from "../../src/import/ao3-dump/queries.ts";
import {
  dumpLanguage,
  parseDumpDate,
  parseTagRow,
  parseWorkRow,
  TAG_COLUMNS,
  WORK_COLUMNS,
  findColumns,
} from "../../src/import/ao3-dump/rows.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import { listWorks } from "../../src/works/queries.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork, readerOf } from "../support/factories.ts";
import { skipUnless } from "../support/skip.ts";

const SAMPLE = join(import.meta.dirname, "../../../shared/data/ao3-otw-dump-sample");
const SAMPLE_TAGS = join(SAMPLE, "tags-20210226.head.csv");
const SAMPLE_WORKS = join(SAMPLE, "works-20210226.sample.csv");
const haveSample = existsSync(SAMPLE_TAGS) && existsSync(SAMPLE_WORKS);
const NOW = Date.UTC(2026, 11, 8);

async function records(chunks: string[]) {
  const out: { fields: string[]; line: number }[] = [];
  for await (const r of readCsv(
    (async function* () {
      yield* chunks;
    })(),
  ))
    out.push(r);
  return out;
}

describe("AO3 dump CSV reader", () => {
  const text =
    '\ufeffid,name,x\r\n1,"Daniel ""Oz"" Osbourne",a\r\n\r\n2,"Comma, and\r\nnewline",\n3,plain"quote,"last"';
  const want = [
    { fields: ["id", "name", "x"], line: 1 },
    { fields: ["1", 'Daniel "Oz" Osbourne', "a"], line: 2 },
    { fields: ["2", "Comma, and\r\nnewline", ""], line: 4 },
    { fields: ["3", 'plain"quote', "last"], line: 6 },
  ];

  test("reads quotes, doubled quotes, CRLF inside fields, blank lines and a BOM", async () => {
    assert.deepEqual(await records([text]), want);
  });

  test("gives the same records however the text is cut into chunks", async () => {
    for (let i = 0; i <= text.length; i++)
      for (const j of [i, Math.min(text.length, i + 1), Math.min(text.length, i + 7)]) {
        const got = await records([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        assert.deepEqual(got, want, `cut at ${i} and ${j}`);
      }
  });

  test("stops at text after a closing quote and at a quote left open, naming the line", async () => {
    await assert.rejects(records(['a,b\n"x"y,z\n']), (err: unknown) => {
      assert.ok(err instanceof CsvError);
      assert.equal(err.line, 2);
      assert.match(err.message, /line 2: text follows a closing quote/);
      return true;
    });
    await assert.rejects(
      records(["a\nb\n", '"open\n', "still open"]),
      /line 3: a quoted field is not closed/,
    );
  });
});

describe("AO3 dump rows", () => {
  const tagCols = (() => {
    const f = findColumns(
      ["id", "type", "name", "canonical", "cached_count", "merger_id"],
      TAG_COLUMNS,
    );
    assert.ok(f.ok);
    return f.columns;
  })();
  const workCols = (() => {
    const f = findColumns(
      ["creation date", "language", "restricted", "complete", "word_count", "tags"],
      WORK_COLUMNS,
    );
    assert.ok(f.ok);
    return f.columns;
  })();

  test("names the columns a file lacks", () => {
    assert.deepEqual(findColumns(["id", "type", "name"], TAG_COLUMNS), {
      ok: false,
      missing: ["canonical", "merger_id"],
    });
  });

  test("dates, languages and flags as the dump writes them", () => {
    assert.equal(parseDumpDate("2/26/2021"), Date.UTC(2021, 1, 26));
    assert.equal(parseDumpDate("2021-02-26"), Date.UTC(2021, 1, 26));
    assert.equal(parseDumpDate("2/30/2021"), null);
    assert.equal(parseDumpDate("26.2.2021"), null);
    assert.equal(dumpLanguage("en"), "en");
    assert.equal(dumpLanguage("ptBR"), "pt-BR");
    assert.equal(dumpLanguage(""), "und");
    assert.equal(dumpLanguage("not a language"), null);
  });

  test("fixed tags under this archive's names; unknown types skipped with a reason", () => {
    const underage = parseTagRow(
      ["20", "ArchiveWarning", "Underage", "TRUE", "178303", ""],
      tagCols,
    );
    assert.deepEqual(underage, {
      ok: true,
      value: { id: 20, type: "warning", name: "Underage Sex", canonical: true, mergerId: null },
    });
    const synonym = parseTagRow(["91", "Fandom", " HP ", "FALSE", "20687", "136512"], tagCols);
    assert.ok(synonym.ok);
    assert.deepEqual(synonym.value, {
      id: 91,
      type: "fandom",
      name: "HP",
      canonical: false,
      mergerId: 136512,
    });
    assert.deepEqual(parseTagRow(["5", "Banned", "x", "FALSE", "1", ""], tagCols), {
      ok: false,
      reason: 'tags of type "Banned" are not imported',
    });
    assert.equal(parseTagRow(["x", "Fandom", "x", "TRUE", "1", ""], tagCols).ok, false);
  });

  test("a work row: its tag ids in order, repeats and non-ids counted", () => {
    const w = parseWorkRow(
      ["2/26/2021", "en", "FALSE", "TRUE", "13207", "13+23+x+13+16"],
      workCols,
      4,
    );
    assert.ok(w.ok);
    assert.deepEqual(w.value, {
      row: 4,
      createdAt: Date.UTC(2021, 1, 26),
      language: "en",
      restricted: false,
      complete: true,
      words: 13207,
      tagIds: [13, 23, 16],
      badTagRefs: 1,
    });
    assert.deepEqual(parseWorkRow(["2/26/2021", "en", "maybe", "TRUE", "1", ""], workCols, 1), {
      ok: false,
      reason: "restricted is neither TRUE nor FALSE",
    });
  });
});

/** The sample read independently of the importer: a plain split (its works file has no quotes). */
function sampleWorks() {
  const lines = readFileSync(SAMPLE_WORKS, "utf8").trim().split(/\r?\n/).slice(1);
  return lines.map((l) => {
    const [date, language, restricted, complete, words, tags] = l.split(",");
    return {
      date,
      language,
      restricted: restricted === "TRUE",
      complete,
      words: Number(words),
      tags: tags!.split("+"),
    };
  });
}

const member = async (h: DbHandle): Promise<Viewer> => ({
  user: readerOf(await buildUser(h.db)),
  adultConsent: true,
});

async function listed(h: DbHandle, viewer: Viewer, tagName: string) {
  const tag = await findTagByName(h.db, tagName);
  assert.ok(tag, tagName);
  return (await listWorks(h.db, viewer, { kind: "tag", tagId: tag.id }, { number: 1, size: 1 }))
    .total;
}

describeEachEngine("AO3 data dump import (the sample)", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("tags with their synonyms, works as metadata only; a second run is refused", async (t) => {
    if (skipUnless(t, haveSample, `../shared/data/ao3-otw-dump-sample is absent (${SAMPLE})`))
      return;
    const lines: string[] = [];
    const s = await importAo3Dump(h.db, engine, {
      tagsFile: SAMPLE_TAGS,
      worksFile: SAMPLE_WORKS,
      now: NOW,
      batch: 300,
      progress: (l) => lines.push(l),
      progressEveryMs: 0,
    });
    // 1,999 rows: the 26 ratings, warnings, categories and media match the fixed tags.
    assert.equal(s.tags.rows, 1999);
    assert.equal(s.tags.created, 1973);
    assert.equal(s.tags.matched, 26);
    assert.equal(s.tags.canonical, 1178 - 26);
    assert.deepEqual(s.tags.skipped, {});
    // 722 synonyms; 113 fold into a canonical tag the head of the file holds.
    assert.equal(s.tags.synonyms.linked, 113);
    assert.equal(s.tags.synonyms.unresolved, 722 - 113);
    assert.ok(s.works);
    assert.equal(s.works.rows, 999);
    assert.equal(s.works.imported, 999);
    assert.deepEqual(s.works.skipped, {});
    assert.equal(s.works.tagRefs, 22527);
    assert.equal(s.works.unresolvedTagRefs, 22527 - 5105);
    assert.equal(s.works.withoutRating, 0);
    assert.ok(
      lines.some((l) => /^works: 999 in /.test(l)),
      lines.join("\n"),
    );
    assert.ok(lines.some((l) => /^tags: 1,999 rows/.test(l)));

    const sample = sampleWorks();
    const works = await h.db
      .selectFrom("works")
      .innerJoin("creatorships", "creatorships.work_id", "works.id")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .select([
        "works.id",
        "title",
        "word_count",
        "restricted",
        "complete",
        "language",
        "published_at",
        "chapter_count",
        "posted",
      ])
      .where("pseuds.name", "=", DUMP_LOGIN)
      .orderBy("works.id")
      .execute();
    assert.equal(works.length, 999);
    assert.equal(works.filter((w) => w.restricted).length, 16);
    assert.ok(
      works.every(
        (w) => w.complete === 1 && w.posted === 1 && w.chapter_count === 1 && w.language === "en",
      ),
    );
    assert.equal(
      works.reduce((sum, w) => sum + w.word_count, 0),
      sample.reduce((sum, w) => sum + w.words, 0),
    );
    assert.equal(works[0]!.title, "Untitled work (AO3 data dump, row 1)");
    assert.equal(works[0]!.word_count, 13207);
    assert.equal(works[0]!.published_at, Date.UTC(2021, 1, 26));
    assert.equal(works[998]!.published_at, Date.UTC(2021, 1, 24));

    const synonyms = await h.db
      .selectFrom("tags")
      .select("id")
      .where("merger_id", "is not", null)
      .execute();
    assert.equal(synonyms.length, 113);
    const au = await findTagByName(h.db, "AU");
    const alternate = await findTagByName(h.db, "Alternate Universe");
    assert.ok(au && alternate);
    assert.equal(au.merger_id, alternate.id);
    assert.equal(au.type, "freeform");
    assert.equal(alternate.canonical, 1);
    assert.equal(
      (await findTagByName(h.db, "Sam/Dean"))?.merger_id,
      (await findTagByName(h.db, "Dean Winchester/Sam Winchester"))?.id,
    );

    // A synonym folds into its canonical tag: works tagged "AU" are listed under "Alternate Universe".
    const reader = await member(h);
    const withAu = sample.filter((w) => w.tags.includes("137")).length;
    const underAlternate = sample.filter(
      (w) => w.tags.includes("137") || w.tags.includes("968"),
    ).length;
    assert.ok(withAu > 0 && underAlternate > sample.filter((w) => w.tags.includes("968")).length);
    assert.equal(await listed(h, reader, "Alternate Universe"), underAlternate);
    // Counts: uses per audience, restricted works only for logged-in readers.
    const explicit = sample.filter((w) => w.tags.includes("13"));
    const explicitTag = await findTagByName(h.db, "Explicit");
    assert.equal(explicitTag?.members_count, explicit.length);
    assert.equal(explicitTag?.public_count, explicit.filter((w) => !w.restricted).length);
    assert.equal(await listed(h, reader, "Explicit"), explicit.length);
    assert.equal(await listed(h, GUEST, "Explicit"), explicit.filter((w) => !w.restricted).length);
    // AO3's 2021 "Underage" is this archive's "Underage Sex".
    assert.equal(
      await listed(h, reader, "Underage Sex"),
      sample.filter((w) => w.tags.includes("20")).length,
    );

    // Again: works refused before anything is written; tags alone are harmless.
    await assert.rejects(
      importAo3Dump(h.db, engine, { tagsFile: SAMPLE_TAGS, worksFile: SAMPLE_WORKS, now: NOW }),
      (err: unknown) =>
        err instanceof Ao3DumpError &&
        /already holds 999 works imported from an AO3 data dump/.test(err.message),
    );
    const again = await importAo3Dump(h.db, engine, { tagsFile: SAMPLE_TAGS, now: NOW });
    assert.equal(again.tags.created, 0);
    assert.equal(again.tags.matched, 1999);
    assert.equal(again.tags.synonyms.linked, 0);
    assert.equal(again.tags.synonyms.already, 113);
    const count = await h.db
      .selectFrom("works")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 999);
  });
});

/** Small hand-written dump files for the edge cases. */
function writeDump(dir: string) {
  const tags = join(dir, "tags.csv");
  const works = join(dir, "works.csv");
  writeFileSync(
    tags,
    [
      "id,type,name,canonical,cached_count,merger_id",
      "10,Rating,General Audiences,TRUE,1,",
      "13,Rating,Explicit,TRUE,1,",
      "14,ArchiveWarning,Choose Not To Use Archive Warnings,TRUE,1,",
      "23,Category,M/M,TRUE,1,",
      "1,Media,TV Shows,TRUE,1,",
      // A synonym before its canonical tag, and one folding into a tag this archive has.
      "100,Character,Derek Shepard,FALSE,1,101",
      "101,Character,Derek Shepherd,TRUE,1,",
      "102,Freeform,Slow Burn,TRUE,1,",
      "103,Freeform,slowburn,FALSE,1,102",
      '104,Fandom,"Grey\'s Anatomy, Seattle",TRUE,1,',
      "105,Banned,Spam,FALSE,1,",
      "106,Character,Meredith Grey,FALSE,1,999999",
      "107,Freeform,Typo,FALSE,1,101",
      "",
    ].join("\r\n"),
  );
  writeFileSync(
    works,
    [
      "creation date,language,restricted,complete,word_count,tags",
      "1/5/2021,en,FALSE,TRUE,1200,10+14+23+100+103+104+555",
      "1/6/2021,ptBR,TRUE,FALSE,800,13+101+102+1",
      "13/40/2021,en,FALSE,TRUE,5,10",
      "1/7/2021,de,FALSE,TRUE,70,106+107",
      "1/8/2021,en,FALSE,TRUE,9,10",
      "",
    ].join("\n"),
  );
  return { tags, works };
}

describeEachEngine("AO3 data dump import (edge cases)", (engine) => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp(engine);
  });
  after(() => app.close());

  test("synonyms in any order, archive tags keep their wrangling, broken rows counted, --limit", async () => {
    const h = app.handle;
    // This archive already uses "slowburn" (unwrangled): once the dump makes it a synonym,
    // the existing work is found under "Slow Burn" too.
    const author = await buildUser(h.db);
    const existing = await buildWork(h.db, {
      pseudId: author.pseudId,
      title: "Already here",
      freeforms: "slowburn",
    });
    const files = writeDump(mkdtempSync(join(tmpdir(), "fanfold-ao3-dump-")));
    const s = await importAo3Dump(h.db, engine, {
      tagsFile: files.tags,
      worksFile: files.works,
      limit: 4,
      now: NOW,
    });

    assert.equal(s.tags.rows, 13);
    assert.deepEqual(Object.keys(s.tags.skipped), ['tags of type "Banned" are not imported']);
    assert.equal(s.tags.skipped['tags of type "Banned" are not imported']?.lines[0], 12);
    assert.equal(s.tags.matched, 6, "5 fixed tags and slowburn");
    assert.equal(s.tags.created, 6);
    // Derek Shepard (listed before its canonical), slowburn (in use here), Typo (wrong type).
    assert.equal(s.tags.synonyms.linked, 2);
    assert.equal(s.tags.synonyms.unresolved, 1);
    assert.deepEqual(Object.keys(s.tags.synonyms.kept), [
      "its canonical tag has another type here",
    ]);
    assert.equal(
      (await findTagByName(h.db, "Derek Shepard"))?.merger_id,
      (await findTagByName(h.db, "Derek Shepherd"))?.id,
    );
    assert.equal((await findTagByName(h.db, "Typo"))?.merger_id, null);
    assert.equal((await findTagByName(h.db, "Grey's Anatomy, Seattle"))?.type, "fandom");

    assert.ok(s.works);
    assert.equal(s.works.rows, 4, "--limit 4 reads four rows");
    assert.equal(s.works.imported, 3);
    assert.deepEqual(s.works.skipped, {
      "the creation date is not a date (M/D/YYYY)": { count: 1, lines: [4] },
    });
    assert.equal(s.works.unresolvedTagRefs, 1, "555 is not in the tags file");
    assert.equal(s.works.unusableTagRefs, 1, "a medium is not a work's tag");
    assert.equal(s.works.withoutRating, 1);

    const reader: Viewer = { user: readerOf(author), adultConsent: true };
    assert.equal(
      await listed(h, reader, "Slow Burn"),
      3,
      "the archive's work, dump work 1 (slowburn) and 2",
    );
    assert.equal(await listed(h, reader, "Derek Shepherd"), 2);
    assert.equal(await listed(h, reader, "Not Rated"), 1);
    assert.equal(await listed(h, reader, "Creator Chose Not To Use Archive Warnings"), 1);
    const rows = await h.db
      .selectFrom("works")
      .selectAll()
      .where("title", "like", "Untitled work (AO3%")
      .orderBy("id")
      .execute();
    assert.deepEqual(
      rows.map((w) => [w.language, w.restricted, w.complete, w.expected_chapters, w.word_count]),
      [
        ["en", 0, 1, 1, 1200],
        ["pt-BR", 1, 0, null, 800],
        ["de", 0, 1, 1, 70],
      ],
    );
    const slowburn = await findTagByName(h.db, "slowburn");
    assert.equal(slowburn?.members_count, 2, "the archive's work and dump work 1");

    // The work page shows a dump work as any other, to guests when it is not restricted.
    const guest = new Client(app.app);
    const page = await guest.get(`/works/${rows[0]!.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /AO3 data dump, row 1/);
    assert.match(page.body, /holds its date, language, word count and tags/);
    assert.match(page.body, /1,200/);
    const restricted = await guest.get(`/works/${rows[1]!.id}`);
    assert.notEqual(restricted.statusCode, 200);
    assert.ok(existing.workId > 0);
  });

  test("the command: missing --tags, a file that is not the dump, a refused second run", async () => {
    const h = app.handle;
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const status = await ao3DumpCommand(h.db, engine, args, {
        log: (l) => out.push(l),
        progress: (l) => err.push(l),
      });
      return { status, out: out.join("\n"), err: err.join("\n") };
    };
    const dir = mkdtempSync(join(tmpdir(), "fanfold-ao3-dump-"));
    const files = writeDump(dir);
    let r = await run(["--works", files.works]);
    assert.equal(r.status, 2);
    assert.match(r.err, /--tags is required/);
    r = await run(["--tags", files.works]);
    assert.equal(r.status, 2);
    assert.match(
      r.err,
      /not the tags CSV of the AO3 data dump: no column "id", "type", "name", "canonical", "merger_id"/,
    );
    r = await run(["--tags", join(dir, "nope.csv")]);
    assert.equal(r.status, 2);
    assert.match(r.err, /no such file/);
    r = await run(["--tags", files.tags, "--limit", "lots"]);
    assert.equal(r.status, 2);
    assert.match(r.err, /--limit must be a whole number/);
    const broken = join(dir, "broken.csv");
    writeFileSync(
      broken,
      'id,type,name,canonical,cached_count,merger_id\n1,Fandom,"open,TRUE,1,\n',
    );
    r = await run(["--tags", broken]);
    assert.equal(r.status, 2);
    assert.match(r.err, /broken\.csv: line 2: a quoted field is not closed/);
    // The first test imported works: a second import of works is refused, tags alone are fine.
    r = await run(["--tags", files.tags, "--works", files.works]);
    assert.equal(r.status, 2);
    assert.match(r.err, /already holds 3 works imported from an AO3 data dump/);
    r = await run(["--tags", files.tags]);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /^Tags: 13 rows, 0 created/m);
    assert.match(r.out, /2 already linked/);
    assert.match(r.err, /^tags: 13 rows in/m);
  });
});
