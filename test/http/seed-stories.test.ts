/**
 * The two stories the project started from, posted as an author would: the first Explicit,
 * the second Teen And Up with its author's note (the first paragraph) as the beginning notes.
 * Their text belongs to their authors, so it is read from ../shared/seeds and never committed.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { htmlToPlainText } from "../../src/core/text/sanitize.ts";
import { countWords } from "../../src/core/text/word-count.ts";
import { Client, createTestApp, workForm, workIdFrom } from "../support/app.ts";
import { skipUnless } from "../support/skip.ts";

const seedsDir = join(process.cwd(), "..", "shared", "seeds");

const paragraphs = (text: string) =>
  text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

const chapterHtml = (page: string) =>
  /<div class="userstuff module" role="article"[^>]*>(.*?)<\/div><\/div>/s.exec(page)?.[1] ?? "";

test("the seed stories post, gate and render with their paragraphs intact", async (t) => {
  if (
    skipUnless(
      t,
      existsSync(seedsDir),
      `../shared/seeds not found at ${seedsDir}; seed-story test skipped`,
    )
  )
    return;
  const [first, second] = readdirSync(seedsDir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => readFileSync(join(seedsDir, f), "utf8"));
  assert.ok(first && second, "two seed stories");

  const app = await createTestApp("sqlite");
  try {
    const writer = new Client(app.app);
    await writer.signUp("seed_author");
    const common = {
      fandoms: "Grey's Anatomy",
      relationships: "Mark Sloan/Lexie Grey",
      characters: "Mark Sloan, Lexie Grey",
      categories: ["F/M"],
      warnings: ["No Archive Warnings Apply"],
      freeforms: "",
    };
    const one = await writer.post(
      "/works",
      workForm({ ...common, title: "Two Somethings", rating: "Explicit", text: first }),
    );
    assert.equal(one.statusCode, 303, one.body.slice(0, 500));
    const [note, ...rest] = paragraphs(second);
    const two = await writer.post(
      "/works",
      workForm({
        ...common,
        title: "The Elevator",
        rating: "Teen And Up Audiences",
        notes: note,
        text: rest.join("\n\n"),
      }),
    );
    assert.equal(two.statusCode, 303, two.body.slice(0, 500));

    const guest = new Client(app.app);
    const gated = await guest.get(`/works/${workIdFrom(one.headers.location)}`);
    assert.match(gated.body, /This work could have adult content/);
    assert.doesNotMatch(gated.body, /class="userstuff module"/);

    const firstPage = await new Client(app.app).get(
      `/works/${workIdFrom(one.headers.location)}?view_adult=true`,
    );
    const firstHtml = chapterHtml(firstPage.body);
    assert.equal(
      (firstHtml.match(/<p id="chapter-1-p\d+">/g) ?? []).length,
      paragraphs(first).length,
      "one <p> per paragraph",
    );
    assert.equal(countWords(htmlToPlainText(firstHtml)), countWords(first), "no words lost");
    assert.match(firstPage.body, /<dd class="rating tags">.*Explicit/s);
    assert.match(firstPage.body, /<dd class="relationship tags">.*Mark Sloan\/Lexie Grey/s);

    const secondPage = await guest.get(`/works/${workIdFrom(two.headers.location)}`);
    assert.doesNotMatch(secondPage.body, /could have adult content/);
    const secondHtml = chapterHtml(secondPage.body);
    assert.equal((secondHtml.match(/<p id="chapter-1-p\d+">/g) ?? []).length, rest.length);
    assert.equal(countWords(htmlToPlainText(secondHtml)), countWords(rest.join("\n\n")));
    const notes =
      /<div class="notes module">.*?<blockquote class="userstuff">(.*?)<\/blockquote>/s.exec(
        secondPage.body,
      )?.[1] ?? "";
    assert.match(htmlToPlainText(notes), /POV is bold/);
    assert.equal(countWords(htmlToPlainText(notes)), countWords(note!));
  } finally {
    await app.close();
  }
});
