/** The public operations (no session_token), one describe per message type. */
import { describe, expect, it } from 'vitest';
import { ADMIN, type TestClient } from '../support/harness.js';
import {
  dataOf,
  DAY_MS,
  expectError,
  type Json,
  queueCalls,
  queueStatus,
  register,
  useClockedServer,
} from '../support/fixture.js';

const { fx, clock } = useClockedServer();

const CLIENTS = 50;

async function connectMany(count: number): Promise<TestClient[]> {
  return Promise.all(Array.from({ length: count }, () => fx.connect()));
}

/** How many replies ended each way: `success`, or by error code. */
function outcomes(replies: Json[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reply of replies) {
    const key = reply.type === 'error' ? String(reply.error_code) : String(reply.type);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('register_callsign', () => {
  it("registers a callsign and answers with the guide's fields", async () => {
    await fx.activeOperator();
    const caller = await fx.connect();
    const reply = await caller.request('register_callsign', { callsign: ' ea1abc ' });
    expect(reply).toMatchObject({
      type: 'success',
      request_id: 'req_1',
      message: 'Callsign registered successfully',
      data: { callsign: 'EA1ABC', position: 1, total_queue: 1 },
    });
  });

  it('needs no session token', async () => {
    await fx.activeOperator();
    const caller = await fx.connect();
    expect(caller.token).toBeUndefined();
    expect(dataOf(await caller.request('register_callsign', { callsign: 'EA1ABC' }))).toMatchObject({
      callsign: 'EA1ABC',
    });
  });

  it('gives 1-based positions in arrival order, with total_queue', async () => {
    await fx.activeOperator();
    const caller = await fx.connect();
    const calls = ['EA1ABC', 'DL1ABC', 'G0ABC'];
    for (const [index, callsign] of calls.entries()) {
      expect(dataOf(await caller.request('register_callsign', { callsign }))).toMatchObject({
        callsign,
        position: index + 1,
        total_queue: index + 1,
      });
    }
    expect((await queueStatus(caller)).queue).toMatchObject(calls.map((callsign, i) => ({ callsign, position: i + 1 })));
  });

  it('rejects a duplicate with ALREADY_IN_QUEUE', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    expectError(await operator.request('register_callsign', { callsign: 'ea1abc' }), 'ALREADY_IN_QUEUE');
    expect(await queueCalls(operator)).toEqual(['EA1ABC']);
  });

  it('rejects the station being worked right now (the current QSO) with ALREADY_IN_QUEUE', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_next');
    expectError(await operator.request('register_callsign', { callsign: 'EA1ABC' }), 'ALREADY_IN_QUEUE');
    expect((await queueStatus(operator)).queue_size).toBe(0);
  });

  it('accepts a station again once its QSO is completed', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_next');
    await operator.admin('admin_complete_qso');
    expect(dataOf(await operator.request('register_callsign', { callsign: 'EA1ABC' }))).toMatchObject({ position: 1 });
  });

  it('rejects a registration into a full queue with QUEUE_FULL and details.current_size/max_size', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    const reply = await operator.request('register_callsign', { callsign: 'JA1XYZ' });
    expectError(reply, 'QUEUE_FULL');
    expect(reply.details).toMatchObject({ current_size: 4, max_size: 4 });
    expect(await queueCalls(operator)).toEqual(['EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW']);
  });

  it('has a default capacity of 4', async () => {
    const caller = await fx.connect();
    expect(await queueStatus(caller)).toMatchObject({ max_queue_size: 4 });
  });

  it('starts a fresh install with the system inactive, refusing registrations with SYSTEM_INACTIVE', async () => {
    const caller = await fx.connect();
    expect(await queueStatus(caller)).toMatchObject({ system_active: false, queue_size: 0, registration_enabled: false });
    expectError(await caller.request('register_callsign', { callsign: 'EA1ABC' }), 'SYSTEM_INACTIVE');
    expect((await queueStatus(caller)).queue_size).toBe(0);
  });
});

