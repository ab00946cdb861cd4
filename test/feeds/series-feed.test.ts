/**
 * A series' Atom feed (issue 15), `/series/:id/feed.atom`: valid Atom (jing, RFC 4287's
 * schema), absolute links from configuration, newest work first, and only what a guest sees
 * in the series — no draft, restricted, hidden or anonymous work; a series with nothing a
 * guest may see is not found, as its page is.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setHiddenReason } from "../../src/moderation/hiding.ts";
import { setCollectionFlagsIn } from "../../src/works/commands.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { buildSeries } from "../support/factories-series-reading.ts";
import { skipUnless } from "../support/skip.ts";
import { checkAtomRules, jingAvailable, jingErrors, kid, kids, links } from "./validate.ts";

const BASE = "https://series.example.org";
const DAY = 86_400_000;

describeEachEngine("the series feed", (engine) => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const series: Record<string, number> = {};

  before(async () => {
    t = await createTestApp(engine, { FANFOLD_PUBLIC_URL: BASE });
    const db = t.handle.db;
    const writer = await buildUser(db, { login: "feed_saga_writer" });
    const start = t.clock.now - 30 * DAY;
    let day = 0;
    for (const [key, fields] of [
      ["first", { title: "Beacon & Bell" }],
      ["restricted", { title: "Members Beacon", restricted: "1" }],
      ["draft", { title: "Draft Beacon", action: "draft" }],
      ["hidden", { title: "Hidden Beacon" }],
      ["anonymous", { title: "Masked Beacon" }],
      ["adult", { title: "Explicit Beacon", rating: "Explicit" }],
      ["latest", { title: "Last Beacon", summary: "The <b>last</b> one." }],
    ] as const) {
      day += 1;
      ids[key] = (
        await buildWork(db, { pseudId: writer.pseudId, now: start + day * DAY, ...fields })
      ).workId;
    }
    await setHiddenReason(db, "work", [ids.hidden!], "Spam", t.clock.now);
    await setCollectionFlagsIn(
      db,
      ids.anonymous!,
      { anonymous: true, unrevealed: false },
      t.clock.now,
    );
    series.saga = (
      await buildSeries(db, {
        pseudId: writer.pseudId,
        title: "Beacons <of> the Coast",
        workIds: Object.values(ids),
        now: start,
      })
    ).seriesId;
    series.membersOnly = (
      await buildSeries(db, { pseudId: writer.pseudId, workIds: [ids.restricted!] })
    ).seriesId;
    series.empty = (await buildSeries(db, { pseudId: writer.pseudId })).seriesId;
  });
  after(() => t.close());

  test("lists what a guest sees in the series, newest first, as valid Atom", async (tc) => {
    const path = `/series/${series.saga}/feed.atom`;
    const res = await new Client(t.app).get(path);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^application\/atom\+xml/);
    const feed = checkAtomRules(res.body, "series feed");
    assert.equal(kid(feed, "title")?.text, "Fanfold: works in the series Beacons <of> the Coast");
    assert.equal(links(feed, "self")[0]?.attrs.href, `${BASE}${path}`);
    assert.equal(links(feed, "alternate")[0]?.attrs.href, `${BASE}/series/${series.saga}`);
    const entries = kids(feed, "entry").map((e) => kid(e, "title")?.text);
    assert.deepEqual(entries, ["Last Beacon", "Explicit Beacon", "Beacon & Bell"]);
    const latest = kids(feed, "entry")[0]!;
    assert.equal(links(latest, "alternate")[0]?.attrs.href, `${BASE}/works/${ids.latest}`);
    assert.equal(kid(kid(latest, "author")!, "name")?.text, "feed_saga_writer");
    assert.doesNotMatch(res.body, /Members Beacon|Draft Beacon|Hidden Beacon|Masked Beacon/);

    if (skipUnless(tc, jingAvailable(), "jing is not installed (apt-get install jing)")) return;
    const errors = await jingErrors({ series: res.body });
    assert.deepEqual(errors, { series: [] });
  });

  test("a series a guest sees nothing of, or none at all, is not found", async () => {
    const guest = new Client(t.app);
    for (const id of [series.membersOnly, series.empty, 999_999]) {
      assert.equal((await guest.get(`/series/${id}/feed.atom`)).statusCode, 404, String(id));
    }
    assert.equal((await guest.get("/series/abc/feed.atom")).statusCode, 400);
  });
});
