import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";
import { COUNT_EVERY_MS } from "../../src/tags/autocomplete.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

/**
 * Tags tell nobody about works they may not see: a tag used only on drafts exists for nobody
 * but wranglers, one used only on restricted works for logged-in readers, and every count
 * (tag pages, autocomplete, the fandom index, wrangling) counts only works its reader may see.
 */
describeEachEngine("tags reveal only works their reader may see", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let wrangler: Client;
  let guest: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("tv_writer");
    reader = new Client(t.app);
    await reader.signUp("tv_reader");
    wrangler = new Client(t.app);
    await wrangler.signUp("tv_wrangler");
    await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, "tv_wrangler"))!.id, ["wrangler"]);
    guest = new Client(t.app);
  });
  after(() => t.close());

  const post = async (overrides: Record<string, string>) => {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return workIdFrom(res.headers.location);
  };
  const wrangle = async (path: string, form: Record<string, string>) =>
    assert.equal((await wrangler.post(path, form)).statusCode, 303, path);
  const suggest = async (who: Client, type: string, term: string) => {
    const res = await who.get(`/autocomplete/${type}?term=${encodeURIComponent(term)}`);
    assert.equal(res.statusCode, 200, res.body);
    return JSON.parse(res.body) as { name: string; uses: number }[];
  };
  const status = async (who: Client, url: string) => (await who.get(url)).statusCode;
  const exactly = async (who: Client, name: string) => {
    const res = await who.get(`/tags/${encodeURIComponent(name)}`);
    assert.equal(res.statusCode, 200, `${name}: ${res.statusCode}`);
    return Number(/Works \((\d+) tagged with exactly this tag\)/.exec(res.body)?.[1]);
  };

  test("a tag used only on a draft is a 404 for everyone but wranglers, and never suggested", async () => {
    await post({ title: "Public", characters: "Open Canon" });
    const draft = await post({
      title: "Draft",
      action: "draft",
      characters: "Drafty Spelling",
      freeforms: "Draft Only Tag",
      fandoms: "Draft Only Fandom",
    });
    await wrangle("/tags/Open%20Canon/canonical", { canonical: "1" });
    await wrangle("/tags/Drafty%20Spelling/synonym", { canonical: "Open Canon" });

    for (const who of [guest, reader, writer]) {
      for (const name of ["Draft%20Only%20Tag", "Drafty%20Spelling", "Draft%20Only%20Fandom"]) {
        assert.equal(await status(who, `/tags/${name}`), 404, name);
        assert.equal(await status(who, `/tags/${name}/works`), 404, name);
      }
      assert.deepEqual(await suggest(who, "character", "drafty"), []);
      assert.deepEqual(
        (await suggest(who, "character", "open")).map((s) => [s.name, s.uses]),
        [["Open Canon", 1]],
      );
      const canonical = await who.get("/tags/Open%20Canon");
      assert.doesNotMatch(canonical.body, /Drafty Spelling/, "not listed as a synonym");
      const search = await who.get("/works?include_tags=Draft%20Only%20Tag");
      assert.match(search.body, /There is no tag named (&quot;|")Draft Only Tag/);
    }
    assert.equal(await status(guest, "/tags/Draft%20Only%20Tag/feed.atom"), 404);
    assert.equal(await status(wrangler, "/tags/Draft%20Only%20Tag"), 200);
    const index = await wrangler.get("/wrangling");
    assert.doesNotMatch(index.body, /Draft Only Fandom/, "drafts wait for posting");

    assert.equal((await writer.post(`/works/${draft}/post`)).statusCode, 303);
    assert.equal(await exactly(guest, "Draft Only Tag"), 1);
    t.clock.now += COUNT_EVERY_MS; // autocomplete re-reads counts at most once a second
    assert.deepEqual(
      (await suggest(guest, "character", "drafty")).map((s) => s.name),
      ["Drafty Spelling"],
    );
    assert.match((await wrangler.get("/wrangling")).body, /Draft Only Fandom<\/a> \(1 uses\)/);
  });

  test("a hidden tag named by id or in exclusions is as unknown as a missing one", async () => {
    await post({ action: "draft", freeforms: "Hidden By Id" });
    const tag = await findTagByName(t.deps.db, "Hidden By Id");
    const listing = await reader.get(`/works?include=${tag!.id}`);
    assert.doesNotMatch(listing.body, /Hidden By Id/);
    assert.match(listing.body, /Some tags in this address no longer exist/);
    const excluded = await reader.post("/preferences/exclusions/tags", { tag: "Hidden By Id" });
    assert.equal(excluded.statusCode, 422);
    assert.match(excluded.body, /There is no tag named/);
  });

  test("a tag used only on restricted works exists for logged-in readers only", async () => {
    await post({
      title: "Members Work",
      restricted: "1",
      fandoms: "Members Fandom",
      characters: "Members Person",
    });
    await wrangle("/tags/Members%20Person/canonical", { canonical: "1" });
    await wrangle("/tags/Members%20Fandom/canonical", { canonical: "1" });
    await wrangle("/tags/Members%20Fandom/parents", { parent: "Movies" });

    assert.equal(await status(guest, "/tags/Members%20Person"), 404);
    assert.equal(await status(guest, "/tags/Members%20Person/works"), 404);
    assert.equal(await status(guest, "/tags/Members%20Person/feed.atom"), 404);
    assert.deepEqual(await suggest(guest, "character", "members"), []);
    assert.doesNotMatch((await guest.get("/media/Movies/fandoms")).body, /Members Fandom/);

    assert.equal(await exactly(reader, "Members Person"), 1);
    assert.deepEqual(
      (await suggest(reader, "character", "members")).map((s) => [s.name, s.uses]),
      [["Members Person", 1]],
    );
    assert.match((await reader.get("/media/Movies/fandoms")).body, /Members Fandom<\/a> \(1\)/);
  });

  test("counts follow a work from draft to posted, restricted, retagged and deleted", async () => {
    await post({ fandoms: "Life Fandom" });
    await wrangle("/tags/Life%20Fandom/canonical", { canonical: "1" });
    await wrangle("/tags/Life%20Fandom/parents", { parent: "Theater" });
    const fields = {
      title: "Life Work",
      fandoms: "Life Fandom",
      characters: "Life Person",
      freeforms: "Life Tag",
      restricted: "1",
    };
    const id = await post({ ...fields, action: "draft" });
    const queue = "/wrangling/Life%20Fandom?type=character";
    const suggested = async (who: Client) => {
      t.clock.now += COUNT_EVERY_MS; // autocomplete re-reads counts at most once a second
      return (await suggest(who, "fandom", "life fand")).map((s) => s.uses);
    };
    assert.deepEqual(await suggested(guest), [1]);
    assert.deepEqual(await suggested(reader), [1]);
    assert.match((await wrangler.get(queue)).body, /Nothing to wrangle here/);
    assert.match((await wrangler.get("/tags/Life%20Tag/edit")).body, /used on 0 works/);
    assert.match((await reader.get("/media/Theater/fandoms")).body, /Life Fandom<\/a> \(1\)/);

    await writer.post(`/works/${id}/post`);
    assert.equal(await exactly(reader, "Life Tag"), 1);
    assert.equal(await status(guest, "/tags/Life%20Tag"), 404);
    assert.match((await wrangler.get(queue)).body, /Life Person<\/label>.*<td>1<\/td>/s);
    assert.match((await reader.get("/media/Theater/fandoms")).body, /Life Fandom<\/a> \(2\)/);
    assert.match((await guest.get("/media/Theater/fandoms")).body, /Life Fandom<\/a> \(1\)/);
    assert.deepEqual(await suggested(guest), [1]);
    assert.deepEqual(await suggested(reader), [2]);

    await writer.post(`/works/${id}`, workForm({ ...fields, restricted: undefined }));
    assert.deepEqual(await suggested(guest), [2]);
    assert.equal(await exactly(guest, "Life Tag"), 1);
    assert.match((await guest.get("/media/Theater/fandoms")).body, /Life Fandom<\/a> \(2\)/);

    await writer.post(`/works/${id}`, workForm({ ...fields, freeforms: "Other Life Tag" }));
    assert.equal(await status(guest, "/tags/Other%20Life%20Tag"), 404);
    assert.equal(await status(reader, "/tags/Life%20Tag"), 404);
    assert.equal(await exactly(reader, "Other Life Tag"), 1);
    assert.match((await wrangler.get("/tags/Life%20Tag/edit")).body, /used on 0 works/);

    await writer.post(`/works/${id}/delete`);
    for (const name of ["Other%20Life%20Tag", "Life%20Person"])
      assert.equal(await status(reader, `/tags/${name}`), 404, name);
    assert.match((await wrangler.get(queue)).body, /Nothing to wrangle here/);
    assert.match((await reader.get("/media/Theater/fandoms")).body, /Life Fandom<\/a> \(1\)/);
    assert.deepEqual(await suggested(reader), [1]);
  });
});
