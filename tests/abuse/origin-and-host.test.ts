/**
 * Browsers may connect only from our own pages or an allowed origin; DNS-rebinding Host names
 * get no page; tokens are never accepted in URLs.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { givenFromEnv } from '../../server/config/given.js';
import { isAllowedHost, isAllowedOrigin } from '../../server/gateway/origin-check.js';
import { expectError, useServer } from '../support/fixture.js';
import { TestClient } from '../support/harness.js';

/** Opens a WebSocket with the given headers; resolves with 'open' or the HTTP status of the refusal. */
function attempt(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (error) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

/** A GET with a chosen Host header (fetch does not let us set it). */
function get(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.once('error', reject);
  });
}

const POLICY = givenFromEnv({ ALLOWED_ORIGINS: 'https://club.example', ALLOWED_HOSTS: 'pileup.lan' }).origins;

describe('origin check', () => {
  const fx = useServer(() => ({ env: { ADMIN_PASSWORD: 'test-password-123', ALLOWED_ORIGINS: 'https://club.example' } }), 'suite');

  it('lets clients that send no Origin (logging software) connect as before', async () => {
    expect(await attempt(fx.server.url, {})).toBe('open');
  });

  it('lets our own pages connect (Origin is the same host and port as Host)', async () => {
    const { port } = fx.server.address;
    expect(await attempt(fx.server.url, { origin: `http://127.0.0.1:${port}` })).toBe('open');
  });

  it('lets an origin on the operator\u2019s allow-list connect', async () => {
    expect(await attempt(fx.server.url, { origin: 'https://club.example' })).toBe('open');
  });

  it('refuses any other browser origin with 403 before the upgrade', async () => {
    const { port } = fx.server.address;
    for (const origin of ['https://evil.example', `http://127.0.0.1:${port + 1}`, 'null', 'file://', 'not a url']) {
      expect(await attempt(fx.server.url, { origin }), origin).toBe(403);
    }
  });

  it('refuses a rebinding page whose Origin matches its own hostile Host', async () => {
    const { port } = fx.server.address;
    expect(await attempt(fx.server.url, { origin: `http://evil.example:${port}`, host: `evil.example:${port}` })).toBe(403);
  });

  it('judges same-origin and allow-list by exact origin', () => {
    expect(isAllowedOrigin('http://127.0.0.1:8000', '127.0.0.1:8000', POLICY)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:8000', '[::1]:8000', POLICY)).toBe(true);
    expect(isAllowedOrigin('http://pileup.lan:8000', 'pileup.lan:8000', POLICY)).toBe(true);
    expect(isAllowedOrigin('https://club.example/', '192.168.1.20:8000', POLICY)).toBe(true);
    expect(isAllowedOrigin('http://club.example', '192.168.1.20:8000', POLICY)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8001', '127.0.0.1:8000', POLICY)).toBe(false);
    expect(isAllowedOrigin(undefined, 'anything', POLICY)).toBe(true);
  });

  it('refuses an ALLOWED_ORIGINS entry that is not an origin, so a typo cannot open everything', () => {
    expect(() => givenFromEnv({ ALLOWED_ORIGINS: 'club.example' })).toThrow(/ALLOWED_ORIGINS/);
  });
});

describe('host check (DNS rebinding)', () => {
  const fx = useServer(() => ({}), 'suite');

  it('serves pages to IP addresses and localhost', async () => {
    const { port } = fx.server.address;
    const base = `http://127.0.0.1:${port}/nothing-here`;
    // 404 (not 403): the Host was accepted and the path looked up.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '192.168.1.20:8000']) {
      expect(await get(base, host), host).toBe(404);
    }
  });

  it('refuses any other Host name with 403', async () => {
    const { port } = fx.server.address;
    for (const host of ['evil.example', `attacker.example:${port}`, 'bad host']) {
      expect(await get(`http://127.0.0.1:${port}/`, host), host).toBe(403);
    }
  });

  it('accepts names the operator listed in ALLOWED_HOSTS', () => {
    expect(isAllowedHost('pileup.lan:8000', POLICY)).toBe(true);
    expect(isAllowedHost('PILEUP.LAN', POLICY)).toBe(true);
    expect(isAllowedHost('other.lan', POLICY)).toBe(false);
  });

  it('keeps /health open to monitoring tools under any name', async () => {
    const { port } = fx.server.address;
    expect(await get(`http://127.0.0.1:${port}/health`, 'monitor.example')).toBe(200);
  });
});

describe('tokens in URLs', () => {
  const fx = useServer();

  it('refuses a WebSocket upgrade whose URL carries a token, with 400', async () => {
    const client = await fx.operator();
    expect(await attempt(`${fx.server.url}?session_token=${client.token ?? ''}`, {})).toBe(400);
    expect(await attempt(`${fx.server.url}?token=x`, {})).toBe(400);
  });

  it('refuses any HTTP request whose URL carries a token, with 400', async () => {
    const { port } = fx.server.address;
    expect(await get(`http://127.0.0.1:${port}/admin?session_token=abc`, `127.0.0.1:${port}`)).toBe(400);
  });

  it('never authenticates a connection by its URL', async () => {
    const operator = await fx.operator();
    const client = await TestClient.connect(`${fx.server.url}?other=${operator.token ?? ''}`);
    expectError(await client.request('admin_work_next'), 'AUTHENTICATION_REQUIRED');
    await client.close();
  });
});
