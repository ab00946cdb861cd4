import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, buildSync, type BuildOptions } from "esbuild";
import type { FastifyInstance } from "fastify";
import { faviconIco } from "./favicon.ts";

const dir = fileURLToPath(new URL("../views/assets/", import.meta.url));
const types: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
}

/**
 * Browser modules written in TypeScript, by the name they are served under: esbuild bundles
 * each (its dependencies included: no third-party requests) into one minified ES module, at
 * server start (prepareBundles) or the first time a page asks for its address, and the result
 * is kept in memory like the files above. Nothing to build beforehand, so `npm start` on a fresh clone serves them.
 */
const BUNDLES: Readonly<Record<string, string>> = {
  // The posting forms' rich-text editor (loaded only on those forms).
  "editor.js": fileURLToPath(new URL("../../works/editor/editor.ts", import.meta.url)),
};

const bundleOptions = (entry: string): BuildOptions & { write: false } => ({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  write: false,
  legalComments: "eof",
  logLevel: "silent",
});

function asJsAsset(contents: Uint8Array | undefined): Asset {
  const body = Buffer.from(contents ?? new Uint8Array());
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { body, type: types[".js"]!, hash };
}

/** Built bundles, shared by every app in the process (tests start many). */
const builtBundles = new Map<string, Asset>();

/**
 * Builds every bundle off the event loop (esbuild runs in its own process). The server calls
 * this before it listens, so no request waits on a build; anything else builds on first use.
 */
export async function prepareBundles(): Promise<void> {
  await Promise.all(
    Object.entries(BUNDLES).map(async ([name, entry]) => {
      if (builtBundles.has(name)) return;
      const result = await build(bundleOptions(entry));
      builtBundles.set(name, asJsAsset(result.outputFiles[0]?.contents));
    }),
  );
}

/** The asset called `name`, building it first if it is a bundle not yet built. */
function assetNamed(assets: Map<string, Asset>, name: string): Asset | undefined {
  const file = assets.get(name);
  if (file || !Object.hasOwn(BUNDLES, name)) return file;
  let built = builtBundles.get(name);
  if (!built) {
    built = asJsAsset(buildSync(bundleOptions(BUNDLES[name]!)).outputFiles[0]?.contents);
    builtBundles.set(name, built);
  }
  return built;
}

/** Static files, read once; addresses carry a content hash so browsers may cache forever. */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = types[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    assets.set(name, { body, type, hash });
  }
  return assets;
}

export function assetUrlFor(assets: Map<string, Asset>) {
  return (name: string) => `/assets/${name}?v=${assetNamed(assets, name)?.hash ?? "0"}`;
}

/** Browsers ask for /favicon.ico whatever the page links to; its address carries no hash. */
const FAVICON_CACHE = "public, max-age=604800";

export function registerAssets(app: FastifyInstance, assets: Map<string, Asset>) {
  const favicon = faviconIco();
  app.get("/favicon.ico", async (_req, reply) =>
    reply.header("cache-control", FAVICON_CACHE).type("image/x-icon").send(favicon),
  );
  app.get<{ Params: { name: string }; Querystring: { v?: string } }>(
    "/assets/:name",
    async (req, reply) => {
      const asset = assetNamed(assets, req.params.name);
      if (!asset) return reply.code(404).type("text/plain").send("Not found");
      const cache =
        req.query.v === asset.hash ? "public, max-age=31536000, immutable" : "public, max-age=300";
      return reply.header("cache-control", cache).type(asset.type).send(asset.body);
    },
  );
}
