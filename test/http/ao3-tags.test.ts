/**
 * Tag pages as AO3 tools read them: `getTag` from `@fujocoded/ao3.js` against the app (no
 * network), for each kind of tag a wrangler makes, and the AO3 markup and wording it relies
 * on (app/views/tags/show.html.erb). Also the renamed archive warning "Underage Sex" and its
 * old addresses.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { getTag } from "@fujocoded/ao3.js";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import { useAo3Client } from "../support/ao3-client.ts";
import { Client, createTestApp, workForm, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const REL = "Derek Shepherd/Meredith Grey";

describeEachEngine("tag pages read by ao3.js", (engine) => {
  let t: TestApp;
  let writer: Client;
  let wrangler: Client;
  let ao3: ReturnType<typeof useAo3Client>;

  const wrangle = async (path: string, body: Record<string, string>) => {
    const res = await wrangler.post(path, body);
    assert.equal(res.statusCode, 303, `${path}: ${res.body.slice(0, 300)}`);
  };
  const tagUrl = (name: string) => `/tags/${encodeURIComponent(name.replaceAll("/", "*s*"))}`;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("ao3tags_writer");
    wrangler = new Client(t.app);
    await wrangler.signUp("ao3tags_wrangler");
    await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, "ao3tags_wrangler"))!.id, [
      "wrangler",
    ]);
    const post = async (overrides: Record<string, string | string[]>) => {
      const res = await writer.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    };
    await post({
      title: "Surgeons",
      fandoms: "Grey's Anatomy",
      relationships: REL,
      characters: "Derek Shepherd, Meredith Grey",
      freeforms: "Alternate Universe, Unwrangled Feelings",
      warnings: ["Underage Sex"],
      rating: "Mature",
    });
    await post({
      title: "Typos",
      fandoms: "Grey's Anatomy",
      characters: "Derek Shepard",
      freeforms: "Alternate Universe - Coffee Shops",
    });
    for (const name of [
      "Grey's Anatomy",
      "Derek Shepherd",
      "Meredith Grey",
      REL,
      "Alternate Universe",
      "Alternate Universe - Coffee Shops",
    ]) {
      await wrangle(`${tagUrl(name)}/canonical`, { canonical: "1" });
    }
    await wrangle(`${tagUrl("Grey's Anatomy")}/parents`, { parent: "TV Shows" });
    for (const child of ["Derek Shepherd", "Meredith Grey", REL, "Alternate Universe"]) {
      await wrangle(`${tagUrl(child)}/parents`, { parent: "Grey's Anatomy" });
    }
    await wrangle(`${tagUrl(REL)}/parents`, { parent: "Derek Shepherd" });
    await wrangle(`${tagUrl(REL)}/parents`, { parent: "Meredith Grey" });
    await wrangle(`${tagUrl("Alternate Universe - Coffee Shops")}/parents`, {
      parent: "Alternate Universe",
    });
    await wrangle(`${tagUrl("Derek Shepard")}/synonym`, { canonical: "Derek Shepherd" });
    ao3 = useAo3Client(t.app);
  });
  after(async () => {
    ao3.restore();
    await t.close();
  });

  /** The id ao3.js finds (from the works listing's feed link), if the listing offers one. */
  const idOf = async (name: string) => (await findTagByName(t.deps.db, name))!.id;
  const checkId = async (got: { id: number | null }, name: string) =>
    assert.ok(got.id === null || got.id === (await idOf(name)), `id of ${name}: ${got.id}`);

  test("a canonical character with a synonym, a parent fandom and a child relationship", async () => {
    const tag = await getTag({ tagName: "Derek Shepherd" });
    await checkId(tag, "Derek Shepherd");
    assert.deepEqual(
      { ...tag, id: null },
      {
        name: "Derek Shepherd",
        id: null,
        category: "character",
        canonical: true,
        common: true,
        canonicalName: "Derek Shepherd",
        parentTags: ["Grey's Anatomy"],
        childTags: [{ tagName: REL, category: "relationships" }],
        subTags: [],
        tagsWithSameMeaning: ["Derek Shepard"],
      },
    );
    assert.ok(
      ao3.requests.every((r) => r.status === 200),
      JSON.stringify(ao3.requests.filter((r) => r.status !== 200)),
    );
  });

  test("a synonym: its own page names the canonical tag it was made a synonym of", async () => {
    const tag = await getTag({ tagName: "Derek Shepard" });
    assert.deepEqual(
      { ...tag, id: null },
      {
        name: "Derek Shepard",
        id: null,
        category: "character",
        canonical: false,
        common: true,
        canonicalName: "Derek Shepherd",
        parentTags: [],
        childTags: [],
        subTags: [],
        tagsWithSameMeaning: [],
      },
    );
  });

  test("an unwrangled additional tag: not canonical, not common, no relatives", async () => {
    const tag = await getTag({ tagName: "Unwrangled Feelings" });
    await checkId(tag, "Unwrangled Feelings");
    assert.deepEqual(
      { ...tag, id: null },
      {
        name: "Unwrangled Feelings",
        id: null,
        category: "additional tags",
        canonical: false,
        common: false,
        canonicalName: null,
        parentTags: [],
        childTags: [],
        subTags: [],
        tagsWithSameMeaning: [],
      },
    );
  });

  test("a fandom: its medium as a parent, its characters, relationships and additional tags as children", async () => {
    const tag = await getTag({ tagName: "Grey's Anatomy" });
    assert.equal(tag.category, "fandom");
    assert.equal(tag.canonical, true);
    assert.equal(tag.common, true);
    assert.equal(tag.canonicalName, "Grey's Anatomy");
    assert.deepEqual(tag.parentTags, ["TV Shows"]);
    assert.deepEqual(tag.childTags, [
      { tagName: "Derek Shepherd", category: "characters" },
      { tagName: "Meredith Grey", category: "characters" },
      { tagName: REL, category: "relationships" },
      { tagName: "Alternate Universe", category: "additional tags" },
    ]);
    assert.deepEqual(tag.subTags, []);
    assert.deepEqual(tag.tagsWithSameMeaning, []);
  });

  test("a relationship (a slash in its name): its characters and fandom as parents", async () => {
    const tag = await getTag({ tagName: REL });
    assert.equal(tag.name, REL);
    assert.equal(tag.category, "relationship");
    assert.equal(tag.canonical, true);
    assert.equal(tag.canonicalName, REL);
    assert.deepEqual(
      [...tag.parentTags].sort(),
      ["Derek Shepherd", "Grey's Anatomy", "Meredith Grey"].sort(),
    );
    assert.deepEqual(tag.childTags, []);
  });

  test("a metatag lists its subtags; the archive warning is AO3's Underage Sex", async () => {
    const au = await getTag({ tagName: "Alternate Universe" });
    assert.equal(au.category, "additional tags");
    assert.deepEqual(au.subTags, [
      { tagName: "Alternate Universe - Coffee Shops", parentSubTag: null },
    ]);
    assert.deepEqual(au.parentTags, ["Grey's Anatomy"]);
    const warning = await getTag({ tagName: "Underage Sex" });
    assert.equal(warning.category, "archive warning");
    assert.equal(warning.canonical, true);
    assert.equal(warning.canonicalName, "Underage Sex");
  });

  test("AO3's markup and wording, and the wrangler's Edit link in AO3's place", async () => {
    const guest = new Client(t.app);
    const page = (await guest.get(tagUrl("Derek Shepherd"))).body;
    assert.match(page, /<main id="main" class="tags-show"/); // AO3's div#main.tags-show
    assert.match(
      page,
      /<div class="tag home profile"><h1 class="landmark heading">Tag: Derek Shepherd<\/h1><div class="primary header module"><h2 class="heading">Derek Shepherd<\/h2><ul class="navigation actions">/,
    );
    assert.match(
      page,
      /<p>This tag belongs to the Character Category\. It(&#39;|')s a canonical tag\. It(&#39;|')s a common tag\. You can use it to <a href="\/tags\/Derek%20Shepherd\/works">filter works<\/a>\.<\/p>/,
    );
    assert.match(
      page,
      /<div class="parent listbox group"><h3 class="heading">Parent tags \(more general\):<\/h3><ul class="tags commas index group"><li><a class="tag" href="\/tags\/Grey(&#39;|')s%20Anatomy">/,
    );
    assert.match(
      page,
      /<div class="synonym listbox group"><h3 class="heading">Tags with the same meaning:<\/h3>/,
    );
    assert.match(
      page,
      /<div class="child listbox group"><h3 class="heading">Child tags \(displaying the first 300 of each type\):<\/h3><div class="relationships listbox group"><h4 class="heading">Relationships:<\/h4>/,
    );
    assert.doesNotMatch(page, /\/edit"/, "no wrangling link for guests");
    assert.doesNotMatch(page, /not been marked common/);
    const wrangling = (await wrangler.get(tagUrl("Derek Shepherd"))).body;
    assert.match(
      wrangling,
      /<ul class="navigation actions"><li><a href="\/tags\/Derek%20Shepherd\/works">Works \(1 tagged with exactly this tag\)<\/a><\/li><li><a href="\/tags\/Derek%20Shepherd\/edit">Edit<\/a><\/li><\/ul>/,
    );

    const synonym = (await guest.get(tagUrl("Derek Shepard"))).body;
    assert.match(
      synonym,
      /<div class="merger module"><h3 class="heading">Mergers<\/h3><p>Derek Shepard has been made a synonym of <a class="tag" href="\/tags\/Derek%20Shepherd">Derek Shepherd<\/a>\. Works and bookmarks tagged with Derek Shepard will show up in Derek Shepherd(&#39;|')s filter\.<\/p><\/div>/,
    );
    assert.match(synonym, /<p>This tag belongs to the Character Category\.<\/p>/);

    const unwrangled = (await guest.get(tagUrl("Unwrangled Feelings"))).body;
    assert.match(unwrangled, /<p>This tag belongs to the Additional Tags Category\.<\/p>/);
    assert.match(
      unwrangled,
      /<p>This tag has not been marked common and can(&#39;|')t be filtered on \(yet\)\.<\/p>/,
    );

    const coffee = (await guest.get(tagUrl("Alternate Universe - Coffee Shops"))).body;
    assert.match(
      coffee,
      /<div class="meta listbox group"><h3 class="heading">Metatags:<\/h3><ul class="tags tree index"><li><a class="tag" href="\/tags\/Alternate%20Universe">Alternate Universe<\/a><\/li><\/ul><\/div>/,
    );
    const fandom = (await guest.get(tagUrl("Grey's Anatomy"))).body;
    assert.match(fandom, /<div class="parent fandom listbox group">/);
    const mature = (await guest.get(tagUrl("Mature"))).body;
    assert.match(mature, /<p class="warning">This tag indicates adult content\.<\/p>/);
  });

  test("the warning's old addresses redirect to Underage Sex, until a tag takes the old name", async () => {
    const guest = new Client(t.app);
    for (const [from, to] of [
      ["/tags/Underage", "/tags/Underage%20Sex"],
      ["/tags/Underage/", "/tags/Underage%20Sex/"],
      ["/tags/underage/works?page=2", "/tags/Underage%20Sex/works?page=2"],
      ["/tags/Underage/feed.atom", "/tags/Underage%20Sex/feed.atom"],
    ]) {
      const res = await guest.get(from!);
      assert.equal(res.statusCode, 301, from);
      assert.equal(res.headers.location, to, from);
    }
    const listing = await guest.get("/tags/Underage%20Sex/works");
    assert.equal(listing.statusCode, 200);
    assert.match(listing.body, /Surgeons/);
    const work = await guest.get("/works?page=1");
    assert.doesNotMatch(work.body, />Underage</, "blurbs name the warning by its new name");
    // A wrangler's form posts are left alone (no redirect of a POST).
    assert.notEqual(
      (await wrangler.post("/tags/Underage/canonical", { canonical: "1" })).statusCode,
      301,
    );
    // Someone uses the freed name: its address is that tag's now.
    const res = await writer.post("/works", workForm({ title: "Other", freeforms: "Underage" }));
    assert.equal(res.statusCode, 303);
    const taken = await guest.get("/tags/Underage");
    assert.equal(taken.statusCode, 200);
    assert.match(taken.body, /<h2 class="heading">Underage<\/h2>/);
    assert.match(taken.body, /This tag belongs to the Additional Tags Category/);
  });
});
