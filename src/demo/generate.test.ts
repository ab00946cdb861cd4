import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { readingShape, wallOfText } from "../../test/support/reading-shape.ts";
import { skipUnless } from "../../test/support/skip.ts";
import { formatUserText } from "../core/text/sanitize.ts";
import type { DemoUser, DemoWork, GenerateOptions } from "./generate.ts";
import {
  CATEGORIES,
  DEMO_PASSWORD,
  RATINGS,
  WARNINGS,
  demoUsers,
  generateWorks,
  misspell,
} from "./generate.ts";
import { decodeEntities, isValidTagName, loadFreeformTags } from "./freeform-source.ts";
import { Random, WeightTable } from "./random.ts";
import { BUILTIN_FREEFORMS, FANDOMS } from "./vocabulary.ts";

const NOW = Date.UTC(2026, 0, 1);
const FORBIDDEN = /[,*<>^{}=`\\%]/;
const NAWA = "No Archive Warnings Apply";

function works(opts: Partial<GenerateOptions> & { works: number }, users: DemoUser[]): DemoWork[] {
  return [...generateWorks({ now: NOW, ...opts }, users)];
}

function userTags(w: DemoWork): string[] {
  return [...w.fandoms, ...w.relationships, ...w.characters, ...w.freeforms];
}

/** Every invariant a stored work must satisfy; throws with the work's index on failure. */
function checkWork(w: DemoWork, users: DemoUser[], i: number): void {
  const where = `work ${i} (${w.title})`;
  const user = users[w.userIndex];
  assert.ok(user, `${where}: userIndex ${w.userIndex} out of range`);
  assert.ok(user.pseuds.includes(w.pseud), `${where}: pseud ${w.pseud} not ${user.login}'s`);
  assert.ok((RATINGS as readonly string[]).includes(w.rating), `${where}: rating ${w.rating}`);
  assert.ok(w.warnings.length >= 1, `${where}: no warnings`);
  for (const x of w.warnings)
    assert.ok((WARNINGS as readonly string[]).includes(x), `${where}: ${x}`);
  assert.equal(new Set(w.warnings).size, w.warnings.length, `${where}: duplicate warning`);
  if (w.warnings.includes(NAWA)) assert.deepEqual(w.warnings, [NAWA], `${where}: NAWA with others`);
  assert.ok(w.categories.length <= 2, `${where}: ${w.categories.length} categories`);
  for (const c of w.categories)
    assert.ok((CATEGORIES as readonly string[]).includes(c), `${where}: ${c}`);
  assert.equal(new Set(w.categories).size, w.categories.length, `${where}: duplicate category`);
  assert.ok(
    w.fandoms.length >= 1 && w.fandoms.length <= 3,
    `${where}: fandoms ${w.fandoms.length}`,
  );

  const tags = userTags(w);
  assert.ok(tags.length >= 1 && tags.length <= 40, `${where}: ${tags.length} tags`);
  assert.ok(tags.length <= 75, `${where}: over the user tag limit`);
  const lower = new Set<string>();
  for (const t of tags) {
    assert.ok(t.length >= 1 && t.length <= 150, `${where}: tag length ${t.length}: ${t}`);
    assert.ok(!FORBIDDEN.test(t), `${where}: forbidden character in tag ${t}`);
    assert.equal(t.trim(), t, `${where}: untrimmed tag ${JSON.stringify(t)}`);
    assert.ok(!lower.has(t.toLowerCase()), `${where}: duplicate tag ${t}`);
    lower.add(t.toLowerCase());
  }

  assert.ok(w.title.length >= 1 && w.title.length <= 255, `${where}: title length`);
  assert.equal(w.title.trim(), w.title, `${where}: untrimmed title`);
  assert.ok(w.summary.length <= 1250, `${where}: summary length ${w.summary.length}`);
  assert.ok(w.notes.length <= 5000, `${where}: notes length`);
  assert.ok(w.endNotes.length <= 5000, `${where}: end notes length`);
  assert.match(w.language, /^[a-z]{2}$/);

  assert.ok(w.chapters.length >= 1, `${where}: no chapters`);
  if (w.expectedChapters !== null) {
    assert.ok(Number.isInteger(w.expectedChapters), `${where}: expected not an integer`);
    assert.ok(w.expectedChapters >= w.chapters.length, `${where}: expected < posted`);
    assert.ok(w.expectedChapters <= 1000, `${where}: expected > 1000`);
  }
  for (const [k, c] of w.chapters.entries()) {
    assert.ok(c.text.length >= 10, `${where} ch ${k}: text too short: ${JSON.stringify(c.text)}`);
    assert.ok(c.text.length <= 510_000, `${where} ch ${k}: text too long`);
    if (c.title !== null) assert.ok(c.title.length >= 1 && c.title.length <= 255);
    assert.ok(c.summary.length <= 1250);
    assert.ok(c.notes.length <= 5000 && c.endNotes.length <= 5000);
  }

  assert.ok(Number.isInteger(w.publishedAt) && Number.isInteger(w.updatedAt));
  assert.ok(w.updatedAt >= w.publishedAt, `${where}: updated before published`);
  assert.ok(w.updatedAt <= NOW, `${where}: updated in the future`);
  assert.ok(w.publishedAt >= NOW - 3.1 * 365 * 86_400_000, `${where}: published too long ago`);
}

