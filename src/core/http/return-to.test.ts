import assert from "node:assert/strict";
import { test } from "node:test";
import { returnWithin, safeReturnTo, sameSiteReferer } from "./return-to.ts";

const ARCHIVE = "http://archive.test";

/** What a browser would do with the Location header: stay on the archive, and be sendable. */
function assertSafe(value: string, result: string) {
  const label = JSON.stringify(value.slice(0, 60));
  assert.match(
    result,
    /^\/(?!\/)[\x21-\x7e]*$/,
    `${label} gave ${JSON.stringify(result.slice(0, 60))}`,
  );
  assert.equal(new URL(result, ARCHIVE).origin, ARCHIVE, label);
}

test("hostile return addresses fall back to the default page", () => {
  for (const bad of [
    "/\t/evil.example",
    decodeURIComponent("/%09/evil.example"),
    "/\n/evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "https://evil.example",
    "http://fanfold.invalid/works",
    "/\r\nSet-Cookie:x=1",
    "/works\u0000",
    "/works\u007f",
    "/works\u0085",
    "javascript:alert(1)",
    " /works",
    "works/1",
    "",
    undefined,
    null,
  ]) {
    assert.equal(safeReturnTo(bad, "/home"), "/home", JSON.stringify(bad));
  }
});

test("same-site addresses come back resolved and percent-encoded", () => {
  const cases: [string, string][] = [
    ["/works/1", "/works/1"],
    ["/ok?x=é", "/ok?x=%C3%A9"],
    ["/ok#frag", "/ok#frag"],
    ["/tags/夜の猫/works?q=夜#夜", "/tags/%E5%A4%9C%E3%81%AE%E7%8C%AB/works?q=%E5%A4%9C#%E5%A4%9C"],
    // Still encoded: a path on this site, never decoded into a tab.
    ["/%09/evil.example", "/%09/evil.example"],
    ["/a b", "/a%20b"],
    ["/works/1/../2", "/works/2"],
    ["/\ud800", "/%EF%BF%BD"],
  ];
  for (const [value, expected] of cases) {
    assert.equal(safeReturnTo(value), expected, value);
    assertSafe(value, expected);
  }
});

test("every result is same-origin and a valid header value", () => {
  const values = [
    "/" + "a".repeat(2_000),
    "/" + "é".repeat(2_000),
    "/works?x=\"<>'`{}|^",
    "/\u2028\u2029\ufeff",
    "/%2F%2Fevil.example",
    "/..%2F..%2F/evil.example",
    "/@evil.example",
    "/works?next=//evil.example",
  ];
  for (let c = 0; c < 0x800; c++) values.push(`/${String.fromCharCode(c)}/evil.example`);
  for (const value of values) assertSafe(value, safeReturnTo(value));
});

test("returnWithin keeps the reader on one page and those under it", () => {
  assert.equal(returnWithin("/works/7/chapters/3?x=1", "/works/7"), "/works/7/chapters/3?x=1");
  assert.equal(returnWithin("/works/7?view_adult=true", "/works/7"), "/works/7?view_adult=true");
  assert.equal(returnWithin("/works/7", "/works/7"), "/works/7");
  for (const other of [
    "/works/70",
    "/works/7/../8",
    "/works/8",
    "//evil.example/works/7",
    "/works/7/\r\n",
    "/",
  ]) {
    assert.equal(returnWithin(other, "/works/7"), "/works/7", other);
  }
});

test("sameSiteReferer: a page of this archive, checked as a return_to; else the fallback", () => {
  const from = (referer: string | undefined, host = "archive.test") => ({
    headers: { referer, host },
  });
  assert.equal(sameSiteReferer(from("https://archive.test/works?page=2"), "/"), "/works?page=2");
  assert.equal(sameSiteReferer(from("http://archive.test:80/tags/x"), "/"), "/tags/x");
  assert.equal(sameSiteReferer(from("https://evil.example/works"), "/works"), "/works");
  assert.equal(sameSiteReferer(from("https://archive.test//evil.example/"), "/"), "/");
  assert.equal(sameSiteReferer(from(undefined), "/works"), "/works");
  assert.equal(sameSiteReferer(from("not a url"), "/"), "/");
});
