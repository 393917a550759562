import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPIRED_MEMORY_MS, SESSION_TTL_MS } from '../../server/auth/sessions.js';
import { dataText } from '../support/data-files.js';
import { startTestServer, TestClient, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.dispose();
  server = undefined;
});

const START = Date.parse('2025-07-23T10:00:00.000Z');
let fakeNow = START;
const clock = (): number => fakeNow;

async function connect(s: TestServer, token?: string): Promise<TestClient> {
  const client = await TestClient.connect(s.url);
  client.token = token;
  clients.push(client);
  return client;
}

/** A server on the fake clock with one logged-in admin; the clock starts at START. */
async function loggedIn(): Promise<{ running: TestServer; admin: TestClient; token: string; expiresAt: number }> {
  fakeNow = START;
  const running = await startTestServer({ clock });
  server = running;
  const admin = await connect(running);
  const reply = await admin.request('auth_request', { username: 'admin', password: 'test-password-123' });
  expect(reply.type).toBe('auth_response');
  admin.token = reply.session_token as string;
  return { running, admin, token: admin.token, expiresAt: Date.parse(reply.expires_at as string) };
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

async function sessionState(client: TestClient): Promise<unknown> {
  const reply = await client.adminRaw('admin_get_status');
  return reply.type === 'success' ? 'valid' : reply.error_code;
}

describe('session expiry', () => {
  it('a session lasts exactly 24 hours, then admin requests get SESSION_EXPIRED', async () => {
    const { admin, expiresAt } = await loggedIn();
    expect(expiresAt).toBe(START + SESSION_TTL_MS);

    fakeNow = expiresAt - 1;
    expect(await sessionState(admin)).toBe('valid');
    fakeNow = expiresAt;
    expect(await sessionState(admin)).toBe('SESSION_EXPIRED');
    expect(await admin.request('ping', { session_token: admin.token })).toMatchObject({ session_valid: false });
  });

  it('an expired token is still recognized after a restart within the 7 days it is remembered', async () => {
    const { running, token, expiresAt } = await loggedIn();
    fakeNow = expiresAt + EXPIRED_MEMORY_MS - 60_000;

    server = await running.restart();

    expect(await sessionState(await connect(server, token))).toBe('SESSION_EXPIRED');
  });

  it('an expired token is forgotten once it has been expired for more than 7 days, across a restart', async () => {
    const { running, token, expiresAt } = await loggedIn();
    fakeNow = expiresAt + EXPIRED_MEMORY_MS + 1;

    server = await running.restart();

    expect(await sessionState(await connect(server, token))).toBe('AUTHENTICATION_REQUIRED');
    // Forgotten means gone from disk too, once the file is compacted on close.
    await server.close();
    expect(await dataText(server.dataDir, 'sessions.db')).not.toContain(sha256(token));
  });

  it('an expired token is forgotten after 7 more days while the server keeps running', async () => {
    const { admin, expiresAt } = await loggedIn();
    fakeNow = expiresAt + EXPIRED_MEMORY_MS - 1;
    expect(await sessionState(admin)).toBe('SESSION_EXPIRED');
    fakeNow = expiresAt + EXPIRED_MEMORY_MS + 1;
    expect(await sessionState(admin)).toBe('AUTHENTICATION_REQUIRED');
  });

  it('a new login after expiry gives a fresh 24-hour session', async () => {
    const { admin, token, expiresAt } = await loggedIn();
    fakeNow = expiresAt + 1000;
    const reply = await admin.request('auth_request', { username: 'admin', password: 'test-password-123' });
    expect(reply.type).toBe('auth_response');
    expect(reply.session_token).not.toBe(token);
    expect(Date.parse(reply.expires_at as string)).toBe(fakeNow + SESSION_TTL_MS);
  });
});

describe('a token issued while the clock ran fast', () => {
  const TWO_DAYS_MS = 2 * SESSION_TTL_MS;

  /** Logs in while the clock is two days fast, then puts the clock right. */
  async function issuedFast(): Promise<{ running: TestServer; admin: TestClient; token: string }> {
    const { running, admin, token } = await loggedIn();
    fakeNow = START - TWO_DAYS_MS;
    return { running, admin, token };
  }

  it('has expired once the clock is put right', async () => {
    const { admin } = await issuedFast();
    expect(await sessionState(admin)).toBe('SESSION_EXPIRED');
  });

  it('stays expired when the clock catches up with its issue time, also across a restart', async () => {
    const { running, admin, token } = await issuedFast();
    expect(await sessionState(admin)).toBe('SESSION_EXPIRED');
    fakeNow = START + 60_000;
    expect(await sessionState(admin)).toBe('SESSION_EXPIRED');
    server = await running.restart();
    expect(await sessionState(await connect(server, token))).toBe('SESSION_EXPIRED');
  });

  it('is expired at start-up when the server was restarted with the clock put right', async () => {
    const { running, token } = await issuedFast();
    server = await running.restart();
    fakeNow = START + 60_000;
    expect(await sessionState(await connect(server, token))).toBe('SESSION_EXPIRED');
  });

  it('tolerates a clock a few minutes off: a token issued 4 minutes ahead is valid', async () => {
    const { admin } = await loggedIn();
    fakeNow = START - 4 * 60_000;
    expect(await sessionState(admin)).toBe('valid');
  });
});

describe('session token storage', () => {
  it('tokens are 256-bit random values and sessions.db holds only their hash', async () => {
    const { running, token } = await loggedIn();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const second = await connect(running);
    const other = await second.login();
    expect(other).not.toBe(token);

    const stored = await dataText(running.dataDir, 'sessions.db');
    for (const plain of [token, other]) {
      expect(stored).not.toContain(plain);
      expect(stored).toContain(sha256(plain));
    }
    // Closing compacts (rewrites) the file: still no plain token in it.
    await running.close();
    const compacted = await dataText(running.dataDir, 'sessions.db');
    expect(compacted).not.toContain(token);
    expect(compacted).not.toContain(other);
  });
});
