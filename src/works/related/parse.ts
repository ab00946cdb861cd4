/**
 * The address typed in "This work is inspired by another work" (issue 15): a work on this
 * archive (`/works/N`, as a path or on the archive's own address, a chapter's address too), or
 * any http(s) address elsewhere.
 */
import { limits } from "../../core/limits.ts";

export type ParentAddress =
  | { kind: "here"; workId: number }
  | { kind: "elsewhere"; url: string }
  | { kind: "invalid"; message: string };

const WORK_PATH = /^\/works\/(\d{1,10})(?:\/chapters\/\d{1,10})?\/?$/;

const NOT_A_WORK_HERE =
  "That address is not a work on this archive: give one like /works/123 (or its full address).";

function workHere(pathname: string): ParentAddress {
  const m = WORK_PATH.exec(pathname);
  const id = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2 ** 31 - 1)
    return { kind: "invalid", message: NOT_A_WORK_HERE };
  return { kind: "here", workId: id };
}

/**
 * `ownOrigins`: this archive's own origins (its public address; without one configured, the
 * address it serves on), whose addresses name works here.
 */
export function parseParentAddress(input: string, ownOrigins: readonly string[]): ParentAddress {
  const text = input.trim();
  if (text.length > limits.relatedUrl.max)
    return {
      kind: "invalid",
      message: `Addresses can be at most ${limits.relatedUrl.max} characters.`,
    };
  if (text.startsWith("/") && !text.startsWith("//") && !text.startsWith("/\\"))
    return workHere(text.split(/[?#]/)[0]!);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      kind: "invalid",
      message:
        "Please enter the work's address, starting with https:// (or /works/123 for a work here).",
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { kind: "invalid", message: "Only http:// and https:// addresses can be linked." };
  if (url.username || url.password)
    return { kind: "invalid", message: "Addresses with a user name or password can't be linked." };
  if (ownOrigins.includes(url.origin)) return workHere(url.pathname);
  return { kind: "elsewhere", url: url.href };
}
