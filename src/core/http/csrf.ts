import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF tokens are an HMAC of something only this browser holds: the session id when logged
 * in, otherwise a random guest cookie. A forged form from another site cannot know either.
 */
export function csrfToken(secret: string, binding: string): string {
  return createHmac("sha256", secret).update(`csrf:${binding}`).digest("base64url");
}

export function csrfMatches(secret: string, binding: string, token: unknown): boolean {
  if (typeof token !== "string" || token.length === 0 || token.length > 100) return false;
  const expected = Buffer.from(csrfToken(secret, binding));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const newGuestBinding = () => randomBytes(18).toString("base64url");

/**
 * The hidden field that makes a form's submission one-time (`PostForm once`, route option
 * `oncePerSubmission`): a fresh random value each time the form is rendered.
 */
export const NONCE_FIELD = "_nonce";
export const newFormNonce = () => randomBytes(16).toString("base64url");
