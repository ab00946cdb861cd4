/** Absolute links (feeds) come from configuration, never from the request's Host header. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createTestApp, workForm, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const FEEDS = ["/works/feed.atom", "/tags/Lighthouse%20Keepers%20(TV)/feed.atom"];

describeEachEngine("feeds ignore the Host header", (engine) => {
  for (const [label, env, base] of [
    ["without FANFOLD_PUBLIC_URL", {}, "http://localhost:3000"],
    ["behind a trusted proxy", { FANFOLD_TRUST_PROXY: "true" }, "http://localhost:3000"],
    [
      "with FANFOLD_PUBLIC_URL",
      { FANFOLD_PUBLIC_URL: "https://fics.example.org/" },
      "https://fics.example.org",
    ],
  ] as const) {
    describe(label, () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(engine, env);
        const writer = new Client(t.app);
        await writer.signUp("host_writer");
        await writer.post("/works", workForm());
      });
      after(() => t.close());

      test(`links start with ${base}`, async () => {
        for (const url of FEEDS) {
          const res = await t.app.inject({
            method: "GET",
            url,
            headers: {
              host: "evil.example",
              "x-forwarded-host": "evil.example",
              "x-forwarded-proto": "https",
            },
          });
          assert.equal(res.statusCode, 200, url);
          assert.ok(!res.body.includes("evil.example"), `${url}: ${res.body.slice(0, 400)}`);
          const links = [...res.body.matchAll(/(?:href|uri)="([^"]+)"|<(?:id|uri)>([^<]+)</g)];
          assert.ok(links.length >= 4, url);
          for (const m of links) assert.ok((m[1] ?? m[2])!.startsWith(`${base}/`), m[0]);
        }
      });
    });
  }
});
