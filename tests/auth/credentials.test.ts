import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { dataLines, dataText } from '../support/data-files.js';
import { makeDataDir, startTestServer, TestClient, type TestServer } from '../support/harness.js';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Starts over `dataDir` with exactly `env` (the harness default would set ADMIN_PASSWORD). */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ dataDir, env });
  servers.push(server);
  return server;
}

async function freshDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

/** The reply type (or error code) of a login attempt on a new connection. */
async function login(server: TestServer, username: string, password: string): Promise<unknown> {
  const client = await TestClient.connect(server.url);
  clients.push(client);
  const reply = await client.request('auth_request', { username, password });
  return reply.type === 'auth_response' ? 'ok' : reply.error_code;
}

describe('first-run credentials', () => {
  it('a fresh data dir without ADMIN_PASSWORD gets a strong generated password that works', async () => {
    const server = await start(await freshDir());
    const password = server.credentials.generatedPassword ?? '';
    expect(server.credentials.source).toBe('generated');
    expect(server.credentials.username).toBe('admin');
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(password).toMatch(/^[A-Za-z0-9]+$/);
    expect(await login(server, 'admin', password)).toBe('ok');
    expect(await login(server, 'admin', `${password}x`)).toBe('AUTHENTICATION_FAILED');
  });

  it('settings.db holds only an scrypt hash of the generated password, never the password', async () => {
    const dataDir = await freshDir();
    const server = await start(dataDir);
    const password = server.credentials.generatedPassword ?? '';
    await server.close();

    const text = await dataText(dataDir, 'settings.db');
    expect(text).not.toContain(password);
    const docs = (await dataLines(dataDir, 'settings.db')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs).toEqual([
      { _id: 'credentials', username: 'admin', password_hash: expect.stringMatching(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/) as unknown },
    ]);
  });

  it('every fresh data dir gets a different password', async () => {
    const first = await start(await freshDir());
    const second = await start(await freshDir());
    expect(first.credentials.generatedPassword).not.toBe(second.credentials.generatedPassword);
  });

  it('the next start generates nothing new and the first password still works', async () => {
    const dataDir = await freshDir();
    const first = await start(dataDir);
    const password = first.credentials.generatedPassword ?? '';
    await first.close();
    const hashBefore = await dataText(dataDir, 'settings.db');

    const second = await start(dataDir);

    expect(second.credentials.generatedPassword).toBeUndefined();
    expect(second.credentials.source).toBe('stored');
    expect(await login(second, 'admin', password)).toBe('ok');
    await second.close();
    expect(await dataText(dataDir, 'settings.db')).toBe(hashBefore);
  });
});

describe('credentials from the environment', () => {
  it('ADMIN_USERNAME/ADMIN_PASSWORD win over the stored credentials', async () => {
    const dataDir = await freshDir();
    const first = await start(dataDir);
    const stored = first.credentials.generatedPassword ?? '';
    await first.close();

    const server = await start(dataDir, { ADMIN_USERNAME: 'op', ADMIN_PASSWORD: 'env-secret-passphrase' });

    expect(server.credentials.source).toBe('env');
    expect(server.credentials.generatedPassword).toBeUndefined();
    expect(await login(server, 'op', 'env-secret-passphrase')).toBe('ok');
    expect(await login(server, 'admin', stored)).toBe('AUTHENTICATION_FAILED');
  });

  it('the environment password is never written to the data dir, and the stored one returns without it', async () => {
    const dataDir = await freshDir();
    const first = await start(dataDir);
    const stored = first.credentials.generatedPassword ?? '';
    await first.close();
    const withEnv = await start(dataDir, { ADMIN_PASSWORD: 'env-secret-passphrase' });
    expect(await login(withEnv, 'admin', 'env-secret-passphrase')).toBe('ok');
    await withEnv.close();
    for (const file of ['state.db', 'log.db', 'sessions.db', 'settings.db'] as const) {
      expect(await dataText(dataDir, file)).not.toContain('env-secret-passphrase');
    }

    const without = await start(dataDir);
    expect(without.credentials.source).toBe('stored');
    expect(await login(without, 'admin', stored)).toBe('ok');
    expect(await login(without, 'admin', 'env-secret-passphrase')).toBe('AUTHENTICATION_FAILED');
  });

  it('with ADMIN_PASSWORD set on a fresh data dir no password is generated', async () => {
    const server = await start(await freshDir(), { ADMIN_PASSWORD: 'env-secret-passphrase' });
    expect(server.credentials.generatedPassword).toBeUndefined();
    expect(await login(server, 'admin', 'env-secret-passphrase')).toBe('ok');
  });
});
