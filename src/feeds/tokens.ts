/**
 * The personal, read-only feed token: the part of a reader's OPDS address that lets an
 * e-reader app (which carries no session) see what that reader may see.
 *
 * The token is derived — HMAC of the server secret, the account and the moment it was issued —
 * and only its sha256 is stored (`feed_tokens.token_hash`): a leaked database opens no feed,
 * while the account page can show the address again at any time. Resetting issues a new moment,
 * so the old address stops working at once. A token opens reading only: no route that changes
 * anything accepts it.
 */
import { createHash, createHmac } from "node:crypto";
import type { AppDeps } from "../core/http/route.tsx";
import type { Viewer } from "../core/viewer.ts";
import { loadExclusions } from "../exclusions/queries.ts";
import * as q from "./queries.ts";

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashFeedToken = (token: string) => createHash("sha256").update(token).digest("hex");

const deriveToken = (secret: string, userId: number, issuedAt: number) =>
  createHmac("sha256", secret)
    .update(`fanfold feed token:${userId}:${issuedAt}`)
    .digest("base64url");

type TokenDeps = Pick<AppDeps, "db" | "config" | "now">;

/** The account's token, issued now if it has none (or the secret changed since). */
export async function feedTokenFor(deps: TokenDeps, userId: number): Promise<string> {
  const row = await q.feedTokenOf(deps.db, userId);
  if (row) {
    const token = deriveToken(deps.config.secret, userId, Number(row.created_at));
    if (hashFeedToken(token) === row.token_hash) return token;
  }
  return issue(deps, userId, row ? Number(row.created_at) : undefined);
}

/** A new token for the account; the old one stops working. */
export async function resetFeedToken(deps: TokenDeps, userId: number): Promise<string> {
  const row = await q.feedTokenOf(deps.db, userId);
  return issue(deps, userId, row ? Number(row.created_at) : undefined);
}

async function issue(deps: TokenDeps, userId: number, previous: number | undefined) {
  // A different moment each time, so a reset within the same millisecond still changes it.
  const issuedAt = previous === undefined ? deps.now() : Math.max(deps.now(), previous + 1);
  const token = deriveToken(deps.config.secret, userId, issuedAt);
  await q.saveFeedToken(deps.db, userId, hashFeedToken(token), issuedAt);
  return token;
}

/**
 * The reader a token stands for, as a signed-in viewer with their exclusions and adult
 * preference; null for a malformed or unknown token (the caller answers 404).
 */
export async function viewerForFeedToken(
  deps: Pick<AppDeps, "db">,
  token: string,
): Promise<(Viewer & { user: NonNullable<Viewer["user"]> }) | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await q.accountByFeedToken(deps.db, hashFeedToken(token));
  if (!row) return null;
  const exclusions = await loadExclusions(deps.db, row.id);
  return {
    user: {
      id: row.id,
      login: row.login,
      roles: new Set(row.roles.split(" ").filter(Boolean)),
      viewAdult: row.view_adult === 1,
      exclusions,
      unreadNotifications: 0,
      suspendedUntil: row.suspended_until,
    },
    // The preference is the consent: an app cannot answer the adult-content question.
    adultConsent: false,
  };
}