test("same seed gives the same works; another seed gives others", () => {
  const users = demoUsers(12, 7);
  assert.deepEqual(demoUsers(12, 7), users);
  const a = works({ works: 300, seed: 42, bodies: "short" }, users);
  const b = works({ works: 300, seed: 42, bodies: "short" }, users);
  assert.deepEqual(a, b);
  const c = works({ works: 300, seed: 43, bodies: "short" }, users);
  assert.notDeepEqual(a, c);
  assert.ok(a.filter((w, i) => w.title !== c[i]?.title).length > 200);
  assert.notDeepEqual(demoUsers(12, 8), users);
});

test("a work's metadata does not depend on the bodies mode", () => {
  const users = demoUsers(12);
  const none = works({ works: 300, bodies: "none" }, users);
  const short = works({ works: 300, bodies: "short" }, users);
  const strip = (w: DemoWork) => ({ ...w, chapters: w.chapters.map((c) => ({ ...c, text: "" })) });
  assert.deepEqual(none.map(strip), short.map(strip));
  assert.notDeepEqual(none, short);
});

test("2,000 short works satisfy every invariant", () => {
  const users = demoUsers(30);
  let i = 0;
  for (const w of generateWorks({ works: 2000, bodies: "short", now: NOW }, users)) {
    checkWork(w, users, i++);
  }
  assert.equal(i, 2000);
});

