/**
 * AO3's series markup (issue 15), as readers' tools read it: FanFicFare takes a work's series
 * and part from `dd.series span.position` ("Part 2 of <a href="/series/ID">Title</a>") and
 * follows `a.previous`/`a.next`; blurbs carry `ul.series`; the series page is
 * `#main.series-show` with `dl.series.meta.group` and `ul.series.work.index.group`; a user's
 * series are `li.series.blurb.group`.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("AO3 markup of series", (engine) => {
  let t: TestApp;
  let guest: Client;
  const w: number[] = [];
  let seriesId = 0;
  let otherSeries = 0;

  before(async () => {
    t = await createTestApp(engine);
    const writer = new Client(t.app);
    await writer.signUp("ao3_series_writer");
    guest = new Client(t.app);
    const post = async (overrides: Record<string, string>) => {
      const res = await writer.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return workIdFrom(res.headers.location);
    };
    w.push(await post({ title: "First Light", series_title: "Harbour Nights" }));
    const page = (await writer.get(`/works/${w[0]}`)).body;
    seriesId = Number(/href="\/series\/(\d+)">Harbour Nights</.exec(page)?.[1]);
    w.push(await post({ title: "Second Watch", series_id: String(seriesId) }));
    w.push(await post({ title: "Third Bell", series_id: String(seriesId) }));
    // The middle work is in a second series too.
    const edit = await writer.post(
      `/works/${w[1]}`,
      workForm({ title: "Second Watch", series_title: "Side Stories" }),
    );
    assert.equal(edit.statusCode, 303, edit.body.slice(0, 300));
    otherSeries = Number(
      /href="\/series\/(\d+)">Side Stories</.exec((await writer.get(`/works/${w[1]}`)).body)?.[1],
    );
  });
  after(() => t.close());

  test("a work page: dd.series after the language, span.position with previous and next", async () => {
    const middle = (await guest.get(`/works/${w[1]}`)).body;
    assert.match(
      middle,
      new RegExp(
        `<dd class="language" lang="en">English</dd><dt class="series">Series:</dt><dd class="series">` +
          `<span class="series"><a class="previous" href="/works/${w[0]}">← Previous Work</a> ` +
          `<span class="position">Part 2 of <a href="/series/${seriesId}">Harbour Nights</a></span> ` +
          `<a class="next" href="/works/${w[2]}">Next Work →</a></span>` +
          `<span class="series"><span class="position">Part 1 of <a href="/series/${otherSeries}">Side Stories</a></span></span>` +
          `</dd><dt class="stats">Stats:</dt>`,
      ),
    );
    const first = (await guest.get(`/works/${w[0]}`)).body;
    assert.match(
      first,
      new RegExp(
        `<dd class="series"><span class="series"><span class="position">Part 1 of <a href="/series/${seriesId}">Harbour Nights</a></span> ` +
          `<a class="next" href="/works/${w[1]}">Next Work →</a></span></dd>`,
      ),
    );
    const last = (await guest.get(`/works/${w[2]}`)).body;
    assert.match(
      last,
      new RegExp(
        `<dd class="series"><span class="series"><a class="previous" href="/works/${w[1]}">← Previous Work</a> ` +
          `<span class="position">Part 3 of <a href="/series/${seriesId}">Harbour Nights</a></span></span></dd>`,
      ),
    );
  });

  test("blurbs: ul.series after the summary, one li per series", async () => {
    const listing = (await guest.get("/users/ao3_series_writer/works")).body;
    assert.match(
      listing,
      new RegExp(
        `</blockquote><h6 class="landmark heading">Series</h6><ul class="series">` +
          `<li>Part <strong>2</strong> of <a href="/series/${seriesId}">Harbour Nights</a></li>` +
          `<li>Part <strong>1</strong> of <a href="/series/${otherSeries}">Side Stories</a></li>` +
          `</ul><dl class="stats">`,
      ),
    );
  });

  test("the series page and a user's series blurbs", async () => {
    const page = (await guest.get(`/series/${seriesId}`)).body;
    assert.match(page, /<main id="main" class="series-show"/);
    assert.match(page, /<h2 class="heading">Harbour Nights<\/h2>/);
    assert.match(
      page,
      new RegExp(
        `<dl class="series meta group"><dt class="creators">Creator:</dt><dd class="creators">` +
          `<a rel="author" href="/users/ao3_series_writer/pseuds/ao3_series_writer">ao3_series_writer</a></dd>` +
          `<dt class="published">Series Begun:</dt><dd class="published">2026-11-23</dd>` +
          `<dt class="status">Series Updated:</dt><dd class="status">2026-11-23</dd>`,
      ),
    );
    assert.match(
      page,
      /<dt class="stats">Stats:<\/dt><dd class="stats"><dl class="stats"><dt class="words">Words:<\/dt><dd class="words">24<\/dd><dt class="works">Works:<\/dt><dd class="works">3<\/dd><dt class="complete">Complete:<\/dt><dd class="complete">No<\/dd>/,
    );
    assert.match(
      page,
      new RegExp(
        `<ul class="series work index group"><li class="work blurb group" id="work_${w[0]}">`,
      ),
    );
    const list = (await guest.get("/users/ao3_series_writer/series")).body;
    assert.match(
      list,
      new RegExp(
        `<li class="series blurb group" id="series_${seriesId}"><div class="header module"><h3 class="heading">` +
          `<a href="/series/${seriesId}">Harbour Nights</a> by <a rel="author" href="/users/ao3_series_writer/pseuds/ao3_series_writer">ao3_series_writer</a></h3>`,
      ),
    );
  });
});
