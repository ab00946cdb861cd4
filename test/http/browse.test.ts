/**
 * Filtered listings over HTTP against a small fixed corpus whose answers are worked out by
 * hand: every filter and sort, AO3's parameter spelling, exclusion beating inclusion,
 * folding of synonyms and subtags, and no draft, restricted or excluded work leaking into
 * results, counts or facets.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { addParent, makeSynonym, setCanonical } from "../../src/tags/commands.ts";
import { findOrCreateTags } from "../../src/tags/queries.ts";
import { deleteWork, editWork } from "../../src/works/commands.ts";
import { NewWorkInput } from "../../src/works/schemas.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Titles of the listed works, in order. */
function titles(body: string): string[] {
  return [
    ...body.matchAll(/<h3 class="heading" id="work_\d+_title"><a href="[^"]+">([^<]+)<\/a>/g),
  ].map((m) => m[1]!.replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
}
function heading(body: string): string {
  return /<h2 class="heading" id="results-heading">([^<]+)<\/h2>/.exec(body)?.[1] ?? "";
}
/** The count beside a facet's row: its include box is labelled "Include Name (3)". */
function facetCount(body: string, name: string): number | undefined {
  const re = new RegExp(
    `<label for="include-\\d+" class="tag-name"><span class="landmark">Include </span>${name.replace(/[()]/g, "\\$&")} \\((\\d+)\\)</label>`,
  );
  const m = re.exec(body.replace(/&#39;/g, "'"));
  return m ? Number(m[1]) : undefined;
}

describeEachEngine("browsing and filtering works", (engine) => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  let tagId: (name: string) => Promise<number>;

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    tagId = async (name) =>
      (await db.selectFrom("tags").select("id").where("name", "=", name).executeTakeFirstOrThrow())
        .id;
    const alice = await buildUser(db, { login: "alice" });
    const bob = await buildUser(db, { login: "bob" });
    const text = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(" ");
    ids.apple = (
      await buildWork(db, {
        pseudId: alice.pseudId,
        now: T0 + DAY,
        title: "Apple Orchard",
        rating: "Explicit",
        warnings: ["Graphic Depictions Of Violence"],
        categories: ["F/M"],
        fandoms: "Grey's Anatomy",
        relationships: "Derek Shepherd/Meredith Grey",
        characters: "Derek Shepherd",
        freeforms: "Angst",
        text: text(300),
      })
    ).workId;
    ids.banana = (
      await buildWork(db, {
        pseudId: bob.pseudId,
        now: T0 + 2 * DAY,
        title: "Banana Boat",
        rating: "General Audiences",
        characters: "Derek Shepard",
        fandoms: "Grey's Anatomy",
        freeforms: "Fluff",
        language: "fr",
        text: text(100),
      })
    ).workId;
    ids.cherry = (
      await buildWork(db, {
        pseudId: alice.pseudId,
        now: T0 + 3 * DAY,
        title: "Cherry Pie",
        rating: "Teen And Up Audiences",
        fandoms: "Grey's Anatomy, Lighthouse Keepers (TV)",
        freeforms: "Fluff, Alternate Universe - Hospital",
        text: text(200),
        complete: "1",
      })
    ).workId;
    ids.date = (
      await buildWork(db, {
        pseudId: bob.pseudId,
        now: T0 + 4 * DAY,
        title: "Date Night",
        rating: "Mature",
        warnings: ["Major Character Death"],
        fandoms: "Lighthouse Keepers (TV)",
        freeforms: "Angst",
        restricted: "1",
        text: text(50),
      })
    ).workId;
    ids.eggplant = (
      await buildWork(db, {
        pseudId: alice.pseudId,
        now: T0 + 5 * DAY,
        title: "Eggplant Draft",
        fandoms: "Grey's Anatomy",
        freeforms: "Fluff",
        action: "draft",
      })
    ).workId;
    await findOrCreateTags(db, "freeform", ["Alternate Universe"], T0);
    for (const name of ["Derek Shepherd", "Alternate Universe", "Alternate Universe - Hospital"]) {
      await setCanonical(db, { tagId: await tagId(name), canonical: true, now: Date.now() });
    }
    await makeSynonym(db, {
      tagId: await tagId("Derek Shepard"),
      canonicalName: "Derek Shepherd",
      now: Date.now(),
    });
    await addParent(db, {
      tagId: await tagId("Alternate Universe - Hospital"),
      parentName: "Alternate Universe",
      now: Date.now(),
    });
  });
  after(() => t.close());

  const guest = () => new Client(t.app);

  test("guests see posted, unrestricted works, newest update first, with the total", async () => {
    const res = await guest().get("/works");
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ["Cherry Pie", "Banana Boat", "Apple Orchard"]);
    assert.equal(heading(res.body), "3 Works");
  });

  test("logged-in readers also see restricted works; drafts never show", async () => {
    const c = new Client(t.app);
    await c.signUp("reader1");
    const res = await c.get("/works");
    assert.deepEqual(titles(res.body), [
      "Date Night",
      "Cherry Pie",
      "Banana Boat",
      "Apple Orchard",
    ]);
    assert.doesNotMatch(res.body, /Eggplant/);
  });

  test("facet counts are exact and leave out drafts and restricted works", async () => {
    const res = await guest().get("/works");
    assert.equal(facetCount(res.body, "Grey's Anatomy"), 3);
    assert.equal(facetCount(res.body, "Lighthouse Keepers (TV)"), 1);
    assert.equal(facetCount(res.body, "Fluff"), 2);
    assert.equal(facetCount(res.body, "Angst"), 1);
    assert.equal(facetCount(res.body, "Mature"), undefined, "restricted work's rating");
    // Folded: the synonym's work counts under the canonical; the subtag's under its metatag.
    assert.equal(facetCount(res.body, "Derek Shepherd"), 2);
    assert.equal(facetCount(res.body, "Alternate Universe"), 1);
  });

  test("include and exclude by tag; exclusion beats inclusion", async () => {
    const explicit = await tagId("Explicit");
    const angst = await tagId("Angst");
    const fluff = await tagId("Fluff");
    assert.deepEqual(titles((await guest().get(`/works?include=${explicit}`)).body), [
      "Apple Orchard",
    ]);
    assert.deepEqual(titles((await guest().get(`/works?exclude=${angst}`)).body), [
      "Cherry Pie",
      "Banana Boat",
    ]);
    const both = await guest().get(`/works?include=${fluff}&exclude=${fluff}`);
    assert.deepEqual(titles(both.body), []);
    assert.equal(heading(both.body), "0 Works in Fluff, excluding Fluff");
    const byName = await guest().get(`/works?include_tags=Fluff&exclude_tags=Alternate+Universe`);
    assert.deepEqual(titles(byName.body), ["Banana Boat"]);
  });

  test("synonyms and subtags fold into their canonical tag and metatag", async () => {
    const derek = await tagId("Derek Shepherd");
    assert.deepEqual(titles((await guest().get(`/works?include=${derek}`)).body), [
      "Banana Boat",
      "Apple Orchard",
    ]);
    // Including the synonym itself means its canonical tag.
    const typo = await tagId("Derek Shepard");
    assert.deepEqual(titles((await guest().get(`/works?include=${typo}`)).body), [
      "Banana Boat",
      "Apple Orchard",
    ]);
    const au = await tagId("Alternate Universe");
    assert.deepEqual(titles((await guest().get(`/works?include=${au}`)).body), ["Cherry Pie"]);
    const tagPage = await guest().get("/tags/Derek%20Shepherd/works");
    assert.deepEqual(titles(tagPage.body), ["Banana Boat", "Apple Orchard"]);
    assert.equal(heading(tagPage.body), "2 Works in Derek Shepherd");
    const synonymPage = await guest().get("/tags/Derek%20Shepard/works?sort=title");
    assert.equal(synonymPage.statusCode, 303);
    assert.equal(synonymPage.headers.location, "/tags/Derek%20Shepherd/works?sort=title");
  });

  test("completion, crossovers, single chapter, language, word and date ranges", async () => {
    const get = async (q: string) => titles((await guest().get(`/works?${q}`)).body);
    assert.deepEqual(await get("complete=true"), ["Cherry Pie"]);
    assert.deepEqual(await get("complete=false"), ["Banana Boat", "Apple Orchard"]);
    assert.deepEqual(await get("crossover=true"), ["Cherry Pie"]);
    assert.deepEqual(await get("crossover=false"), ["Banana Boat", "Apple Orchard"]);
    assert.deepEqual(await get("single_chapter=true"), [
      "Cherry Pie",
      "Banana Boat",
      "Apple Orchard",
    ]);
    assert.deepEqual(await get("language=fr"), ["Banana Boat"]);
    assert.deepEqual(await get("words_from=150&words_to=250"), ["Cherry Pie"]);
    assert.deepEqual(await get("words_from=1,000"), []);
    assert.deepEqual(await get("date_from=2026-01-02&date_to=2026-01-03"), [
      "Banana Boat",
      "Apple Orchard",
    ]);
  });

  test("every sort, both directions, ties broken by id", async () => {
    const get = async (q: string) => titles((await guest().get(`/works?${q}`)).body);
    assert.deepEqual(await get("sort=title"), ["Apple Orchard", "Banana Boat", "Cherry Pie"]);
    assert.deepEqual(await get("sort=title&dir=desc"), [
      "Cherry Pie",
      "Banana Boat",
      "Apple Orchard",
    ]);
    assert.deepEqual(await get("sort=words"), ["Apple Orchard", "Cherry Pie", "Banana Boat"]);
    assert.deepEqual(await get("sort=words&dir=asc"), [
      "Banana Boat",
      "Cherry Pie",
      "Apple Orchard",
    ]);
    assert.deepEqual(await get("sort=published&dir=asc"), [
      "Apple Orchard",
      "Banana Boat",
      "Cherry Pie",
    ]);
    assert.deepEqual(await get("sort=creator"), ["Apple Orchard", "Cherry Pie", "Banana Boat"]);
    // No kudos yet: all equal, so ids decide (descending walks ids downwards).
    assert.deepEqual(await get("sort=kudos"), ["Cherry Pie", "Banana Boat", "Apple Orchard"]);
    assert.deepEqual(await get("sort=kudos&dir=asc"), [
      "Apple Orchard",
      "Banana Boat",
      "Cherry Pie",
    ]);
  });

  test("AO3's parameter spelling works as is", async () => {
    const explicit = await tagId("Explicit");
    const angst = await tagId("Angst");
    const ao3 = await guest().get(
      `/works?work_search%5Bsort_column%5D=title_to_sort_on&work_search%5Bsort_direction%5D=asc&exclude_work_search%5Bfreeform_ids%5D%5B%5D=${angst}`,
    );
    assert.deepEqual(titles(ao3.body), ["Banana Boat", "Cherry Pie"]);
    const rating = await guest().get(
      `/tags/Grey's%20Anatomy/works?include_work_search%5Brating_ids%5D%5B%5D=${explicit}&work_search%5Bcomplete%5D=F`,
    );
    assert.deepEqual(titles(rating.body), ["Apple Orchard"]);
    const words = await guest().get(
      "/works?work_search%5Bwords_from%5D=150&work_search%5Blanguage_id%5D=en",
    );
    assert.deepEqual(titles(words.body), ["Cherry Pie", "Apple Orchard"]);
  });

  test("a bad parameter answers 400 naming it, never 500", async () => {
    for (const [q, field] of [
      ["sort=nope", "sort"],
      ["include=abc", "include"],
      ["words_from=-3", "words_from"],
      ["date_from=2026-13-45", "date_from"],
      ["page=0", "page"],
      ["page=-1", "page"],
      ["page=two", "page"],
      ["page=1.5", "page"],
      ["work_search%5Bcomplete%5D=maybe", "work_search[complete]"],
      ["work_search%5Bsort_column%5D=toString", "work_search[sort_column]"],
      ["sort=constructor", "sort"],
    ] as const) {
      const res = await guest().get(`/works?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.match(res.body, new RegExp(`Parameter &quot;${field.replace(/[[\]]/g, "\\$&")}`), q);
    }
    const unknown = await guest().get("/works?include_tags=No+Such+Tag");
    assert.equal(unknown.statusCode, 200);
    assert.match(unknown.body, /There is no tag named &quot;No Such Tag&quot;/);
    assert.deepEqual(titles(unknown.body), []);
  });

  test("the heading says what is applied, in words (issue 11)", async () => {
    const fluff = await tagId("Fluff");
    const angst = await tagId("Angst");
    const explicit = await tagId("Explicit");
    const get = async (q: string) => heading((await guest().get(q)).body).replace(/&#39;/g, "'");
    assert.equal(
      await get(`/works?include=${fluff}&exclude=${angst}`),
      "2 Works in Fluff, excluding Angst",
    );
    // AO3's spelling reads the same; several tags read as a list.
    assert.equal(
      await get(
        `/works?exclude_work_search%5Bfreeform_ids%5D%5B%5D=${angst}&exclude_work_search%5Brating_ids%5D%5B%5D=${explicit}`,
      ),
      "2 Works, excluding Explicit and Angst",
    );
    // On a tag's page the tag is the listing's own "in"; included tags join it.
    assert.equal(
      await get(
        `/tags/Grey's%20Anatomy/works?include_tags=Fluff&exclude=${explicit}&complete=true`,
      ),
      "1 Work in Grey's Anatomy and Fluff, excluding Explicit, complete only",
    );
    assert.equal(
      await get("/works?crossover=true&language=en&words_from=150&words_to=250"),
      "1 Work, crossovers only, in English, 150–250 words",
    );
    assert.equal(
      await get("/works?words_from=1000&date_from=2026-01-02"),
      "0 Works, at least 1,000 words, updated since 2026-01-02",
    );
    assert.equal(
      await get("/users/alice/works?complete=false"),
      "1 Work by alice, works in progress only",
    );
  });

  test("a page past the last one served answers 200 and asks for narrower filters", async () => {
    for (const page of ["5001", "999999", "9".repeat(30)]) {
      const res = await guest().get(`/works?page=${page}&sort=title`);
      assert.equal(res.statusCode, 200, page);
      assert.equal(heading(res.body), "3 Works", "the count, without a range of nothing");
      assert.match(res.body, /class="notice deep-page"/);
      assert.match(res.body, /is past the end of this listing: it has one page/);
      assert.match(res.body, /<a href="\/works\?sort=title">Go to the last page \(1\)<\/a>/);
      assert.match(
        res.body,
        /<form class="filters" id="work-filters" method="get" action="\/works"/,
      );
      assert.deepEqual(titles(res.body), []);
    }
    const deep = await guest().get("/works?page=5001");
    assert.match(deep.body, /Page 5,001 is past the end/);
    // Within the pages served, past this listing's end: the same page, same status.
    const nine = await guest().get("/tags/Fluff/works?page=9");
    assert.equal(nine.statusCode, 200);
    assert.match(nine.body, /Page 9 is past the end of this listing: it has one page/);
  });

  test("the filter form sends the same parameters: one row per tag, include and exclude", async () => {
    const fluff = await tagId("Fluff");
    const res = await guest().get(`/works?exclude=${fluff}&sort=title`);
    const form =
      /<form class="filters" id="work-filters"[\s\S]*?<\/form>/.exec(res.body)?.[0] ?? "";
    // Every checkbox of a facet row: name include/exclude, value the tag id; each tag once.
    const boxes = [
      ...form.matchAll(
        /<input type="checkbox" id="(include|exclude)-(\d+)" name="(\w+)" value="(\d+)"/g,
      ),
    ];
    assert.ok(boxes.length > 0);
    for (const [, mode, id, name, value] of boxes) {
      assert.equal(name, mode);
      assert.equal(value, id);
    }
    const includes = boxes.filter((b) => b[1] === "include").map((b) => b[2]);
    const excludes = boxes.filter((b) => b[1] === "exclude").map((b) => b[2]);
    assert.deepEqual(includes, excludes, "each row has both boxes");
    assert.equal(new Set(includes).size, includes.length, "each tag has one row");
    assert.match(form, new RegExp(`id="exclude-${fluff}" name="exclude" value="${fluff}" checked`));
    assert.match(form, /<span class="landmark">Exclude Fluff<\/span>/);
    // Sort by comes first, then the facets in AO3's order.
    const at = (s: string) => form.indexOf(s);
    assert.ok(at('name="sort"') < at("<summary>Ratings"));
    const order = [
      "Ratings",
      "Warnings",
      "Categories",
      "Fandoms",
      "Characters",
      "Relationships",
      "Additional tags",
    ];
    const seen = order.filter((n) => at(`<summary>${n}`) >= 0);
    assert.deepEqual(
      seen.map(at),
      [...seen.map(at)].sort((a, b) => a - b),
      seen.join(", "),
    );
    // The category holding a chosen tag opens; the others start closed.
    assert.match(
      form,
      /<details class="facet" open><summary>Additional tags<span class="chosen"> \(1 chosen\)/,
    );
    assert.match(form, /<details class="facet"><summary>Ratings<\/summary>/);
    // The one form, with its two submit buttons and Clear Filters.
    assert.equal([...res.body.matchAll(/id="work-filters"/g)].length, 1);
    assert.equal([...form.matchAll(/<button type="submit">Sort and Filter<\/button>/g)].length, 2);
    assert.match(form, /<a href="\/works" class="clear">Clear Filters<\/a>/);
    assert.match(form, /<option value="title" selected>Title<\/option>/);
  });

  test("creator and pseud listings filter too", async () => {
    const alice = await guest().get("/users/alice/works?sort=title");
    assert.deepEqual(titles(alice.body), ["Apple Orchard", "Cherry Pie"]);
    assert.equal(heading(alice.body), "2 Works by alice");
    const fluff = await tagId("Fluff");
    const pseud = await guest().get(`/users/alice/pseuds/alice?include=${fluff}`);
    assert.deepEqual(titles(pseud.body), ["Cherry Pie"]);
  });

  test("saved exclusions apply everywhere, with counts right and a way to show them", async () => {
    const c = new Client(t.app);
    await c.signUp("carol");
    const save = await c.post("/preferences/exclusions/tags", { tag: "Angst" });
    assert.equal(save.statusCode, 303);
    const works = await c.get("/works");
    assert.deepEqual(titles(works.body), ["Cherry Pie", "Banana Boat"]);
    assert.equal(heading(works.body), "2 Works");
    assert.match(works.body, /2 works hidden by your\s+filters/);
    assert.equal(facetCount(works.body, "Grey's Anatomy"), 2);
    assert.equal(facetCount(works.body, "Mature"), undefined);
    const shown = await c.get("/works?exclusions=off");
    assert.deepEqual(titles(shown.body), [
      "Date Night",
      "Cherry Pie",
      "Banana Boat",
      "Apple Orchard",
    ]);
    assert.match(shown.body, /saved exclusions are off/);
    const tagPage = await c.get("/tags/Grey's%20Anatomy/works");
    assert.deepEqual(titles(tagPage.body), ["Cherry Pie", "Banana Boat"]);
    const home = await c.get("/");
    assert.doesNotMatch(home.body, /Apple Orchard|Date Night/, "SQL listings apply them too");

    // A synonym typed in hides its canonical tag's whole set.
    await c.post("/preferences/exclusions/tags", { tag: "Derek Shepard" });
    assert.deepEqual(titles((await c.get("/works")).body), ["Cherry Pie"]);
    const prefs = await c.get("/preferences/exclusions");
    assert.match(prefs.body, /Derek Shepherd/);

    // Muting a user hides their works (and counts).
    const mute = await c.post("/preferences/exclusions/users", { login: "alice" });
    assert.equal(mute.statusCode, 303);
    const muted = await c.get("/works?exclusions=off");
    assert.equal(heading(muted.body), "4 Works", "off means off, muting included");
    const filtered = await c.get("/works");
    assert.deepEqual(titles(filtered.body), []);
    assert.match(filtered.body, /4 works hidden/);
    const bad = await c.post("/preferences/exclusions/users", { login: "nobody_at_all" });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /There is no user named/);
    const self = await c.post("/preferences/exclusions/users", { login: "carol" });
    assert.match(self.body, /can't mute yourself/);
  });

  test("a guest or another reader cannot touch someone's exclusions or saved searches", async () => {
    const g = guest();
    assert.equal((await g.get("/preferences/exclusions")).statusCode, 303);
    assert.equal((await g.get("/saved-searches")).statusCode, 303);
    const token = await g.token();
    const res = await g.post("/preferences/exclusions/tags", { tag: "Fluff", _csrf: token });
    assert.equal(res.statusCode, 401);
    const owner = new Client(t.app);
    await owner.signUp("dave");
    await owner.post("/saved-searches", { name: "Mine", path: "/works", query: "sort=title" });
    const row = await t.handle.db
      .selectFrom("saved_searches")
      .select("id")
      .where("name", "=", "Mine")
      .executeTakeFirstOrThrow();
    const other = new Client(t.app);
    await other.signUp("erin");
    assert.equal((await other.post(`/saved-searches/${row.id}/delete`)).statusCode, 404);
    const noCsrf = await owner.post(`/saved-searches/${row.id}/delete`, {}, { csrf: false });
    assert.equal(noCsrf.statusCode, 403);
  });

  test("saved searches re-run, and follow by Atom", async () => {
    const c = new Client(t.app);
    await c.signUp("frank");
    const fluff = await tagId("Fluff");
    const bad = await c.post("/saved-searches", { name: "x", path: "/admin", query: "" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /is not a listing of works/);
    const saved = await c.post("/saved-searches", {
      name: "Fluffy things",
      path: "/works",
      query: `include=${fluff}&sort=title`,
    });
    assert.equal(saved.statusCode, 303);
    const list = await c.get("/saved-searches");
    const run = /<a href="([^"]+)">Fluffy things<\/a>/.exec(list.body)?.[1];
    assert.equal(run, `/works?include=${fluff}&amp;sort=title`);
    assert.deepEqual(titles((await c.get(run.replace(/&amp;/g, "&"))).body), [
      "Banana Boat",
      "Cherry Pie",
    ]);
    const feedHref = /href="([^"]+)" type="application\/atom\+xml"/.exec(list.body)?.[1];
    const feed = await guest().get(feedHref!.replace(/&amp;/g, "&"));
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers["content-type"]), /application\/atom\+xml/);
    assert.equal([...feed.body.matchAll(/<entry>/g)].length, 2);
    assert.match(feed.body, /<title>Cherry Pie<\/title>/);
  });

  test("tag feeds escape what authors typed", async () => {
    const db = t.handle.db;
    const u = await buildUser(db);
    await buildWork(db, {
      pseudId: u.pseudId,
      title: `Tom & Jerry <script>alert(1)</script>`,
      fandoms: "Feed Fandom",
      now: T0 + 6 * DAY,
    });
    const feed = await guest().get("/tags/Feed%20Fandom/feed.atom");
    assert.equal(feed.statusCode, 200);
    assert.match(
      feed.body,
      /<title>Tom &amp; Jerry &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/,
    );
    assert.doesNotMatch(feed.body, /<script>/);
  });

  test("new, edited and deleted works show in listings at once", async () => {
    const db = t.handle.db;
    const u = await buildUser(db);
    const { workId } = await buildWork(db, {
      pseudId: u.pseudId,
      title: "Fresh Work",
      fandoms: "Change Log Fandom",
      now: T0 + 7 * DAY,
    });
    const page = () => guest().get("/tags/Change%20Log%20Fandom/works");
    assert.deepEqual(titles((await page()).body), ["Fresh Work"]);
    const input = NewWorkInput.parse({
      title: "Renamed Work",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Other Fandom",
      language: "en",
      text: "Some chapter text for an edited work.",
    });
    const edited = await editWork(db, { workId, input, now: T0 + 8 * DAY });
    assert.ok(edited.ok);
    assert.deepEqual(titles((await page()).body), []);
    assert.deepEqual(titles((await guest().get("/tags/Other%20Fandom/works")).body), [
      "Renamed Work",
    ]);
    await deleteWork(db, { workId, now: Date.now() });
    assert.deepEqual(titles((await guest().get("/tags/Other%20Fandom/works")).body), []);
  });
});
