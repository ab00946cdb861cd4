/**
 * How every feed document is answered: `ETag` (a hash of the document) and `Last-Modified`
 * (its newest entry), and a 304 to a reader that already has it (`If-None-Match` first, as
 * RFC 9110 says; `If-Modified-Since` only without it). Feed readers poll; a 304 costs them
 * and us nothing but the build.
 */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface FeedAnswer {
  body: string;
  /** The document's media type (with its OPDS profile and kind). */
  type: string;
  /** Epoch ms of the newest thing in it. */
  lastModified: number;
  /** A personal feed (token in the address): caches along the way keep no copy. */
  personal?: boolean;
}

export const etagOf = (body: string) =>
  `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;

/** Whether the request's validators match: the client's copy is current. */
export function notModified(
  req: Pick<FastifyRequest, "headers">,
  etag: string,
  lastModified: number,
): boolean {
  const inm = req.headers["if-none-match"];
  if (typeof inm === "string" && inm.trim() !== "") {
    return inm
      .split(",")
      .map((t) => t.trim().replace(/^W\//, ""))
      .some((t) => t === "*" || t === etag);
  }
  const ims = req.headers["if-modified-since"];
  if (typeof ims === "string") {
    const since = Date.parse(ims);
    // HTTP dates carry whole seconds.
    if (Number.isFinite(since)) return Math.floor(lastModified / 1000) * 1000 <= since;
  }
  return false;
}

export function sendFeed(req: FastifyRequest, reply: FastifyReply, answer: FeedAnswer) {
  const etag = etagOf(answer.body);
  reply
    .header("etag", etag)
    .header("last-modified", new Date(Math.max(0, answer.lastModified)).toUTCString())
    .header("cache-control", answer.personal ? "private, no-cache" : "public, no-cache")
    .header("vary", "Accept-Encoding");
  if (answer.personal) reply.header("referrer-policy", "no-referrer");
  if (notModified(req, etag, answer.lastModified)) return reply.code(304).send();
  return reply.code(200).type(`${answer.type}; charset=utf-8`).send(answer.body);
}
