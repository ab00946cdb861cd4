/**
 * Every EPUB the archive serves passes EPUBCheck with 0 errors and 0 warnings: the two seed
 * stories, Pride and Prejudice in its 61 chapters, a work using every element and attribute
 * the sanitizer allows (generated from its allowlist, so a new tag is covered as soon as it is
 * allowed), tag soup the sanitizer keeps (blocks inside bold, loose text in lists and tables),
 * a restricted work (downloaded by a logged-in reader; a guest is sent to log in), and
 * Unicode, right-to-left and markup characters in titles and tag names. First the harness
 * proves it catches broken files (../shared/data/epubcheck-testfiles). All files are checked
 * in one JVM start.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { SANITIZER_ALLOWLIST, formatUserText } from "../../src/core/text/sanitize.ts";
import { postWorkWithChapters } from "../../src/works/commands.ts";
import { NewWorkInput } from "../../src/works/schemas.ts";
import { downloadPath } from "../../src/works/views/links.tsx";
import { Client, createTestApp, workForm, workIdFrom } from "../support/app.ts";
import { skipUnless } from "../support/skip.ts";
import { describeProblems, epubcheck, epubcheckAvailable } from "./epubcheck.ts";

const shared = join(process.cwd(), "..", "shared");
const seedsDir = join(shared, "seeds");
const prideFile = join(shared, "data", "gutenberg-pride-and-prejudice", "1342-h.htm");
const testfiles = join(shared, "data", "epubcheck-testfiles");

/** Sample values for each allowed attribute. */
const ATTRIBUTE_VALUES: Record<string, string> = {
  class: "fancy",
  dir: "rtl",
  align: "center",
  lang: "fr",
  title: "A title & <more>",
  href: "https://example.org/a?b=1&c=2",
  name: "anchor-here",
  rel: "nofollow",
  src: "https://example.org/picture.png",
  alt: "A picture",
  width: "50%",
  height: "20",
  colspan: "2",
  rowspan: "1",
  span: "1",
  start: "3",
  type: "a",
  cite: "https://example.org/source",
  open: "open",
};

function attrs(tag: string): string {
  const names = new Set([
    ...(SANITIZER_ALLOWLIST.attributes["*"] ?? []),
    ...(SANITIZER_ALLOWLIST.attributes[tag] ?? []),
  ]);
  return [...names]
    .map((n) => {
      const v = tag === "ul" && n === "type" ? "square" : (ATTRIBUTE_VALUES[n] ?? "x");
      return ` ${n}="${v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}"`;
    })
    .join("");
}

/** Where each element must sit to mean something: its parent's markup around it. */
const CONTEXT: Record<string, (inner: string) => string> = {
  li: (s) => `<ul>${s}</ul>`,
  dt: (s) => `<dl>${s}<dd>d</dd></dl>`,
  dd: (s) => `<dl><dt>t</dt>${s}</dl>`,
  tr: (s) => `<table>${s}</table>`,
  td: (s) => `<table><tr>${s}</tr></table>`,
  th: (s) => `<table><tr>${s}</tr></table>`,
  thead: (s) => `<table>${s}</table>`,
  tbody: (s) => `<table>${s}</table>`,
  tfoot: (s) => `<table>${s}</table>`,
  caption: (s) => `<table>${s}<tr><td>c</td></tr></table>`,
  col: (s) => `<table><colgroup>${s}</colgroup><tr><td>c</td></tr></table>`,
  colgroup: (s) => `<table>${s}<tr><td>c</td></tr></table>`,
  rt: (s) => `<ruby>漢${s}</ruby>`,
  rp: (s) => `<ruby>漢<rt>kan</rt>${s}</ruby>`,
  summary: (s) => `<details>${s}<p>more</p></details>`,
  figcaption: (s) => `<figure><p>f</p>${s}</figure>`,
};
const INNER: Record<string, string> = {
  ul: "<li>item</li>",
  ol: "<li>item</li>",
  dl: "<dt>term</dt><dd>definition</dd>",
  table: "<tr><td>cell</td></tr>",
  thead: "<tr><th>head</th></tr>",
  tbody: "<tr><td>body</td></tr>",
  tfoot: "<tr><td>foot</td></tr>",
  tr: "<td>cell</td>",
  colgroup: "<col>",
  ruby: "漢<rt>kan</rt>",
  details: "<summary>More</summary><p>inside</p>",
  figure: "<p>figure</p><figcaption>caption</figcaption>",
};
const VOID = new Set(["br", "hr", "img", "col"]);

