/**
 * Issue 15's visibility table: viewer × state → what each surface shows, through HTTP pages,
 * counts, feeds, catalogs, downloads and search, on both engines. An anonymous work's creator
 * must not be findable anywhere but on their own pages until the reveal; an unrevealed work
 * must not be found at all except by its creators (and opened by moderators).
 *
 * The table is data. Each state gets a creator of its own, who wrote that one work (so their
 * name can only reach a page through it), with a word of its own in the title and a tag of
 * its own. A surface is one row of SURFACES: an address, the rule it follows (a table of
 * expectations below) and, when the title in the page is not the answer, how to read it.
 * Series, collection and gift pages join as rows once they exist:
 *
 *   { name: "series page", rule: LISTING, url: (c) => `/series/${c.seriesId}` }
 *
 * What is compared, per case: "absent" (not there, or 403/404), "login" (sent to log in as a
 * guest is for a restricted work), or present, and then whether the creator's login appears
 * anywhere in the answer ("named") or nowhere ("unnamed"; an anonymous work reads
 * "Anonymous"). HTML pages are read inside `<main>`, so the viewer's own name in the header
 * does not count; for the creator, present is all that is compared (their own name is on
 * their own pages by design).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { strFromU8, unzipSync } from "fflate";
import { tagUrlName } from "../../src/tags/names.ts";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";
import {
  buildCollectedWork,
  NO_FLAGS,
  setFlags,
  type CollectionFlags,
} from "../support/factories-anonymity.ts";

const PASSWORD = "factory password";

const VIEWERS = ["guest", "reader", "creator", "moderator"] as const;
type ViewerName = (typeof VIEWERS)[number];

const STATES = [
  "plain",
  "anonymous",
  "unrevealed",
  "anonymous+unrevealed",
  "revealed",
  "restricted",
  "draft",
] as const;
type State = (typeof STATES)[number];

type Shown = "named" | "unnamed" | "absent" | "login";
type Table = Record<State, Record<ViewerName, Shown>>;

const N = "named";
const U = "unnamed";
const A = "absent";
const L = "login";
const row = (guest: Shown, reader: Shown, creator: Shown, moderator: Shown) => ({
  guest,
  reader,
  creator,
  moderator,
});

/**
 * The work's own pages (the work, its downloads): who may open it, and whether it names its
 * creator. Moderators open unrevealed works (to review them), never drafts.
 */
export const PAGE: Table = {
  plain: row(N, N, N, N),
  anonymous: row(U, U, U, U),
  unrevealed: row(A, A, N, N),
  "anonymous+unrevealed": row(A, A, U, U),
  revealed: row(N, N, N, N),
  restricted: row(L, N, N, N),
  draft: row(A, A, N, A),
};

/** Listings, counts, feeds and catalogs of works in general (all works, a tag, a search). */
export const LISTING: Table = {
  plain: row(N, N, N, N),
  anonymous: row(U, U, U, U),
  unrevealed: row(A, A, A, A),
  "anonymous+unrevealed": row(A, A, A, A),
  revealed: row(N, N, N, N),
  restricted: row(A, N, N, N),
  draft: row(A, A, A, A),
};

/**
 * "Works by" the creator (their profile, works, pseud, feeds, catalog, the profile's count):
 * an anonymous work only on the creator's own view of them. Unrevealed works are in none of
 * these, the creator's either: they have a page of their own (OWN_UNREVEALED).
 */
export const BY_CREATOR: Table = {
  plain: row(N, N, N, N),
  anonymous: row(A, A, U, A),
  unrevealed: row(A, A, A, A),
  "anonymous+unrevealed": row(A, A, A, A),
  revealed: row(N, N, N, N),
  restricted: row(A, N, N, N),
  draft: row(A, A, A, A),
};

/** Text search for the creator's name: an anonymous work is indexed as "Anonymous". */
export const BY_NAME: Table = { ...LISTING, anonymous: row(A, A, A, A) };

/** The creator's own pages (statistics): every work of theirs, nobody else's business. */
export const OWN: Table = Object.fromEntries(
  STATES.map((s) => [s, row(A, A, N, A)]),
) as unknown as Table;

/** The creator's "Unrevealed works" page. */
export const OWN_UNREVEALED: Table = {
  ...Object.fromEntries(STATES.map((s) => [s, row(A, A, A, A)])),
  unrevealed: row(A, A, N, A),
  "anonymous+unrevealed": row(A, A, U, A),
} as unknown as Table;

/**
 * The inbox of a reader subscribed to the creator: a new work is announced when readers can
 * first see it (a revealed work at its reveal), never an anonymous one (following a writer
 * must not find their anonymous works). Only the reader asks.
 */
export const ANNOUNCED: Table = {
  plain: row(A, N, A, A),
  anonymous: row(A, A, A, A),
  unrevealed: row(A, A, A, A),
  "anonymous+unrevealed": row(A, A, A, A),
  revealed: row(A, N, A, A),
  restricted: row(A, N, A, A),
  draft: row(A, A, A, A),
};

