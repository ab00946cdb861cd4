/**
 * Feeds and catalogs (issue 14): Atom feeds of tags (folded by wrangling), authors, a work's
 * chapters and saved searches, and the OPDS catalog, public and personal. Every document is
 * validated with jing against RFC 4287's schema; caching validators answer 304; links are
 * absolute from configuration; guests' feeds carry no draft, restricted, hidden or adult work;
 * a personal token sees what its reader may see, and a reset ends the old one.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findTagByName } from "../../src/tags/queries.ts";
import { addExcludedTag, muteUser } from "../../src/exclusions/queries.ts";
import { setMarkedForLater } from "../../src/engagement/reading/queries.ts";
import { setHiddenReason } from "../../src/moderation/hiding.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildBookmark, buildUser, buildWork, type FactoryUser } from "../support/factories.ts";
import { skipUnless } from "../support/skip.ts";
import {
  checkAtomRules,
  checkOpdsRules,
  jingAvailable,
  jingErrors,
  kid,
  kids,
  links,
  parseXml,
} from "./validate.ts";

const BASE = "https://feeds.example.org";
const DAY = 86_400_000;
const FANDOM = "Feedhaven (TV)";

describeEachEngine("feeds and the OPDS catalog", (engine) => {
  let t: TestApp;
  let writer: FactoryUser;
  let reader: FactoryUser;
  let muted: FactoryUser;
  const ids: Record<string, number> = {};
  const guest = () => new Client(t.app);

  before(async () => {
    t = await createTestApp(engine, { FANFOLD_PUBLIC_URL: BASE });
    const db = t.handle.db;
    writer = await buildUser(db, { login: "feed_writer" });
    reader = await buildUser(db, { login: "feed_reader" });
    muted = await buildUser(db, { login: "feed_muted" });
    const at = (days: number) => t.clock.now - days * DAY;
    const work = async (key: string, days: number, fields: Record<string, string | string[]>) => {
      const w = await buildWork(db, {
        pseudId: writer.pseudId,
        fandoms: FANDOM,
        now: at(days),
        ...fields,
      });
      ids[key] = w.workId;
      ids[`${key}Chapter`] = w.chapterId;
    };
    await work("open", 9, {
      title: "Open Lantern",
      freeforms: "Lamplight",
      relationships: "Keeper/Gull",
      summary: "Two keepers & <b>one</b> lamp.",
      text: "Mark's POV.\n\n**Still** here.",
    });
    await work("restricted", 8, { title: "Members Lantern", restricted: "1" });
    await work("draft", 7, { title: "Drafty Lantern", action: "draft" });
    await work("adult", 6, { title: "Explicit Lantern", rating: "Explicit" });
    await work("hidden", 5, { title: "Hidden Lantern" });
    await work("synonymous", 4, { title: "Spelled Lantern", freeforms: "Lamp Light" });
    await work("excluded", 3, { title: "Excluded Lantern", freeforms: "Foghorns" });
    ids.mutedWork = (
      await buildWork(db, {
        pseudId: muted.pseudId,
        fandoms: FANDOM,
        title: "Muted Lantern",
        now: at(2),
      })
    ).workId;
    await setHiddenReason(db, "work", [ids.hidden!], "Spam", at(1));
    // Wrangled: "Lamp Light" is a synonym of "Lamplight".
    const canonical = (await findTagByName(db, "Lamplight"))!;
    const synonym = (await findTagByName(db, "Lamp Light"))!;
    ids.lamplight = canonical.id;
    ids.lampLight = synonym.id;
    const wrangler = await buildUser(db, { login: "feed_wrangler", roles: ["wrangler"] });
    const w = new Client(t.app);
    assert.equal((await w.logIn(wrangler.login, "factory password")).statusCode, 303);
    for (const [path, form] of [
      ["/tags/Lamplight/canonical", { canonical: "1" }],
      ["/tags/Lamp%20Light/synonym", { canonical: "Lamplight" }],
    ] as const) {
      const res = await w.post(path, form);
      assert.equal(res.statusCode, 303, `${path}: ${res.body.slice(0, 300)}`);
    }
  });
  after(() => t.close());

  const titles = (body: string) => kids(parseXml(body), "entry").map((e) => kid(e, "title")!.text);

  const login = async (user: FactoryUser) => {
    const c = new Client(t.app);
    assert.equal((await c.logIn(user.login, "factory password")).statusCode, 303);
    return c;
  };

  /** The reader's personal catalog address, as their preferences page shows it. */
  const personalRoot = async (c: Client, user: FactoryUser) => {
    const prefs = await c.get(`/users/${user.login}/preferences`);
    assert.equal(prefs.statusCode, 200);
    const url = /id="personal-opds-address"[^>]*value="([^"]+)"/.exec(prefs.body)?.[1];
    assert.ok(url, "the preferences page shows the personal catalog address");
    assert.ok(url.startsWith(`${BASE}/opds/u/`), url);
    return url.slice(BASE.length);
  };

  test("every feed kind is valid Atom (jing, RFC 4287's schema) with absolute links", async (tc) => {
    const r = await login(reader);
    const root = await personalRoot(r, reader);
    const atom = {
      works: "/works/feed.atom",
      tag: `/tags/${encodeURIComponent(FANDOM)}/feed.atom`,
      tagById: `/tags/${ids.lamplight}/feed.atom`,
      author: "/users/feed_writer/works/feed.atom",
      pseud: "/users/feed_writer/pseuds/feed_writer/works/feed.atom",
      chapters: `/works/${ids.open}/chapters/feed.atom`,
      savedSearch: `/tags/${encodeURIComponent(FANDOM)}/feed.atom?sort=title&include=${ids.lamplight}`,
      empty: "/users/feed_reader/works/feed.atom",
    };
    const opds = {
      root: ["/opds", "navigation"],
      recent: ["/opds/recent", "acquisition"],
      fandoms: ["/opds/fandoms", "navigation"],
      tags: ["/opds/tags", "navigation"],
      fandom: [`/opds/tags/${(await findTagByName(t.deps.db, FANDOM))!.id}`, "acquisition"],
      author: ["/opds/users/feed_writer", "acquisition"],
      search: ["/opds/search?q=lantern", "acquisition"],
      personalRoot: [root, "navigation"],
      personalRecent: [`${root}/recent`, "acquisition"],
      bookmarks: [`${root}/bookmarks`, "acquisition"],
      later: [`${root}/marked-for-later`, "acquisition"],
      personalSearch: [`${root}/search?q=lantern`, "acquisition"],
    } as const;
    const docs: Record<string, string> = {};
    for (const [name, path] of Object.entries(atom)) {
      const res = await guest().get(path);
      assert.equal(res.statusCode, 200, `${name}: ${res.body.slice(0, 300)}`);
      assert.match(String(res.headers["content-type"]), /^application\/atom\+xml/, name);
      const feed = checkAtomRules(res.body, name);
      for (const l of kids(feed, "link").concat(kids(feed, "entry").flatMap((e) => links(e))))
        assert.ok(l.attrs.href!.startsWith(`${BASE}/`), `${name}: ${l.attrs.href}`);
      assert.ok(kid(feed, "id")!.text.startsWith(`${BASE}/`), name);
      docs[name] = res.body;
    }
    for (const [name, [path, kind]] of Object.entries(opds)) {
      const res = await guest().get(path);
      assert.equal(res.statusCode, 200, `${name}: ${res.body.slice(0, 300)}`);
      assert.equal(
        String(res.headers["content-type"]),
        `application/atom+xml;profile=opds-catalog;kind=${kind}; charset=utf-8`,
        name,
      );
      checkOpdsRules(res.body, kind, name);
      docs[`opds ${name}`] = res.body;
    }
    if (skipUnless(tc, jingAvailable(), "jing is not installed (apt-get install jing)")) return;
    const errors = await jingErrors(docs);
    assert.deepEqual(
      Object.entries(errors).filter(([, e]) => e.length > 0),
      [],
      "every document is valid",
    );
    // The harness catches a broken feed: an entry without id, a date that is not one.
    const broken = docs
      .works!.replace(/<id>[^<]*<\/id>\n(\s*<title>Open)/, "$1")
      .replace(/<updated>[^<]+<\/updated>/, "<updated>yesterday</updated>");
    const caught = await jingErrors({ broken });
    assert.ok(caught.broken!.length >= 2, caught.broken!.join("\n"));
  });

  test("guests' feeds carry no draft, restricted or hidden work; catalogs no adult one", async () => {
    const never = ["Members Lantern", "Drafty Lantern", "Hidden Lantern"];
    for (const path of [
      "/works/feed.atom",
      `/tags/${encodeURIComponent(FANDOM)}/feed.atom`,
      "/users/feed_writer/works/feed.atom",
      "/opds/recent",
      "/opds/users/feed_writer",
      "/opds/search?q=lantern",
    ]) {
      const res = await guest().get(path);
      const got = titles(res.body);
      assert.ok(got.includes("Open Lantern"), `${path}: ${got.join(", ")}`);
      if (!path.includes("feed_writer"))
        assert.ok(got.includes("Muted Lantern"), `${path}: no exclusions for guests`);
      for (const title of never) assert.ok(!got.includes(title), `${path} has ${title}`);
      // Atom entries are blurbs, as the guest's listing shows them; an OPDS entry is a book to
      // download, which an e-reader cannot put behind the adult-content question.
      const opds = path.startsWith("/opds");
      assert.equal(got.includes("Explicit Lantern"), !opds, `${path}: adult works`);
    }
    // The fandom count a guest is shown is what the guest's feed lists.
    const fandoms = await guest().get("/opds/fandoms");
    const entry = kids(parseXml(fandoms.body), "entry").find(
      (e) => kid(e, "title")!.text === FANDOM,
    );
    assert.equal(kid(entry!, "content")!.text, "4 works");
    // A work's own chapter feed: restricted, draft and hidden works are not there; adult ones
    // are refused with the reason.
    for (const key of ["restricted", "draft", "hidden"])
      assert.equal(
        (await guest().get(`/works/${ids[key]}/chapters/feed.atom`)).statusCode,
        404,
        key,
      );
    const adult = await guest().get(`/works/${ids.adult}/chapters/feed.atom`);
    assert.equal(adult.statusCode, 403);
    assert.match(adult.body, /rated Explicit/);
  });

  test("a work's chapter feed: one entry per posted chapter, newest first, with its text", async () => {
    const c = await login(writer);
    const add = async (title: string, text: string, action = "post") => {
      t.clock.now += 60_000;
      const res = await c.post(`/works/${ids.open}/chapters`, {
        chapter_title: title,
        summary: "",
        notes: "",
        end_notes: "",
        text,
        action,
      });
      assert.equal(
        res.statusCode,
        303,
        res.body
          .replace(/[\s\S]*<main/, "")
          .replace(/<[^>]+>/g, " ")
          .slice(0, 600),
      );
    };
    await add("The Second Night", "The <i>lamp</i> held.");
    await add("Unposted", "Not yet, not quite.", "draft");
    const res = await guest().get(`/works/${ids.open}/chapters/feed.atom`);
    assert.equal(res.statusCode, 200);
    const entries = kids(parseXml(res.body), "entry");
    assert.deepEqual(
      entries.map((e) => kid(e, "title")!.text),
      ["Open Lantern: Chapter 2: The Second Night", "Open Lantern: Chapter 1"],
    );
    const content = kid(entries[0]!, "content")!;
    assert.equal(content.attrs.type, "html");
    assert.match(content.text, /The <i>lamp<\/i> held\./);
    assert.match(kid(entries[1]!, "content")!.text, /<strong>Still<\/strong>|Still/);
    assert.match(
      links(entries[0]!, "alternate")[0]!.attrs.href!,
      new RegExp(`^${BASE}/works/${ids.open}/chapters/\\d+$`),
    );
    assert.doesNotMatch(res.body, /Not yet, not quite/);
  });

  test("ETag and Last-Modified: a reader that has the feed gets a 304", async () => {
    for (const path of [
      `/tags/${encodeURIComponent(FANDOM)}/feed.atom`,
      `/works/${ids.open}/chapters/feed.atom`,
      "/opds",
      "/opds/recent",
    ]) {
      const first = await guest().get(path);
      const etag = String(first.headers.etag);
      const lastModified = String(first.headers["last-modified"]);
      assert.match(etag, /^"[\w-]+"$/, path);
      assert.ok(Number.isFinite(Date.parse(lastModified)), path);
      const inject = (headers: Record<string, string>) =>
        t.app.inject({ method: "GET", url: path, headers });
      const byTag = await inject({ "if-none-match": etag });
      assert.equal(byTag.statusCode, 304, path);
      assert.equal(byTag.body, "");
      assert.equal((await inject({ "if-none-match": `"other", W/${etag}` })).statusCode, 304);
      assert.equal((await inject({ "if-none-match": '"stale"' })).statusCode, 200, path);
      assert.equal((await inject({ "if-modified-since": lastModified })).statusCode, 304, path);
      const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
      assert.equal((await inject({ "if-modified-since": earlier })).statusCode, 200, path);
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      assert.equal(
        (await inject({ "if-none-match": '"stale"', "if-modified-since": lastModified }))
          .statusCode,
        200,
      );
    }
  });

  test("links come from FANFOLD_PUBLIC_URL, never the Host header", async () => {
    for (const path of ["/opds", "/opds/recent", `/works/${ids.open}/chapters/feed.atom`]) {
      const res = await t.app.inject({
        method: "GET",
        url: path,
        headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
      });
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, /evil\.example/, path);
      assert.match(res.body, new RegExp(`${BASE}/`));
    }
    const search = await guest().get("/opds/opensearch.xml");
    assert.match(
      String(search.headers["content-type"]),
      /^application\/opensearchdescription\+xml/,
    );
    const doc = parseXml(search.body);
    assert.equal(doc.name, "OpenSearchDescription");
    assert.equal(doc.attrs.xmlns, "http://a9.com/-/spec/opensearch/1.1/");
    assert.ok(kid(doc, "ShortName")!.text.length <= 16);
    const urls = kids(doc, "Url");
    assert.ok(
      urls.some(
        (u) =>
          u.attrs.type === "application/atom+xml;profile=opds-catalog;kind=acquisition" &&
          u.attrs.template!.startsWith(`${BASE}/opds/search?q={searchTerms}`),
      ),
    );
  });

  test("tag feeds are folded by wrangling: a synonym's address leads to the canonical tag", async () => {
    const byName = await guest().get("/tags/Lamp%20Light/feed.atom");
    assert.equal(byName.statusCode, 301);
    assert.equal(byName.headers.location, "/tags/Lamplight/feed.atom");
    const byId = await guest().get(`/tags/${ids.lampLight}/feed.atom`);
    assert.equal(byId.statusCode, 301);
    const canonical = await guest().get("/tags/Lamplight/feed.atom");
    assert.deepEqual(titles(canonical.body).sort(), ["Open Lantern", "Spelled Lantern"]);
    // AO3's feed title, from which AO3 tools read the tag's name.
    assert.equal(kid(parseXml(canonical.body), "title")!.text, "Fanfold works tagged 'Lamplight'");
    const opds = await guest().get(`/opds/tags/${ids.lampLight}`);
    assert.equal(opds.statusCode, 301);
    assert.equal(opds.headers.location, `/opds/tags/${ids.lamplight}`);
    assert.deepEqual(titles((await guest().get(`/opds/tags/${ids.lamplight}`)).body).sort(), [
      "Open Lantern",
      "Spelled Lantern",
    ]);
    assert.equal((await guest().get("/tags/No%20Such%20Tag/feed.atom")).statusCode, 404);
    assert.equal((await guest().get("/opds/tags/999999")).statusCode, 404);
  });

  test("OPDS entries: authors, summary, language, tags, the EPUB to acquire; paging links", async () => {
    const res = await guest().get(`/opds/users/feed_writer`);
    const entry = kids(parseXml(res.body), "entry").find(
      (e) => kid(e, "title")!.text === "Open Lantern",
    )!;
    assert.equal(kid(kid(entry, "author")!, "name")!.text, "feed_writer");
    assert.equal(kid(entry, "dc:language")!.text, "en");
    assert.match(kid(entry, "content")!.text, /Two keepers &amp; <b>one<\/b> lamp\.|Two keepers/);
    assert.equal(kid(entry, "content")!.attrs.type, "html");
    const terms = kids(entry, "category").map((c) => c.attrs.term);
    for (const tag of [FANDOM, "General Audiences", "Lamplight", "Keeper/Gull"])
      assert.ok(terms.includes(tag), `${tag} in ${terms.join(", ")}`);
    const acquire = links(entry, "http://opds-spec.org/acquisition")[0]!;
    assert.equal(acquire.attrs.type, "application/epub+zip");
    assert.equal(acquire.attrs.href, `${BASE}/downloads/${ids.open}/Open_Lantern.epub`);
    assert.equal(links(entry, "alternate")[0]!.attrs.href, `${BASE}/works/${ids.open}`);
    // 20 a page: more works make a second page, linked both ways.
    for (let i = 0; i < 21; i++)
      await buildWork(t.handle.db, {
        pseudId: muted.pseudId,
        title: `Paged ${i}`,
        now: t.clock.now - 10 * DAY,
      });
    const one = parseXml((await guest().get("/opds/users/feed_muted")).body);
    assert.equal(kids(one, "entry").length, 20);
    assert.equal(links(one, "next")[0]!.attrs.href, `${BASE}/opds/users/feed_muted?page=2`);
    assert.equal(links(one, "first")[0]!.attrs.href, `${BASE}/opds/users/feed_muted`);
    assert.equal(links(one, "previous").length, 0);
    assert.equal(kid(one, "opensearch:totalResults")!.text, "22");
    const two = parseXml((await guest().get("/opds/users/feed_muted?page=2")).body);
    assert.equal(kids(two, "entry").length, 2);
    assert.equal(links(two, "previous")[0]!.attrs.href, `${BASE}/opds/users/feed_muted`);
    assert.equal(links(two, "next").length, 0);
    const bad = await guest().get("/opds/recent?page=0");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /page/);
    const noQuery = await guest().get("/opds/search?q=");
    assert.equal(noQuery.statusCode, 400);
    assert.match(noQuery.body, /q/);
  });

  test("a personal catalog sees what its reader may see, and a reset ends the old address", async () => {
    const db = t.handle.db;
    const c = await login(reader);
    const root = await personalRoot(c, reader);
    assert.equal(await personalRoot(c, reader), root, "the same address on every visit");
    const stored = await db.selectFrom("feed_tokens").selectAll().execute();
    const token = root.split("/").pop()!;
    assert.ok(stored.every((r) => r.token_hash !== token && !r.token_hash.includes(token)));

    const recent = async () => titles((await guest().get(`${root}/recent`)).body);
    let got = await recent();
    assert.ok(got.includes("Members Lantern"), "restricted works are in a reader's catalog");
    assert.ok(!got.includes("Explicit Lantern"), "no adult works without the opt-in");
    assert.ok(!got.includes("Hidden Lantern") && !got.includes("Drafty Lantern"));

    await addExcludedTag(db, reader.id, (await findTagByName(db, "Foghorns"))!.id, t.clock.now);
    await muteUser(db, reader.id, muted.id, t.clock.now);
    got = await recent();
    assert.ok(!got.includes("Excluded Lantern"), "saved exclusions apply");
    assert.ok(!got.includes("Muted Lantern"), "muted users' works are left out");
    assert.ok((await guest().get("/opds/recent")).body.includes("Excluded Lantern"));

    const prefs = await c.post(`/users/${reader.login}/preferences`, {
      view_adult: "1",
      history_enabled: "1",
    });
    assert.equal(prefs.statusCode, 303);
    assert.ok((await recent()).includes("Explicit Lantern"), "adult works after the opt-in");

    await buildBookmark(db, ids.restricted!, { by: reader, private: "1" });
    await buildBookmark(db, ids.open!, { by: reader });
    await setMarkedForLater(db, {
      userId: reader.id,
      workId: ids.adult!,
      marked: true,
      chaptersSeen: 0,
      now: t.clock.now,
    });
    assert.deepEqual(titles((await guest().get(`${root}/bookmarks`)).body), [
      "Open Lantern",
      "Members Lantern",
    ]);
    assert.deepEqual(titles((await guest().get(`${root}/marked-for-later`)).body), [
      "Explicit Lantern",
    ]);
    const nav = parseXml((await guest().get(root)).body);
    const hrefs = kids(nav, "entry").map((e) => links(e)[0]!.attrs.href);
    assert.ok(hrefs.includes(`${BASE}${root}/bookmarks`));
    assert.ok(hrefs.includes(`${BASE}${root}/marked-for-later`));
    assert.equal(links(nav, "start")[0]!.attrs.href, `${BASE}${root}`);
    assert.equal(
      (await guest().get(`${root}/recent`)).headers["cache-control"],
      "private, no-cache",
    );

    // The catalog's EPUB links download as the token's reader, without a session: an e-reader
    // fetches a restricted work that the public address would send to the login page.
    const members = kids(parseXml((await guest().get(`${root}/recent`)).body), "entry").find(
      (e) => kid(e, "title")!.text === "Members Lantern",
    )!;
    const epubHref = links(members, "http://opds-spec.org/acquisition")[0]!.attrs.href!;
    assert.ok(epubHref.startsWith(`${BASE}${root}/downloads/${ids.restricted}/`), epubHref);
    const epub = await guest().get(epubHref.slice(BASE.length));
    assert.equal(epub.statusCode, 200);
    assert.equal(epub.headers["content-type"], "application/epub+zip");
    const publicEpub = await guest().get(epubHref.slice(BASE.length + root.length));
    assert.equal(publicEpub.statusCode, 302, "the public address asks a guest to log in");
    assert.equal(
      (await guest().get(`/opds/u/${"A".repeat(43)}/downloads/${ids.restricted}/x.epub`))
        .statusCode,
      404,
    );

    // No such lists in the public catalog, and a bad token opens nothing.
    assert.equal((await guest().get("/opds/bookmarks")).statusCode, 404);
    for (const bad of ["A".repeat(43), `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`])
      assert.equal((await guest().get(`/opds/u/${bad}/recent`)).statusCode, 404, bad);
    assert.equal((await guest().get("/opds/u/x/search")).statusCode, 404);

    // Reset: asked first, then the old address is gone and the new one works.
    const ask = await c.get(`/users/${reader.login}/preferences/feeds/reset`);
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Reset your catalog address\?/);
    const noCsrf = await c.post(
      `/users/${reader.login}/preferences/feeds/reset`,
      {},
      { csrf: false },
    );
    assert.equal(noCsrf.statusCode, 403);
    const other = await login(writer);
    assert.equal(
      (await other.post(`/users/${reader.login}/preferences/feeds/reset`)).statusCode,
      403,
    );
    const reset = await c.post(`/users/${reader.login}/preferences/feeds/reset`);
    assert.equal(reset.statusCode, 303);
    assert.equal((await guest().get(`${root}/recent`)).statusCode, 404, "the old token is dead");
    const fresh = await personalRoot(c, reader);
    assert.notEqual(fresh, root);
    assert.equal((await guest().get(`${fresh}/recent`)).statusCode, 200);
  });

  test("pages link their feeds: tag, author and work pages, and the catalog from home", async () => {
    const alternate = (body: string, type: string) =>
      [...body.matchAll(/<link rel="alternate" type="([^"]+)" href="([^"]+)"/g)]
        .filter((m) => m[1] === type)
        .map((m) => m[2]!);
    const atomType = "application/atom+xml";
    const pages: [string, string][] = [
      ["/tags/Lamplight", `/tags/${ids.lamplight}/feed.atom`],
      ["/tags/Lamplight/works", `/tags/${ids.lamplight}/feed.atom`],
      ["/users/feed_writer", "/users/feed_writer/works/feed.atom"],
      ["/users/feed_writer/works", "/users/feed_writer/works/feed.atom"],
      [`/works/${ids.open}`, `/works/${ids.open}/chapters/feed.atom`],
      ["/", "/works/feed.atom"],
    ];
    for (const [path, feed] of pages) {
      const res = await guest().get(path);
      assert.equal(res.statusCode, 200, path);
      assert.deepEqual(alternate(res.body, atomType), [feed], path);
      assert.equal((await guest().get(feed)).statusCode, 200, feed);
    }
    const home = await guest().get("/");
    assert.deepEqual(
      alternate(home.body, "application/atom+xml;profile=opds-catalog;kind=navigation"),
      ["/opds"],
    );
    // AO3's visible link, from which AO3 tools read the tag's id.
    const works = await guest().get("/tags/Lamplight/works");
    assert.match(works.body, new RegExp(`<a class="rss" href="/tags/${ids.lamplight}/feed.atom"`));
    // Works not in guests' feeds do not offer one.
    const adult = await guest().get(`/works/${ids.adult}?view_adult=true`);
    assert.deepEqual(alternate(adult.body, atomType), []);
  });
});
