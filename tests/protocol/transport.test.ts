/**
 * The wire around the messages: connecting, health, envelopes and reply order, malformed input,
 * frame size, and the error codes of the guide's table (SYSTEM_ERROR included).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_PAYLOAD_BYTES } from '../../server/protocol/endpoints.js';
import { StorageFailure } from '../../server/core/storage.js';
import { ErrorCode } from '../../server/protocol/errors.js';
import { DocumentFile } from '../../server/store/document-file.js';
import type { ServerMessage } from '../../server/protocol/envelopes.js';
import { requestTypes } from '../../server/protocol/requests.js';
import { API_VERSION, SERVER_VERSION } from '../../server/version.js';
import { ADMIN, type TestClient } from '../support/harness.js';
import {
  broadcastsSince,
  dataOf,
  DAY_MS,
  expectError,
  type Json,
  logEntries,
  queueCalls,
  queueStatus,
  register,
  settle,
  useClockedServer,
  useServer,
} from '../support/fixture.js';

const DISK_FULL = new Error('ENOSPC: simulated disk full');

function frame(message: Json): string {
  return JSON.stringify(message);
}

/**
 * One server for the describe, with something to damage — a queue with a free slot, a current
 * QSO, a frequency, a log entry — for tests that must each leave the state exactly as it was.
 */
function useBusyServer() {
  const fx = useServer(() => ({}), 'suite');
  beforeAll(async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC', 'W1AW');
    await operator.admin('admin_send_qso', { callsign: 'JA1XYZ' });
    await operator.admin('admin_work_next');
    await operator.admin('admin_set_frequency', { frequency: '14.205' });
  });
  return fx;
}

async function fullState(operator: TestClient): Promise<Json> {
  return { status: await queueStatus(operator), log: await logEntries(operator) };
}

describe('welcome', () => {
  const { fx } = useClockedServer();

  it('is sent on connect with server_version, api_version, connection_id and features', async () => {
    const client = await fx.connect();
    expect(client.received[0]).toEqual({
      type: 'welcome',
      timestamp: '2025-07-23T10:00:00.000Z',
      data: {
        server_version: SERVER_VERSION,
        api_version: API_VERSION,
        connection_id: expect.any(String),
        features: expect.arrayContaining([...requestTypes, 'broadcasts']),
      },
    });
  });

  it('gives every connection its own connection_id', async () => {
    const [a, b] = await Promise.all([fx.connect(), fx.connect()]);
    const id = (client: typeof a) => (client.received[0]?.type === 'welcome' ? client.received[0].data.connection_id : '');
    expect(id(a)).not.toBe('');
    expect(id(a)).not.toBe(id(b));
  });
});

describe('WebSocket path', () => {
  const { fx } = useClockedServer();

  it('accepts WebSocket connections only at /api/ws', async () => {
    const wrong = new WebSocket(fx.server.url.replace('/api/ws', '/ws'));
    const failed = await new Promise<boolean>((resolve) => {
      wrong.once('open', () => resolve(false));
      wrong.once('error', () => resolve(true));
    });
    expect(failed).toBe(true);
  });
});

describe('GET /health', () => {
  const { fx, clock } = useClockedServer();

  it('answers 200 JSON with version, uptime_s and clients', async () => {
    await fx.connect();
    await fx.connect();
    clock.advance(90_500);
    const response = await fetch(fx.server.healthUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok', version: SERVER_VERSION, uptime_s: 90, clients: 2 });
  });

  it('needs no authentication and works with no client connected', async () => {
    const response = await fetch(fx.server.healthUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ uptime_s: 0, clients: 0 });
  });
});

