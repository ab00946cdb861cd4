/**
 * `return_to`: where a form or the log-in page sends the reader afterwards. Attackers write
 * these links, so the value must stay on this archive and make a valid Location header.
 */

/** A fixed, never-served origin: the value is resolved against it, never against a Host header. */
const HOME = "http://fanfold.invalid";

/**
 * Control characters (C0, DEL, C1) and backslashes anywhere. Browsers drop tabs and newlines
 * and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site, and a CR,
 * LF or NUL cannot go into a header at all.
 */
// eslint-disable-next-line no-control-regex
const REFUSED = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * The path, query and fragment `value` names on this archive, percent-encoded (so always
 * ASCII), or `fallback` for anything else: another origin, a scheme, a protocol-relative
 * address, a refused character. Never throws.
 */
export function safeReturnTo(value: string | undefined | null, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || REFUSED.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, HOME);
  } catch {
    return fallback;
  }
  if (url.origin !== HOME) return fallback;
  const target = url.pathname + url.search + url.hash;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as a host.
  if (!target.startsWith("/") || target.startsWith("//")) return fallback;
  return target;
}

/**
 * Like safeReturnTo, but only to `base` itself or a page under it (`base/…`, `base?…`,
 * `base#…`): the kudos button goes back to a page of its work, not anywhere on the site.
 */
export function returnWithin(value: string | undefined | null, base: string): string {
  const target = safeReturnTo(value, base);
  const next = target.charAt(base.length);
  return target.startsWith(base) && (next === "" || "/?#".includes(next)) ? target : base;
}

/**
 * The page a request came from (its Referer), when that page is on this archive, checked as
 * a `return_to`; else `fallback`. For "go back" links. Hosts are compared with the Referer's
 * scheme on both sides, so a default port drops out of both and a TLS proxy does not matter.
 */
export function sameSiteReferer(
  req: { headers: { referer?: string | undefined; host?: string | undefined } },
  fallback: string,
): string {
  const referer = req.headers.referer;
  if (!referer) return fallback;
  try {
    const from = new URL(referer);
    const own = new URL(`${from.protocol}//${req.headers.host ?? ""}`);
    if (from.host !== own.host) return fallback;
    return safeReturnTo(from.pathname + from.search, fallback);
  } catch {
    return fallback;
  }
}
