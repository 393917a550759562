/**
 * Logins cannot be raced or used to starve the server: attempts count from the moment they are
 * admitted, so parallel attempts cannot outrun the allowance; an attempt over it is refused at
 * once and never hashed; password checks run in their own bounded lane, so a registration is
 * acknowledged while a flood is still being checked; allowances are per sender and follow the
 * monotonic clock, not the wall clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADDRESS_FAILURE_LIMIT, CONNECTION_FAILURE_LIMIT } from '../../server/auth/login-throttle.js';
import { expectError, MINUTE_MS, useClockedServer } from '../support/fixture.js';
import { ADMIN, startTestServer, TestClient, type TestServer } from '../support/harness.js';

const FLOOD = 200;
/** A safety net only: the checks run one at a time, resting after each, which takes seconds on a loaded machine. */
const PATIENCE_MS = 100_000;

/** Counts the real password checks of a server, and how many have finished. */
function countChecks(server: TestServer): { started: number; finished: number } {
  const counts = { started: 0, finished: 0 };
  const verify = server.credentials.verify.bind(server.credentials);
  vi.spyOn(server.credentials, 'verify').mockImplementation(async (username, password) => {
    counts.started += 1;
    try {
      return await verify(username, password);
    } finally {
      counts.finished += 1;
    }
  });
  return counts;
}

describe('a login flood against the stored (scrypt) password', () => {
  let server: TestServer;
  let clients: TestClient[] = [];

  beforeEach(async () => {
    // No ADMIN_PASSWORD: the generated password, stored as a scrypt hash, is what gets checked.
    server = await startTestServer({ env: {} });
  });

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    clients = [];
    vi.restoreAllMocks();
    await server.dispose();
  });

  it(`lets at most ${ADDRESS_FAILURE_LIMIT} of ${FLOOD} parallel wrong logins from one address reach a password check, and acknowledges a registration meanwhile`, async () => {
    const password = server.credentials.generatedPassword as string;
    const operator = await TestClient.connect(server.url);
    clients.push(operator);
    await operator.login({ username: server.credentials.username, password });
    expect(await operator.admin('admin_toggle_system', { active: true })).toMatchObject({ type: 'success' });
    const caller = await TestClient.connect(server.url);
    clients.push(caller);
    const attackers = await Promise.all(Array.from({ length: FLOOD }, () => TestClient.connect(server.url)));
    clients.push(...attackers);
    const checks = countChecks(server);

    const logins = attackers.map((client) =>
      client.request('auth_request', { username: server.credentials.username, password: 'wrong-password' }, PATIENCE_MS),
    );
    const registered = await caller.request('register_callsign', { callsign: 'EA1ABC' }, PATIENCE_MS);
    const checksDoneWhenRegistered = checks.finished;
    const replies = await Promise.all(logins);

    expect(registered).toMatchObject({ type: 'success', data: { callsign: 'EA1ABC', position: 1 } });
    expect(checks.started).toBeLessThanOrEqual(ADDRESS_FAILURE_LIMIT);
    // The registration did not wait behind the password checks.
    expect(checksDoneWhenRegistered).toBeLessThan(checks.started);
    for (const reply of replies) expectError(reply, 'AUTHENTICATION_FAILED');
    const refused = replies.filter((reply) => reply.message !== 'Invalid credentials');
    expect(refused).toHaveLength(FLOOD - checks.started);
    for (const reply of refused) expect(reply.details).toEqual({ retry_after_s: expect.any(Number) });
  }, 2 * PATIENCE_MS);

  it('never hashes an attempt over the allowance: one connection sending 10 at once gets 5 checks', async () => {
    const client = await TestClient.connect(server.url);
    clients.push(client);
    const checks = countChecks(server);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => client.request('auth_request', { username: 'admin', password: 'wrong-password' }, PATIENCE_MS)),
    );
    expect(checks.started).toBe(CONNECTION_FAILURE_LIMIT);
    expect(replies.map((reply) => reply.message)).toEqual([
      ...Array<string>(CONNECTION_FAILURE_LIMIT).fill('Invalid credentials'),
      ...Array<string>(10 - CONNECTION_FAILURE_LIMIT).fill('Too many failed logins; try again later'),
    ]);
  }, 2 * PATIENCE_MS);
});

describe('login allowances per sender', () => {
  const { fx, clock } = useClockedServer();
  const WRONG = { username: ADMIN.username, password: 'not-the-password' };

  async function failLogins(client: TestClient, times: number): Promise<void> {
    for (let i = 0; i < times; i++) expectError(await client.request('auth_request', WRONG), 'AUTHENTICATION_FAILED');
  }

  it('counts 127.0.0.1 and 127.0.0.2 as one sender: this machine', async () => {
    const perConnection = CONNECTION_FAILURE_LIMIT - 1;
    for (let failed = 0; failed < ADDRESS_FAILURE_LIMIT; failed += perConnection) await failLogins(await fx.connect(), perConnection);
    const other = await TestClient.connect(fx.server.url, { localAddress: '127.0.0.2' });
    try {
      const reply = await other.request('auth_request', ADMIN);
      expectError(reply, 'AUTHENTICATION_FAILED');
      expect(reply.details).toEqual({ retry_after_s: expect.any(Number) });
    } finally {
      await other.close();
    }
  });

  it('keeps a lockout at 60 s when the wall clock is set back an hour', async () => {
    const client = await fx.connect();
    await failLogins(client, CONNECTION_FAILURE_LIMIT);
    clock.setWallClock(clock.now - 60 * MINUTE_MS);
    const early = await client.request('auth_request', ADMIN);
    expectError(early, 'AUTHENTICATION_FAILED');
    expect(early.details).toEqual({ retry_after_s: 60 });
    clock.advance(MINUTE_MS);
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });

  it('does not lift a lockout when the wall clock is set forward a day', async () => {
    const client = await fx.connect();
    await failLogins(client, CONNECTION_FAILURE_LIMIT);
    clock.setWallClock(clock.now + 24 * 60 * MINUTE_MS);
    expectError(await client.request('auth_request', ADMIN), 'AUTHENTICATION_FAILED');
  });
});
