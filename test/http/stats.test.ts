import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";
import { bumpCounts, dayOf } from "../../src/engagement/counters/queries.ts";
import { countsAsHit } from "../../src/engagement/stats/hits.ts";
import type { WorkPageContext } from "../../src/works/page-addons.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const DAY = 86_400_000;

const chapterIds = (html: string, workId: number) => [
  ...new Set(
    [...html.matchAll(new RegExp(`/works/${workId}/chapters/(\\d+)"`, "g"))].map((m) =>
      Number(m[1]),
    ),
  ),
];

describeEachEngine("hits and author statistics", (engine) => {
  let t: TestApp;
  let author: Client;
  let reader: Client;
  let admin: Client;
  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("stats_author");
    reader = new Client(t.app);
    await reader.signUp("stats_reader");
    admin = new Client(t.app);
    await admin.signUp("stats_admin");
    const user = await findUserByLogin(t.deps.db, "stats_admin");
    await setRoles(t.deps.db, user!.id, ["admin"]);
  });
  after(() => t.close());

  async function post(overrides = {}) {
    const res = await author.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    return workIdFrom(res.headers.location);
  }

  /** The work's hits once the views so far are written (pages only record them). */
  async function hits(workId: number) {
    await t.flushHits();
    const row = await t.deps.db
      .selectFrom("work_stats")
      .select("hits")
      .where("work_id", "=", workId)
      .executeTakeFirst();
    return row?.hits ?? 0;
  }

  /** A chapter's hits over all days (chapter 0: the work's daily rows). */
  async function dailyHits(workId: number, chapterId: number) {
    await t.flushHits();
    const rows = await t.deps.db
      .selectFrom("work_daily_stats")
      .select("hits")
      .where("work_id", "=", workId)
      .where("chapter_id", "=", chapterId)
      .execute();
    return rows.reduce((sum, r) => sum + r.hits, 0);
  }

  /** A guest request with its own user agent (Client always sends the same one). */
  const getAs = (url: string, ip: string, userAgent: string) =>
    t.app.inject({ method: "GET", url, remoteAddress: ip, headers: { "user-agent": userAgent } });

  test("a guest counts once a day: twice today is 1 hit, tomorrow makes 2", async () => {
    const id = await post({ title: "Daily Guest" });
    const guest = new Client(t.app);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 200);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 200);
    assert.equal(await hits(id), 1);
    t.clock.now += DAY;
    await guest.get(`/works/${id}`);
    assert.equal(await hits(id), 2);
    assert.equal(await dailyHits(id, 0), 2, "one hit on each day's row");
    const visitors = await t.deps.db
      .selectFrom("hit_visitors")
      .select("visitor")
      .where("work_id", "=", id)
      .where("chapter_id", "=", 0)
      .execute();
    for (const v of visitors) {
      assert.match(v.visitor, /^[0-9a-f]{32}$/, "a guest is a 32-character keyed hash");
      assert.ok(!v.visitor.includes(guest.ip));
    }
    assert.notEqual(visitors[0]?.visitor, visitors[1]?.visitor, "the hash changes each day");
  });

  test("a logged-in reader from two addresses is one visitor", async () => {
    const id = await post({ title: "Two Addresses" });
    const elsewhere = new Client(t.app);
    elsewhere.cookies = new Map(reader.cookies);
    assert.notEqual(elsewhere.ip, reader.ip);
    await reader.get(`/works/${id}`);
    const res = await elsewhere.get(`/works/${id}`);
    assert.match(res.body, /Two Addresses/);
    assert.equal(await hits(id), 1);
  });

  test("guests sharing an address count apart by browser, and once for the same browser", async () => {
    const id = await post({ title: "Shared Address" });
    const ip = "10.9.8.7";
    await getAs(`/works/${id}`, ip, "Firefox/140");
    await getAs(`/works/${id}`, ip, "Firefox/140");
    assert.equal(await hits(id), 1);
    await getAs(`/works/${id}`, ip, "Chrome/130");
    assert.equal(await hits(id), 2);
    const head = await t.app.inject({ method: "HEAD", url: `/works/${id}`, remoteAddress: ip });
    assert.equal(head.statusCode, 200);
    assert.equal(await hits(id), 2, "a HEAD request reads nothing");
  });

  test("parallel first views by one visitor make exactly one hit", async () => {
    const id = await post({ title: "Stampede" });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => getAs(`/works/${id}`, "10.4.4.4", "Same Browser")),
    );
    assert.ok(responses.every((r) => r.statusCode === 200));
    assert.equal(await hits(id), 1);
    assert.equal(await dailyHits(id, 0), 1);
  });

  test("the creator's, an admin's and gated views never count; restricted works count members", async () => {
    const id = await post({ title: "Not Counted" });
    await author.get(`/works/${id}`);
    assert.equal(await hits(id), 0, "creator");
    assert.match((await admin.get(`/works/${id}`)).body, /Not Counted/);
    assert.equal(await hits(id), 0, "admin");
    const rows = await t.deps.db
      .selectFrom("hit_visitors")
      .select("visitor")
      .where("work_id", "=", id)
      .execute();
    assert.equal(rows.length, 0);

    const gated = await post({ title: "Gated", rating: "Explicit" });
    const guest = new Client(t.app);
    assert.match((await guest.get(`/works/${gated}`)).body, /could have adult content/);
    assert.equal(await hits(gated), 0, "the adult gate is not a view");
    await guest.get(`/works/${gated}?view_adult=true`);
    assert.equal(await hits(gated), 1);

    const members = await post({ title: "Members", restricted: "1" });
    // A guest is sent to log in (#11), as on AO3.
    assert.equal((await new Client(t.app).get(`/works/${members}`)).statusCode, 302);
    assert.equal(await hits(members), 0, "a guest refused is not a view");
    await reader.get(`/works/${members}`);
    assert.equal(await hits(members), 1);
  });

  test("drafts never count: the work, a draft chapter, and the rule itself", async () => {
    const draft = await post({ title: "Draft Work", action: "draft" });
    assert.match((await author.get(`/works/${draft}`)).body, /Draft Work/);
    assert.equal((await new Client(t.app).get(`/works/${draft}`)).statusCode, 404);
    assert.equal((await reader.get(`/works/${draft}`)).statusCode, 404);
    assert.equal(await hits(draft), 0);

    // Readers never reach a draft page, so the rule is also checked on its own.
    const ctx = (work: number, chapter: number | null, extra = {}) =>
      ({
        viewer: { user: null, adultConsent: false },
        loaded: { isCreator: false, work: { id: 1, posted: work } },
        chapter: chapter === null ? null : { id: 2, posted: chapter },
        ...extra,
      }) as unknown as WorkPageContext;
    assert.equal(countsAsHit(ctx(1, 1)), true);
    assert.equal(countsAsHit(ctx(1, null)), true, "entire-work page");
    assert.equal(countsAsHit(ctx(0, 1)), false, "draft work");
    assert.equal(countsAsHit(ctx(1, 0)), false, "draft chapter");
  });

  test("chapter hits: each chapter shown alone counts; the entire work counts the work only", async () => {
    const id = await post({ title: "Chaptered", chapter_title: "Opening", expected_chapters: "3" });
    let res = await author.post(`/works/${id}/chapters`, {
      chapter_title: "Middle",
      text: "The second chapter's text.",
      action: "post",
    });
    assert.equal(res.statusCode, 303);
    res = await author.post(`/works/${id}/chapters`, {
      chapter_title: "Unfinished",
      text: "A draft chapter's text.",
      action: "draft",
    });
    assert.equal(res.statusCode, 303);
    const [c1, c2, c3] = chapterIds((await author.get(`/works/${id}/navigate`)).body, id);
    assert.ok(c1 && c2 && c3);

    const a = new Client(t.app);
    await a.get(`/works/${id}`); // chapter 1, shown alone
    await a.get(`/works/${id}/chapters/${c2}`);
    await a.get(`/works/${id}/chapters/${c1}`);
    const b = new Client(t.app);
    await b.get(`/works/${id}/chapters/${c2}`);
    const c = new Client(t.app);
    assert.match((await c.get(`/works/${id}?view_full_work=true`)).body, /second chapter/);
    assert.equal(await hits(id), 3);
    assert.equal(await dailyHits(id, 0), 3);
    assert.equal(await dailyHits(id, c1), 1);
    assert.equal(await dailyHits(id, c2), 2);
    assert.equal(await dailyHits(id, c3), 0);

    const page = await author.get(`/users/stats_author/stats?work=${id}`);
    assert.equal(page.statusCode, 200);
    const table = /<section class="chapter-stats"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? "";
    const row = (chapterId: number) =>
      new RegExp(
        `chapters/${chapterId}">Chapter \\d+: [^<]+</a>(?:<span class="draft"> \\(Draft\\)</span>)?</th><td>[\\d,]+</td><td>(\\d+)</td>`,
      ).exec(table)?.[1];
    assert.equal(row(c1), "1");
    assert.equal(row(c2), "2");
    assert.equal(row(c3), "0");
    assert.match(table, /Unfinished<\/a><span class="draft"> \(Draft\)/);
  });

  test("the stats page lists every work with its counters, totals, sorting and drafts", async () => {
    const writer = new Client(t.app);
    await writer.signUp("counted_writer");
    const mk = async (overrides: Record<string, string>) => {
      const res = await writer.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303);
      return workIdFrom(res.headers.location);
    };
    const busy = await mk({ title: "Busy Work", text: "one two three four five six" });
    const quiet = await mk({ title: "Quiet Work", text: "one two three four" });
    const draft = await mk({ title: "Drafted Work", action: "draft" });
    const now = t.deps.now();
    await bumpCounts(t.deps.db, { workId: busy }, { kudos: 2, comments: 3, bookmarks: 4 }, now);
    await bumpCounts(t.deps.db, { workId: busy }, { subscriptions: 5 }, now);
    await bumpCounts(t.deps.db, { workId: quiet }, { kudos: 7 }, now);
    for (let i = 0; i < 3; i++) await getAs(`/works/${busy}`, "10.1.1.1", `Browser ${i}`);
    await getAs(`/works/${quiet}`, "10.1.1.1", "Browser 0");

    const res = await writer.get("/users/counted_writer/stats");
    assert.equal(res.statusCode, 200);
    const cells = (id: number) =>
      new RegExp(
        `<a href="/works/${id}">[^<]+</a>(?:<span[^>]*>[^<]*</span>)?</th>((?:<td>[\\d,]+</td>){6})`,
      )
        .exec(res.body)?.[1]
        ?.match(/\d[\d,]*/g);
    assert.deepEqual(cells(busy)?.slice(1), ["3", "2", "3", "4", "5"]);
    assert.deepEqual(cells(quiet)?.slice(1), ["1", "7", "0", "0", "0"]);
    assert.deepEqual(cells(draft)?.slice(1), ["0", "0", "0", "0", "0"]);
    assert.match(res.body, /Drafted Work<\/a><span class="draft"> \(Draft\)<\/span>/);
    const words = Number(cells(busy)?.[0]) + Number(cells(quiet)?.[0]) + Number(cells(draft)?.[0]);
    assert.match(
      res.body,
      new RegExp(
        `<tfoot><tr><th scope="row">Total \\(3 works\\)</th><td>${words}</td><td>4</td><td>9</td><td>3</td><td>4</td><td>5</td>`,
      ),
    );
    assert.doesNotMatch(res.body, /A Study in Fog|Chaptered/, "only this author's works");

    const order = (body: string) =>
      [...body.matchAll(/<th scope="row"><a href="\/works\/(\d+)">/g)].map((m) => Number(m[1]));
    assert.deepEqual(order(res.body), [busy, quiet, draft], "by hits by default");
    const byKudos = await writer.get("/users/counted_writer/stats?sort=kudos");
    assert.deepEqual(order(byKudos.body), [quiet, busy, draft]);
    assert.match(
      byKudos.body,
      /<th scope="col" aria-sort="descending"><a href="[^"]*sort=kudos&amp;dir=asc"/,
    );
    const byTitle = await writer.get("/users/counted_writer/stats?sort=title");
    assert.deepEqual(order(byTitle.body), [busy, draft, quiet]);
    const reversed = await writer.get("/users/counted_writer/stats?sort=title&dir=desc");
    assert.deepEqual(order(reversed.body), [quiet, draft, busy]);

    const bad = await writer.get("/users/counted_writer/stats?sort=popularity");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /sort/);
    for (const q of ["figure=likes", "range=7", "work=abc"]) {
      const r = await writer.get(`/users/counted_writer/stats?${q}`);
      assert.equal(r.statusCode, 400, q);
      assert.match(r.body, new RegExp(q.split("=")[0]!), q);
    }
  });

  test("the chart: an SVG with an accessible name and one point per day of the range", async () => {
    const writer = new Client(t.app);
    await writer.signUp("charted_writer");
    const res = await writer.post("/works", workForm({ title: "Charted Work" }));
    const id = workIdFrom(res.headers.location);
    const other = await writer.post("/works", workForm({ title: "Other Work" }));
    const otherId = workIdFrom(other.headers.location);
    for (let i = 0; i < 3; i++) await getAs(`/works/${id}`, "10.2.2.2", `UA ${i}`);
    await getAs(`/works/${otherId}`, "10.2.2.2", "UA 0");
    const yesterday = t.deps.now() - DAY;
    await bumpCounts(t.deps.db, { workId: id }, { kudos: 4 }, yesterday);
    const today = new Date(t.deps.now()).toISOString().slice(0, 10);
    const day1 = new Date(yesterday).toISOString().slice(0, 10);

    const page = await writer.get("/users/charted_writer/stats");
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? "";
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-labelledby="stats-chart-title"/);
    assert.match(
      svg,
      /<title id="stats-chart-title">Hits per day, last 30 days, all works<\/title>/,
    );
    assert.match(svg, /<desc id="stats-chart-desc">[^<]*: 4 hits in total, at most 4 on one day/);
    const points = (s: string) => (/<polyline[^>]*points="([^"]+)"/.exec(s)?.[1] ?? "").split(" ");
    assert.equal(points(svg).length, 30);
    assert.match(page.body, new RegExp(`<th scope="row">${today}</th><td>4</td>`));

    const kudos = await writer.get(`/users/charted_writer/stats?figure=kudos&range=90&work=${id}`);
    assert.equal(kudos.statusCode, 200);
    const svg2 = /<svg[\s\S]*?<\/svg>/.exec(kudos.body)?.[0] ?? "";
    assert.match(
      svg2,
      /<title id="stats-chart-title">Kudos per day, last 90 days, “Charted Work”<\/title>/,
    );
    assert.equal(points(svg2).length, 90);
    assert.match(kudos.body, new RegExp(`<th scope="row">${day1}</th><td>4</td>`));
    assert.match(kudos.body, new RegExp(`<th scope="row">${today}</th><td>0</td>`));
    assert.equal(
      points(
        /<svg[\s\S]*?<\/svg>/.exec(
          (await writer.get("/users/charted_writer/stats?range=365")).body,
        )?.[0] ?? "",
      ).length,
      365,
    );
    // Only this author's works may be chosen; any other id is simply not found.
    const stranger = await writer.get(`/users/charted_writer/stats?work=${id + 1000}`);
    assert.equal(stranger.statusCode, 404);
    const notMine = await author.post("/works", workForm({ title: "Not Theirs" }));
    const notMineId = workIdFrom(notMine.headers.location);
    assert.equal(
      (await writer.get(`/users/charted_writer/stats?work=${notMineId}`)).statusCode,
      404,
    );
    assert.equal(
      (await writer.get(`/users/charted_writer/stats.csv?work=${notMineId}&daily=1`)).statusCode,
      404,
    );
  });

  test("CSV downloads: per work and per day, escaped and formula-safe", async () => {
    const writer = new Client(t.app);
    await writer.signUp("csv_writer");
    const title = '=HYPERLINK("http://evil.example"), "quoted"';
    const res = await writer.post("/works", workForm({ title }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const id = workIdFrom(res.headers.location);
    const plain = workIdFrom(
      (await writer.post("/works", workForm({ title: "Plain" }))).headers.location,
    );
    await getAs(`/works/${id}`, "10.3.3.3", "UA");
    await bumpCounts(t.deps.db, { workId: id }, { kudos: 2 }, t.deps.now() - 2 * DAY);

    const csv = await writer.get("/users/csv_writer/stats.csv");
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert.match(
      String(csv.headers["content-disposition"]),
      /^attachment; filename="csv_writer-stats-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = csv.body.replace(/^\uFEFF/, "").split("\r\n");
    assert.equal(lines[0], "id,title,status,words,hits,kudos,comments,bookmarks,subscriptions");
    assert.match(
      lines[1]!,
      new RegExp(
        `^${id},"'=HYPERLINK\\(""http://evil\\.example""\\), ""quoted""",posted,\\d+,1,2,0,0,0$`,
      ),
    );
    assert.match(lines[2]!, new RegExp(`^${plain},Plain,posted,\\d+,0,0,0,0,0$`));
    assert.equal(lines.length, 4, "two rows and a final line break");

    const daily = await writer.get(`/users/csv_writer/stats.csv?work=${id}&daily=1`);
    assert.equal(daily.statusCode, 200);
    assert.match(
      String(daily.headers["content-disposition"]),
      new RegExp(`filename="csv_writer-work-${id}-daily-`),
    );
    const days = daily.body
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    assert.deepEqual(days, [
      "date,hits,kudos,comments,bookmarks,subscriptions",
      `${iso(t.deps.now() - 2 * DAY)},0,2,0,0,0`,
      `${iso(t.deps.now() - DAY)},0,0,0,0,0`,
      `${iso(t.deps.now())},1,0,0,0,0`,
    ]);
    const ranged = await writer.get(`/users/csv_writer/stats.csv?work=${id}&daily=1&range=30`);
    assert.equal(ranged.body.trimEnd().split("\r\n").length, 31);
    const all = await writer.get(`/users/csv_writer/stats.csv?daily=1`);
    assert.match(all.body, new RegExp(`${iso(t.deps.now())},1,0,0,0,0`));
  });

  test("only the owner sees statistics: guests log in, others and admins are refused", async () => {
    const urls = [
      "/users/stats_author/stats",
      "/users/stats_author/stats?sort=kudos&figure=kudos&range=90",
      "/users/stats_author/stats.csv",
      "/users/stats_author/stats.csv?daily=1",
    ];
    for (const url of urls) {
      const guest = await new Client(t.app).get(url);
      assert.equal(guest.statusCode, 303, url);
      assert.equal(guest.headers.location, `/login?return_to=${encodeURIComponent(url)}`);
      for (const other of [reader, admin]) {
        const res = await other.get(url);
        assert.equal(res.statusCode, 403, url);
        assert.doesNotMatch(res.body, /Daily Guest|hits,kudos/, url);
      }
      assert.equal((await author.get(url)).statusCode, 200, url);
    }
    assert.equal((await reader.get("/users/nobody_here/stats")).statusCode, 404);
  });

  test("hits.prune drops visitor rows older than yesterday and keeps counting right", async () => {
    const id = await post({ title: "Pruned" });
    const today = dayOf(t.deps.now());
    await t.deps.db
      .insertInto("hit_visitors")
      .values(
        [today - 3, today - 2, today - 1, today].map((day) => ({
          work_id: id,
          chapter_id: 0,
          day,
          visitor: `u${900 + day - today}`,
        })),
      )
      .execute();
    t.clock.now += 7 * 3_600_000;
    await t.drainJobs();
    const left = await t.deps.db
      .selectFrom("hit_visitors")
      .select("day")
      .where("work_id", "=", id)
      .orderBy("day")
      .execute();
    const now = dayOf(t.deps.now());
    assert.ok(left.length > 0);
    for (const r of left) assert.ok(r.day >= now - 1, `day ${r.day} kept, today is ${now}`);
    assert.deepEqual(
      left.map((r) => r.day),
      [today - 3, today - 2, today - 1, today].filter((d) => d >= now - 1),
    );
    const queued = await t.deps.db
      .selectFrom("jobs")
      .select("kind")
      .where("kind", "=", "hits.prune")
      .execute();
    assert.equal(queued.length, 1, "the next run is queued");
  });
});