/** One paragraph or block per allowed tag, each with every attribute it may carry. */
export function everyElementHtml(): string {
  return SANITIZER_ALLOWLIST.tags
    .map((tag) => {
      const el = VOID.has(tag)
        ? `<${tag}${attrs(tag)}>`
        : `<${tag}${attrs(tag)}>${INNER[tag] ?? `${tag} text`}</${tag}>`;
      const placed = CONTEXT[tag]?.(el) ?? el;
      return `<div>${placed}</div>\n\n<p>After <b>${tag}</b>: <a href="#anchor-here">back</a> <a href="#missing">nowhere</a> <a href="/works">relative</a></p>`;
    })
    .join("\n\n");
}

const TAG_SOUP = `<b><p>Bold paragraph one.</p><p>Bold paragraph two.</p><table><tr><td>bold cell</td></tr></table></b>
<ul>loose text<p>a paragraph in a list</p><li>an item</li></ul>
<table>loose<tr><td>cell</td></tr><p>para in table</p><tbody><tr><td>b</td></tr></tbody></table>
<p><span><h1>Heading in a span</h1></span></p>
<i><blockquote>quoted in italics<ul><li>list</li></ul></blockquote></i>
<a href="https://example.org/"><a href="https://example.org/2">nested link</a></a>
<summary>summary alone</summary><li>item alone</li><td>cell alone</td><dt>term alone</dt>
<details><p>first</p><summary>late summary</summary></details>
<figure><p>a</p><figcaption>middle</figcaption><p>b</p></figure>
<center><big>big</big> <tt>tt</tt> <strike>strike</strike> <acronym title="x">ACR</acronym></center>
<a name="same">one</a><a name="same">two</a><a name="has space">three</a>
<ol type="z" start="x"><li>bad attributes</li></ol><table width="lots"><tr><td colspan="-1">x</td></tr></table>
<p dir="sideways" lang="not a language">odd attributes</p>
<p>Control\u0007characters and a lone surrogate \uD800 and U+FFFE \uFFFE.</p>`;

