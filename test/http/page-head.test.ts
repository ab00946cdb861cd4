/**
 * What every page's <head> gives browsers and search engines (issue 11): one favicon link, a
 * real /favicon.ico, and one plain-text meta description: the archive's on general pages, the
 * work's summary on work pages, the tag and what it lists on tag pages.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SITE_DESCRIPTION } from "../../src/core/views/layout.tsx";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&");

function head(html: string) {
  const icons = [...html.matchAll(/<link rel="icon"[^>]*>/g)].map((m) => m[0]);
  const descriptions = [...html.matchAll(/<meta name="description" content="([^"]*)"\/?>/g)].map(
    (m) => decode(m[1]!),
  );
  return { icons, descriptions };
}

let t: TestApp;
let reader: Client;
let workId = 0;
let chapterId = 0;
const LONG = `${"Two detectives share one lamp-post and argue about the fog. ".repeat(6)}`;

before(async () => {
  t = await createTestApp("sqlite");
  reader = new Client(t.app);
  await reader.signUp("head_reader");
  const res = await reader.post(
    "/works",
    workForm({
      title: "Heads and Tails",
      summary: "<p>Two <em>detectives</em> &amp; one <b>lamp-post</b>.</p>",
      freeforms: "Fog Everywhere",
    }),
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  workId = workIdFrom(res.headers.location);
  const row = await t.handle.db
    .selectFrom("chapters")
    .select("id")
    .where("work_id", "=", workId)
    .executeTakeFirstOrThrow();
  chapterId = row.id;
});
after(() => t.close());

test("every kind of page has one favicon link and one plain-text meta description", async () => {
  const guest = new Client(t.app);
  const pages: [name: string, client: Client, url: string, expect: RegExp][] = [
    ["home", guest, "/", /^Fanfold, an archive of fan works/],
    ["works", guest, "/works", /^Fanfold, an archive/],
    ["search", guest, "/works/search", /^Fanfold, an archive/],
    ["work", guest, `/works/${workId}`, /^Two detectives & one lamp-post\.$/],
    ["chapter", guest, `/works/${workId}/chapters/${chapterId}`, /^Two detectives & one/],
    ["tag", guest, "/tags/Fog%20Everywhere", /^“Fog Everywhere”, an additional tag on Fanfold/],
    ["tag works", guest, "/tags/Fog%20Everywhere/works", /Fan works tagged “Fog Everywhere”/],
    ["profile", guest, "/users/head_reader", /^head_reader on Fanfold/],
    ["user works", guest, "/users/head_reader/works", /^Fanfold, an archive/],
    ["log in", guest, "/login", /^Fanfold, an archive/],
    ["inbox", reader, "/users/head_reader/inbox", /^Fanfold, an archive/],
    ["not found", guest, "/no/such/page", /^Fanfold, an archive/],
    ["error", guest, "/works/99999999", /^Fanfold, an archive/],
  ];
  for (const [name, client, url, expect] of pages) {
    const res = await client.get(url);
    assert.match(res.headers["content-type"] as string, /text\/html/, name);
    const { icons, descriptions } = head(res.body);
    assert.equal(icons.length, 1, `${name}: ${icons.join(" ")}`);
    assert.match(icons[0]!, /href="\/assets\/favicon\.svg\?v=[0-9a-f]+" type="image\/svg\+xml"/);
    assert.equal(descriptions.length, 1, name);
    const text = descriptions[0]!;
    assert.ok(text.trim().length > 0, name);
    assert.doesNotMatch(text, /[<>]|&[a-z]+;/, `${name}: ${text}`);
    assert.ok(text.length <= 160, `${name}: ${text.length} characters`);
    assert.match(text, expect, name);
  }
  assert.equal(head((await guest.get("/")).body).descriptions[0], SITE_DESCRIPTION);
});

test("a long summary is shortened to about 160 characters, at a word", async () => {
  const res = await reader.post("/works", workForm({ title: "Long Summary", summary: LONG }));
  const page = await new Client(t.app).get(`/works/${workIdFrom(res.headers.location)}`);
  const [text] = head(page.body).descriptions;
  assert.ok(text!.length <= 160 && text!.length > 100, text);
  assert.ok(text!.endsWith("…"), text);
  assert.ok(LONG.startsWith(text!.slice(0, -1)), text);
});

test("/favicon.ico is a real icon, cached; the SVG it links to is served", async () => {
  const guest = new Client(t.app);
  const ico = await guest.get("/favicon.ico");
  assert.equal(ico.statusCode, 200);
  assert.match(ico.headers["content-type"] as string, /^image\//);
  assert.match(ico.headers["cache-control"] as string, /max-age=\d{6,}/);
  const bytes = ico.rawPayload;
  // ICONDIR: reserved 0, type 1, one image of 32×32; the image fills the rest of the file.
  assert.deepEqual([...bytes.subarray(0, 6)], [0, 0, 1, 0, 1, 0]);
  assert.equal(bytes[6], 32);
  assert.equal(bytes.readUInt32LE(14) + bytes.readUInt32LE(18), bytes.length);
  const href = /<link rel="icon" href="([^"]+)"/.exec((await guest.get("/")).body)![1]!;
  const svg = await guest.get(href);
  assert.equal(svg.statusCode, 200);
  assert.match(svg.headers["content-type"] as string, /^image\/svg\+xml/);
  assert.match(svg.headers["cache-control"] as string, /immutable/);
  assert.match(svg.body, /^<svg [^>]*viewBox="0 0 32 32"/);
});
