import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_FAILURE_LIMIT } from '../../server/auth/login-throttle.js';
import { requestTypes, requiresSession } from '../../server/protocol/requests.js';
import { ADMIN, type TestClient } from '../support/harness.js';
import {
  dataOf,
  DAY_MS,
  expectError,
  type Json,
  MINUTE_MS,
  queueStatus,
  register,
  useClockedServer,
  useServer,
} from '../support/fixture.js';

const WRONG = { username: ADMIN.username, password: 'not-the-password' };

async function failLogins(client: TestClient, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expectError(await client.request('auth_request', WRONG), 'AUTHENTICATION_FAILED');
}

/** Fields that would let any admin command succeed, had it been authorized. */
const WOULD_SUCCEED: Json = {
  callsign: 'G0ABC',
  active: false,
  frequency: '14.205',
  split: 'up 5',
  max_queue_size: 9,
  username: 'intruder',
  password: 'intruder-password',
};

describe('auth_request', () => {
  const { fx, clock } = useClockedServer();

  it('answers auth_response with success, authenticated, a 64-hex token and expires_at 24 h ahead', async () => {
    const client = await fx.connect();
    const reply = await client.request('auth_request', ADMIN);
    expect(reply).toMatchObject({
      type: 'auth_response',
      request_id: 'req_1',
      success: true,
      authenticated: true,
      expires_at: new Date(clock.now + DAY_MS).toISOString(),
      message: expect.any(String),
    });
    expect(reply.session_token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every login its own token', async () => {
    const client = await fx.connect();
    const first = await client.login();
    const second = await client.login();
    expect(first).not.toBe(second);
  });

  it("rejects a wrong password with AUTHENTICATION_FAILED and the guide's message", async () => {
    const client = await fx.connect();
    const reply = await client.request('auth_request', WRONG);
    expectError(reply, 'AUTHENTICATION_FAILED');
    expect(reply.message).toBe('Invalid credentials');
  });

  it('rejects a wrong username with AUTHENTICATION_FAILED', async () => {
    const client = await fx.connect();
    expectError(await client.request('auth_request', { ...ADMIN, username: 'root' }), 'AUTHENTICATION_FAILED');
  });

  it.each([
    ['no username', { password: ADMIN.password }],
    ['no password', { username: ADMIN.username }],
    ['no fields', {}],
    ['a non-string password', { username: ADMIN.username, password: 12345678 }],
  ])('rejects a request with %s as INVALID_REQUEST', async (_case, fields) => {
    const client = await fx.connect();
    expectError(await client.request('auth_request', fields), 'INVALID_REQUEST');
  });

  it('issues a token that survives a server restart', async () => {
    const client = await fx.connect();
    const token = await client.login();
    await fx.restart();
    const again = await fx.connect();
    expect(await again.request('admin_get_status', { session_token: token })).toMatchObject({ type: 'success' });
  });
});

describe('auth_logout', () => {
  const { fx } = useClockedServer();

  it('revokes the token: using it afterwards is AUTHENTICATION_REQUIRED', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('auth_logout'))).toMatchObject({ logged_out: true });
    expectError(await operator.adminRaw('admin_get_status'), 'AUTHENTICATION_REQUIRED');
    expectError(await operator.adminRaw('auth_logout'), 'AUTHENTICATION_REQUIRED');
  });

  it('leaves other sessions valid', async () => {
    const leaving = await fx.operator();
    const staying = await fx.operator();
    await leaving.admin('auth_logout');
    expect(await staying.admin('admin_get_status')).toMatchObject({ type: 'success' });
  });

  it('needs a token: without one it is AUTHENTICATION_REQUIRED', async () => {
    const client = await fx.connect();
    expectError(await client.request('auth_logout'), 'AUTHENTICATION_REQUIRED');
  });
});

describe('admin authentication', () => {
  // One server for the describe, with a queue and a current QSO to protect: no test here may
  // change anything.
  const fx = useServer(() => ({}), 'suite');
  beforeAll(async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'G0ABC');
    await operator.admin('admin_work_next');
  });
  const adminTypes = requestTypes.filter(requiresSession);

  it.each(adminTypes)('%s without session_token is AUTHENTICATION_REQUIRED and changes nothing', async (type) => {
    const client = await fx.connect();
    const before = await queueStatus(client);
    expectError(await client.request(type, WOULD_SUCCEED), 'AUTHENTICATION_REQUIRED');
    expect(await queueStatus(client)).toEqual(before);
  });

  it.each(adminTypes)('%s with an unknown session_token is AUTHENTICATION_REQUIRED and changes nothing', async (type) => {
    const client = await fx.connect();
    const before = await queueStatus(client);
    const reply = await client.request(type, { ...WOULD_SUCCEED, session_token: 'f'.repeat(64) });
    expectError(reply, 'AUTHENTICATION_REQUIRED');
    expect(await queueStatus(client)).toEqual(before);
  });

  it('treats an empty session_token as missing', async () => {
    const client = await fx.connect();
    expectError(await client.request('admin_get_status', { session_token: '' }), 'AUTHENTICATION_REQUIRED');
  });

  it('keeps the state it started with', async () => {
    const status = await queueStatus(await fx.connect());
    expect(status).toMatchObject({
      system_active: true,
      queue: [{ callsign: 'G0ABC' }],
      current_qso: { callsign: 'DL1ABC' },
    });
  });
});