test("every EPUB download passes epubcheck with 0 errors and 0 warnings", async (t) => {
  if (skipUnless(t, epubcheckAvailable(), "epubcheck not installed (apt-get install -y epubcheck)"))
    return;
  if (
    skipUnless(t, existsSync(shared), `../shared not found at ${shared}; epubcheck suite skipped`)
  )
    return;
  const out = mkdtempSync(join(tmpdir(), "fanfold-epubs-"));
  const app = await createTestApp("sqlite", { FANFOLD_PUBLIC_URL: "https://archive.example.org" });
  try {
    const writer = new Client(app.app);
    await writer.signUp("epub_writer");
    const post = async (fields: Record<string, string | string[]>) => {
      const res = await writer.post("/works", workForm(fields));
      assert.equal(res.statusCode, 303, res.body.slice(0, 400));
      return workIdFrom(res.headers.location);
    };
    const works: { name: string; id: number; title: string }[] = [];
    const add = async (name: string, fields: Record<string, string | string[]>) =>
      works.push({ name, id: await post(fields), title: String(fields.title) });

    // The seed stories (plain text; the second's author's note as the work's notes).
    const seeds = readdirSync(seedsDir)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => readFileSync(join(seedsDir, f), "utf8"));
    const common = {
      fandoms: "Grey's Anatomy",
      relationships: "Mark Sloan/Lexie Grey",
      characters: "Mark Sloan, Lexie Grey",
      categories: ["F/M"],
    };
    await add("seed 1", {
      ...common,
      title: "Two Somethings",
      rating: "Explicit",
      text: seeds[0]!,
    });
    const [note, ...rest] = seeds[1]!.replace(/\r\n?/g, "\n").split(/\n\s*\n/);
    await add("seed 2", {
      ...common,
      title: "The Elevator",
      rating: "Teen And Up Audiences",
      notes: note!.trim(),
      text: rest.join("\n\n"),
    });

    await add("every allowed element", {
      title: "Every Element",
      summary: "<p>A <b>summary</b> with <i>markup</i>.</p>",
      notes: "<p>Notes with a <a href='#nowhere'>dead link</a>.</p>",
      end_notes: "<p>End notes <u>underlined</u>.</p>",
      text: everyElementHtml(),
      expected_chapters: "2",
    });
    const everyId = works[works.length - 1]!.id;
    const second = await writer.post(`/works/${everyId}/chapters`, {
      chapter_title: "Soup",
      text: TAG_SOUP,
      summary: "Chapter <em>summary</em>",
      notes: "Chapter notes",
      end_notes: "Chapter end notes",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 400));

    await add("unicode and RTL", {
      title: `«Ünïcode» & <RTL> שלום עולם "quotes" 'single' — 日本語`,
      language: "he",
      fandoms: `Tom & Jerry "The Movie", ספרות`,
      freeforms: `Café's "Best" & Worst, مرحبا`,
      summary: "תקציר בעברית & <b>bold</b>",
      text: "<p dir='rtl'>שלום <b>עולם</b></p>\n\nEmoji 😀 and ZWJ 👩‍👩‍👧.",
    });
    await add("restricted", { title: "Members Only", restricted: "1" });

    // Pride and Prejudice, split at its chapter headings.
    const pride = readFileSync(prideFile, "utf8");
    const body = pride.slice(
      0,
      pride.search(/\*\*\* ?END OF/) > 0 ? pride.search(/\*\*\* ?END OF/) : undefined,
    );
    const parts = body.split(/<h2>\s*Chapter\s+(\d+)\s*<\/h2>/i);
    const chapters: { title: string; html: string }[] = [];
    for (let i = 1; i + 1 < parts.length; i += 2)
      chapters.push({ title: `Chapter ${parts[i]}`, html: formatUserText(parts[i + 1]!) });
    assert.equal(chapters.length, 61, "Pride and Prejudice has 61 chapters");
    const [login] = [
      ...(await app.deps.db
        .selectFrom("users")
        .select("id")
        .where("login", "=", "epub_writer")
        .execute()),
    ];
    const pseud = await app.deps.db
      .selectFrom("pseuds")
      .select("id")
      .where("user_id", "=", login!.id)
      .executeTakeFirstOrThrow();
    const posted = await postWorkWithChapters(app.deps.db, {
      pseudId: pseud.id,
      input: NewWorkInput.parse({
        title: "Pride and Prejudice",
        rating: "General Audiences",
        warnings: ["No Archive Warnings Apply"],
        fandoms: "Pride and Prejudice - Jane Austen",
        language: "en",
        text: chapters[0]!.html,
        chapter_title: chapters[0]!.title,
        expected_chapters: "61",
        action: "post",
      }),
      moreChapters: chapters.slice(1),
      now: app.clock.now,
    });
    assert.ok(posted.ok, JSON.stringify(!posted.ok && posted.errors));
    works.push({
      name: "Pride and Prejudice",
      id: posted.value.workId,
      title: "Pride and Prejudice",
    });

    // The restricted one: a guest is sent to log in; a logged-in reader gets the file.
    const restricted = works.find((w) => w.name === "restricted")!;
    const guest = await new Client(app.app).get(downloadPath(restricted, "epub"));
    assert.equal(guest.statusCode, 302);
    assert.match(String(guest.headers.location), /^\/users\/login\?restricted=true/);
    const reader = new Client(app.app);
    await reader.signUp("epub_reader");

    const files: string[] = [];
    for (const w of works) {
      const who = w.name === "restricted" ? reader : writer;
      const res = await who.get(`${downloadPath(w, "epub")}?view_adult=true`);
      assert.equal(res.statusCode, 200, `${w.name}: ${res.body.slice(0, 300)}`);
      assert.equal(res.headers["content-type"], "application/epub+zip");
      const file = join(out, `${w.id}.epub`);
      writeFileSync(file, res.rawPayload);
      files.push(file);
    }

    // What the files hold (before asking epubcheck whether they are valid).
    const unzip = (i: number) => unzipSync(readFileSync(files[i]!));
    const raw = readFileSync(files[0]!);
    assert.equal(
      raw.subarray(30, 38).toString("latin1"),
      "mimetype",
      "mimetype is the first entry",
    );
    assert.equal(raw.readUInt16LE(8), 0, "mimetype is stored, not compressed");
    const every = unzip(works.findIndex((w) => w.name === "every allowed element"));
    const ch1 = strFromU8(every["OEBPS/chapter-1.xhtml"]!);
    const ch2 = strFromU8(every["OEBPS/chapter-2.xhtml"]!);
    assert.match(
      ch2,
      /<b><span class="x-p">Bold paragraph one\.<\/span>/,
      "bold kept around blocks",
    );
    assert.match(ch1, /<span class="big fancy"[^>]*>big text<\/span>/);
    assert.match(ch1, /<a href="https:\/\/archive\.example\.org\/works">relative<\/a>/);
    assert.match(ch1, /\[Image: A picture\]/);
    const title = strFromU8(every["OEBPS/title.xhtml"]!);
    assert.match(title, /https:\/\/archive\.example\.org\/works\/\d+/, "the work's address");
    const opf = strFromU8(every["OEBPS/content.opf"]!);
    assert.match(opf, /<dc:identifier id="uid">urn:uuid:[0-9a-f-]{36}<\/dc:identifier>/);
    assert.match(opf, /<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/meta>/);
    assert.ok(every["OEBPS/toc.ncx"] && every["OEBPS/nav.xhtml"], "NCX and nav document");
    const prideZip = unzip(files.length - 1);
    assert.equal(
      Object.keys(prideZip).filter((n) => /^OEBPS\/chapter-\d+\.xhtml$/.test(n)).length,
      61,
    );
    assert.match(strFromU8(prideZip["OEBPS/nav.xhtml"]!), /Chapter 61: Chapter 61/);
    const uni = unzip(works.findIndex((w) => w.name === "unicode and RTL"));
    assert.match(strFromU8(uni["OEBPS/content.opf"]!), /page-progression-direction="rtl"/);
    assert.match(strFromU8(uni["OEBPS/title.xhtml"]!), /Tom &amp; Jerry &quot;The Movie&quot;/);

    // The harness catches broken files (and passes the known-good one).
    const ocf = join(testfiles, "epub3", "04-ocf", "files");
    const known = [
      { file: join(ocf, "ocf-mimetype-file-missing-error.epub"), id: "PKG-006" },
      { file: join(ocf, "ocf-zip-mimetype-entry-extra-field-error.epub"), id: "PKG-005" },
      { file: join(ocf, "ocf-filename-duplicate-zip-entry-error.epub"), id: "OPF-060" },
    ];
    const good = join(testfiles, "epub3", "00-minimal", "files", "minimal.epub");
    const reports = await epubcheck([...known.map((k) => k.file), good, ...files]);
    known.forEach((k, i) => {
      const r = reports[i]!;
      assert.ok(r.errors + r.fatals > 0, `${k.file} must fail`);
      assert.ok(
        r.problems.some((p) => p.id === k.id),
        `${k.file} reports ${k.id}`,
      );
    });
    assert.equal(
      reports[known.length]!.problems.length,
      0,
      describeProblems(reports[known.length]!),
    );
    works.forEach((w, i) => {
      const r = reports[known.length + 1 + i]!;
      assert.equal(
        r.fatals + r.errors + r.warnings,
        0,
        `${w.name} (${r.file}):\n${describeProblems(r)}`,
      );
    });
  } finally {
    await app.close();
  }
});
