/**
 * `fanfold import FILE… --user LOGIN`: the command's logic on both engines, called in this
 * process (importCommand, what src/cli.ts runs), and once as an operator runs it, as a
 * subprocess on a SQLite archive in a fresh data directory.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { openDb, type DbHandle } from "../../src/core/db/index.ts";
import { importCommand } from "../../src/import/cli.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";
import { docx, epub, heading, para, run, text } from "./fixtures.ts";

const root = new URL("../..", import.meta.url).pathname;
const chapterText = (n: number) =>
  `Chapter ${n}\n\nThe text of chapter ${n}, long enough to count.`;

/** Files every test can import, in a temporary directory. */
function writeFiles(dir: string) {
  const files = {
    story: join(dir, "the_elevator.txt"),
    chapters: join(dir, "three.txt"),
    docx: join(dir, "bold.docx"),
    broken: join(dir, "broken.docx"),
    image: join(dir, "cover.txt"),
  };
  writeFileSync(
    files.story,
    "A/N: Feel free to tell me what you think. Mark's POV is bold; Lexie's is plain.\n\nIt's been a long day. She can't wait to get home.\n",
  );
  writeFileSync(files.chapters, [1, 2, 3].map(chapterText).join("\n\n"));
  writeFileSync(
    files.docx,
    docx({
      title: "Bold Choices",
      body: [
        heading(1, "One"),
        para(run("Mark's ", {}), run("bold", { b: true }), run(" words.")),
        heading(1, "Two"),
        text("Lexie's plain words."),
      ],
    }),
  );
  writeFileSync(files.broken, zipSync({ "word/document.xml": strToU8("<w:document><oops") }));
  writeFileSync(files.image, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return files;
}

describeEachEngine("fanfold import (in process)", (engine) => {
  let handle: DbHandle;
  let dir: string;
  let files: ReturnType<typeof writeFiles>;
  let login: string;

  before(async () => {
    handle = await openTestDb(engine);
    dir = mkdtempSync(join(tmpdir(), "fanfold-import-"));
    files = writeFiles(dir);
    login = (await buildUser(handle.db, { login: "importer" })).login;
  });
  after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await importCommand(handle.db, args, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      now: () => Date.now(),
      publicUrl: "https://archive.example",
    });
    return { status, out, err };
  }

  const workById = (id: number) =>
    handle.db.selectFrom("works").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const chaptersOf = (id: number) =>
    handle.db
      .selectFrom("chapters")
      .select(["title", "text_html", "position"])
      .where("work_id", "=", id)
      .orderBy("position")
      .execute();
  const idIn = (line: string | undefined) => Number(/\/works\/(\d+)$/.exec(line ?? "")?.[1]);

  test("posts each file as a work of the user's default pseud, with chapters, notes and a summary line", async () => {
    const result = await run([
      files.story,
      files.chapters,
      files.docx,
      "--user",
      login,
      "--fandom",
      "Grey's Anatomy",
      "--rating",
      "mature",
      "--tag",
      "Elevator Sex",
    ]);
    assert.equal(result.status, 0, result.err.join("\n"));
    const lines = result.out.filter((l) => !l.startsWith("  "));
    assert.equal(lines.length, 3, result.out.join("\n"));
    assert.match(
      lines[0] ?? "",
      /the_elevator\.txt: posted "the elevator" \(txt\): 1 chapter, 11 words, \d+\.\d\d s — https:\/\/archive\.example\/works\/\d+$/,
    );
    assert.match(lines[1] ?? "", /three\.txt: posted "three" \(txt\): 3 chapters, 27 words/);
    assert.match(lines[2] ?? "", /bold\.docx: posted "Bold Choices" \(docx\): 2 chapters/);

    const story = await workById(idIn(lines[0]));
    assert.equal(story.posted, 1);
    assert.equal(story.complete, 1);
    assert.match(story.notes_html, /Mark's POV is bold; Lexie's is plain/);
    const tags = await handle.db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .select(["tags.name", "tags.type"])
      .where("work_tags.work_id", "=", story.id)
      .orderBy("tags.name")
      .execute();
    assert.deepEqual(
      tags.map((t) => t.name),
      ["Creator Chose Not To Use Archive Warnings", "Elevator Sex", "Grey's Anatomy", "Mature"],
    );
    assert.deepEqual(
      (await chaptersOf(idIn(lines[1]))).map((c) => c.title),
      ["Chapter 1", "Chapter 2", "Chapter 3"],
    );
    const bold = await chaptersOf(idIn(lines[2]));
    assert.deepEqual(
      bold.map((c) => [c.title, c.text_html]),
      [
        ["One", "<p>Mark's <strong>bold</strong> words.</p>"],
        ["Two", "<p>Lexie's plain words.</p>"],
      ],
    );
  });

  test("a broken or unknown file is reported, the others still go in, and the status is 1", async () => {
    const result = await run([
      files.broken,
      files.image,
      files.chapters,
      "--user",
      login,
      "--fandom",
      "X",
      "--draft",
      "--split",
      "none",
    ]);
    assert.equal(result.status, 1);
    assert.match(
      result.err[0] ?? "",
      /broken\.docx: not imported \(400\): "[^"]*broken\.docx" is not a readable Word document/,
    );
    assert.match(result.err[1] ?? "", /cover\.txt: not imported \(415\): .* is a PNG image/);
    assert.equal(result.err[2], "2 files of 3 not imported.");
    const saved = result.out.find((l) => l.includes("three.txt"));
    assert.match(saved ?? "", /saved as a draft "three" \(txt\): 1 chapter/);
    assert.equal((await workById(idIn(saved))).posted, 0);
  });

  test("a description too long for a summary goes to the notes; the work is still imported", async () => {
    const long = "A very long description. ".repeat(60);
    const file = join(dir, "described.epub");
    writeFileSync(
      file,
      epub({
        title: "Described",
        description: long,
        items: [{ id: "c1", href: "c1.xhtml", body: "<p>The chapter's text.</p>" }],
      }),
    );
    const result = await run([file, "--user", login, "--fandom", "X"]);
    assert.equal(result.status, 0, result.err.join("\n"));
    assert.ok(
      result.out.includes(
        "  The description is longer than a summary may be: it is in the beginning notes.",
      ),
      result.out.join("\n"),
    );
    const work = await workById(idIn(result.out.find((l) => l.includes("posted"))));
    assert.equal(work.summary_html, "");
    assert.match(work.notes_html, /^<p>A very long description\./);
  });

  test("bad arguments exit 2 before any file is read", async () => {
    const refusals: [string[], RegExp][] = [
      [[files.story, "--user", login], /^--fandom is required/],
      [[files.story, "--fandom", "X"], /^usage: import FILE/],
      [["--user", login, "--fandom", "X"], /^usage: import FILE/],
      [
        [files.story, "--user", "nobody_here", "--fandom", "X"],
        /^No account is named "nobody_here"/,
      ],
      [
        [files.story, "--user", login, "--fandom", "X", "--rating", "PG"],
        /^--rating must be one of: General Audiences/,
      ],
      [
        [files.story, "--user", login, "--fandom", "X", "--warning", "Spiders"],
        /^--warning must be one of/,
      ],
      [
        [files.story, "--user", login, "--fandom", "X", "--split", "heading:9"],
        /^--split: "heading:9" is not one of/,
      ],
      [
        [files.story, "--user", login, "--fandom", "X", "--encoding", "klingon"],
        /^--encoding: "klingon" is not a known/,
      ],
      [[files.story, "--user", login, "--fandom", "X", "--language", "xx-nope"], /^--language:/],
      [
        [files.story, "--user", login, "--fandom", "X", "--pseud", "Ghost"],
        /has no pseud named "Ghost"/,
      ],
      [[files.story, "--user", login, "--fandom", "X", "--bogus"], /Unknown option '--bogus'/],
    ];
    const before = await handle.db
      .selectFrom("works")
      .select(handle.db.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    for (const [args, message] of refusals) {
      const result = await run(args);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.err[0] ?? "", message, args.join(" "));
    }
    const afterCount = await handle.db
      .selectFrom("works")
      .select(handle.db.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });
});

