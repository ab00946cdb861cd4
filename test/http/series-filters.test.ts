/**
 * The series filters of work listings (issue 15): "works in a series only" and "complete
 * series only", in Fanfold's short names and AO3's `work_search[…]`, on every listing. A
 * series is what the reader sees of it: a restricted unfinished work leaves a series complete
 * for guests and unfinished for members, and an anonymous work is in no series but for its
 * creator.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  parseWorkSearch,
  workSearchQueryString,
} from "../../src/search/listings/work-search-params.ts";
import { setCollectionFlagsIn } from "../../src/works/commands.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { buildSeries } from "../support/factories-series-reading.ts";

const FANDOM = "Series Filter Fandom";
const DONE = { complete: "1" };
const UNFINISHED = { expected_chapters: "3" };

describeEachEngine("series filters on work listings", (engine) => {
  let t: TestApp;
  let member: Client;
  let writerClient: Client;

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const writer = await buildUser(db, { login: "filter_writer", password: TEST_PASSWORD });
    await buildUser(db, { login: "filter_member", password: TEST_PASSWORD });
    member = new Client(t.app);
    await member.logIn("filter_member");
    writerClient = new Client(t.app);
    await writerClient.logIn("filter_writer");
    const ids: Record<string, number> = {};
    for (const [title, fields] of [
      ["Finished One", DONE],
      ["Finished Two", DONE],
      ["Open Start", DONE],
      ["Open Middle", UNFINISHED],
      ["Standalone", DONE],
      ["Guest Part", DONE],
      ["Members Part", { ...UNFINISHED, restricted: "1" }],
      ["Masked Part", DONE],
    ] as const) {
      t.clock.now += 60_000;
      ids[title] = (
        await buildWork(db, {
          pseudId: writer.pseudId,
          title,
          fandoms: FANDOM,
          now: t.clock.now,
          ...fields,
        })
      ).workId;
    }
    await setCollectionFlagsIn(
      db,
      ids["Masked Part"]!,
      { anonymous: true, unrevealed: false },
      t.clock.now,
    );
    const series = (title: string, parts: string[]) =>
      buildSeries(db, { pseudId: writer.pseudId, title, workIds: parts.map((p) => ids[p]!) });
    await series("Finished Saga", ["Finished One", "Finished Two"]);
    await series("Open Saga", ["Open Start", "Open Middle"]);
    await series("Half-Seen Saga", ["Guest Part", "Members Part"]);
    await series("Masked Saga", ["Masked Part"]);
  });
  after(() => t.close());

  const titles = (body: string) =>
    [...body.matchAll(/<a href="\/works\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!).sort();

  test("works in a series only, on /works and a tag's works, in both spellings", async () => {
    const guest = new Client(t.app);
    const inSeries = ["Finished One", "Finished Two", "Guest Part", "Open Middle", "Open Start"];
    for (const path of [
      "/works?in_series=true",
      "/works?work_search%5Bin_series%5D=1",
      `/tags/${encodeURIComponent(FANDOM)}/works?in_series=true`,
    ]) {
      const res = await guest.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.deepEqual(titles(res.body), inSeries, path);
    }
    const page = await guest.get("/works?in_series=true");
    assert.match(page.body, /in a series only/);
    assert.match(
      page.body,
      /<input type="checkbox" id="filter-in-series" name="in_series" value="true" checked/,
    );
    // Unfiltered, every listed work shows, the standalone and the anonymous one too.
    const all = titles((await guest.get("/works")).body);
    assert.ok(all.includes("Standalone") && all.includes("Masked Part"));
  });

  test("complete series only, as each reader sees the series", async () => {
    const guest = await new Client(t.app).get("/works?complete_series=true");
    assert.deepEqual(titles(guest.body), ["Finished One", "Finished Two", "Guest Part"]);
    assert.match(guest.body, /in complete series only/);
    const ao3 = await new Client(t.app).get("/works?work_search%5Bcomplete_series%5D=T");
    assert.deepEqual(titles(ao3.body), ["Finished One", "Finished Two", "Guest Part"]);
    // Members see the unfinished restricted part: that series is not complete for them.
    const members = await member.get("/works?complete_series=true");
    assert.deepEqual(titles(members.body), ["Finished One", "Finished Two"]);
    // Filters combine: within a series and complete works only.
    const both = await member.get("/works?in_series=true&complete=false");
    assert.deepEqual(titles(both.body), ["Members Part", "Open Middle"]);
  });

  test("an anonymous work is in its series for its creator alone", async () => {
    assert.ok(!titles((await member.get("/works?in_series=true")).body).includes("Masked Part"));
    const own = await writerClient.get("/works?in_series=true");
    assert.ok(titles(own.body).includes("Masked Part"));
  });

  test("the parameters read and write back; bad values name the parameter", async () => {
    const read = (query: string) => parseWorkSearch(Object.fromEntries(new URLSearchParams(query)));
    assert.equal(read("in_series=true").series, "any");
    assert.equal(read("complete_series=1").series, "complete");
    assert.equal(read("in_series=true&complete_series=true").series, "complete");
    assert.equal(read("in_series=false").series, undefined);
    const s = read("complete_series=true&sort=kudos");
    assert.equal(read(workSearchQueryString(s)).series, "complete");
    assert.equal(workSearchQueryString(read("in_series=yes")), "in_series=true");
    const bad = await new Client(t.app).get("/works?in_series=maybe");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /in_series/);
    const badAo3 = await new Client(t.app).get("/works?work_search%5Bcomplete_series%5D=x");
    assert.equal(badAo3.statusCode, 400);
    assert.match(badAo3.body, /work_search\[complete_series\]/);
  });
});
