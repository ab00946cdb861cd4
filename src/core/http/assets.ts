import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
  return (name: string) => `/assets/${name}?v=${assets.get(name)?.hash ?? "0"}`;
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
      const asset = assets.get(req.params.name);
      if (!asset) return reply.code(404).type("text/plain").send("Not found");
      const cache =
        req.query.v === asset.hash ? "public, max-age=31536000, immutable" : "public, max-age=300";
      return reply.header("cache-control", cache).type(asset.type).send(asset.body);
    },
  );
}
