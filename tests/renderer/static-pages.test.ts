/**
 * The gateway serves the renderer's build: the three pages, their hashed assets, and nothing
 * else from disk, with the caching and Content-Security-Policy each needs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../server/gateway/request-target.js';
import { contentSecurityPolicy, createStaticPages } from '../../server/gateway/static-pages.js';
import { useServer } from '../support/fixture.js';

let dir: string;
let server: http.Server;
let base: string;

async function serve(pagesDir: string): Promise<{ server: http.Server; base: string }> {
  const handle = createStaticPages(pagesDir);
  const created = http.createServer((req, res) => {
    const parsed = parseRequestTarget(req.url);
    if (parsed.ok && handle(req, res, parsed.target.pathname) !== undefined) return;
    res.writeHead(418);
    res.end('not ours');
  });
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return { server: created, base: `http://127.0.0.1:${(created.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pileup-pages-'));
  await mkdir(path.join(dir, 'assets'));
  for (const page of ['index', 'admin', 'status']) await writeFile(path.join(dir, `${page}.html`), `<!doctype html><title>${page}</title>`);
  await writeFile(path.join(dir, 'assets', 'admin-AbC123.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'assets', 'admin-AbC123.css'), 'body{}');
  await writeFile(path.join(dir, 'assets', '.hidden.js'), 'secret');
  await writeFile(path.join(dir, 'secret.js'), 'secret');
  ({ server, base } = await serve(dir));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('pages', () => {
  it.each([
    ['/', 'index'],
    ['/admin', 'admin'],
    ['/status', 'status'],
  ])('serves %s as HTML that is revalidated on every load', async (pathname, title) => {
    const response = await fetch(base + pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain(`<title>${title}</title>`);
  });

  it('answers an unchanged page with 304 Not Modified', async () => {
    const first = await fetch(`${base}/admin`);
    const etag = first.headers.get('etag') ?? '';
    const again = await fetch(`${base}/admin`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${base}/admin`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('redirects /admin/ to /admin, where the relative asset URLs resolve', async () => {
    const response = await fetch(`${base}/admin/`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/admin');
  });

  it('says how to build the pages when they are missing', async () => {
    const empty = await serve(path.join(dir, 'no-such-build'));
    try {
      const response = await fetch(`${empty.base}/admin`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build:renderer');
    } finally {
      await new Promise((resolve) => empty.server.close(resolve));
    }
  });
});

describe('content security policy', () => {
  it('allows scripts, styles and connections to this server only, and no inline code', async () => {
    const policy = (await fetch(`${base}/admin`)).headers.get('content-security-policy') ?? '';
    const host = new URL(base).host;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(policy).not.toContain('unsafe-inline');
  });

  it('lets other sites frame /status only', async () => {
    const status = await fetch(`${base}/status`);
    expect(status.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(status.headers.get('x-frame-options')).toBeNull();
    for (const pathname of ['/', '/admin']) {
      const page = await fetch(base + pathname);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
      expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('does not echo a Host header that is not a host name', () => {
    expect(contentSecurityPolicy('/admin', "evil; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
    expect(contentSecurityPolicy('/admin', '[::1]:8000')).toContain('ws://[::1]:8000');
  });
});

describe('assets', () => {
  it('serves hashed assets with their type, cached for good', async () => {
    const script = await fetch(`${base}/assets/admin-AbC123.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(`${base}/assets/admin-AbC123.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/assets/..%2fsecret.js',
    '/assets/%2e%2e/secret.js',
    '/assets/.hidden.js',
    '/assets/sub/admin-AbC123.js',
    '/assets/missing.js',
    '/assets/admin-AbC123.exe',
  ])('never serves a file for %s', async (pathname) => {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      // A raw request: fetch() would normalise the dots away before sending.
      http.get({ host: '127.0.0.1', port: new URL(base).port, path: pathname }, resolve).on('error', reject);
    });
    let body = '';
    for await (const chunk of response) body += String(chunk);
    // 404 from us, or (when URL parsing already removed the dots) the gateway's own answer.
    expect([404, 418]).toContain(response.statusCode);
    expect(body).not.toContain('secret');
  });
});

describe('everything else', () => {
  it('is left to the gateway: other paths and other methods', async () => {
    expect((await fetch(`${base}/api/log.adi`)).status).toBe(418);
    expect((await fetch(`${base}/admin`, { method: 'POST' })).status).toBe(418);
  });
});

describe('in the gateway', () => {
  const fx = useServer(() => ({}), 'suite');

  it('serves the pages next to /health and the WebSocket', async () => {
    const origin = fx.server.healthUrl.replace('/health', '');
    expect((await fetch(fx.server.healthUrl)).status).toBe(200);
    // 200 with a build in dist/renderer, 503 with instructions without one; never the JSON 404.
    const page = await fetch(`${origin}/status`);
    expect([200, 503]).toContain(page.status);
    expect((await fetch(`${origin}/nothing-here`)).status).toBe(404);
  });
});
