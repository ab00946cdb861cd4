import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setRoles, findUserByLogin } from "../../src/accounts/queries.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("tag pages and wrangling over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  let wrangler: Client;
  let reader: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("tag_writer");
    wrangler = new Client(t.app);
    await wrangler.signUp("tag_wrangler");
    const user = await findUserByLogin(t.deps.db, "tag_wrangler");
    await setRoles(t.deps.db, user!.id, ["wrangler"]);
    reader = new Client(t.app);
    await reader.signUp("tag_reader");
  });
  after(() => t.close());

  const post = async (overrides: Record<string, string>) => {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return workIdFrom(res.headers.location);
  };

  test("the seed case: a wrangler folds Derek Shepard into Derek Shepherd", async () => {
    const typo = await post({
      title: "Typo Work",
      fandoms: "Grey's Anatomy",
      characters: "Derek Shepard",
    });
    await post({ title: "Right Work", fandoms: "Grey's Anatomy", characters: "Derek Shepherd" });
    assert.equal(
      (await wrangler.post("/tags/Derek%20Shepherd/canonical", { canonical: "1" })).statusCode,
      303,
    );
    const res = await wrangler.post("/tags/Derek%20Shepard/synonym", {
      canonical: "Derek Shepherd",
    });
    assert.equal(res.statusCode, 303);
    const list = await reader.get("/tags/Derek%20Shepherd/works");
    assert.match(list.body, /2 Works in Derek Shepherd/);
    assert.match(list.body, /Typo Work/);
    const redirect = await reader.get("/tags/Derek%20Shepard/works");
    assert.equal(redirect.statusCode, 303);
    assert.equal(redirect.headers.location, "/tags/Derek%20Shepherd/works");
    const work = await reader.get(`/works/${typo}`);
    assert.match(work.body, /<dd class="character tags">.*>Derek Shepard<\/a>/s);
    const tagPage = await reader.get("/tags/Derek%20Shepard");
    assert.match(
      tagPage.body,
      /Derek Shepard has been made a synonym of <a class="tag" href="\/tags\/Derek%20Shepherd">Derek Shepherd<\/a>\. Works and bookmarks tagged with Derek Shepard will show up in Derek Shepherd(&#39;|')s filter\./,
    );
    const canonicalPage = await reader.get("/tags/Derek%20Shepherd");
    assert.match(canonicalPage.body, /Tags with the same meaning.*Derek Shepard/s);
    assert.match(canonicalPage.body, /It(&#39;|')s a common tag/);
  });

  test("refusals come back as a clear message on the wrangling page", async () => {
    await post({ characters: "Chain Start, Chain Middle, Chain End" });
    await wrangler.post("/tags/Chain%20End/canonical", { canonical: "1" });
    await wrangler.post("/tags/Chain%20Middle/synonym", { canonical: "Chain End" });
    const chain = await wrangler.post("/tags/Chain%20Start/synonym", { canonical: "Chain Middle" });
    assert.equal(chain.statusCode, 422);
    assert.match(chain.body, /is itself a synonym; choose its canonical tag instead/);
    const empty = await wrangler.post("/tags/Chain%20Start/synonym", { canonical: "" });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Enter the canonical tag/);
    const typeMismatch = await wrangler.post("/tags/Chain%20Start/synonym", {
      canonical: "Grey's Anatomy",
    });
    assert.equal(typeMismatch.statusCode, 422);
    assert.match(typeMismatch.body, /(is not canonical|must be of the same type)/);
  });

  test("only wranglers may wrangle; guests are sent to log in", async () => {
    await post({ freeforms: "Guarded Tag" });
    const guest = new Client(t.app);
    assert.equal((await guest.get("/tags/Guarded%20Tag/edit")).statusCode, 303);
    assert.equal(
      (await guest.post("/tags/Guarded%20Tag/canonical", { canonical: "1" })).statusCode,
      401,
    );
    assert.equal((await reader.get("/tags/Guarded%20Tag/edit")).statusCode, 403);
    assert.equal((await reader.get("/wrangling")).statusCode, 403);
    for (const path of [
      "canonical",
      "synonym",
      "synonym/delete",
      "parents",
      "rename",
      "parents/1/delete",
    ]) {
      const res = await reader.post(`/tags/Guarded%20Tag/${path}`, {
        canonical: "1",
        parent: "X",
        name: "Y",
      });
      assert.equal(res.statusCode, 403, path);
    }
    assert.equal(
      (await reader.post("/wrangling/Grey's%20Anatomy", { tag_ids: "1", fandom: "X" })).statusCode,
      403,
    );
    assert.equal((await wrangler.get("/tags/Guarded%20Tag/edit")).statusCode, 200);
    assert.match(
      (await reader.get("/tags/Guarded%20Tag")).body,
      /This tag has not been marked common and can(&#39;|')t be filtered on \(yet\)\./,
    );
    assert.equal((await reader.get("/tags/No%20Such%20Tag%20Here")).statusCode, 404);
  });

  test("the unwrangled queue per fandom, with use counts, and mass wrangling", async () => {
    await post({ fandoms: "Queue Fandom", characters: "Queue Alpha, Queue Beta" });
    await post({ fandoms: "Queue Fandom", characters: "Queue Alpha" });
    await wrangler.post("/tags/Queue%20Fandom/canonical", { canonical: "1" });
    const index = await wrangler.get("/wrangling");
    assert.match(index.body, /href="\/wrangling\/Queue%20Fandom"/);
    const queue = await wrangler.get("/wrangling/Queue%20Fandom?type=character");
    assert.equal(queue.statusCode, 200);
    assert.match(
      queue.body,
      /Queue Alpha<\/label>.*<td>2<\/td>.*Queue Beta<\/label>.*<td>1<\/td>/s,
    );
    const ids = [...queue.body.matchAll(/name="tag_ids" value="(\d+)"/g)].map((m) => m[1]!);
    assert.equal(ids.length, 2);
    const none = await wrangler.post("/wrangling/Queue%20Fandom?type=character", {
      fandom: "Queue Fandom",
    });
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Choose at least one tag/);
    const res = await wrangler.post("/wrangling/Queue%20Fandom?type=character", {
      tag_ids: ids,
      fandom: "Queue Fandom",
    });
    assert.equal(res.statusCode, 303);
    const after = await wrangler.get("/wrangling/Queue%20Fandom?type=character");
    assert.match(after.body, /Nothing to wrangle here/);
    const fandomPage = await reader.get("/tags/Queue%20Fandom");
    assert.match(fandomPage.body, /Child tags.*Character.*Queue Alpha.*Queue Beta/s);
  });

  test("subtags and rename through the forms", async () => {
    await post({ title: "Sub Work", freeforms: "AU - Space" });
    await post({ title: "Meta Work", freeforms: "AU" });
    await wrangler.post("/tags/AU/canonical", { canonical: "1" });
    await wrangler.post("/tags/AU%20-%20Space/canonical", { canonical: "1" });
    assert.equal(
      (await wrangler.post("/tags/AU%20-%20Space/parents", { parent: "AU" })).statusCode,
      303,
    );
    const list = await reader.get("/tags/AU/works");
    assert.match(list.body, /2 Works in AU/);
    const loop = await wrangler.post("/tags/AU/parents", { parent: "AU - Space" });
    assert.equal(loop.statusCode, 422);
    assert.match(loop.body, /would make a loop/);
    const renamed = await wrangler.post("/tags/AU/rename", { name: "Alternate Universe" });
    assert.equal(renamed.statusCode, 303);
    assert.equal(renamed.headers.location, "/tags/Alternate%20Universe/edit");
    assert.match(
      (await reader.get("/tags/Alternate%20Universe/works")).body,
      /2 Works in Alternate Universe/,
    );
    assert.equal((await reader.get("/tags/AU/works")).statusCode, 404);
  });

  test("the fandom index files canonical fandoms by medium, A to Z, counting visible works", async () => {
    await post({ fandoms: "Zebra Stories" });
    await post({ fandoms: "Apple Tales" });
    await post({ fandoms: "Apple Tales", restricted: "1" });
    await post({ fandoms: "Ünicorn Saga" });
    for (const f of ["Zebra%20Stories", "Apple%20Tales", "%C3%9Cnicorn%20Saga"]) {
      await wrangler.post(`/tags/${f}/canonical`, { canonical: "1" });
    }
    await wrangler.post("/tags/Apple%20Tales/parents", { parent: "Books & Literature" });
    await wrangler.post("/tags/%C3%9Cnicorn%20Saga/parents", { parent: "Books & Literature" });
    const media = await reader.get("/media");
    assert.match(media.body, /href="\/media\/Books%20\*a\*%20Literature\/fandoms"/);
    const guest = new Client(t.app);
    const books = await guest.get("/media/Books%20*a*%20Literature/fandoms");
    assert.equal(books.statusCode, 200);
    assert.match(books.body, /href="#letter-A">A<.*href="#letter-U">U</s);
    assert.match(
      books.body,
      /Apple Tales<\/a> \(1\)/,
      "the restricted work is not counted for guests",
    );
    assert.match(
      (await reader.get("/media/Books%20*a*%20Literature/fandoms")).body,
      /Apple Tales<\/a> \(2\)/,
    );
    assert.doesNotMatch(books.body, /Zebra Stories/);
    const uncategorized = await guest.get("/media/Uncategorized%20Fandoms/fandoms");
    assert.match(uncategorized.body, /Zebra Stories/);
    assert.equal((await guest.get("/media/Nope/fandoms")).statusCode, 404);
  });
});