describe("fanfold import (as a command)", () => {
  let dataDir: string;
  let files: ReturnType<typeof writeFiles>;

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FANFOLD_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    };
    delete env.DATABASE_URL;
    delete env.FANFOLD_PUBLIC_URL;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fanfold-import-cli-"));
    files = writeFiles(dataDir);
    const first = await cli(["migrate"]);
    assert.equal(first.code, 0, first.stderr);
    const handle = openDb({ kind: "sqlite", file: join(dataDir, "fanfold.db") });
    try {
      await buildUser(handle.db, { login: "writer" });
    } finally {
      await handle.close();
    }
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("imports files, prints one line per file, exits 1 when one failed", async () => {
    const run = await cli([
      "import",
      files.chapters,
      files.image,
      "--user",
      "writer",
      "--fandom",
      "Grey's Anatomy",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /three\.txt: posted "three" \(txt\): 3 chapters, 27 words, [\d.]+ s — \/works\/1\n/,
    );
    assert.match(run.stderr, /cover\.txt: not imported \(415\)/);
    const ok = await cli(["import", files.story, "--user", "writer", "--fandom", "Grey's Anatomy"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /the_elevator\.txt: posted "the elevator"[^\n]*\/works\/2\n/);
    assert.match(ok.stdout, /offered as the work's beginning notes/);
  });
});
