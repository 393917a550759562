/**
 * No HTTP request or upgrade can end the process: the request targets that once did are answered
 * with a client error, thousands of generated targets, methods and headers sent over raw sockets
 * never earn a 5xx nor an unexpected error, and `/health` answers after every batch. The guard
 * itself: what a handler throws becomes 400 (the client's mistake) or 500 (ours, reported once).
 * Bounded for npm test (fixed seed; FC_SEED / FC_RUNS override); `npm run fuzz` runs longer.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Header, healthStatus, type HostileRequest, hostileRequest, rawExchange } from '../../bench/http-fuzz-inputs.js';
import { ClientError, guardRequests, guardUpgrades, type RequestHandler, type UpgradeHandler } from '../../server/gateway/request-guard.js';
import { MAX_REQUEST_TARGET_CHARS } from '../../server/gateway/request-target.js';
import { defaultPagesDir } from '../../server/gateway/static-pages.js';
import { useServer } from '../support/fixture.js';

const SEED = Number(process.env.FC_SEED ?? 9009);
/** Batches of BATCH requests sent at once; /health is asked after each. */
const RUNS = Number(process.env.FC_RUNS ?? 60);
const BATCH = 50;

/** Without a renderer build the pages answer 503 ("run npm run build:renderer"): that one 5xx is expected. */
const PAGES_BUILT = existsSync(path.join(defaultPagesDir(), 'index.html'));

const UPGRADE: Header[] = [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
];

function request(method: string, target: string, headers: Header[] = []): HostileRequest {
  return { method, target, headers: [['Host', '127.0.0.1'], ...headers], body: '' };
}

describe('hostile HTTP requests', () => {
  let port: number;
  let token: string;
  const unexpected: unknown[] = [];
  const fx = useServer(() => ({ onUnexpected: (error) => unexpected.push(error) }), 'suite');

  beforeAll(async () => {
    port = fx.server.address.port;
    const operator = await fx.activeOperator();
    token = operator.token as string;
  });

  it.each([
    // `//` and `/\` read as `/` with a trailing slash: redirected to the page, like `/admin/`.
    ['GET //', request('GET', '//'), 308],
    ['GET //@', request('GET', '//@'), 404],
    ['GET /\\', request('GET', '/\\'), 308],
    ['GET //:99999', request('GET', '//:99999'), 404],
    ['GET http://', request('GET', 'http://'), 400],
    ['POST //', request('POST', '//'), 404],
    ['an upgrade to //', request('GET', '//', UPGRADE), 404],
    ['an upgrade to http://', request('GET', 'http://', UPGRADE), 400],
    ['a 5,000-character asset name', request('GET', `/assets/${'a'.repeat(5000)}.js`), 404],
    ['a URL over the length limit', request('GET', `/${'a'.repeat(MAX_REQUEST_TARGET_CHARS)}`), 414],
    ['an upgrade with a URL over the length limit', request('GET', `/${'a'.repeat(MAX_REQUEST_TARGET_CHARS)}`, UPGRADE), 414],
    ['the absolute form of /health', request('GET', 'http://127.0.0.1/health'), 200],
  ])('answers %s with %i and keeps serving', async (_name, hostile, status) => {
    expect(await rawExchange(port, hostile)).toBe(status);
    expect(await healthStatus(port)).toBe(200);
    expect(unexpected).toEqual([]);
  });

  it(`answers ${RUNS * BATCH} generated requests without a 5xx or an unexpected error, and /health after each batch`, async () => {
    const statuses = new Map<number | null, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRequest(token), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map((hostile) => rawExchange(port, hostile)));
        for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const serverErrors = answers.flatMap((status, i) =>
          status !== null && status >= 500 && !(status === 503 && !PAGES_BUILT) ? [`${status}: ${JSON.stringify(batch[i])}`] : [],
        );
        expect(serverErrors).toEqual([]);
        expect(unexpected).toEqual([]);
        expect(await healthStatus(port)).toBe(200);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Most requests must get an answer, not a silent close: the fuzzing reached the handlers.
    console.log(`http fuzz: ${RUNS * BATCH} requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    const closed = statuses.get(null) ?? 0;
    expect(closed).toBeLessThan((RUNS * BATCH) / 10);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 414]));
  });
});

/** A plain HTTP server with one guarded handler, for the guard's own rules. */
async function guarded(handle: RequestHandler, upgrade: UpgradeHandler, onUnexpected: (error: unknown) => void) {
  const server = http.createServer(guardRequests(handle, onUnexpected));
  server.on('upgrade', guardUpgrades(upgrade, onUnexpected));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the request guard', () => {
  const reported: unknown[] = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    const handle: RequestHandler = (req, res, target) => {
      switch (target.pathname) {
        case '/throw':
          throw new Error('a bug of ours');
        case '/reject':
          return Promise.reject(new Error('an async bug of ours'));
        case '/client':
          throw new ClientError(413, 'too large');
        case '/decode':
          decodeURIComponent('%');
          return;
        case '/gone':
          return Promise.reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
        case '/half':
          res.writeHead(200);
          res.write('partial');
          return Promise.reject(new Error('failed half-way'));
        default:
          res.end('ok');
      }
    };
    const upgrade: UpgradeHandler = (_req, socket, _head, target) => {
      if (target.pathname === '/throw') throw new Error('an upgrade bug of ours');
      socket.end('HTTP/1.1 204 No Content\r\n\r\n');
    };
    ({ server, port } = await guarded(handle, upgrade, (error) => reported.push(error)));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['/throw', 500, 1],
    ['/reject', 500, 1],
    ['/client', 413, 0],
    ['/decode', 400, 0],
  ])('answers a handler that fails at %s with %i, reporting %i error(s)', async (target, status, reports) => {
    reported.length = 0;
    expect(await rawExchange(port, request('GET', target))).toBe(status);
    expect(reported).toHaveLength(reports);
    expect(await rawExchange(port, request('GET', '/ok'))).toBe(200);
  });

  it('closes quietly, reporting nothing, when the client went away (a cancelled download)', async () => {
    reported.length = 0;
    expect(await rawExchange(port, request('GET', '/gone'))).toBeNull();
    expect(reported).toEqual([]);
  });

  it('cuts a response that failed after its headers went out, so it cannot pass for complete', async () => {
    reported.length = 0;
    const body = await new Promise<string>((resolve) => {
      let text = '';
      http
        .get({ host: '127.0.0.1', port, path: '/half' }, (res) => {
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('error', () => resolve(`cut:${text}`));
          res.on('end', () => resolve(`complete:${text}`));
        })
        .on('error', () => resolve(`cut:${text}`));
    });
    expect(body).toMatch(/^cut:/);
    expect(reported).toHaveLength(1);
  });

  it('answers an upgrade whose handler throws with 500, reported once', async () => {
    reported.length = 0;
    expect(await rawExchange(port, request('GET', '/throw', UPGRADE))).toBe(500);
    expect(reported).toHaveLength(1);
    expect(await rawExchange(port, request('GET', '/fine', UPGRADE))).toBe(204);
  });
});