describeEachEngine("tag autocomplete", (engine) => {
  let t: TestApp;
  let wrangler: Client;
  before(async () => {
    t = await createTestApp(engine);
    const writer = new Client(t.app);
    await writer.signUp("ac_writer");
    wrangler = new Client(t.app);
    await wrangler.signUp("ac_wrangler");
    await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, "ac_wrangler"))!.id, ["wrangler"]);
    const tags = [
      ["Éowyn", 3],
      ["Eomer", 1],
      ["Derek Shepherd", 5],
      ["Derek Shepard", 1],
      ["Meredith Grey", 4],
      ["Grey Warden", 2],
      ["東京タワー", 1],
      ["Тёмный Лорд", 1],
      ["🌙 Moon Child", 1],
      ["ليلى", 1],
      ["Unwrangled Person", 9],
    ] as const;
    for (const [name, uses] of tags) {
      for (let i = 0; i < uses; i++) await writer.post("/works", workForm({ characters: name }));
    }
    for (const [name] of tags) {
      if (name === "Derek Shepard" || name === "Unwrangled Person") continue;
      await wrangler.post(`/tags/${encodeURIComponent(name)}/canonical`, { canonical: "1" });
    }
    await wrangler.post("/tags/Derek%20Shepard/synonym", { canonical: "Derek Shepherd" });
  });
  after(() => t.close());

  const suggest = async (type: string, term: string) => {
    const res = await t.app.inject({
      method: "GET",
      url: `/autocomplete/${type}?term=${encodeURIComponent(term)}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ name: string; canonical?: string; uses: number }[]>();
  };

  test("accent- and case-insensitive prefix on any word, ranked by name prefix then use", async () => {
    assert.deepEqual(
      (await suggest("character", "eowyn")).map((s) => s.name),
      ["Éowyn"],
    );
    assert.deepEqual(
      (await suggest("character", "EO")).map((s) => s.name),
      ["Éowyn", "Eomer"],
    );
    assert.deepEqual(
      (await suggest("character", "grey")).map((s) => s.name),
      ["Grey Warden", "Meredith Grey"],
    );
    assert.deepEqual(
      (await suggest("character", "derek sh")).map((s) => [s.name, s.uses]),
      [["Derek Shepherd", 6]],
    );
    assert.deepEqual(
      await suggest("character", "unwrangled"),
      [],
      "only canonical tags and synonyms",
    );
    assert.deepEqual(await suggest("fandom", "eowyn"), [], "only the asked type");
  });

  test("synonyms are offered labelled with their canonical when it does not match", async () => {
    const found = await suggest("character", "shepard");
    assert.deepEqual(
      found.map((s) => [s.name, s.canonical]),
      [["Derek Shepard", "Derek Shepherd"]],
    );
  });

  test("Unicode names autocomplete", async () => {
    assert.deepEqual(
      (await suggest("character", "東京")).map((s) => s.name),
      ["東京タワー"],
    );
    assert.deepEqual(
      (await suggest("character", "темн")).map((s) => s.name),
      ["Тёмный Лорд"],
    );
    assert.deepEqual(
      (await suggest("character", "moon")).map((s) => s.name),
      ["🌙 Moon Child"],
    );
    assert.deepEqual(
      (await suggest("character", "ليلى")).map((s) => s.name),
      ["ليلى"],
    );
  });

  test("wrangling shows up at once; bad requests answer 400 in JSON", async () => {
    await wrangler.post("/tags/Unwrangled%20Person/canonical", { canonical: "1" });
    assert.deepEqual(
      (await suggest("character", "unwr")).map((s) => s.name),
      ["Unwrangled Person"],
    );
    const bad = await t.app.inject({ method: "GET", url: "/autocomplete/rating?term=ex" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json<{ error: string }>().error, /type/);
    const long = await t.app.inject({
      method: "GET",
      url: `/autocomplete/character?term=${"x".repeat(101)}`,
    });
    assert.equal(long.statusCode, 400);
    assert.deepEqual(await suggest("character", ""), []);
  });
});
