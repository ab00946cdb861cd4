/**
 * Full-text search over HTTP (/works/search and `q` on any listing): words, phrases, left-out
 * words, field prefixes, accents, ranking, filters combined, passages, and queries that must
 * never break the page.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const T0 = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;

function titles(body: string): string[] {
  return [
    ...body.matchAll(/<h3 class="heading" id="work_\d+_title"><a href="[^"]+">([^<]+)<\/a>/g),
  ].map((m) => m[1]!.replace(/&#39;/g, "'"));
}

describeEachEngine("full-text search", (engine) => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const mark = await buildUser(db, { login: "mark_writer" });
    const lexie = await buildUser(db, { login: "lexie_writer" });
    await buildWork(db, {
      pseudId: mark.pseudId,
      now: T0 + DAY,
      title: "Lighthouse Keeper",
      fandoms: "Grey's Anatomy",
      freeforms: "Fluff",
      text: "The <b>fog</b> rolled over the harbour while Éowyn trimmed the lamp wick.",
    });
    await buildWork(db, {
      pseudId: lexie.pseudId,
      now: T0 + 2 * DAY,
      title: "Night Shift",
      fandoms: "Grey's Anatomy",
      freeforms: "Angst",
      rating: "Explicit",
      warnings: ["Creator Chose Not To Use Archive Warnings"],
      text: "Mark's POV is bold; Lexie's is plain. The lighthouse keeper never slept.",
    });
    await buildWork(db, {
      pseudId: lexie.pseudId,
      now: T0 + 3 * DAY,
      title: "Harbour Café",
      fandoms: "Lighthouse Keepers (TV)",
      freeforms: "Fluff",
      text: "Coffee at the café by the harbour, where the fog never lifts.",
    });
    await buildWork(db, {
      pseudId: lexie.pseudId,
      now: T0 + 4 * DAY,
      title: "Secret Draft",
      fandoms: "Grey's Anatomy",
      text: "The fog of a draft nobody may read.",
      action: "draft",
    });
  });
  after(() => t.close());

  const search = async (q: string, extra = "") => {
    const res = await new Client(t.app).get(`/works/search?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    return res;
  };

  test("words match chapter text, summaries and titles; drafts never", async () => {
    assert.deepEqual(titles((await search("fog")).body).sort(), [
      "Harbour Café",
      "Lighthouse Keeper",
    ]);
    assert.deepEqual(titles((await search("harbour fog")).body).sort(), [
      "Harbour Café",
      "Lighthouse Keeper",
    ]);
    assert.deepEqual(titles((await search("harbour -coffee")).body), ["Lighthouse Keeper"]);
  });

  test("exact phrases, field prefixes, accents", async () => {
    assert.deepEqual(titles((await search('"lighthouse keeper never"')).body), ["Night Shift"]);
    assert.deepEqual(titles((await search("title:lighthouse")).body), ["Lighthouse Keeper"]);
    assert.deepEqual(titles((await search("author:mark_writer")).body), ["Lighthouse Keeper"]);
    assert.deepEqual(titles((await search("eowyn")).body), ["Lighthouse Keeper"]);
    assert.deepEqual(titles((await search("cafe")).body), ["Harbour Café"]);
  });

  test("best match ranks a title hit, then a tag hit, above a text-only hit", async () => {
    const res = await search("lighthouse");
    // Title "Lighthouse Keeper"; fandom "Lighthouse Keepers (TV)"; only in the text.
    assert.deepEqual(titles(res.body), ["Lighthouse Keeper", "Harbour Café", "Night Shift"]);
    assert.match(res.body, /<option value="best" selected>Best match<\/option>/);
  });

  test("filters combine with the text query, and show a passage with the match", async () => {
    const res = await search("fog", "&include_tags=Fluff&exclude_tags=Lighthouse+Keepers+(TV)");
    assert.deepEqual(titles(res.body), ["Lighthouse Keeper"]);
    assert.match(res.body, /<blockquote class="snippet">[\s\S]*<mark>fog<\/mark>/);
    const onTag = await new Client(t.app).get("/tags/Grey's%20Anatomy/works?q=plain");
    assert.deepEqual(titles(onTag.body), ["Night Shift"]);
  });

  test("the search page puts the query box first and repeats the query over the results", async () => {
    const empty = await new Client(t.app).get("/works/search");
    assert.equal(empty.statusCode, 200);
    const main = (body: string) => body.slice(body.indexOf("<main"));
    const box =
      /<input id="search-q" type="search" name="q" form="work-filters" value(?:="([^"]*)")?/;
    assert.ok(box.test(main(empty.body)), "the query box, empty");
    assert.doesNotMatch(empty.body, /You searched for/, "nothing searched yet");

    const res = await search("harbour fog", "&include_tags=Fluff");
    const body = main(res.body);
    assert.equal(box.exec(body)?.[1], "harbour fog");
    const at = (s: string) => body.indexOf(s);
    assert.ok(at('id="search-q"') > at("<h1"), "under the page's heading");
    assert.ok(at('id="search-q"') < at("You searched for"), "the box comes first");
    assert.ok(at("You searched for") < at('id="results-heading"'));
    assert.ok(at('id="results-heading"') < at('<li class="work blurb group"'));
    assert.match(body, /You searched for: <strong class="query">harbour fog<\/strong>/);
    // The heading states the filters; the query is not said twice.
    assert.match(body, /<h2 class="heading" id="results-heading">2 Works found in Fluff<\/h2>/);
    // One query field, which belongs to the filter form, so a new query keeps the filters.
    assert.equal([...res.body.matchAll(/name="q"/g)].length, 1);
    assert.match(body, /<button type="submit" form="work-filters">Search<\/button>/);
    // Other listings keep "Search within results" in their form, and name the query in words.
    const tagPage = await new Client(t.app).get("/tags/Grey's%20Anatomy/works?q=plain");
    assert.match(tagPage.body, /<input id="filter-q" type="search" name="q" value="plain"/);
    assert.match(tagPage.body.replace(/&#39;/g, "'"), /1 Work in Grey's Anatomy matching “plain”</);
  });

  test("queries that look like syntax never break the page", async () => {
    for (const q of [
      '"unbalanced',
      "NEAR(fog",
      "fog*",
      "^fog",
      "title:",
      "a:b:c",
      ")(",
      "- -",
      "%",
    ]) {
      const res = await new Client(t.app).get(`/works/search?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, q);
    }
    const onlyNot = await search("-fog");
    assert.match(onlyNot.body, /class="notice"/);
    const long = await new Client(t.app).get(`/works/search?q=${"a".repeat(1_001)}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Parameter &quot;q&quot;/);
  });

  test("a work posted a moment ago is found", async () => {
    const c = new Client(t.app);
    await c.signUp("quick_poster");
    const res = await c.post("/works", {
      title: "Brand New",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Grey's Anatomy",
      language: "en",
      text: "A zeppelin drifted over Seattle Grace.",
      action: "post",
    });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(titles((await search("zeppelin")).body), ["Brand New"]);
  });
});