describe('register_callsign estimated_wait_s', () => {
  it('is left out while there is no recent QSO rate to estimate from', async () => {
    const operator = await fx.activeOperator();
    expect(dataOf(await operator.request('register_callsign', { callsign: 'EA1ABC' }))).not.toHaveProperty(
      'estimated_wait_s',
    );
  });

  it('is given, growing with the position, once QSOs have been completed recently', async () => {
    const operator = await fx.activeOperator();
    for (const callsign of ['DL1ABC', 'G0ABC', 'W1AW']) {
      await operator.admin('admin_start_qso', { callsign });
      clock.advance(120_000);
    }
    await operator.admin('admin_complete_qso');
    const first = dataOf(await operator.request('register_callsign', { callsign: 'EA1ABC' })).estimated_wait_s;
    const second = dataOf(await operator.request('register_callsign', { callsign: 'JA1XYZ' })).estimated_wait_s;
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first as number);
  });
});

describe('register_callsign order of checks', () => {
  it('a missing callsign is INVALID_REQUEST even while the system is inactive', async () => {
    const caller = await fx.connect();
    expectError(await caller.request('register_callsign'), 'INVALID_REQUEST');
  });

  it('a non-string callsign is INVALID_REQUEST even while the system is inactive', async () => {
    const caller = await fx.connect();
    expectError(await caller.request('register_callsign', { callsign: 123 }), 'INVALID_REQUEST');
  });

  it('an inactive system is SYSTEM_INACTIVE even for an invalid callsign', async () => {
    const caller = await fx.connect();
    expectError(await caller.request('register_callsign', { callsign: 'NOT A CALL' }), 'SYSTEM_INACTIVE');
  });

  it('an invalid callsign is INVALID_CALLSIGN even when the queue is full', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    const reply = await operator.request('register_callsign', { callsign: 'KC1@BC' });
    expectError(reply, 'INVALID_CALLSIGN');
    expect(reply.details).toMatchObject({ provided_callsign: 'KC1@BC' });
  });

  it('a waiting station is ALREADY_IN_QUEUE even when the queue is full', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    expectError(await operator.request('register_callsign', { callsign: 'G0ABC' }), 'ALREADY_IN_QUEUE');
  });

  it('the current QSO is ALREADY_IN_QUEUE even when the queue is full', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    await operator.admin('admin_work_next');
    await register(operator, 'JA1XYZ');
    expectError(await operator.request('register_callsign', { callsign: 'EA1ABC' }), 'ALREADY_IN_QUEUE');
  });
});

describe('queue capacity', () => {
  it('takes its capacity from MAX_QUEUE_SIZE', async () => {
    await fx.restart({ env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, MAX_QUEUE_SIZE: '2' } });
    const operator = await fx.activeOperator();
    expect(await queueStatus(operator)).toMatchObject({ max_queue_size: 2 });
    await register(operator, 'EA1ABC', 'DL1ABC');
    const reply = await operator.request('register_callsign', { callsign: 'G0ABC' });
    expectError(reply, 'QUEUE_FULL');
    expect(reply.details).toMatchObject({ current_size: 2, max_size: 2 });
  });
});

describe('get_queue_status', () => {
  it("answers the guide's fields on a fresh install", async () => {
    const client = await fx.connect();
    expect(await client.request('get_queue_status')).toMatchObject({
      type: 'success',
      request_id: 'req_1',
      message: expect.any(String),
      data: {
        system_active: false,
        queue_size: 0,
        max_queue_size: 4,
        current_qso: null,
        queue: [],
        registration_enabled: false,
        frequency: null,
      },
    });
  });

  it('lists the queue with 1-based positions and registration timestamps', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    clock.advance(1000);
    await register(operator, 'DL1ABC');
    const caller = await fx.connect();
    expect(await queueStatus(caller)).toMatchObject({
      system_active: true,
      queue_size: 2,
      registration_enabled: true,
      queue: [
        { callsign: 'EA1ABC', position: 1, timestamp: '2025-07-23T10:00:00.000Z' },
        { callsign: 'DL1ABC', position: 2, timestamp: '2025-07-23T10:00:01.000Z' },
      ],
    });
  });

  it('shows the current QSO with its callsign and timestamp', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    clock.advance(5000);
    await operator.admin('admin_work_next');
    expect((await queueStatus(operator)).current_qso).toMatchObject({
      callsign: 'EA1ABC',
      timestamp: '2025-07-23T10:00:05.000Z',
      source: 'queue',
    });
  });

  it('reports registration_enabled false when the queue is full', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    expect(await queueStatus(operator)).toMatchObject({ queue_size: 4, registration_enabled: false });
  });

  it('reports the frequency set by the operator', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_frequency', { frequency: '14.205' });
    expect((await queueStatus(operator)).frequency).toBe('14.205');
  });
});

