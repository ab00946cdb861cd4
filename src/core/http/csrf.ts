import { createHmac, randomFillSync, timingSafeEqual } from "node:crypto";
import { setBounded } from "../bounded-map.ts";

/**
 * Tokens of recent bindings: a reader's every page with a form (the kudos button, the comment
 * box) carries the same token, and its HMAC was a few percent of such a page. Oldest out.
 */
const RECENT_TOKENS = 10_000;
const recentTokens = new Map<string, string>();

/**
 * CSRF tokens are an HMAC of something only this browser holds: the session id when logged
 * in, otherwise a random guest cookie. A forged form from another site cannot know either.
 */
export function csrfToken(secret: string, binding: string): string {
  const key = `${secret}\0${binding}`;
  const kept = recentTokens.get(key);
  if (kept !== undefined) return kept;
  const token = createHmac("sha256", secret).update(`csrf:${binding}`).digest("base64url");
  setBounded(recentTokens, key, token, RECENT_TOKENS);
  return token;
}

export function csrfMatches(secret: string, binding: string, token: unknown): boolean {
  if (typeof token !== "string" || token.length === 0 || token.length > 100) return false;
  const expected = Buffer.from(csrfToken(secret, binding));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Random bytes drawn from a pool filled 4 KiB at a time: a guest's first page makes a
 * binding, and a call into the system's generator per 18 bytes cost ten times the draw.
 */
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomText(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(4096));
    poolAt = 0;
  }
  const text = pool.toString("base64url", poolAt, poolAt + bytes);
  poolAt += bytes;
  return text;
}

export const newGuestBinding = () => randomText(18);

/**
 * The form fields a CSRF token may arrive in: Fanfold's own forms send `_csrf`; tools written
 * for the Archive of Our Own send Rails' `authenticity_token` (the same token, which they get
 * from `GET /token_dispenser.json` or from the log-in page).
 */
export const CSRF_FIELDS = ["_csrf", "authenticity_token"] as const;

/** The token a submitted body carries, from the first of CSRF_FIELDS it has. */
export function csrfTokenOf(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  for (const name of CSRF_FIELDS) if (Object.hasOwn(fields, name)) return fields[name];
  return undefined;
}

/**
 * The hidden field that makes a form's submission one-time (`PostForm once`, route option
 * `oncePerSubmission`): a fresh random value each time the form is rendered.
 */
export const NONCE_FIELD = "_nonce";
export const newFormNonce = () => randomText(16);