/** One work in one state, and its creator. */
interface Case {
  state: State;
  workId: number;
  title: string;
  /** A word only this work's title has. */
  word: string;
  tag: string;
  tagId: number;
  login: string;
}

interface Answer {
  res: LightMyRequestResponse;
  case: Case;
}

export interface Surface {
  name: string;
  rule: Table;
  url: (c: Case) => string;
  /** Read as a guest whoever asks (feeds, the public catalog): everyone gets the guest's row. */
  asGuest?: boolean;
  /** False when the answer cannot name anyone (a count): named and unnamed are one. */
  names?: boolean;
  /** Only these viewers ask (an inbox is its owner's). */
  viewers?: readonly ViewerName[];
  /** Whether the work is there; default: its title is in the answer. */
  found?: (a: Answer) => boolean;
  /** The text to look in; default: `<main>` of a page, or the whole body. */
  text?: (a: Answer) => string;
}

const count = (pattern: RegExp) => (a: Answer) => Number(pattern.exec(a.res.body)?.[1] ?? 0) > 0;

/** Every text file of an EPUB, one after the other. */
const epubText = (a: Answer) =>
  Object.values(unzipSync(a.res.rawPayload))
    .map((bytes) => strFromU8(bytes))
    .join("\n");

export const SURFACES: Surface[] = [
  { name: "work page", rule: PAGE, url: (c) => `/works/${c.workId}` },
  { name: "entire work", rule: PAGE, url: (c) => `/works/${c.workId}?view_full_work=true` },
  {
    name: "EPUB download",
    rule: PAGE,
    url: (c) => `/downloads/${c.workId}/w.epub`,
    text: epubText,
  },
  { name: "HTML download", rule: PAGE, url: (c) => `/downloads/${c.workId}/w.html` },
  { name: "home page", rule: LISTING, url: () => "/" },
  { name: "/works", rule: LISTING, url: () => "/works" },
  { name: "tag listing", rule: LISTING, url: (c) => `/tags/${tagUrlName(c.tag)}/works` },
  {
    name: "tag count",
    rule: LISTING,
    names: false,
    url: (c) => `/tags/${tagUrlName(c.tag)}/works`,
    found: count(/id="results-heading">\s*([\d,]+) Works?/),
  },
  { name: "search by title", rule: LISTING, url: (c) => `/works/search?q=${c.word}` },
  { name: "search by creator", rule: BY_NAME, url: (c) => `/works/search?q=${c.login}` },
  { name: "profile", rule: BY_CREATOR, url: (c) => `/users/${c.login}` },
  {
    name: "profile count",
    rule: BY_CREATOR,
    names: false,
    url: (c) => `/users/${c.login}`,
    found: count(/Recent works \(([\d,]+) in all\)/),
  },
  { name: "creator's works", rule: BY_CREATOR, url: (c) => `/users/${c.login}/works` },
  { name: "pseud page", rule: BY_CREATOR, url: (c) => `/users/${c.login}/pseuds/${c.login}` },
  {
    name: "creator's feed",
    rule: BY_CREATOR,
    asGuest: true,
    url: (c) => `/users/${c.login}/works/feed.atom`,
  },
  {
    name: "pseud feed",
    rule: BY_CREATOR,
    asGuest: true,
    url: (c) => `/users/${c.login}/pseuds/${c.login}/works/feed.atom`,
  },
  { name: "tag feed", rule: LISTING, asGuest: true, url: (c) => `/tags/${c.tagId}/feed.atom` },
  { name: "works feed", rule: LISTING, asGuest: true, url: () => "/works/feed.atom" },
  {
    name: "work's chapters feed",
    rule: PAGE,
    asGuest: true,
    url: (c) => `/works/${c.workId}/chapters/feed.atom`,
  },
  { name: "OPDS search", rule: LISTING, asGuest: true, url: (c) => `/opds/search?q=${c.word}` },
  {
    name: "OPDS tags",
    rule: LISTING,
    asGuest: true,
    names: false,
    url: () => "/opds/tags",
    found: (a) => a.res.body.includes(a.case.tag),
  },
  { name: "OPDS creator", rule: BY_CREATOR, asGuest: true, url: (c) => `/opds/users/${c.login}` },
  { name: "statistics", rule: OWN, names: false, url: (c) => `/users/${c.login}/stats` },
  {
    name: "unrevealed works",
    rule: OWN_UNREVEALED,
    url: (c) => `/users/${c.login}/works/unrevealed`,
  },
  {
    name: "subscriber's inbox",
    rule: ANNOUNCED,
    viewers: ["reader"],
    url: () => "/users/anonymity_reader/inbox",
  },
];

/** `<main>` of an HTML page (the header names whoever is logged in), else the whole body. */
function mainOf(body: string): string {
  const start = body.indexOf("<main");
  const end = body.lastIndexOf("</main>");
  return start >= 0 && end > start ? body.slice(start, end) : body;
}

