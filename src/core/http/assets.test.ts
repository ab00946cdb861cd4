import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Fastify from "fastify";
import {
  assetUrlFor,
  bundle,
  cachedBundle,
  loadAssets,
  prepareBundles,
  registerAssets,
} from "./assets.ts";

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

test("a bundle is kept on disk and reused until a file it was built from changes", async () => {
  const src = mkdtempSync(join(tmpdir(), "fanfold-bundle-src-"));
  const dir = mkdtempSync(join(tmpdir(), "fanfold-bundle-cache-"));
  const entry = join(src, "entry.ts");
  writeFileSync(entry, 'import { word } from "./word.ts";\nconsole.log(word);\n');
  writeFileSync(join(src, "word.ts"), 'export const word: string = "lighthouse";\n');
  try {
    assert.equal(cachedBundle("t.js", entry, dir), undefined, "nothing kept yet");
    const first = await bundle("t.js", entry, dir);
    assert.match(first.body.toString(), /lighthouse/);
    assert.equal(readdirSync(dir).length, 1, "one file, no temporary left behind");
    assert.equal(cachedBundle("t.js", entry, dir)?.hash, first.hash, "the next process reuses it");

    // An imported file changes: the kept build no longer counts, and the next one has the change.
    writeFileSync(join(src, "word.ts"), 'export const word: string = "foghorn";\n');
    assert.equal(cachedBundle("t.js", entry, dir), undefined);
    const second = await bundle("t.js", entry, dir);
    assert.match(second.body.toString(), /foghorn/);
    assert.notEqual(second.hash, first.hash);
    assert.equal(cachedBundle("t.js", entry, dir)?.hash, second.hash);

    // A damaged file (a byte flipped, or cut short) reads as missing and is built again.
    const [file] = readdirSync(dir);
    const bytes = readFileSync(join(dir, file!));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 1, bytes.length - 10);
    writeFileSync(join(dir, file!), bytes);
    assert.equal(cachedBundle("t.js", entry, dir), undefined, "flipped byte");
    writeFileSync(join(dir, file!), bytes.subarray(0, 100));
    assert.equal(cachedBundle("t.js", entry, dir), undefined, "cut short");
    assert.equal((await bundle("t.js", entry, dir)).hash, second.hash);
    assert.equal(cachedBundle("t.js", entry, dir)?.hash, second.hash, "written again");
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
