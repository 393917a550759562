/**
 * Which browsers may talk to us. A web page elsewhere must not drive the operator's queue from a
 * visitor's browser, and a DNS-rebinding page (a hostile name pointed at this machine) must not
 * read our pages or open our WebSocket as "same origin".
 *
 * - Host: an IP address, `localhost`, this machine's name (`NAME`, `NAME.local`) or a name the
 *   operator listed in ALLOWED_HOSTS. A rebinding attack needs a name of its own, so it fails.
 * - Origin (sent by browsers, not by logging software): our own pages (same host and port as the
 *   request's acceptable Host) or an origin the operator listed in ALLOWED_ORIGINS. A request
 *   without Origin is not a browser page and is allowed, as before.
 */
import { isIP } from 'node:net';
import os from 'node:os';

export interface OriginPolicy {
  /** Host names (no port) the server may be reached by besides addresses and this machine's name. */
  allowedHosts: readonly string[];
  /** Exact origins (`https://club.example`) of other sites allowed to open the WebSocket. */
  allowedOrigins: readonly string[];
}

/** The name part of a Host header: `[::1]:8000` → `::1`, `Name:8000` → `name`. */
function hostName(hostHeader: string): string | null {
  const match = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$|^([a-z0-9.-]+)(?::\d{1,5})?$/i.exec(hostHeader.trim());
  if (!match) return null;
  return (match[1] ?? match[2] ?? '').toLowerCase().replace(/\.$/, '');
}

/** Whether a Host header names this server rather than someone else's domain. */
export function isAllowedHost(hostHeader: string | undefined, policy: OriginPolicy): boolean {
  // Every browser sends Host; a request without one is a hand-made tool, not a rebinding page.
  if (hostHeader === undefined) return true;
  const name = hostName(hostHeader);
  if (name === null) return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  const machine = os.hostname().toLowerCase();
  return name === machine || name === `${machine}.local` || policy.allowedHosts.includes(name);
}

/** Whether a WebSocket upgrade may proceed, judged by its Origin and Host headers. */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (url.origin === 'null') return false;
  if (policy.allowedOrigins.includes(url.origin)) return true;
  return (
    hostHeader !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.host === hostHeader.trim().toLowerCase() &&
    isAllowedHost(hostHeader, policy)
  );
}

/** A query parameter that looks like a credential: tokens are never accepted in URLs (they end up in logs). */
export function hasTokenInQuery(query: URLSearchParams): boolean {
  return [...query.keys()].some((key) => /token|password/i.test(key));
}
