/** How gift recipients read on pages and in the work form (issue 15). */
import type { GiftRow } from "./queries.ts";

export interface RecipientLink {
  /** "pseud (login)", the login alone for a default-named pseud, or the name as typed. */
  name: string;
  /** The pseud's gifts page (AO3's address); null for a gift to a name. */
  url: string | null;
}

/** A pseud as people type and read it: "login", or "pseud (login)" when they differ. */
export const pseudLabel = (pseudName: string, login: string) =>
  pseudName === login ? login : `${pseudName} (${login})`;

export const pseudGiftsPath = (login: string, pseudName: string) =>
  `/users/${encodeURIComponent(login)}/pseuds/${encodeURIComponent(pseudName)}/gifts`;

export function recipientLink(gift: GiftRow): RecipientLink {
  if (gift.pseudName !== null && gift.login !== null)
    return {
      name: pseudLabel(gift.pseudName, gift.login),
      url: pseudGiftsPath(gift.login, gift.pseudName),
    };
  return { name: gift.recipientName, url: null };
}

/**
 * The "Gift this work to" field split into names: commas separate them, blanks and repeats
 * (ignoring case) are dropped, the first spelling kept.
 */
export function splitRecipients(field: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of field.split(/[,，]/)) {
    const name = part.replace(/\s+/g, " ").trim();
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/** "pseud (login)" → its two parts; anything else (a login, or a name) → null. */
export function pseudAndLogin(name: string): { pseud: string; login: string } | null {
  const m = /^(.*\S)\s*\(([^()\s]+)\)$/.exec(name);
  return m ? { pseud: m[1]!, login: m[2]! } : null;
}
