/**
 * Serves the renderer's build (dist/renderer) on the gateway's port: the public page at `/`, the
 * operator console at `/admin`, the embeddable status page at `/status`, and their assets.
 *
 * Only the three page names and single-segment names under `/assets/` are ever looked up on
 * disk, so no request path can reach another file. Assets carry a content hash in their name
 * and are cached for good; pages are revalidated on every load so a new build shows at once.
 * Every page gets a strict Content-Security-Policy: scripts and styles from this server only, no
 * inline code, network only to this server; only `/status` may be framed by other sites.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_PATH, PUBLIC_PAGE_PATH, STATUS_PATH } from '../protocol/endpoints.js';

/**
 * Answers the request when the path is one of ours (the promise settles once it is answered);
 * undefined leaves it to the caller. `pathname` is the parsed request target's.
 */
export type PageHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> | undefined;

const PAGES = new Map([
  [PUBLIC_PAGE_PATH, 'index.html'],
  [CONSOLE_PATH, 'admin.html'],
  [STATUS_PATH, 'status.html'],
]);
const EMBEDDABLE = STATUS_PATH;
const ASSETS_PREFIX = '/assets/';
/**
 * One path segment, not starting with a dot: no `..`, no hidden files, no sub-folders; and no
 * longer than a file name may be (a longer one is simply not there: 404, never a file-system error).
 */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

const CONTENT_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.map', 'application/json; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
]);

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A Host header we are willing to echo into the policy (name or address, optional port). */
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The build folder: `dist/renderer` next to the nearest package.json above this module. */
export function defaultPagesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'renderer');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'renderer');
    dir = parent;
  }
}

/**
 * The policy of the pages, with the sources they may connect to besides themselves. A `<meta>`
 * policy (the static public site, built for a relay) cannot carry `frame-ancestors`; browsers
 * ignore it there, and say so.
 */
export function pagePolicy(connect: string[], frameAncestors: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connect].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    ...(frameAncestors === null ? [] : [`frame-ancestors ${frameAncestors}`]),
  ].join('; ');
}

/**
 * The policy for one page. The WebSocket back to this server is named explicitly: older Safari
 * does not count ws:// as 'self'.
 */
export function contentSecurityPolicy(pathname: string, host: string | undefined): string {
  const socket = host !== undefined && HOST_HEADER.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  return pagePolicy(socket, pathname === EMBEDDABLE ? '*' : "'self'");
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

async function readIfFile(file: string): Promise<{ body: Buffer; etag: string } | null> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return null;
    return { body: await readFile(file), etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function send(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function servePage(req: IncomingMessage, res: ServerResponse, dir: string, pathname: string, file: string) {
  const found = await readIfFile(path.join(dir, file));
  if (found === null) {
    plain(res, 503, 'The pages are not built yet: run `npm run build:renderer`.\n');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    etag: found.etag,
    'content-security-policy': contentSecurityPolicy(pathname, req.headers.host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // For browsers that predate frame-ancestors.
    ...(pathname !== EMBEDDABLE && { 'x-frame-options': 'SAMEORIGIN' }),
  };
  if (req.headers['if-none-match'] === found.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  send(req, res, found.body, headers);
}

async function serveAsset(req: IncomingMessage, res: ServerResponse, dir: string, name: string) {
  const type = CONTENT_TYPES.get(path.extname(name));
  const found = ASSET_NAME.test(name) && type !== undefined ? await readIfFile(path.join(dir, 'assets', name)) : null;
  if (found === null) {
    plain(res, 404, 'Not found\n');
    return;
  }
  send(req, res, found.body, { 'content-type': type as string, 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff' });
}

export function createStaticPages(dir?: string): PageHandler {
  let pagesDir = dir;
  return (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    // The pages load `./assets/…`: below `/admin/` that would resolve to `/admin/assets/…`.
    if (pathname.length > 1 && pathname.endsWith('/') && PAGES.has(pathname.slice(0, -1))) {
      res.writeHead(308, { location: pathname.slice(0, -1) });
      res.end();
      return Promise.resolve();
    }
    const page = PAGES.get(pathname);
    if (page === undefined && !pathname.startsWith(ASSETS_PREFIX)) return undefined;
    pagesDir ??= defaultPagesDir();
    return page === undefined
      ? serveAsset(req, res, pagesDir, pathname.slice(ASSETS_PREFIX.length))
      : servePage(req, res, pagesDir, pathname, page);
  };
}

/** The gateway's handler over the default build folder. */
export const serveStaticPage: PageHandler = createStaticPages();