describe('request_id', () => {
  const fx = useServer();

  it.each(['auth_001', '', 'ünïcødé id with spaces', 'x'.repeat(200)])('echoes the string %j unchanged', async (id) => {
    const client = await fx.connect();
    expect(await client.raw(frame({ type: 'get_queue_status', request_id: id }))).toMatchObject({
      type: 'success',
      request_id: id,
    });
  });

  it.each([42, 0, -7, 3.5])('echoes the number %j unchanged, as a number', async (id) => {
    const client = await fx.connect();
    expect(await client.raw(frame({ type: 'ping', request_id: id }))).toMatchObject({ type: 'pong', request_id: id });
  });

  it('is echoed on error replies', async () => {
    const client = await fx.connect();
    expect(await client.raw(frame({ type: 'admin_work_next', request_id: 'work_001' }))).toMatchObject({
      type: 'error',
      request_id: 'work_001',
      error_code: 'AUTHENTICATION_REQUIRED',
    });
  });

  it('is echoed on auth_response', async () => {
    const client = await fx.connect();
    const reply = client.next((m) => m.type === 'auth_response');
    client.ws.send(frame({ type: 'auth_request', request_id: 'auth_001', ...ADMIN }));
    expect(await reply).toMatchObject({ request_id: 'auth_001', success: true });
  });

  it('may be missing: the request is still processed and the reply carries request_id null', async () => {
    const operator = await fx.activeOperator();
    const reply = await operator.raw(frame({ type: 'register_callsign', callsign: 'EA1ABC' }));
    expect(reply).toMatchObject({ type: 'success', request_id: null, data: { callsign: 'EA1ABC', position: 1 } });
    expect(await queueCalls(operator)).toEqual(['EA1ABC']);
  });

  it('may be missing on a refused request: the error carries request_id null', async () => {
    const client = await fx.connect();
    const reply = await client.raw(frame({ type: 'register_callsign', callsign: 'EA1ABC' }));
    expect(reply).toMatchObject({ type: 'error', request_id: null, error_code: 'SYSTEM_INACTIVE' });
  });

  it('may be missing on an admin request', async () => {
    const operator = await fx.operator();
    const reply = await operator.raw(frame({ type: 'admin_toggle_system', session_token: operator.token }));
    expect(reply).toMatchObject({ type: 'success', request_id: null, data: { system_active: true } });
  });

  it('may be null, which is treated as missing', async () => {
    const operator = await fx.activeOperator();
    const reply = await operator.raw(frame({ type: 'register_callsign', request_id: null, callsign: 'EA1ABC' }));
    expect(reply).toMatchObject({ type: 'success', request_id: null });
    expect(await queueCalls(operator)).toEqual(['EA1ABC']);
  });

  it.each([
    ['an object', { id: 1 }],
    ['an array', ['reg_001']],
    ['a boolean', true],
  ])('as %s is INVALID_REQUEST with request_id null, and the request is not processed', async (_case, id) => {
    const operator = await fx.activeOperator();
    const reply = await operator.raw(frame({ type: 'register_callsign', request_id: id, callsign: 'EA1ABC' }));
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.request_id).toBeNull();
    expect((await queueStatus(operator)).queue_size).toBe(0);
  });
});

describe('reply order', () => {
  const fx = useServer();

  it('answers 20 mixed requests sent without waiting in the order they were sent', async () => {
    const operator = await fx.activeOperator();
    const token = operator.token;
    // Slow (disk writes, logins) and instant (ping, errors) requests interleaved.
    const requests: Json[] = [
      { type: 'register_callsign', callsign: 'EA1ABC' },
      { type: 'ping' },
      { type: 'auth_request', ...ADMIN },
      { type: 'get_queue_status' },
      { type: 'register_callsign', callsign: 'EA1ABC' },
      { type: 'no_such_type' },
      { type: 'register_callsign', callsign: 'DL1ABC' },
      { type: 'admin_work_next', session_token: token },
      { type: 'get_current_qso' },
      { type: 'admin_work_next' },
      { type: 'admin_set_frequency', session_token: token, frequency: '14.205' },
      { type: 'ping', session_token: token },
      { type: 'register_callsign', callsign: 'KC1@BC' },
      { type: 'admin_send_qso', session_token: token, callsign: 'G0ABC', mode: 'CW' },
      { type: 'auth_request', username: 'admin', password: 'wrong' },
      { type: 'admin_complete_qso', session_token: token },
      { type: 'get_queue_status' },
      { type: 'admin_clear_queue', session_token: token },
      { type: 'admin_get_log', session_token: token },
      { type: 'ping' },
    ];
    const ids = requests.map((_, index) => `mixed_${index}`);
    const last = operator.next((m) => 'request_id' in m && m.request_id === ids.at(-1));
    requests.forEach((request, index) => operator.ws.send(frame({ ...request, request_id: ids[index] })));
    await last;

    const replies = operator.received.filter(
      (m): m is Extract<ServerMessage, { request_id: unknown }> =>
        'request_id' in m && typeof m.request_id === 'string' && m.request_id.startsWith('mixed_'),
    );
    expect(replies.map((m) => m.request_id)).toEqual(ids);
    expect(replies.map((m) => (m.type === 'error' ? m.error_code : m.type))).toEqual([
      'success',
      'pong',
      'auth_response',
      'success',
      'ALREADY_IN_QUEUE',
      'INVALID_REQUEST',
      'success',
      'success',
      'success',
      'AUTHENTICATION_REQUIRED',
      'success',
      'pong',
      'INVALID_CALLSIGN',
      'success',
      'AUTHENTICATION_FAILED',
      'success',
      'success',
      'success',
      'success',
      'pong',
    ]);
  });
});

