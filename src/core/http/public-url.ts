/**
 * The archive's own absolute address, for links that leave the page (feeds, mail). It comes
 * from configuration only: a request's Host header is the client's word, and a feed or a mail
 * built from it can be poisoned through a shared cache or a proxy.
 */
import type { Config } from "../config.ts";

type AddressConfig = Pick<Config, "publicUrl" | "port" | "host">;

/** The host name the URL parser makes of `host` (127.1 → 127.0.0.1, ::1 → [::1]), or null. */
function hostname(host: string): string | null {
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1");
  try {
    return new URL(`http://${bare.includes(":") ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return null;
  }
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1, in any spelling: only this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = hostname(host) ?? "";
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === "[::1]" ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name)
  );
}

/**
 * FANFOLD_PUBLIC_URL without a trailing slash; without it, the loopback address the server
 * binds (127.0.0.1 shown as localhost), or localhost when it binds wider.
 */
export function publicBaseUrl(config: AddressConfig): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
  const name = isLoopbackHost(config.host) ? hostname(config.host) : null;
  return `http://${!name || name === "127.0.0.1" ? "localhost" : name}:${config.port}`;
}

/**
 * The start-up warning for a server that others can reach but that does not know its public
 * address: its feeds and mail would link to localhost. Undefined when there is nothing to say.
 */
export function publicUrlWarning(config: AddressConfig): string | undefined {
  if (config.publicUrl || isLoopbackHost(config.host)) return undefined;
  return (
    `HOST=${config.host} lets other machines reach this server, but FANFOLD_PUBLIC_URL is ` +
    `not set: feeds and mail will link to ${publicBaseUrl(config)}. Set FANFOLD_PUBLIC_URL ` +
    `to the address readers use (e.g. https://archive.example.org).`
  );
}