test("invariants hold for any seed (property)", () => {
  const users = demoUsers(5, 3);
  fc.assert(
    fc.property(
      fc.integer(),
      fc.constantFrom<"none" | "short">("none", "short"),
      (seed, bodies) => {
        let i = 0;
        for (const w of generateWorks({ works: 25, seed, bodies, now: NOW }, users)) {
          checkWork(w, users, i++);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("proportions over 20,000 works with bodies none", () => {
  const users = demoUsers(200);
  const n = 20_000;
  const count = new Map<string, number>();
  const bump = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
  const builtinChars = new Set(FANDOMS.flatMap((f) => f.characters.map((c) => c.name)));
  const builtinFandoms = new Set(FANDOMS.map((f) => f.name));
  const fandoms = new Set<string>();
  let onlyBuiltin = 0;
  let i = 0;
  for (const w of generateWorks({ works: n, bodies: "none", now: NOW }, users)) {
    checkWork(w, users, i++);
    bump(w.rating);
    for (const x of w.warnings) bump(x);
    for (const x of w.categories) bump(x);
    bump(`lang:${w.language}`);
    if (w.restricted) bump("restricted");
    bump(w.chapters.length === 1 ? "oneshot" : "multi");
    if (w.chapters.length > 1 && w.expectedChapters !== w.chapters.length) bump("multi wip");
    for (const f of w.fandoms) fandoms.add(f);
    if (w.fandoms.every((f) => builtinFandoms.has(f))) {
      onlyBuiltin++;
      if (w.characters.some((c) => !builtinChars.has(c))) bump("misspelled");
    }
  }
  const share = (k: string) => (count.get(k) ?? 0) / n;
  assert.ok(share("Explicit") > 0.1 && share("Explicit") < 0.25, `Explicit ${share("Explicit")}`);
  assert.ok(share("General Audiences") > 0.2 && share("General Audiences") < 0.35);
  assert.ok(share(NAWA) > 0.5 && share(NAWA) < 0.62, `NAWA ${share(NAWA)}`);
  assert.ok(share("Underage Sex") > 0.005 && share("Underage Sex") < 0.05);
  assert.ok(share("M/M") > 0.4 && share("M/M") < 0.6, `M/M ${share("M/M")}`);
  assert.ok(share("Other") > 0.01 && share("Other") < 0.07);
  assert.ok(share("lang:en") > 0.85 && share("lang:en") < 0.95);
  for (const lang of ["es", "fr", "de", "ru", "ja", "zh"]) assert.ok(share(`lang:${lang}`) > 0);
  assert.ok(share("restricted") > 0.03 && share("restricted") < 0.07);
  assert.ok(share("oneshot") > 0.55 && share("oneshot") < 0.65, `one-shots ${share("oneshot")}`);
  const wipShare = (count.get("multi wip") ?? 0) / (count.get("multi") ?? 1);
  assert.ok(wipShare > 0.25 && wipShare < 0.35, `WIP share ${wipShare}`);
  const typos = (count.get("misspelled") ?? 0) / onlyBuiltin;
  assert.ok(typos > 0.015 && typos < 0.05, `misspelled character share ${typos}`);
  // Runs of 10,000+ works add generated long-tail fandoms.
  assert.ok(fandoms.size > 30, `only ${fandoms.size} fandoms`);
});

test("a 200-work demo run with full bodies", () => {
  const users = demoUsers(12);
  const run = works({ works: 200, bodies: "full" }, users);
  run.forEach((w, i) => checkWork(w, users, i));
  const ratings = new Set(run.map((w) => w.rating));
  for (const r of RATINGS) assert.ok(ratings.has(r), `no ${r} work`);
  const texts = run.map((w) => w.chapters.map((c) => c.text).join("\n\n"));
  assert.ok(
    texts.some((t) => /<(b|strong)>/.test(t)),
    "no bold",
  );
  assert.ok(
    texts.some((t) => /<(em|i)>/.test(t)),
    "no italics",
  );
  assert.ok(
    texts.some((t) => /<p>/.test(t)),
    "no HTML-authored work",
  );
  assert.ok(texts.filter((t) => !/<[a-z]/.test(t)).length > 80, "too few plain-text works");
  assert.ok(
    texts.some((t) => /\n\n/.test(t)),
    "no blank-line paragraphs",
  );
  assert.ok(
    texts.some((t) => /"[^"\n]+"|“[^”\n]+”/.test(t)),
    "no dialogue",
  );
  const multi = run.filter((w) => w.chapters.length > 1);
  assert.ok(multi.length > 40, `${multi.length} multi-chapter works`);
  assert.ok(
    multi.every((w) => w.chapters.length <= 12),
    "demo works over 12 chapters",
  );
  assert.ok(
    multi.some((w) => w.chapters.some((c) => c.title !== null)),
    "no chapter titles",
  );
  assert.ok(run.some((w) => w.expectedChapters === null));
  assert.ok(run.some((w) => w.notes !== "") && run.some((w) => w.endNotes !== ""));
  assert.equal(new Set(run.map((w) => w.userIndex)).size, 12, "every demo user has a work");
  // 300–4,000 words per English chapter (roughly: the generator stops after a paragraph).
  for (const w of run.filter((x) => x.language === "en")) {
    for (const c of w.chapters) {
      const words = c.text.split(/\s+/).length;
      assert.ok(words >= 280 && words <= 4600, `${words} words in a chapter of ${w.title}`);
    }
  }
  // Some works say which character's point of view is bold, and then use it.
  const pov = run.filter((w) => /bold/i.test(w.notes) && /POV|point of view/.test(w.notes));
  assert.ok(pov.length > 0, "no POV-bold works");
  for (const w of pov) {
    const text = w.chapters.map((c) => c.text).join("\n\n");
    assert.match(text, /<(b|strong)>/);
    const named = [...w.characters, ...w.relationships].join(" ");
    const first = /^(?:.*?)(\p{Lu}[\p{L}-]+)(?:'s| \(bold\))/u.exec(w.notes)?.[1];
    assert.ok(first !== undefined && named.includes(first), `POV note names ${first}: ${w.notes}`);
  }
  // Non-English works are written in their language and script.
  const ja = run
    .concat(works({ works: 3000, bodies: "short" }, users))
    .filter((w) => w.language === "ja" || w.language === "zh");
  assert.ok(ja.length > 0);
  for (const w of ja) assert.match(w.chapters[0]?.text ?? "", /[\u3040-\u30ff\u4e00-\u9fff]/u);
});

test("bodies none: one short sentence per chapter", () => {
  const users = demoUsers(3);
  for (const w of works({ works: 500, bodies: "none" }, users)) {
    for (const c of w.chapters) {
      assert.ok(c.text.length >= 10 && c.text.length < 300, c.text);
      assert.ok(!c.text.includes("\n"));
    }
  }
});

test("big runs allow up to 60 chapters", () => {
  const users = demoUsers(3);
  const counts = works({ works: 3000, bodies: "none" }, users).map((w) => w.chapters.length);
  assert.ok(Math.max(...counts) > 12 && Math.max(...counts) <= 60, `max ${Math.max(...counts)}`);
});

test("demoUsers: valid, unique logins and pseuds", () => {
  for (const count of [12, 3000]) {
    const users = demoUsers(count);
    assert.equal(users.length, count);
    const seen = new Set<string>();
    for (const u of users) {
      assert.match(u.login, /^[A-Za-z0-9_]{3,40}$/);
      assert.ok(!seen.has(u.login.toLowerCase()), `duplicate login ${u.login}`);
      seen.add(u.login.toLowerCase());
      assert.equal(u.email, `${u.login}@example.org`);
      assert.equal(u.password, DEMO_PASSWORD);
      assert.equal(u.password, "fanfold-demo-password");
      assert.equal(u.pseuds[0], u.login);
      assert.ok(u.pseuds.length <= 3);
      assert.equal(new Set(u.pseuds.map((p) => p.toLowerCase())).size, u.pseuds.length);
      for (const p of u.pseuds) assert.match(p, /^[A-Za-z0-9_ -]{1,40}$/);
    }
    if (count === 12)
      assert.ok(
        users.some((u) => u.pseuds.length > 1),
        "no extra pseuds",
      );
  }
});

test("loadFreeformTags falls back to the built-in list", () => {
  const tags = loadFreeformTags("/nonexistent/fanfold-shared-dir");
  assert.deepEqual(tags.names, [...BUILTIN_FREEFORMS]);
  assert.equal(tags.weights.length, tags.names.length);
  assert.ok(tags.names.length >= 150, `${tags.names.length} built-in freeforms`);
  for (let i = 1; i < tags.weights.length; i++) {
    assert.ok((tags.weights[i] as number) <= (tags.weights[i - 1] as number));
  }
  assert.ok(tags.weights.every((w) => w >= 1));
  for (const name of tags.names) assert.ok(isValidTagName(name), name);
  assert.equal(new Set(tags.names.map((n) => n.toLowerCase())).size, tags.names.length);
  assert.ok(tags.names.includes("Alternate Universe - Coffee Shops & Cafés"));
  // The generator runs on the fallback too.
  const users = demoUsers(2);
  const run = works(
    { works: 300, bodies: "none", sharedDir: "/nonexistent/fanfold-shared-dir" },
    users,
  );
  run.forEach((w, i) => checkWork(w, users, i));
  const builtin = new Set(BUILTIN_FREEFORMS);
  assert.ok(run.every((w) => w.freeforms.every((f) => builtin.has(f))));
});

test("loadFreeformTags reads the shared AO3 tag counts when present", (t) => {
  const file = resolve(
    process.cwd(),
    "../shared/data/ao3-freeform-tag-counts/tags-2016-12.json.gz",
  );
  if (skipUnless(t, existsSync(file), `${file} not found`)) return;
  const tags = loadFreeformTags();
  assert.ok(tags.names.length > 30_000, `${tags.names.length} tags`);
  assert.equal(tags.names[0], "Fluff");
  assert.equal(tags.weights[0], 321_151);
  for (let i = 1; i < tags.weights.length; i++) {
    assert.ok((tags.weights[i] as number) <= (tags.weights[i - 1] as number));
  }
  assert.ok(tags.weights.every((w) => w >= 1));
  for (const name of tags.names) {
    assert.ok(isValidTagName(name), name);
    assert.ok(!/&(#x?[0-9a-f]+|quot|amp|apos);/i.test(name), `undecoded entity: ${name}`);
  }
  assert.ok(tags.names.includes(`"Ripper" Rupert Giles`));
  assert.ok(tags.names.includes("80's Music"));
  assert.equal(new Set(tags.names.map((n) => n.toLowerCase())).size, tags.names.length);
});

test("decodeEntities", () => {
  assert.equal(decodeEntities("Can&#x27;t &quot;Stop&quot; &amp; Go"), `Can't "Stop" & Go`);
  assert.equal(decodeEntities("caf&#233; &#x1F600;"), "café 😀");
  assert.equal(decodeEntities("&amp;quot;"), "&quot;");
  assert.equal(decodeEntities("Tom & Jerry &unknown;"), "Tom & Jerry &unknown;");
  assert.equal(decodeEntities("&#0; &#xD800;"), "&#0; &#xD800;");
});

test("misspell makes a different but similar name", () => {
  const r = new Random(5);
  for (const name of ["Mira Castellane", "Rook", "Jun Takeda-Morrow", "HALCYON"]) {
    for (let i = 0; i < 50; i++) {
      const typo = misspell(r, name);
      assert.notEqual(typo.toLowerCase(), name.toLowerCase());
      assert.ok(Math.abs(typo.length - name.length) <= 1, typo);
    }
  }
});

test("Random: helpers stay in range and are deterministic", () => {
  const a = new Random(123);
  const b = new Random(123);
  for (let i = 0; i < 100; i++) assert.equal(a.uint32(), b.uint32());
  assert.notEqual(new Random(1).uint32(), new Random(2).uint32());
  assert.notEqual(new Random(1, 0).uint32(), new Random(1, 1).uint32());
  const r = new Random(9);
  const hist = new Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const x = r.int(3, 7);
    assert.ok(x >= 3 && x <= 7 && Number.isInteger(x));
    const f = r.next();
    assert.ok(f >= 0 && f < 1);
    const z = r.zipfIndex(10, 1);
    assert.ok(z >= 0 && z < 10);
    hist[z] = (hist[z] ?? 0) + 1;
  }
  assert.ok((hist[0] as number) > 2 * (hist[1] as number) * 0.8, "zipf: rank 1 ≈ twice rank 2");
  assert.ok((hist[0] as number) > 5 * (hist[9] as number));
  assert.equal(r.zipfIndex(1), 0);
  const pool = Array.from({ length: 100 }, (_, i) => i);
  for (const k of [0, 3, 50, 100, 150]) {
    const s = r.sample(pool, k);
    assert.equal(s.length, Math.min(k, 100));
    assert.equal(new Set(s).size, s.length);
  }
  assert.deepEqual(
    [...r.shuffle(pool.slice())].sort((x, y) => x - y),
    pool,
  );
  let heads = 0;
  for (let i = 0; i < 10_000; i++) if (r.weightedPick(["a", "b"], [3, 1]) === "a") heads++;
  assert.ok(heads > 7_000 && heads < 8_000, `${heads}`);
  const table = new WeightTable([0, 1, 0, 3]);
  for (let i = 0; i < 1000; i++) assert.ok([1, 3].includes(r.weighted(table)));
  assert.throws(() => r.pick([]));
  assert.throws(() => new WeightTable([0, 0]));
});

test("the default demo corpus reads in paragraphs: no walls of text, POV bold per paragraph", () => {
  // Issue #11: works 17 and 136 of the first-start demo (200 works, seed 1) typed a
  // <blockquote> letter into plain text, and the paragraph rules used to switch off for the
  // whole chapter. Every chapter goes through what posting does (formatUserText).
  const users = demoUsers(12);
  const run = works({ works: 200, bodies: "full" }, users);
  let povWorks = 0;
  for (const [i, w] of run.entries()) {
    const shapes = w.chapters.map((c) => readingShape(formatUserText(c.text)));
    for (const [k, shape] of shapes.entries()) {
      const wall = wallOfText(shape);
      assert.equal(wall, null, `work ${i + 1} chapter ${k + 1}: ${wall}`);
    }
    if (/bold/i.test(w.notes) && /POV|point of view/.test(w.notes)) {
      povWorks++;
      const bold = shapes.reduce((n, s) => n + s.boldParagraphs, 0);
      const all = shapes.reduce((n, s) => n + s.paragraphs, 0);
      assert.ok(bold >= 2 && bold < all, `work ${i + 1}: ${bold} of ${all} paragraphs bold`);
      for (const s of shapes) {
        assert.equal(s.looseBold, 0, `work ${i + 1}: bold outside a paragraph`);
        assert.equal(s.mixedParagraphs, 0, `work ${i + 1}: half-bold paragraphs`);
      }
    }
  }
  assert.ok(povWorks > 0, "no POV-bold work");
  // The mixed typing that broke works 17 and 136 of the issue (a <blockquote> letter in plain
  // text with blank lines) is still generated, so the rules above were tested on it. Chosen
  // by content, not number: the corpus differs when ../shared's AO3 tag counts are absent.
  const mixed = run.filter((w) =>
    w.chapters.some((c) => /<blockquote>/.test(c.text) && /\n\n[^<\n]/.test(c.text)),
  );
  assert.ok(mixed.length >= 2, `${mixed.length} works mix a letter into plain text`);
  const povLetter = run.find(
    (w) => /bold/i.test(w.notes) && /<blockquote>/.test(w.chapters[0]!.text),
  );
  assert.ok(povLetter, "a POV-bold work with a letter in its first chapter");
  const bold = readingShape(formatUserText(povLetter.chapters[0]!.text)).boldParagraphs;
  assert.ok(bold > 5, `${povLetter.title}: ${bold} bold paragraphs`);
});