function shownBy(surface: Surface, a: Answer): Shown {
  const { res } = a;
  const to = res.headers.location ?? "";
  if (res.statusCode === 302 || res.statusCode === 303) {
    return to.startsWith("/users/login?restricted=true") ? "login" : "absent";
  }
  if (res.statusCode === 403 || res.statusCode === 404) return "absent";
  assert.equal(res.statusCode, 200, `${surface.name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const text = surface.text?.(a) ?? mainOf(res.body);
  const found = surface.found?.(a) ?? text.includes(a.case.title);
  if (!found) return "absent";
  return text.toLowerCase().includes(a.case.login.toLowerCase()) ? "named" : "unnamed";
}

/** What is compared: present is all that counts when the answer can't name, or for the creator. */
function judged(shown: Shown, surface: Surface, viewer: ViewerName): string {
  const plain = surface.names === false || viewer === "creator";
  return plain && (shown === "named" || shown === "unnamed") ? "present" : shown;
}

function expected(surface: Surface, state: State, viewer: ViewerName): Shown {
  if (!surface.asGuest) return surface.rule[state][viewer];
  const guest = surface.rule[state].guest;
  // A feed reader cannot log in: a restricted work's feed is a 404.
  return guest === "login" ? "absent" : guest;
}

/** A title word and a tag for each state: nothing else on the archive carries them. */
const WORDS: Record<State, string> = {
  plain: "Amberly",
  anonymous: "Birchwold",
  unrevealed: "Cobaltine",
  "anonymous+unrevealed": "Driftmoor",
  revealed: "Emberfall",
  restricted: "Foxglade",
  draft: "Gullhaven",
};

const FLAGS: Record<State, CollectionFlags> = {
  plain: NO_FLAGS,
  anonymous: { anonymous: true, unrevealed: false },
  unrevealed: { anonymous: false, unrevealed: true },
  "anonymous+unrevealed": { anonymous: true, unrevealed: true },
  // Posted in an anonymous, unrevealed collection; both switches go off before the table.
  revealed: { anonymous: true, unrevealed: true },
  restricted: NO_FLAGS,
  draft: NO_FLAGS,
};

describeEachEngine("anonymous and unrevealed works: viewer × state → what shows", (engine) => {
  let t: TestApp;
  const cases: Case[] = [];
  const clients = {} as Record<ViewerName, Client>;
  const creators = new Map<State, Client>();

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    const now = t.clock.now;
    const reader = new Client(t.app);
    await reader.signUp("anonymity_reader");
    const moderator = await buildUser(db, { login: "anonymity_mod", roles: ["moderator"] });
    clients.guest = new Client(t.app);
    clients.reader = reader;
    clients.moderator = new Client(t.app);
    await clients.moderator.logIn(moderator.login, PASSWORD);

    for (const state of STATES) {
      const word = WORDS[state];
      const login = `writer_${word.toLowerCase()}`;
      const user = await buildUser(db, { login });
      // The reader follows every writer before they post.
      const followed = await reader.post(`/users/${login}/subscriptions`, { return_to: "/" });
      assert.equal(followed.statusCode, 303, followed.body.slice(0, 300));
      const title = `Beacon ${word}`;
      const tag = `Tagged ${word}`;
      const { workId } = await buildCollectedWork(db, FLAGS[state], {
        pseudId: user.pseudId,
        now,
        title,
        freeforms: tag,
        summary: `The lamp of ${word}.`,
        ...(state === "restricted" ? { restricted: "1" } : {}),
        ...(state === "draft" ? { action: "draft" } : {}),
      });
      const tagRow = await db
        .selectFrom("tags")
        .select("id")
        .where("name", "=", tag)
        .executeTakeFirstOrThrow();
      cases.push({ state, workId, title, word, tag, tagId: tagRow.id, login });
      const creator = new Client(t.app);
      const logged = await creator.logIn(login, PASSWORD);
      assert.equal(logged.statusCode, 303, logged.body.slice(0, 300));
      creators.set(state, creator);
    }
    // Announcements run as jobs; the reveal announces the revealed work then.
    await t.drainJobs();
    const revealed = cases.find((c) => c.state === "revealed")!;
    await setFlags(db, revealed.workId, NO_FLAGS, now);
    await t.drainJobs();
  });
  after(() => t.close());

  test("every surface shows each state to each viewer as the table says", async () => {
    const wrong: string[] = [];
    let asked = 0;
    for (const surface of SURFACES) {
      for (const c of cases) {
        for (const viewer of surface.viewers ?? VIEWERS) {
          const client = viewer === "creator" ? creators.get(c.state)! : clients[viewer];
          const res = await client.get(surface.url(c));
          asked += 1;
          const got = judged(shownBy(surface, { res, case: c }), surface, viewer);
          const want = judged(expected(surface, c.state, viewer), surface, viewer);
          if (got !== want)
            wrong.push(`${surface.name} | ${c.state} | ${viewer}: expected ${want}, got ${got}`);
        }
      }
    }
    assert.ok(asked > 500, `only ${asked} cases asked`);
    assert.deepEqual(wrong, []);
  });
});
