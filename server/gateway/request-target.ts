/**
 * The request target of an HTTP request or upgrade, parsed once and safely. `new URL(target,
 * base)` reads `//`, `//@` or `/\` as a scheme-relative URL with a broken host and throws, so an
 * origin-form target (`/path?query`) is parsed as a path below a fixed origin instead; an
 * absolute-form target (`http://host/path`, as proxies send) is parsed as it is. Anything else is
 * the client's mistake and gets 400; an absurdly long target gets 414.
 */

/** Far above any URL of ours (the longest is a few dozen characters), below Node's 16 KiB header limit. */
export const MAX_REQUEST_TARGET_CHARS = 8192;

export interface RequestTarget {
  /** As sent (percent-encoding kept), `/` for the server itself; `//` stays `//`. */
  pathname: string;
  query: URLSearchParams;
}

export type TargetParse = { ok: true; target: RequestTarget } | { ok: false; status: 400 | 414; reason: string };

const FIXED_ORIGIN = 'http://localhost';
const ABSOLUTE_FORM = /^https?:\/\//i;

function parsed(url: string): RequestTarget | null {
  if (!URL.canParse(url)) return null;
  const { pathname, searchParams } = new URL(url);
  return { pathname, query: searchParams };
}

export function parseRequestTarget(raw: string | undefined): TargetParse {
  if (raw === undefined || raw === '') return { ok: false, status: 400, reason: 'The request has no target.' };
  if (raw.length > MAX_REQUEST_TARGET_CHARS) {
    return { ok: false, status: 414, reason: `The URL is longer than ${MAX_REQUEST_TARGET_CHARS} characters.` };
  }
  const target = raw.startsWith('/') ? parsed(FIXED_ORIGIN + raw) : ABSOLUTE_FORM.test(raw) ? parsed(raw) : null;
  return target === null ? { ok: false, status: 400, reason: 'The request target is not a URL path.' } : { ok: true, target };
}
