/**
 * Collection names (issue 15): the address `/collections/NAME`, as AO3 has it: letters,
 * digits and underscores, unique ignoring case. ASCII only, so that every name is an address
 * nobody has to percent-encode, and two names that look alike are the same name.
 */
import { limits } from "../core/limits.ts";

const NAME = /^[A-Za-z0-9_]+$/;
/** Addresses of the collection pages themselves (`/collections/new`). */
const RESERVED = new Set(["new"]);

/** What is wrong with a name, or null when it may be used. */
export function collectionNameProblem(name: string): string | null {
  const { min, max } = limits.collectionName;
  if (name.length < min) return "Please enter a name for the collection's address.";
  if (name.length > max) return `Collection names must be at most ${max} characters.`;
  if (!NAME.test(name))
    return "Collection names may contain only letters (a–z), digits and underscores, without spaces.";
  if (RESERVED.has(collectionKey(name))) return `"${name}" is kept for the archive's own pages.`;
  return null;
}

/** The unique key: the name without case (so "Yuletide" and "yuletide" are one collection). */
export const collectionKey = (name: string) => name.trim().toLowerCase();

export const collectionPath = (name: string) => `/collections/${name}`;

/**
 * The names in a comma-separated field (the work form's "Post to Collections"), in order,
 * each once (ignoring case); blanks dropped.
 */
export function splitCollectionNames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of text.split(",")) {
    const name = part.trim();
    if (name === "" || seen.has(collectionKey(name))) continue;
    seen.add(collectionKey(name));
    names.push(name);
  }
  return names;
}
