import assert from "node:assert/strict";
import { test } from "node:test";
import { parseParentAddress } from "./parse.ts";

const OWN = ["https://archive.example", "http://localhost:3000"];

test("a path or this archive's own address names a work here, chapter addresses too", () => {
  for (const input of [
    "/works/12",
    " /works/12/ ",
    "/works/12/chapters/40",
    "/works/12?view_full_work=true#children",
    "https://archive.example/works/12",
    "http://localhost:3000/works/12/chapters/3",
  ])
    assert.deepEqual(parseParentAddress(input, OWN), { kind: "here", workId: 12 }, input);
});

test("anything else here is not a work", () => {
  for (const input of [
    "/tags/Fluff",
    "/works/abc",
    "/works/0",
    "/works/99999999999",
    "https://archive.example/series/3",
  ])
    assert.equal(parseParentAddress(input, OWN).kind, "invalid", input);
});

test("http(s) addresses elsewhere are kept as the parser writes them", () => {
  assert.deepEqual(parseParentAddress("https://ao3.example/works/1?x=1", OWN), {
    kind: "elsewhere",
    url: "https://ao3.example/works/1?x=1",
  });
  // Another port of this host is another site.
  assert.equal(parseParentAddress("http://localhost:4000/works/1", OWN).kind, "elsewhere");
});

test("other schemes, credentials, protocol-relative and non-addresses are refused", () => {
  for (const input of [
    "javascript:alert(1)",
    "ftp://example.org/a",
    "https://user:pw@example.org/",
    "//evil.example/works/1",
    "example.org/works/1",
    "not an address",
    `https://example.org/${"a".repeat(2_001)}`,
  ])
    assert.equal(parseParentAddress(input, OWN).kind, "invalid", input);
});
