import assert from "node:assert/strict";
import { test } from "node:test";
import Fastify from "fastify";
import { assetUrlFor, loadAssets, prepareBundles, registerAssets } from "./assets.ts";

test("the editor bundle is built once per process, served self-contained with its hash", async () => {
  const assets = loadAssets();
  assert.equal(assets.has("editor.js"), false, "bundles are not files in the assets folder");
  await prepareBundles();
  const url = assetUrlFor(assets)("editor.js");
  assert.match(url, /^\/assets\/editor\.js\?v=[0-9a-f]{12}$/);
  await prepareBundles();
  assert.equal(assetUrlFor(loadAssets())("editor.js"), url, "built once: the same address");

  const app = Fastify();
  registerAssets(app, assets);
  const res = await app.inject({ url });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers["content-type"], "text/javascript; charset=utf-8");
  assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
  const body = res.body;
  // One self-contained ES module: no imports left to fetch, from here or anywhere else.
  assert.doesNotMatch(body, /(?:^|[;}\n])\s*(?:import|export)\s*(?:["'{*]|\w+\s+from\b)/);
  assert.doesNotMatch(body, /\bimport\(\s*["']/);
  assert.match(body, /ProseMirror/);
  assert.equal((await app.inject({ url: "/assets/nothing.js" })).statusCode, 404);
  await app.close();
});