describe('malformed frames', () => {
  const fx = useBusyServer();

  it.each([
    ['invalid JSON', '{"type": "register_callsign", "callsign": '],
    ['an empty frame', ''],
    ['a JSON array', '[{"type":"register_callsign","callsign":"KC1ABC"}]'],
    ['a JSON number', '42'],
    ['a JSON string', '"register_callsign"'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
  ])('answers %s with INVALID_REQUEST, changes nothing and keeps serving', async (_case, payload) => {
    const operator = await fx.operator();
    const before = await fullState(operator);
    const reply = await operator.raw(payload);
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.request_id).toBeNull();
    expect(await fullState(operator)).toEqual(before);
    expect(await operator.request('ping')).toMatchObject({ type: 'pong' });
  });

  it('answers a binary frame with INVALID_REQUEST and does not process it', async () => {
    const operator = await fx.operator();
    const before = await fullState(operator);
    const payload = Buffer.from(JSON.stringify({ type: 'register_callsign', request_id: 'bin', callsign: 'KC1ABC' }));
    const reply = await operator.raw(payload, { binary: true });
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.message).toMatch(/binary/i);
    expect(await fullState(operator)).toEqual(before);
    expect(await operator.request('ping')).toMatchObject({ type: 'pong' });
  });
});

describe('ill-formed requests', () => {
  const fx = useBusyServer();

  it.each([
    ['no type', { callsign: 'KC1ABC' }],
    ['a non-string type', { type: 7 }],
    ['an unknown type', { type: 'register_everyone' }],
    ['an inherited property name as type', { type: 'constructor' }],
    ['a non-string callsign', { type: 'register_callsign', callsign: 1234 }],
    ['a callsign in an array', { type: 'register_callsign', callsign: ['KC1ABC'] }],
    ['a missing callsign', { type: 'register_callsign' }],
    ['a non-string session_token', { type: 'get_queue_status', session_token: 123 }],
  ])('answers %s with INVALID_REQUEST, changes nothing and keeps serving', async (_case, message) => {
    const operator = await fx.operator();
    const before = await fullState(operator);
    const reply = await operator.raw(JSON.stringify({ request_id: 'bad_1', ...message }));
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.request_id).toBe('bad_1');
    expect(await fullState(operator)).toEqual(before);
    expect(await operator.request('ping')).toMatchObject({ type: 'pong' });
  });

  it('lists the supported types when the type is unknown', async () => {
    const client = await fx.connect();
    const reply = await client.request('register_everyone');
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toMatchObject({ supported_types: expect.arrayContaining(['register_callsign', 'ping']) });
  });

  it.each([
    ['admin_toggle_system', { active: 'yes' }, 'active'],
    ['admin_set_max_queue_size', { max_queue_size: '4' }, 'max_queue_size'],
    ['admin_send_qso', { callsign: 'W1AW', frequency: [14.205] }, 'frequency'],
    ['admin_start_qso', { callsign: 'W1AW', frequency_mhz: 'fourteen' }, 'frequency_mhz'],
    ['admin_get_log', { limit: 'all' }, 'limit'],
    ['admin_set_split', { split: { up: 5 } }, 'split'],
  ])('answers %s with an ill-typed field as INVALID_REQUEST naming it, changing nothing', async (type, fields, field) => {
    const operator = await fx.operator();
    const before = await fullState(operator);
    const reply = await operator.adminRaw(type, fields);
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(await fullState(operator)).toEqual(before);
    expect(dataOf(await operator.admin('admin_get_status'))).toMatchObject({ system_active: true });
  });
});