describe('get_current_qso', () => {
  it('answers current_qso null when nobody is being worked', async () => {
    const client = await fx.connect();
    expect(dataOf(await client.request('get_current_qso'))).toEqual({ current_qso: null });
  });

  it('answers the current QSO with callsign, timestamp, source, frequency and mode', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_start_qso', { callsign: 'EA1ABC', frequency_mhz: '14.205', mode: 'usb' });
    const caller = await fx.connect();
    expect(dataOf(await caller.request('get_current_qso')).current_qso).toMatchObject({
      callsign: 'EA1ABC',
      timestamp: '2025-07-23T10:00:00.000Z',
      source: 'direct',
      frequency: '14.205',
      mode: 'USB',
    });
  });
});

describe('ping', () => {
  it('answers pong with timestamp and server_time, and no session_valid without a token', async () => {
    const client = await fx.connect();
    const reply = await client.request('ping');
    expect(reply).toEqual({
      type: 'pong',
      request_id: 'req_1',
      timestamp: '2025-07-23T10:00:00.000Z',
      server_time: '2025-07-23T10:00:00.000Z',
    });
  });

  it('reports session_valid true for a valid token', async () => {
    const operator = await fx.operator();
    expect(await operator.admin('ping')).toMatchObject({ type: 'pong', session_valid: true });
  });

  it('reports session_valid false for an unknown or expired token instead of failing', async () => {
    const operator = await fx.operator();
    expect(await operator.request('ping', { session_token: 'nope' })).toMatchObject({
      type: 'pong',
      session_valid: false,
    });
    clock.advance(DAY_MS);
    expect(await operator.admin('ping')).toMatchObject({ type: 'pong', session_valid: false });
  });
});

describe('concurrent registrations', () => {
  it(`lets one of ${CLIENTS} simultaneous registrations of one call succeed; the rest get ALREADY_IN_QUEUE`, async () => {
    const operator = await fx.activeOperator();
    const callers = await connectMany(CLIENTS);
    const replies = await Promise.all(callers.map((c) => c.request('register_callsign', { callsign: 'EA1ABC' })));
    expect(outcomes(replies)).toEqual({ success: 1, ALREADY_IN_QUEUE: CLIENTS - 1 });
    expect(await queueStatus(operator)).toMatchObject({ queue_size: 1, queue: [{ callsign: 'EA1ABC', position: 1 }] });
  });

  it(`lets exactly 4 of ${CLIENTS} simultaneous distinct calls into 4 free slots; the rest get QUEUE_FULL`, async () => {
    const operator = await fx.activeOperator();
    const callers = await connectMany(CLIENTS);
    const replies = await Promise.all(
      callers.map((c, index) => c.request('register_callsign', { callsign: `EA${index + 1}ABC` })),
    );
    expect(outcomes(replies)).toEqual({ success: 4, QUEUE_FULL: CLIENTS - 4 });
    const winners = replies.filter((r) => r.type === 'success').map((r) => (r.data as Json).callsign);
    const status = await queueStatus(operator);
    expect(status.queue_size).toBe(4);
    expect((status.queue as Json[]).map((entry) => entry.callsign).sort()).toEqual([...winners].sort());
    // Each winner was told its true place in the queue.
    const positions = replies.filter((r) => r.type === 'success').map((r) => (r.data as Json).position);
    expect([...positions].sort()).toEqual([1, 2, 3, 4]);
  });

  it('broadcasts one queue_update per successful registration, to every client', async () => {
    const operator = await fx.activeOperator();
    const callers = await connectMany(10);
    await Promise.all(callers.map((c, index) => c.request('register_callsign', { callsign: `DL${index + 1}ABC` })));
    const lastUpdate = (client: TestClient) =>
      client.next((m) => m.type === 'queue_update' && m.data.total === 4);
    await Promise.all([operator, ...callers].map(lastUpdate));
    for (const client of [operator, ...callers]) {
      expect(client.broadcasts('queue_update').map((m) => (m.data as Json).total)).toEqual([1, 2, 3, 4]);
    }
  });
});
