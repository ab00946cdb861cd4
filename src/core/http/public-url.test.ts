import assert from "node:assert/strict";
import { test } from "node:test";
import { isLoopbackHost, publicBaseUrl, publicUrlWarning } from "./public-url.ts";

const LOOPBACK = ["127.0.0.1", "127.0.0.2", "127.1", "localhost", "LOCALHOST", "app.localhost"];
const LOOPBACK_V6 = ["::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"];
const REACHABLE = ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "fe80::1", "archive.example.org"];
const TRICKS = ["localhost.evil.example", "127.0.0.1.evil.example", "128.0.0.1", "", "not a host"];

test("loopback hosts, in every spelling, and nothing else", () => {
  for (const host of [...LOOPBACK, ...LOOPBACK_V6]) assert.equal(isLoopbackHost(host), true, host);
  for (const host of [...REACHABLE, ...TRICKS]) assert.equal(isLoopbackHost(host), false, host);
});

test("a server others can reach without FANFOLD_PUBLIC_URL is warned about", () => {
  for (const host of [...REACHABLE, ...TRICKS]) {
    const warning = publicUrlWarning({ host, port: 3000, publicUrl: undefined });
    assert.match(warning ?? "", /FANFOLD_PUBLIC_URL is not set/, host);
  }
  for (const host of [...LOOPBACK, ...LOOPBACK_V6])
    assert.equal(publicUrlWarning({ host, port: 3000, publicUrl: undefined }), undefined, host);
  const configured = { host: "0.0.0.0", port: 3000, publicUrl: "https://archive.example.org" };
  assert.equal(publicUrlWarning(configured), undefined);
});

test("the base address comes from configuration only", () => {
  const base = (host: string, publicUrl?: string) => publicBaseUrl({ host, port: 8080, publicUrl });
  assert.equal(base("0.0.0.0", "https://archive.example.org/"), "https://archive.example.org");
  assert.equal(base("0.0.0.0", "https://example.org/fics//"), "https://example.org/fics");
  assert.equal(base("127.0.0.1"), "http://localhost:8080");
  assert.equal(base("0.0.0.0"), "http://localhost:8080");
  assert.equal(base("archive.example.org"), "http://localhost:8080");
  assert.equal(base("app.localhost"), "http://app.localhost:8080");
  assert.equal(base("127.0.0.2"), "http://127.0.0.2:8080");
  assert.equal(base("::1"), "http://[::1]:8080");
});