describe('frame size', () => {
  const fx = useBusyServer();

  function closeCode(client: TestClient): Promise<number> {
    return new Promise((resolve) => client.ws.once('close', (code: number) => resolve(code)));
  }

  it('closes a connection that sends a 1 MiB frame with code 1009 and keeps serving the others', async () => {
    const operator = await fx.operator();
    const before = await fullState(operator);
    const victim = await fx.connect();
    const closed = closeCode(victim);
    victim.ws.send(JSON.stringify({ type: 'register_callsign', callsign: 'W'.repeat(1024 * 1024) }));
    expect(await closed).toBe(1009);
    expect(await fullState(operator)).toEqual(before);
    const newcomer = await fx.connect();
    expect(await newcomer.request('ping')).toMatchObject({ type: 'pong' });
  });

  it('processes a frame just under 64 KiB normally', async () => {
    const operator = await fx.operator();
    const padding = 'W'.repeat(MAX_PAYLOAD_BYTES - 100);
    const reply = await operator.request('register_callsign', { callsign: padding });
    expectError(reply, 'INVALID_CALLSIGN');
    expect(await operator.request('ping')).toMatchObject({ type: 'pong' });
  });
});

describe('error codes', () => {
  const { fx, clock } = useClockedServer();

  // Keyed by ErrorCode: a code added to the protocol fails to compile here until it has a scenario.
  const scenarios: Record<ErrorCode, () => Promise<Json>> = {
    async AUTHENTICATION_REQUIRED() {
      return (await fx.connect()).request('admin_clear_queue');
    },
    async AUTHENTICATION_FAILED() {
      return (await fx.connect()).request('auth_request', { ...ADMIN, password: 'wrong' });
    },
    async SESSION_EXPIRED() {
      const operator = await fx.operator();
      clock.advance(DAY_MS + 1);
      return operator.adminRaw('admin_clear_queue');
    },
    async INVALID_REQUEST() {
      return (await fx.connect()).raw('{not json');
    },
    async INVALID_CALLSIGN() {
      return (await fx.activeOperator()).request('register_callsign', { callsign: 'ABCDEF' });
    },
    async SYSTEM_INACTIVE() {
      return (await fx.connect()).request('register_callsign', { callsign: 'EA1ABC' });
    },
    async QUEUE_FULL() {
      const operator = await fx.activeOperator();
      await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC', 'W1AW');
      return operator.request('register_callsign', { callsign: 'JA1XYZ' });
    },
    async QUEUE_EMPTY() {
      return (await fx.activeOperator()).adminRaw('admin_work_next');
    },
    async ALREADY_IN_QUEUE() {
      const operator = await fx.activeOperator();
      await register(operator, 'EA1ABC');
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
    async SYSTEM_ERROR() {
      const operator = await fx.activeOperator();
      vi.spyOn(fx.server.store, 'commit').mockRejectedValueOnce(new Error('simulated store failure'));
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
    async STORAGE_FAILED() {
      const operator = await fx.activeOperator();
      vi.spyOn(fx.server.store, 'commit').mockRejectedValueOnce(new StorageFailure('ENOSPC', 'state.db', 'Could not save to state.db: no space left on the disk; nothing was changed'));
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
    async REGISTRATION_PAUSED() {
      const operator = await fx.activeOperator();
      await operator.admin('admin_pause_registration');
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
    async CALLSIGN_BANNED() {
      const operator = await fx.activeOperator();
      await operator.admin('admin_ban_callsign', { callsign: 'EA1ABC' });
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
    async RATE_LIMITED() {
      const operator = await fx.activeOperator();
      await operator.admin('admin_set_registration_rules', { rate_limit_count: 1, rate_limit_exempt_loopback: false });
      await register(operator, 'EA1ABC');
      return operator.request('register_callsign', { callsign: 'DL1ABC' });
    },
    async WORKED_RECENTLY() {
      const operator = await fx.activeOperator();
      await operator.admin('admin_set_registration_rules', { worked_recently_minutes: 30 });
      await operator.admin('admin_send_qso', { callsign: 'EA1ABC' });
      await operator.admin('admin_complete_qso');
      return operator.request('register_callsign', { callsign: 'EA1ABC' });
    },
  };

  it("defines the guide's ten codes plus the four abuse-control codes and STORAGE_FAILED, nothing else", () => {
    expect(Object.values(ErrorCode).sort()).toEqual(Object.keys(scenarios).sort());
    expect(Object.keys(scenarios)).toHaveLength(15);
  });

  it.each(Object.values(ErrorCode))('produces %s with the error envelope', async (code) => {
    const reply = await scenarios[code]();
    expectError(reply, code);
    expect(Object.keys(reply)).toEqual(expect.arrayContaining(['type', 'request_id', 'error_code', 'message']));
  });
});

describe('SYSTEM_ERROR', () => {
  // A store write rejected once stands for any unexpected failure.
  let unexpected: unknown[];
  const fx = useServer(() => {
    unexpected = [];
    return { onUnexpected: (error: unknown) => unexpected.push(error) };
  });

  it('answers a failed state write with SYSTEM_ERROR, reports it, and changes nothing', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    const observer = await fx.connect();
    const from = await settle(observer);
    const before = await queueStatus(operator);
    vi.spyOn(fx.server.store, 'commit').mockRejectedValueOnce(DISK_FULL);

    const reply = await operator.request('register_callsign', { callsign: 'EA1ABC' });
    expectError(reply, 'SYSTEM_ERROR');
    expect(unexpected).toEqual([DISK_FULL]);
    expect(await queueStatus(operator)).toEqual(before);
    expect(await broadcastsSince(observer, from)).toEqual([]);
  });

  it('keeps the connection usable: the same request succeeds when retried', async () => {
    const operator = await fx.activeOperator();
    vi.spyOn(fx.server.store, 'commit').mockRejectedValueOnce(DISK_FULL);
    expectError(await operator.request('register_callsign', { callsign: 'EA1ABC' }), 'SYSTEM_ERROR');
    expect(dataOf(await operator.request('register_callsign', { callsign: 'EA1ABC' }))).toMatchObject({
      callsign: 'EA1ABC',
      position: 1,
    });
  });

  it('takes a written log entry back out when the state write after it fails', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    await operator.admin('admin_work_next');
    const logBytes = (await stat(path.join(fx.server.dataDir, 'log.db'))).size;
    // The log's line is appended and synced; then state.db refuses its write.
    vi.spyOn(DocumentFile.prototype, 'write').mockRejectedValueOnce(DISK_FULL);
    expectError(await operator.adminRaw('admin_send_qso', { callsign: 'EA1ABC' }), 'SYSTEM_ERROR');
    expect((await queueStatus(operator)).current_qso).toMatchObject({ callsign: 'DL1ABC' });
    expect(await logEntries(operator)).toEqual([]);
    // Cut back off the end of log.db: nothing of the refused QSO is left to load at the next start.
    expect((await stat(path.join(fx.server.dataDir, 'log.db'))).size).toBe(logBytes);
  });

  it('keeps a current QSO current and unlogged when writing its log entry fails', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    await operator.admin('admin_work_next');
    vi.spyOn(fx.server.store.log, 'write').mockRejectedValueOnce(DISK_FULL);
    expectError(await operator.adminRaw('admin_complete_qso'), 'SYSTEM_ERROR');
    expect((await queueStatus(operator)).current_qso).toMatchObject({ callsign: 'DL1ABC' });
    expect(await logEntries(operator)).toEqual([]);
    expect(dataOf(await operator.admin('admin_complete_qso'))).toMatchObject({ completed_callsign: 'DL1ABC' });
    expect(await logEntries(operator)).toMatchObject([{ callsign: 'DL1ABC' }]);
  });

  it('answers a login whose session cannot be stored with SYSTEM_ERROR, and the next login works', async () => {
    const client = await fx.connect();
    vi.spyOn(fx.server.store, 'putSession').mockRejectedValueOnce(DISK_FULL);
    expectError(await client.request('auth_request', ADMIN), 'SYSTEM_ERROR');
    expect(await client.request('auth_request', ADMIN)).toMatchObject({ type: 'auth_response' });
  });
});