describe('session expiry', () => {
  const { fx, clock } = useClockedServer();

  it('keeps a token valid until just before 24 h', async () => {
    const operator = await fx.operator();
    clock.advance(DAY_MS - 1);
    expect(await operator.admin('admin_get_status')).toMatchObject({ type: 'success' });
  });

  it('answers SESSION_EXPIRED once the token is 24 h old', async () => {
    const operator = await fx.operator();
    clock.advance(DAY_MS);
    expectError(await operator.adminRaw('admin_get_status'), 'SESSION_EXPIRED');
    expectError(await operator.adminRaw('auth_logout'), 'SESSION_EXPIRED');
  });

  it('still answers SESSION_EXPIRED (not AUTHENTICATION_REQUIRED) 7 days after expiry', async () => {
    const operator = await fx.operator();
    clock.advance(DAY_MS + 7 * DAY_MS);
    expectError(await operator.adminRaw('admin_toggle_system'), 'SESSION_EXPIRED');
    expect((await queueStatus(operator)).system_active).toBe(false);
  });

  it('remembers an expired token across a restart', async () => {
    const operator = await fx.operator();
    const token = operator.token;
    clock.advance(DAY_MS + MINUTE_MS);
    await fx.restart();
    const again = await fx.connect();
    expectError(await again.request('admin_get_status', { session_token: token }), 'SESSION_EXPIRED');
  });

  it('lets a fresh login work after expiry', async () => {
    const operator = await fx.operator();
    clock.advance(2 * DAY_MS);
    await operator.login();
    expect(await operator.admin('admin_get_status')).toMatchObject({ type: 'success' });
  });
});

describe('login throttle', () => {
  const { fx, clock } = useClockedServer();

  it('refuses the correct password after 5 failures with AUTHENTICATION_FAILED and details.retry_after_s', async () => {
    const client = await fx.connect();
    await failLogins(client, 5);
    const reply = await client.request('auth_request', ADMIN);
    expectError(reply, 'AUTHENTICATION_FAILED');
    expect(reply.details).toEqual({ retry_after_s: 60 });
  });

  it('lets the correct password through after 4 failures', async () => {
    const client = await fx.connect();
    await failLogins(client, 4);
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response', success: true });
  });

  it('does not count INVALID_REQUEST towards the limit', async () => {
    const client = await fx.connect();
    for (let i = 0; i < 10; i++) expectError(await client.request('auth_request', { username: 'x' }), 'INVALID_REQUEST');
    await failLogins(client, 4);
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });

  it('unblocks 60 s after the failures, not before', async () => {
    const client = await fx.connect();
    await failLogins(client, 5);
    clock.advance(MINUTE_MS - 1000);
    const early = await client.request('auth_request', ADMIN);
    expectError(early, 'AUTHENTICATION_FAILED');
    expect(early.details).toEqual({ retry_after_s: 1 });
    clock.advance(1000);
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });

  it('only counts failures within the last 60 s', async () => {
    const client = await fx.connect();
    await failLogins(client, 4);
    clock.advance(MINUTE_MS);
    await failLogins(client, 4);
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });

  it("throttles per connection: another connection's failures do not block this one", async () => {
    const noisy = await fx.connect();
    await failLogins(noisy, 5);
    const other = await fx.connect();
    expect(await other.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });

  it('throttles per remote address across connections', async () => {
    const perConnection = 4;
    for (let failed = 0; failed < ADDRESS_FAILURE_LIMIT; failed += perConnection) {
      await failLogins(await fx.connect(), perConnection);
    }
    const fresh = await fx.connect();
    const reply = await fresh.request('auth_request', ADMIN);
    expectError(reply, 'AUTHENTICATION_FAILED');
    expect(reply.details).toMatchObject({ retry_after_s: expect.any(Number) });
  });
});

describe('admin_set_credentials', () => {
  const { fx } = useClockedServer();

  const NEW = { username: 'operator', password: 'a-new-password-456' };

  it('revokes every existing session, the caller included', async () => {
    const caller = await fx.operator();
    const other = await fx.operator();
    expect(dataOf(await caller.admin('admin_set_credentials', NEW))).toMatchObject({
      username: NEW.username,
      sessions_revoked: true,
    });
    expectError(await caller.adminRaw('admin_get_status'), 'AUTHENTICATION_REQUIRED');
    expectError(await other.adminRaw('admin_get_status'), 'AUTHENTICATION_REQUIRED');
  });

  it('makes the new credentials work and the old ones fail', async () => {
    const caller = await fx.operator();
    await caller.admin('admin_set_credentials', NEW);
    expectError(await caller.request('auth_request', ADMIN), 'AUTHENTICATION_FAILED');
    await caller.login(NEW);
    expect(await caller.admin('admin_get_status')).toMatchObject({ type: 'success' });
  });

  it('rejects a password shorter than 8 characters with INVALID_REQUEST and keeps the old credentials', async () => {
    const caller = await fx.operator();
    expectError(await caller.adminRaw('admin_set_credentials', { username: 'x', password: 'short' }), 'INVALID_REQUEST');
    expect(await caller.admin('admin_get_status')).toMatchObject({ type: 'success' });
    expect(await caller.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });
});
