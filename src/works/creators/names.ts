/**
 * The "Add co-creators" field (issue 15): pseud names separated by commas, each written as
 * bylines show it, "pseud (login)", or as a login alone for that user's default pseud (or as a
 * pseud name alone when only one user has a pseud of that name). Pure: queries.ts looks the
 * names up, commands.ts decides what each may do.
 */
import { loginKey } from "../../accounts/schemas.ts";
import { pseudKey } from "../../accounts/queries.ts";

/** The field's name in the work, chapter and series forms. */
export const NAMES_FIELD = "co_creators";

/** How many names one save may invite: a form is not a mailing list. */
export const MAX_NAMES = 20;

export interface WrittenName {
  /** As the author typed it (trimmed): what error messages quote. */
  text: string;
  /** Lower-cased pseud name. */
  pseudKey: string;
  /** Lower-cased login when written "pseud (login)", else null. */
  loginKey: string | null;
}

/** The names of the field, each once (by what it names), in the order written. */
export function parseNames(field: string): WrittenName[] {
  const seen = new Set<string>();
  const out: WrittenName[] = [];
  for (const raw of field.split(",")) {
    const text = raw.trim().replace(/\s+/g, " ");
    if (text === "") continue;
    const m = /^(.+?)\s*\(([^()]+)\)$/.exec(text);
    const name: WrittenName = m
      ? { text, pseudKey: pseudKey(m[1]!), loginKey: loginKey(m[2]!.trim()) }
      : { text, pseudKey: pseudKey(text), loginKey: null };
    const key = `${name.pseudKey}\u0000${name.loginKey ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/** A pseud as the field writes it: the login alone for the default-named pseud. */
export function writtenName(p: { pseudName: string; login: string }): string {
  return p.pseudName === p.login ? p.login : `${p.pseudName} (${p.login})`;
}

/** One of the archive's pseuds, with what the field matches it by. */
export interface PseudCandidate {
  pseudId: number;
  pseudName: string;
  pseudKey: string;
  isDefault: boolean;
  userId: number;
  login: string;
  loginKey: string;
}

export type Resolved =
  { ok: true; pseud: PseudCandidate } | { ok: false; why: "unknown" | "ambiguous" };

/**
 * Which pseud a written name means, among the candidates queries.ts found for it: "pseud
 * (login)" that user's pseud; a bare name a login's default pseud first, else the one pseud of
 * that name (two users' pseuds of one name are ambiguous: write "pseud (login)").
 */
export function resolveName(name: WrittenName, candidates: readonly PseudCandidate[]): Resolved {
  if (name.loginKey !== null) {
    const pseud = candidates.find(
      (c) => c.loginKey === name.loginKey && c.pseudKey === name.pseudKey,
    );
    return pseud ? { ok: true, pseud } : { ok: false, why: "unknown" };
  }
  const byLogin = candidates.find((c) => c.loginKey === name.pseudKey && c.isDefault);
  if (byLogin) return { ok: true, pseud: byLogin };
  const byPseud = candidates.filter((c) => c.pseudKey === name.pseudKey);
  if (byPseud.length === 1) return { ok: true, pseud: byPseud[0]! };
  return { ok: false, why: byPseud.length === 0 ? "unknown" : "ambiguous" };
}
