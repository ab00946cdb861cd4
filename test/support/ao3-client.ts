/**
 * Drives `@fujocoded/ao3.js` against a test app, with no network: the library's requests to
 * https://archiveofourown.org/... are answered by `app.inject()` on the same path.
 *
 *   const ao3 = useAo3Client(t.app);            // every ao3.js call now reads this app
 *   const work = await getWork({ workId: String(id) });
 *   ao3.requests;                               // what the library asked for (url, cookie, status)
 *   ao3.restore();                              // back to globalThis.fetch (call in `after`)
 *
 * Pass a logged-in `Client` to send its cookies too (its session, as a browser would), e.g.
 * `useAo3Client(t.app, { client: reader })`. Redirects are followed as `fetch` does.
 */
import { setFetcher } from "@fujocoded/ao3.js";
import type { FastifyInstance } from "fastify";
import type { Client } from "./app.ts";

export const AO3_ORIGIN = "https://archiveofourown.org";

export interface Ao3Request {
  url: string;
  /** The Cookie header the app received (the library's own plus the client's). */
  cookie: string;
  status: number;
  location?: string | undefined;
  /** The page the app answered with (to compare what the library read against). */
  body: string;
}

export interface Ao3ClientOptions {
  /** A `Client` whose cookies are sent with every request (and which learns new ones). */
  client?: Client;
  /** How many redirects to follow before failing, as fetch's limit. */
  maxRedirects?: number;
}

type FetchInit = { headers?: Record<string, string> | Headers; method?: string };

function headerValue(init: FetchInit | undefined, name: string): string {
  const headers = init?.headers;
  if (!headers) return "";
  if (headers instanceof Headers) return headers.get(name) ?? "";
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? headers[key]! : "";
}

/** A `fetch` stand-in that answers AO3 addresses from `app`. */
export function ao3Fetcher(app: FastifyInstance, opts: Ao3ClientOptions = {}) {
  const requests: Ao3Request[] = [];
  const fetcher = async (input: string | URL, init?: FetchInit): Promise<Response> => {
    let url = new URL(String(input));
    const libraryCookie = headerValue(init, "cookie");
    for (let hop = 0; hop <= (opts.maxRedirects ?? 10); hop++) {
      if (url.origin !== AO3_ORIGIN)
        throw new Error(`ao3 test fetcher: refusing to reach ${url.href} (no network in tests)`);
      const cookie = [
        libraryCookie.replace(/;\s*$/, ""),
        ...[...(opts.client?.cookies ?? [])].map(([k, v]) => `${k}=${v}`),
      ]
        .filter(Boolean)
        .join("; ");
      const res = await app.inject({
        method: "GET",
        url: url.pathname + url.search,
        headers: cookie ? { cookie } : {},
        ...(opts.client ? { remoteAddress: opts.client.ip } : {}),
      });
      for (const c of res.cookies as { name: string; value: string }[])
        if (opts.client) {
          if (c.value === "") opts.client.cookies.delete(c.name);
          else opts.client.cookies.set(c.name, c.value);
        }
      const location = res.headers.location ? String(res.headers.location) : undefined;
      requests.push({ url: url.href, cookie, status: res.statusCode, location, body: res.body });
      if (res.statusCode >= 300 && res.statusCode < 400 && location) {
        url = new URL(location, url);
        continue;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : String(v));
      const response = new Response(res.body, { status: res.statusCode, headers });
      Object.defineProperty(response, "url", { value: url.href });
      return response;
    }
    throw new Error(`ao3 test fetcher: too many redirects from ${String(input)}`);
  };
  return { fetcher, requests };
}

/** Points ao3.js at `app` until `restore()` is called. */
export function useAo3Client(app: FastifyInstance, opts: Ao3ClientOptions = {}) {
  const { fetcher, requests } = ao3Fetcher(app, opts);
  setFetcher(fetcher as unknown as typeof fetch);
  return {
    requests,
    restore: () => setFetcher(null as unknown as typeof fetch),
  };
}
