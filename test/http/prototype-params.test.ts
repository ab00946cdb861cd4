/**
 * Names that live on Object.prototype, sent as the value (and as the key) of every parameter of
 * every GET route: a lookup that reads inherited properties turns them into a 500. The routes
 * and their parameters come from route() declarations, so a new one is covered without edits.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { declaredRoutes, type DeclaredRoute } from "../../src/core/http/route.tsx";
import { searchParameterNames } from "../../src/search/listings/work-search-params.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "__proto__", "prototype"];

/** The query parameter names a route reads: its zod object's keys, or every listing parameter. */
function queryNames(r: DeclaredRoute): string[] {
  if (r.query instanceof z.ZodObject) return Object.keys(r.query.shape);
  if (r.query instanceof z.ZodRecord) return searchParameterNames();
  return [];
}

/** What a 400 may name for `param`: itself, without `[]`, or a part (`work_search[x][]` → `x`). */
const namesFor = (param: string) => [
  param,
  param.replace(/\[\]$/, ""),
  ...param.split(/[[\]]+/).filter(Boolean),
];

const enc = encodeURIComponent;

describeEachEngine("prototype names as parameters", (engine) => {
  let t: TestApp;
  let owner: Client;
  const fixtures: Record<string, string> = {};

  before(async () => {
    t = await createTestApp(engine);
    owner = new Client(t.app);
    await owner.signUp("proto_owner");
    const posted = await owner.post(
      "/works",
      workForm({ fandoms: "Proto Fandom", freeforms: "Proto Tag" }),
    );
    const workId = workIdFrom(posted.headers.location);
    const work = await owner.get(`/works/${workId}`);
    const chapterId = /\/chapters\/(\d+)/.exec(work.body)?.[1] ?? "1";
    const reader = new Client(t.app);
    await reader.signUp("proto_reader");
    const bookmark = await reader.post(`/works/${workId}/bookmarks`, { tags: "Proto" });
    Object.assign(fixtures, {
      login: "proto_owner",
      pseud: "proto_owner",
      name: "Proto Fandom",
      workId: String(workId),
      chapterId,
      id: /\/bookmarks\/(\d+)/.exec(bookmark.headers.location ?? "")?.[1] ?? "1",
      type: "fandom",
      medium: "Uncategorized Fandoms",
    });
  });
  after(() => t.close());

  /** The route's address with its fixtures, or with one path parameter set to `hostile`. */
  function address(url: string, hostile?: { param: string; value: string }) {
    return url.replace(/:(\w+)/g, (_, p: string) =>
      enc(p === hostile?.param ? hostile.value : (fixtures[p] ?? "1")),
    );
  }

  /** The error message of a 400, from a page or a JSON answer, with its quotes plain. */
  const messageOf = (res: { body: string; headers: Record<string, unknown> }) =>
    String(res.headers["content-type"]).includes("json")
      ? String((JSON.parse(res.body) as { error?: unknown }).error)
      : res.body.replaceAll("&quot;", '"');

  /** What went wrong, collected so that one run lists every failing address. */
  const failures: string[] = [];
  async function expectNo500(url: string, sent: string[]) {
    const res = await owner.get(url);
    if (res.statusCode >= 500) failures.push(`${url} answered ${res.statusCode}`);
    else if (res.statusCode === 400) {
      const message = messageOf(res);
      if (!sent.some((n) => message.includes(`"${n}"`)))
        failures.push(`${url}: the 400 names none of ${sent.join(", ")}`);
    }
  }

  /** Every request the matrix sends: [address, the names a 400 may give]. */
  function requests(r: DeclaredRoute): [string, string[]][] {
    const out: [string, string[]][] = [];
    const base = address(r.url);
    const params = queryNames(r);
    for (const value of PROTO_NAMES) {
      for (const param of r.url.match(/:\w+/g) ?? []) {
        const name = param.slice(1);
        out.push([address(r.url, { param: name, value }), [name]]);
      }
      for (const param of params)
        out.push([`${base}?${enc(param)}=${enc(value)}`, namesFor(param)]);
      // A text query's field prefix (`title:fog`) is a lookup too.
      if (r.query instanceof z.ZodRecord) out.push([`${base}?q=${enc(`${value}:fog`)}`, ["q"]]);
      // As a key, in one request for speed: `work_search[__proto__]=1&sort[constructor]=1…`.
      const keys = params.map((p) =>
        p.endsWith("[]") ? `${p.slice(0, -2)}[${value}][]=1` : `${p}[${value}]=1`,
      );
      if (keys.length)
        out.push([`${base}?${keys.join("&")}`, [...params.flatMap(namesFor), value]]);
    }
    return out;
  }

  // The matrix (over 5,000 requests) checks how the route chain reads parameters, which does not
  // depend on the engine: it runs on SQLite only; the 400s below, which reach the listings'
  // queries, run on both. On PostgreSQL it cost 98 s of CPU a CI run.
  const onSqlite = engine === "sqlite" ? test : () => undefined;
  onSqlite("every GET route, every parameter, every prototype name: never a 500", async () => {
    const routes = declaredRoutes(t.app).filter((r) => r.method === "GET");
    for (const url of ["/works", "/users/:login/readings", "/autocomplete/:type"])
      assert.ok(
        routes.some((r) => r.url === url),
        `${url} was found`,
      );
    const all = routes.flatMap(requests);
    assert.ok(all.length > 5_000, `only ${all.length} requests`);
    // A few at a time: PostgreSQL answers while the next request is parsed.
    for (let i = 0; i < all.length; i += 8)
      await Promise.all(all.slice(i, i + 8).map(([url, names]) => expectNo500(url, names)));
    const shown = failures.slice(0, 40).join("\n");
    assert.equal(failures.length, 0, `${failures.length} failures, first:\n${shown}`);
  });

  test("the listing forms the finding named answer 400 naming the parameter", async () => {
    for (const url of [
      "/works?sort=hasOwnProperty",
      "/works?sort=__proto__",
      "/works/feed.atom?work_search[sort_column]=toString",
      "/tags/Proto%20Fandom/works?sort=valueOf",
      "/works/search?work_search[sort_column]=constructor",
    ]) {
      const res = await owner.get(url);
      assert.equal(res.statusCode, 400, url);
      const sent = url.includes("sort_column") ? "work_search[sort_column]" : "sort";
      assert.ok(messageOf(res).includes(`Parameter "${sent}"`), url);
    }
  });
});
