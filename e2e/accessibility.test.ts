// axe-core (WCAG 2.0–2.2 A and AA plus best practices: AXE_TAGS in support/browser.ts) over
// every page a reader or writer meets first. Zero violations.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { findUserByLogin, setRoles } from "../src/accounts/queries.ts";
import { setCanonical } from "../src/tags/commands.ts";
import { findTagByName } from "../src/tags/queries.ts";
import { setCollectionFlagsIn } from "../src/works/commands.ts";
import { Client, workForm, workIdFrom } from "../test/support/app.ts";
import {
  axe,
  chromiumAvailable,
  fencedContext,
  launchBrowser,
  logIn,
  skipWithoutChromium,
  startServer,
  type Server,
} from "./support/browser.ts";

const WRITER = "axe_writer";
const READER = "axe_reader";

describe("accessibility (axe-core, WCAG 2.2 AA)", () => {
  let server: Server;
  let browser: Browser;
  let guest: BrowserContext;
  let writer: BrowserContext;
  /** What each context's fence refused (live lists, read after the tests). */
  const blocked: string[][] = [];
  let workId = 0;
  /** Engagement seeded by seedEngagement(). */
  const ids = {
    readerWork: 0,
    readerComment: 0,
    writerComment: 0,
    readerBookmark: 0,
    writerBookmark: 0,
    /** The writer's bookmark of a work its reader then deleted. */
    keptBookmark: 0,
    /** A series of two of the writer's works (issue 15). */
    series: 0,
    /** The writer's work in an anonymous, unrevealed collection (issue 15). */
    unrevealed: 0,
    /** The reader's bookmark of the writer's series (issue 15). */
    seriesBookmark: 0,
  };

  /** Seeds over inject(): what is under test here is the markup, not the posting. */
  async function seed(client: Client) {
    await client.signUp(WRITER);
    const post = async (overrides: Parameters<typeof workForm>[0]) => {
      const res = await client.post("/works", workForm(overrides));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      return workIdFrom(res.headers.location);
    };
    for (let i = 1; i <= 21; i++) {
      await post({
        title: `Lamplight ${i}`,
        rating: ["General Audiences", "Teen And Up Audiences", "Mature"][i % 3],
        relationships: "Keeper/Fog",
        characters: "The Keeper, The Fog",
        freeforms: "Fluff, Slow Burn",
        summary: `Night ${i} at the <i>lighthouse</i>.`,
      });
    }
    workId = await post({
      title: "The Long Watch",
      rating: "Explicit",
      warnings: ["Graphic Depictions Of Violence", "Major Character Death"],
      categories: ["F/M", "Multi"],
      fandoms: "Lighthouse Keepers (TV), Sea Shanties",
      relationships: "Keeper/Fog, Keeper & Gull",
      characters: "The Keeper, The Fog, A Gull",
      freeforms: "Angst, Fluff",
      summary: "A summary with <em>emphasis</em>.",
      notes: "Beginning notes, with <a href='/works'>a link</a>.",
      end_notes: "End notes.",
      chapter_title: "Dusk",
      text:
        "<p>The fog came in at <b>dusk</b>.</p>\n\n<blockquote>A quoted letter.</blockquote>" +
        "\n\n<table><tr><th>Tide</th><td>High</td></tr></table>",
    });
    // A series of two works (issue 15): its page and the writer's series list are checked.
    const logOne = await post({ title: "Keeper's Log I", series_title: "Keeper's Logs" });
    ids.series = Number(
      /href="\/series\/(\d+)"/.exec((await client.get(`/works/${logOne}`)).body)?.[1],
    );
    await post({ title: "Keeper's Log II", series_id: String(ids.series), summary: "More fog." });
    const res = await client.post(`/works/${workId}/chapters`, {
      chapter_title: "Dawn",
      summary: "The second chapter's summary.",
      notes: "Chapter notes.",
      end_notes: "Chapter end notes.",
      text: "Morning came, and the lamp went out.",
      action: "post",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const db = server.testApp.deps.db;
    // A work waiting for an anonymous collection's reveal (issue 15): its creator's notices
    // and their "Unrevealed works" page are checked.
    ids.unrevealed = await post({ title: "A Sealed Lamp" });
    await db
      .transaction()
      .execute((tx) =>
        setCollectionFlagsIn(tx, ids.unrevealed, { anonymous: true, unrevealed: true }, Date.now()),
      );
    // A collection holding the writer's long work (issue 15): its pages are checked.
    const collection = await client.post("/collections", {
      name: "axe_collection",
      title: "The Lamplight Exchange",
      description: "A gift exchange for <em>lighthouse</em> fandoms.",
      rules: "One work each.",
      moderated: "1",
    });
    assert.equal(collection.statusCode, 303, collection.body.slice(0, 500));
    const added = await client.post(`/works/${workId}/collection_items`, {
      collection_names: "axe_collection",
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 500));
    // The writer also wrangles, so the wrangling pages can be checked.
    const me = await findUserByLogin(db, WRITER);
    await setRoles(db, me!.id, ["wrangler"]);
    const fandom = await findTagByName(db, "Lighthouse Keepers (TV)");
    const result = await setCanonical(db, { tagId: fandom!.id, canonical: true, now: Date.now() });
    assert.ok(result.ok);
  }

  /** A reader responds to the writer's work, and the writer to the reader's. */
  async function seedEngagement(writerClient: Client) {
    const reader = new Client(server.testApp.app);
    await reader.signUp(READER);
    const ok = (res: { statusCode: number; body: string }, what: string) =>
      assert.equal(res.statusCode, 303, `${what}: ${res.body.slice(0, 300)}`);
    ok(await reader.post(`/works/${workId}/kudos`), "kudos");
    ok(
      await reader.post(`/works/${workId}/comments`, { comment_content: "The fog scene! Yay." }),
      "comment",
    );
    ok(
      await reader.post(`/works/${workId}/bookmarks`, {
        notes: "Read this <b>twice</b>.",
        tags: "Lighthouses, Comfort reads",
        rec: "1",
      }),
      "bookmark",
    );
    // A gift to the writer, inspired by their work (issue 15): the writer's Gifts page and
    // related-works approval page are checked, and this work's page says "For …".
    const theirs = await reader.post(
      "/works",
      workForm({
        title: "A Reader's Tale",
        gift_recipients: WRITER,
        parent_url: `/works/${workId}`,
        // An invitation to the writer (issue 15): their Co-Creator Requests page is checked.
        co_creators: WRITER,
      }),
    );
    ids.readerWork = workIdFrom(theirs.headers.location);
    await writerClient.get(`/works/${ids.readerWork}`);
    ok(await writerClient.post(`/works/${ids.readerWork}/mark_for_later`), "mark for later");
    ok(await writerClient.post(`/users/${READER}/subscriptions`), "subscribe");
    ok(
      await writerClient.post(`/works/${ids.readerWork}/bookmarks`, { notes: "", tags: "Later" }),
      "writer bookmark",
    );
    const db = server.testApp.deps.db;
    const comment = await db
      .selectFrom("comments")
      .select("id")
      .where("work_id", "=", workId)
      .executeTakeFirstOrThrow();
    ids.readerComment = comment.id;
    ok(
      await writerClient.post(`/comments/${comment.id}/reply`, {
        comment_content: "Thank you for reading!",
      }),
      "reply",
    );
    const reply = await db
      .selectFrom("comments")
      .select("id")
      .where("parent_id", "=", comment.id)
      .executeTakeFirstOrThrow();
    ids.writerComment = reply.id;
    const bookmarks = await db
      .selectFrom("bookmarks")
      .innerJoin("users", "users.id", "bookmarks.user_id")
      .select(["bookmarks.id", "users.login"])
      .execute();
    ids.readerBookmark = bookmarks.find((b) => b.login === READER)!.id;
    ids.writerBookmark = bookmarks.find((b) => b.login === WRITER)!.id;
    // A series bookmark (issue 15): the reader's bookmarks list it as a series blurb.
    const seriesBookmark = await reader.post(`/series/${ids.series}/bookmarks`, {
      notes: "The whole <i>saga</i>.",
      tags: "Sagas",
    });
    ok(seriesBookmark, "series bookmark");
    ids.seriesBookmark = Number(/\/bookmarks\/(\d+)$/.exec(seriesBookmark.headers.location!)?.[1]);
    // A bookmark that outlives its work ("This has been deleted, sorry!").
    const gone = await reader.post("/works", workForm({ title: "A Tale Withdrawn" }));
    const goneId = workIdFrom(gone.headers.location);
    ok(await writerClient.post(`/works/${goneId}/bookmarks`, { notes: "Kept.", tags: "" }), "kept");
    ok(await reader.post(`/works/${goneId}/delete`), "delete the bookmarked work");
    await server.testApp.drainJobs();
    const kept = await db
      .selectFrom("bookmarks")
      .select("id")
      .where("work_ref", "=", goneId)
      .executeTakeFirstOrThrow();
    ids.keptBookmark = kept.id;
  }

  before(async () => {
    if (!chromiumAvailable) return;
    server = await startServer();
    const writerClient = new Client(server.testApp.app);
    await seed(writerClient);
    await seedEngagement(writerClient);
    browser = await launchBrowser();
    // axe goes in as an inline <script>, which Fanfold's CSP (rightly) refuses: these contexts
    // bypass the CSP so the checker can run. The writer-to-reader test keeps it on.
    const g = await fencedContext(browser, server.url, { bypassCSP: true });
    const w = await fencedContext(browser, server.url, { bypassCSP: true });
    guest = g.context;
    writer = w.context;
    blocked.push(g.blocked, w.blocked);
    await logIn(writer, WRITER);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (chromiumAvailable) assert.deepEqual(blocked.flat(), [], "no request may leave 127.0.0.1");
  });

  async function check(page: Page) {
    const { violations, summary } = await axe(page);
    assert.equal(violations.length, 0, summary);
  }

  async function open(context: BrowserContext, path: string) {
    const page = await context.newPage();
    const res = await page.goto(path);
    assert.ok(res?.ok(), `${path} answered ${res?.status()}`);
    return page;
  }

  const pages: [name: string, as: () => BrowserContext, path: () => string][] = [
    ["home page, with works", () => guest, () => "/"],
    ["adult content gate", () => guest, () => `/works/${workId}`],
    ["work page, chapter 1 after the gate", () => guest, () => `/works/${workId}?view_adult=true`],
    [
      "work page, entire work",
      () => guest,
      () => `/works/${workId}?view_adult=true&view_full_work=true`,
    ],
    ["work page, as its creator", () => writer, () => `/works/${workId}`],
    [
      "work page, anonymous and unrevealed, as its creator",
      () => writer,
      () => `/works/${ids.unrevealed}`,
    ],
    ["your unrevealed works", () => writer, () => `/users/${WRITER}/works/unrevealed`],
    ["chapter index", () => guest, () => `/works/${workId}/navigate?view_adult=true`],
    ["post new work", () => writer, () => "/works/new"],
    ["tag works page", () => guest, () => "/tags/Fluff/works"],
    ["all works, paginated", () => guest, () => "/works"],
    [
      "works filtered, with facets, excluded tags and a hidden-works note",
      () => writer,
      () => "/works?include_tags=Fluff&exclude_tags=Angst&sort=title&dir=asc&words_from=1",
    ],
    ["search page", () => guest, () => "/works/search?q=fog"],
    ["your filters (saved exclusions)", () => writer, () => "/preferences/exclusions"],
    ["saved searches", () => writer, () => "/saved-searches"],
    ["user page", () => guest, () => `/users/${WRITER}`],
    ["a user's gifts, as the recipient", () => writer, () => `/users/${WRITER}/gifts`],
    ["related works to approve", () => writer, () => `/works/${workId}/related_works`],
    ["a series page", () => guest, () => `/series/${ids.series}`],
    ["a user's series", () => guest, () => `/users/${WRITER}/series`],
    ["edit a series", () => writer, () => `/series/${ids.series}/edit`],
    ["a series' co-creators", () => writer, () => `/series/${ids.series}/creators`],
    ["co-creator requests", () => writer, () => `/users/${WRITER}/creatorships`],
    ["tag page", () => guest, () => "/tags/Fluff"],
    ["fandom index: media", () => guest, () => "/media"],
    [
      "fandom index: a medium's fandoms",
      () => guest,
      () => "/media/Uncategorized%20Fandoms/fandoms",
    ],
    ["tag wrangling form", () => writer, () => "/tags/Fluff/edit"],
    ["wrangling index", () => writer, () => "/wrangling"],
    [
      "unwrangled queue of a fandom",
      () => writer,
      () => "/wrangling/Lighthouse%20Keepers%20(TV)?type=character",
    ],
    ["who left kudos", () => guest, () => `/works/${workId}/kudos`],
    ["a comment thread", () => guest, () => `/comments/${ids.readerComment}`],
    ["reply form", () => writer, () => `/comments/${ids.readerComment}/reply`],
    ["edit a comment", () => writer, () => `/comments/${ids.writerComment}/edit`],
    [
      "delete a comment: confirmation",
      () => writer,
      () => `/comments/${ids.writerComment}/confirm_delete`,
    ],
    ["comments awaiting approval", () => writer, () => `/works/${workId}/comments/unreviewed`],
    ["a work's bookmarks", () => guest, () => `/works/${workId}/bookmarks`],
    ["a user's bookmarks, with their tags", () => guest, () => `/users/${READER}/bookmarks`],
    ["one bookmark", () => guest, () => `/bookmarks/${ids.readerBookmark}`],
    ["one bookmark of a series", () => guest, () => `/bookmarks/${ids.seriesBookmark}`],
    ["a series' bookmarks", () => guest, () => `/series/${ids.series}/bookmarks`],
    ["new bookmark of a series", () => writer, () => `/series/${ids.series}/bookmarks/new`],
    ["works in complete series only", () => guest, () => "/works?complete_series=true"],
    ["new bookmark", () => writer, () => `/works/${workId}/bookmarks/new`],
    ["edit a bookmark", () => writer, () => `/bookmarks/${ids.writerBookmark}/edit`],
    [
      "new bookmark of a work already bookmarked",
      () => writer,
      () => `/works/${ids.readerWork}/bookmarks/new`,
    ],
    ["a bookmark of a deleted work", () => guest, () => `/bookmarks/${ids.keptBookmark}`],
    [
      "delete a bookmark: confirmation",
      () => writer,
      () => `/bookmarks/${ids.writerBookmark}/confirm_delete`,
    ],
    ["inbox", () => writer, () => `/users/${WRITER}/inbox`],
    ["subscriptions", () => writer, () => `/users/${WRITER}/subscriptions`],
    [
      "email notification preferences",
      () => writer,
      () => `/users/${WRITER}/preferences/notifications`,
    ],
    ["history, with continue reading", () => writer, () => `/users/${WRITER}/readings`],
    ["marked for later", () => writer, () => `/users/${WRITER}/readings?show=to-read`],
    ["clear history: confirmation", () => writer, () => `/users/${WRITER}/readings/clear`],
    ["statistics, with the chart", () => writer, () => `/users/${WRITER}/stats`],
    [
      "statistics of one work, per chapter",
      () => writer,
      () => `/users/${WRITER}/stats?work=${workId}`,
    ],
    ["blocked users", () => writer, () => "/preferences/blocked"],
    ["another user's page: subscribe, mute, block", () => writer, () => `/users/${READER}`],
    [
      "the reader's work page: kudos, comments, bookmark, subscribe",
      () => writer,
      () => `/works/${ids.readerWork}`,
    ],
    ["collections index", () => guest, () => "/collections"],
    ["a collection's profile", () => guest, () => "/collections/axe_collection"],
    ["a collection's works, filtered", () => guest, () => "/collections/axe_collection/works"],
    ["new collection", () => writer, () => "/collections/new"],
    ["a collection's settings", () => writer, () => "/collections/axe_collection/edit"],
    [
      "a collection's items queue",
      () => writer,
      () => "/collections/axe_collection/items?status=approved",
    ],
    ["a collection's participants", () => writer, () => "/collections/axe_collection/participants"],
    ["your collections and their items", () => writer, () => `/users/${WRITER}/collection_items`],
    ["add a work to collections", () => writer, () => `/works/${workId}/collection_items/new`],
    ["log in", () => guest, () => "/login"],
    [
      "log in, sent from a registered-users-only work (AO3's address)",
      () => guest,
      () => "/users/login?restricted=true&return_to=%2Fworks%2F1",
    ],
    ["log out: the confirmation", () => writer, () => "/users/logout"],
    ["sign up", () => guest, () => "/signup"],
  ];

  for (const [name, as, path] of pages) {
    test(name, async (t) => {
      if (skipWithoutChromium(t)) return;
      const page = await open(as(), path());
      try {
        await check(page);
        // The same page on a phone: nothing may widen it past the screen (a long tag or a
        // fixed-width table once made work pages 410 px wide on a 390 px screen).
        await page.setViewportSize({ width: 390, height: 844 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path()} is ${width} px wide on a 390 px screen`);
      } finally {
        await page.close();
      }
    });
  }

  test("post new work, submitted empty: the error summary and its fields", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open(writer, "/works/new");
    try {
      // The browser's own checks of `required` would stop an empty form before the server
      // sees it; switch them off to reach the server's error page.
      await page.locator("form[action='/works']").evaluate((f: HTMLFormElement) => {
        f.noValidate = true;
      });
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.getByRole("alert").waitFor();
      assert.match(await page.getByRole("alert").innerText(), /problems with what you entered/);
      await check(page);
    } finally {
      await page.close();
    }
  });

  test("tag fields suggest canonical tags while typing (site.js)", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open(writer, "/works/new");
    try {
      await page.getByRole("combobox", { name: "Fandoms" }).pressSequentially("Other, lightho");
      const option = page.locator("datalist option").first();
      await option.waitFor({ state: "attached" });
      assert.equal(await option.getAttribute("value"), "Other, Lighthouse Keepers (TV)");
    } finally {
      await page.close();
    }
  });

  test("sign up, submitted empty", async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await open(guest, "/signup");
    try {
      await page.locator("form[action='/signup']").evaluate((f: HTMLFormElement) => {
        f.noValidate = true;
      });
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("alert").waitFor();
      await check(page);
    } finally {
      await page.close();
    }
  });
});
