/**
 * Damage fails closed: a damaged line must never undo a security change. If the newest
 * credentials record cannot be read, the older password must not work again: every login is
 * refused until ADMIN_PASSWORD is set or the password is reset. If any line of sessions.db is
 * damaged (it may have been a logout), every session ends.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS_UNREADABLE } from '../../server/auth/credentials.js';
import { hashPassword } from '../../server/auth/password.js';
import { spawnCli, startCli } from '../support/cli-process.js';
import { startTestServer, TestClient, type TestServer } from '../support/harness.js';
import { useProcessSuite } from '../support/fixture.js';

const suite = useProcessSuite();
const freshDir = () => suite.freshDir();
const OLD = 'the-old-password';
const NEW = 'the-new-password';

async function start(dataDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ dataDir, env });
  suite.keep(server);
  return server;
}

async function connect(server: { url: string }, token?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  client.token = token;
  suite.keep(client);
  return client;
}

const credentialsLine = async (password: string) =>
  JSON.stringify({ _id: 'credentials', username: 'admin', password_hash: await hashPassword(password) });

/** settings.db: OLD, then a password change to NEW whose line was torn. */
async function tornPasswordChange(dataDir: string): Promise<void> {
  const changed = await credentialsLine(NEW);
  await writeFile(path.join(dataDir, 'settings.db'), `${await credentialsLine(OLD)}\n${changed.slice(0, 60)}`);
}

describe('damaged credentials fail closed', () => {
  it('refuses every login with a clear message when the newest credentials line cannot be read', async () => {
    const dataDir = await freshDir();
    await tornPasswordChange(dataDir);
    const server = await start(dataDir);
    expect(server.credentials.source).toBe('unreadable');
    expect(server.credentials.generatedPassword).toBeUndefined();

    const client = await connect(server);
    for (const password of [OLD, NEW]) {
      expect(await client.request('auth_request', { username: 'admin', password })).toMatchObject({
        type: 'error',
        error_code: 'AUTHENTICATION_FAILED',
        message: CREDENTIALS_UNREADABLE,
        details: { credentials_unreadable: true },
      });
    }
    expect(CREDENTIALS_UNREADABLE).toContain('ADMIN_PASSWORD');
    expect(CREDENTIALS_UNREADABLE).toContain('npm run serve -- --reset-password');
  });

  it('lets ADMIN_PASSWORD in meanwhile', async () => {
    const dataDir = await freshDir();
    await tornPasswordChange(dataDir);
    const server = await start(dataDir, { ADMIN_PASSWORD: 'from-the-environment' });
    const client = await connect(server);
    expect(await client.request('auth_request', { username: 'admin', password: 'from-the-environment' })).toMatchObject({ type: 'auth_response' });
  });

  it('is let in again by a reset: a new generated password, the old one refused', async () => {
    const dataDir = await freshDir();
    await tornPasswordChange(dataDir);
    const server = await start(dataDir);
    const password = await server.resetPassword();
    const client = await connect(server);
    expect(await client.request('auth_request', { username: 'admin', password })).toMatchObject({ type: 'auth_response' });
    expect(await client.request('auth_request', { username: 'admin', password: OLD })).toMatchObject({ error_code: 'AUTHENTICATION_FAILED' });

    await server.close();
    const again = await start(dataDir);
    expect(again.credentials.source).toBe('stored');
    expect(await (await connect(again)).request('auth_request', { username: 'admin', password })).toMatchObject({ type: 'auth_response' });
  });

  it('keeps the credentials when the damaged line is about another setting', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, 'settings.db'), `${await credentialsLine(OLD)}\n{"_id":"bridges","wsjtx_po`);
    const server = await start(dataDir);
    expect(server.credentials.source).toBe('stored');
    expect(await (await connect(server)).request('auth_request', { username: 'admin', password: OLD })).toMatchObject({ type: 'auth_response' });
  });

  it('keeps the credentials when a newer credentials line follows the damaged one', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, 'settings.db'), `{"_id":"credentials","usern\n${await credentialsLine(NEW)}\n`);
    const server = await start(dataDir);
    expect(server.credentials.source).toBe('stored');
    expect(await (await connect(server)).request('auth_request', { username: 'admin', password: NEW })).toMatchObject({ type: 'auth_response' });
  });

  it('treats a damaged line it cannot attribute as possibly the credentials', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, 'settings.db'), `${await credentialsLine(OLD)}\nnot json at all\n`);
    expect((await start(dataDir)).credentials.source).toBe('unreadable');
  });
});

describe('damaged sessions fail closed', () => {
  it('ends every session when a line of sessions.db cannot be read, so a torn logout cannot revive a token', async () => {
    const dataDir = await freshDir();
    const first = await start(dataDir, { ADMIN_PASSWORD: OLD });
    const kept = await connect(first);
    await kept.login({ username: 'admin', password: OLD });
    const loggedOut = await connect(first);
    await loggedOut.login({ username: 'admin', password: OLD });
    expect((await loggedOut.adminRaw('auth_logout')).type).toBe('success');
    await first.close();
    // The logout's line, torn: without it the logged-out token would be valid again.
    const file = path.join(dataDir, 'sessions.db');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    await writeFile(file, `${lines.slice(0, -1).join('\n')}\n`);
    await appendFile(file, '{"_id":"');

    const server = await start(dataDir, { ADMIN_PASSWORD: OLD });
    expect(server.sessions.endedByDamage).toBe(true);
    for (const token of [kept.token, loggedOut.token]) {
      expect((await (await connect(server, token)).adminRaw('admin_ping')).error_code).toBe('AUTHENTICATION_REQUIRED');
    }
    const fresh = await connect(server);
    await fresh.login({ username: 'admin', password: OLD });

    // The damage is gone after that start; sessions last across restarts again.
    await server.close();
    const again = await start(dataDir, { ADMIN_PASSWORD: OLD });
    expect(again.sessions.endedByDamage).toBe(false);
    expect((await (await connect(again, fresh.token)).adminRaw('admin_ping')).type).toBe('pong');
  });
});

describe('the start-up report', () => {
  it('the headless server says the credentials cannot be read, and --reset-password prints a new one once', async () => {
    const dataDir = await freshDir();
    await tornPasswordChange(dataDir);
    const damaged = await startCli(dataDir);
    expect(damaged.stdout()).toContain(`Warning: ${CREDENTIALS_UNREADABLE}`);
    damaged.child.kill('SIGTERM');
    await damaged.exited;

    const reset = await startCliWith(dataDir, ['--reset-password']);
    const password = /Password reset: new admin password: (\S+)/.exec(reset.stdout())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(reset.stdout()).not.toContain('Warning:');
    const client = await connect(reset);
    expect(await client.request('auth_request', { username: 'admin', password })).toMatchObject({ type: 'auth_response' });
    reset.child.kill('SIGTERM');
    await reset.exited;

    const next = await startCli(dataDir);
    expect(next.stdout()).not.toContain(password);
  });

  it('says every session ended when sessions.db was damaged', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, 'sessions.db'), '{"_id":"abc","token_ha');
    const cli = await startCli(dataDir, { ADMIN_PASSWORD: OLD });
    expect(cli.stdout()).toContain('Warning: sessions.db was damaged, so every operator session has ended');
  });
});

async function startCliWith(dataDir: string, extra: string[]) {
  const run = spawnCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...extra]);
  const [, url] = await run.waitForStdout(/WebSocket API: (ws:\/\/\S+)/);
  await run.waitForStdout(/Press Ctrl\+C to stop\./);
  return { ...run, url: url ?? '' };
}
