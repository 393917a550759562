/** The operator's commands (session_token required), one describe per message type. */
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/harness.js';
import {
  broadcastsDuring,
  dataOf,
  expectError,
  logEntries,
  queueCalls,
  queueStatus,
  register,
  useClockedServer,
} from '../support/fixture.js';

const { fx, clock } = useClockedServer();

/** Moves time on between commands so log entries have distinct end times. */
async function later<T>(action: () => Promise<T>): Promise<T> {
  clock.advance(1000);
  return action();
}

async function currentQso(client: TestClient): Promise<unknown> {
  return dataOf(await client.request('get_current_qso')).current_qso;
}

describe('admin_send_qso', () => {
  const GUIDE_QSO = {
    callsign: 'EA1ABC',
    frequency: '14.205',
    mode: 'USB',
    rst_sent: '59',
    rst_received: '59',
    timestamp: '2025-07-23T10:30:00Z',
  };

  it("answers the guide's fields", async () => {
    const operator = await fx.activeOperator();
    expect(await operator.admin('admin_send_qso', GUIDE_QSO)).toMatchObject({
      type: 'success',
      message: 'QSO processed successfully',
      data: { callsign: 'EA1ABC', processed_as: 'external_qso', current_qso_set: true, removed_from_queue: false },
    });
  });

  it('makes the sent QSO the current QSO, with its details', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', GUIDE_QSO);
    expect(await currentQso(operator)).toMatchObject({
      callsign: 'EA1ABC',
      source: 'logging_software',
      frequency: '14.205',
      mode: 'USB',
      rst_sent: '59',
      rst_received: '59',
    });
  });

  it('logs the QSO once, ending at the sent timestamp, and not again when it is completed', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', GUIDE_QSO);
    const expected = {
      callsign: 'EA1ABC',
      ended_at: '2025-07-23T10:30:00.000Z',
      frequency: '14.205',
      mode: 'USB',
      rst_sent: '59',
      rst_received: '59',
    };
    expect(await logEntries(operator)).toMatchObject([expected]);
    await later(() => operator.admin('admin_complete_qso'));
    expect(await logEntries(operator)).toMatchObject([expected]);
  });

  it('completes (and logs) a different current QSO first', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    await operator.admin('admin_work_next');
    await later(() => operator.admin('admin_send_qso', { callsign: 'EA1ABC' }));
    expect(await currentQso(operator)).toMatchObject({ callsign: 'EA1ABC' });
    const calls = (await logEntries(operator)).map((entry) => entry.callsign).sort();
    expect(calls).toEqual(['DL1ABC', 'EA1ABC']);
  });

  it('logs a station that is the current QSO once, keeping its start time', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_next');
    await later(() => operator.admin('admin_send_qso', { callsign: 'EA1ABC', mode: 'CW' }));
    await later(() => operator.admin('admin_complete_qso'));
    expect(await logEntries(operator)).toMatchObject([
      { callsign: 'EA1ABC', started_at: '2025-07-23T10:00:00.000Z', ended_at: '2025-07-23T10:00:01.000Z', mode: 'CW' },
    ]);
  });

  it('logs two QSOs sent in a row for the same station as two entries', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '14.205' });
    await later(() => operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '7.100' }));
    expect(await logEntries(operator)).toMatchObject([
      { callsign: 'EA1ABC', frequency: '7.100' },
      { callsign: 'EA1ABC', frequency: '14.205' },
    ]);
  });

  it('takes a waiting station out of the queue (removed_from_queue, queue_update user_worked)', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    const observer = await fx.connect();
    const update = observer.nextBroadcast('queue_update');
    const reply = await operator.admin('admin_send_qso', { callsign: 'ea1abc' });
    expect(dataOf(reply)).toMatchObject({ callsign: 'EA1ABC', removed_from_queue: true });
    expect(await update).toMatchObject({
      data: { change_type: 'user_worked', affected_callsign: 'EA1ABC', total: 2 },
    });
    expect(await queueCalls(operator)).toEqual(['DL1ABC', 'G0ABC']);
  });

  it.each([
    ['frequency', { frequency: 'fourteen' }],
    ['timestamp', { timestamp: 'yesterday' }],
    ['rst_sent', { rst_sent: { value: 59 } }],
    ['mode', { mode: 5 }],
  ])('rejects an ill-typed %s with INVALID_REQUEST and changes nothing', async (_field, fields) => {
    const operator = await fx.activeOperator();
    expectError(await operator.adminRaw('admin_send_qso', { callsign: 'EA1ABC', ...fields }), 'INVALID_REQUEST');
    expect(await currentQso(operator)).toBeNull();
    expect(await logEntries(operator)).toEqual([]);
  });
});

describe('admin_work_next', () => {
  it('pops the queue head into the current QSO and answers callsign and remaining_queue', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    expect(await operator.admin('admin_work_next')).toMatchObject({
      type: 'success',
      message: 'Next user activated for QSO',
      data: { callsign: 'DL1ABC', remaining_queue: 1 },
    });
    expect(await currentQso(operator)).toMatchObject({ callsign: 'DL1ABC', source: 'queue' });
    expect(await queueStatus(operator)).toMatchObject({ queue: [{ callsign: 'EA1ABC', position: 1 }] });
  });

  it('completes and logs the current QSO first', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    await later(() => operator.admin('admin_work_next'));
    expect(await logEntries(operator)).toMatchObject([
      { callsign: 'DL1ABC', source: 'queue', started_at: '2025-07-23T10:00:00.000Z', ended_at: '2025-07-23T10:00:01.000Z' },
    ]);
    expect(await currentQso(operator)).toMatchObject({ callsign: 'EA1ABC' });
  });

  it('answers QUEUE_EMPTY on an empty queue and keeps the current QSO (unlogged)', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    await operator.admin('admin_work_next');
    expectError(await operator.adminRaw('admin_work_next'), 'QUEUE_EMPTY');
    expect(await currentQso(operator)).toMatchObject({ callsign: 'DL1ABC' });
    expect(await logEntries(operator)).toEqual([]);
  });
});

describe('admin_complete_qso', () => {
  it('logs and clears the current QSO, leaving the queue alone', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    expect(await later(() => operator.admin('admin_complete_qso'))).toMatchObject({
      type: 'success',
      message: 'Current QSO completed successfully',
      data: { completed_callsign: 'DL1ABC', current_qso_cleared: true },
    });
    expect(await currentQso(operator)).toBeNull();
    expect(await queueCalls(operator)).toEqual(['EA1ABC']);
    expect(await logEntries(operator)).toMatchObject([{ callsign: 'DL1ABC', ended_at: '2025-07-23T10:00:01.000Z' }]);
  });

  it('succeeds with completed_callsign null and current_qso_cleared false when there is no QSO', async () => {
    const operator = await fx.activeOperator();
    expect(dataOf(await operator.admin('admin_complete_qso'))).toEqual({
      completed_callsign: null,
      current_qso_cleared: false,
    });
    expect(await logEntries(operator)).toEqual([]);
  });
});

describe('admin_start_qso', () => {
  it('sets the current QSO (source direct) and answers data.current_qso like get_current_qso', async () => {
    const operator = await fx.operator();
    const reply = await operator.admin('admin_start_qso', { callsign: 'ea1abc', mode: 'ssb' });
    const data = dataOf(reply);
    expect(data.current_qso).toMatchObject({ callsign: 'EA1ABC', source: 'direct', mode: 'SSB' });
    expect(data.current_qso).toEqual(await currentQso(operator));
  });

  it.each(['logging_software', 'direct', 'queue', 'n1mm'])('keeps frequency_mhz with source %s', async (source) => {
    const operator = await fx.operator();
    const reply = await operator.admin('admin_start_qso', { callsign: 'EA1ABC', frequency_mhz: 14.205, source });
    expect(dataOf(reply).current_qso).toMatchObject({ callsign: 'EA1ABC', source, frequency: '14.205' });
    expect(await currentQso(operator)).toMatchObject({ frequency: '14.205' });
  });

  it('leaves the queue untouched', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'G0ABC');
    await operator.admin('admin_start_qso', { callsign: 'EA1ABC' });
    expect(await queueCalls(operator)).toEqual(['DL1ABC', 'G0ABC']);
  });

  it('completes (and logs) a different current QSO first', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_start_qso', { callsign: 'DL1ABC' });
    await later(() => operator.admin('admin_start_qso', { callsign: 'EA1ABC' }));
    expect(await logEntries(operator)).toMatchObject([{ callsign: 'DL1ABC', source: 'direct' }]);
    expect(await currentQso(operator)).toMatchObject({ callsign: 'EA1ABC' });
  });
});

describe('admin_work_specific', () => {
  it('takes that station out of the queue into the current QSO (source queue_specific)', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    const data = dataOf(await operator.admin('admin_work_specific', { callsign: 'ea1abc' }));
    expect(data).toMatchObject({ already_current: false, current_qso: { callsign: 'EA1ABC', source: 'queue_specific' } });
    expect(data.current_qso).toEqual(await currentQso(operator));
    expect(await queueStatus(operator)).toMatchObject({
      queue: [
        { callsign: 'DL1ABC', position: 1 },
        { callsign: 'G0ABC', position: 2 },
      ],
    });
  });

  it('answers "Already working X" with already_current true when X is the current QSO', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_specific', { callsign: 'EA1ABC' });
    const before = await currentQso(operator);
    expect(await operator.admin('admin_work_specific', { callsign: 'EA1ABC' })).toMatchObject({
      type: 'success',
      message: 'Already working EA1ABC',
      data: { already_current: true, current_qso: before },
    });
    expect(await currentQso(operator)).toEqual(before);
    expect(await logEntries(operator)).toEqual([]);
  });

  it('answers INVALID_REQUEST for a station that is not in the queue', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    const reply = await operator.adminRaw('admin_work_specific', { callsign: 'EA1ABC' });
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toMatchObject({ provided_callsign: 'EA1ABC' });
    expect(await currentQso(operator)).toBeNull();
  });

  it('completes (and logs) a different current QSO first', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    await later(() => operator.admin('admin_work_specific', { callsign: 'EA1ABC' }));
    expect(await logEntries(operator)).toMatchObject([{ callsign: 'DL1ABC' }]);
  });
});

describe('admin_cancel_qso', () => {
  it('clears the current QSO without logging it', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    await operator.admin('admin_work_next');
    expect(dataOf(await operator.admin('admin_cancel_qso'))).toMatchObject({
      cancelled_callsign: 'DL1ABC',
      current_qso_cleared: true,
    });
    expect(await currentQso(operator)).toBeNull();
    expect(dataOf(await operator.admin('admin_get_log'))).toMatchObject({ total: 0, entries: [] });
  });

  it('succeeds with nothing to cancel', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_cancel_qso'))).toMatchObject({
      cancelled_callsign: null,
      current_qso_cleared: false,
    });
  });
});

describe('admin_toggle_system', () => {
  it('activates an inactive system without an explicit state', async () => {
    const operator = await fx.operator();
    expect(await operator.admin('admin_toggle_system')).toMatchObject({
      type: 'success',
      message: 'System activated successfully',
      data: { system_active: true, previous_state: false },
    });
    expect((await queueStatus(operator)).system_active).toBe(true);
  });

  it('deactivates an active system with queue_cleared true', async () => {
    const operator = await fx.activeOperator();
    expect(await operator.admin('admin_toggle_system')).toMatchObject({
      type: 'success',
      message: 'System deactivated successfully',
      data: { system_active: false, previous_state: true, queue_cleared: true },
    });
    expect((await queueStatus(operator)).system_active).toBe(false);
  });

  it('on deactivation completes (logs) the current QSO and empties the queue', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    await operator.admin('admin_work_next');
    expect(dataOf(await operator.admin('admin_toggle_system', { active: false }))).toMatchObject({
      system_active: false,
      queue_cleared: true,
      cleared_count: 2,
    });
    expect(await queueStatus(operator)).toMatchObject({ queue_size: 0, queue: [], current_qso: null });
    expect(await logEntries(operator)).toMatchObject([{ callsign: 'DL1ABC' }]);
  });

  it('sets an explicit active state', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_toggle_system', { active: true }))).toMatchObject({
      system_active: true,
      previous_state: false,
    });
  });

  it('with active given is idempotent: already active → previous_state true, nothing cleared, no broadcast', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    const before = await queueStatus(operator);
    const broadcasts = await broadcastsDuring(operator, async () => {
      const reply = await operator.admin('admin_toggle_system', { active: true });
      const data = dataOf(reply);
      expect(data).toMatchObject({ system_active: true, previous_state: true });
      expect(data).not.toHaveProperty('queue_cleared');
      return reply;
    });
    expect(broadcasts).toEqual([]);
    expect(await queueStatus(operator)).toEqual(before);
  });

  it('with active given is idempotent: already inactive → success, previous_state false, no broadcast', async () => {
    const operator = await fx.operator();
    const broadcasts = await broadcastsDuring(operator, async () => {
      const reply = await operator.admin('admin_toggle_system', { active: false });
      expect(dataOf(reply)).toMatchObject({ system_active: false, previous_state: false });
      return reply;
    });
    expect(broadcasts).toEqual([]);
  });

  it('rejects a non-boolean active with INVALID_REQUEST', async () => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_toggle_system', { active: 'yes' }), 'INVALID_REQUEST');
    expect((await queueStatus(operator)).system_active).toBe(false);
  });
});

describe('admin_clear_queue', () => {
  it('empties the queue and answers cleared_count and queue_size 0', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    expect(await operator.admin('admin_clear_queue')).toMatchObject({
      type: 'success',
      message: 'Queue cleared successfully',
      data: { cleared_count: 3, queue_size: 0 },
    });
    expect((await queueStatus(operator)).queue).toEqual([]);
  });

  it('leaves the current QSO alone', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    await operator.admin('admin_clear_queue');
    expect((await queueStatus(operator)).current_qso).toMatchObject({ callsign: 'DL1ABC' });
  });
});

describe('admin_remove_callsign', () => {
  it('removes a waiting station and renumbers the rest', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    expect(dataOf(await operator.admin('admin_remove_callsign', { callsign: 'ea1abc' }))).toMatchObject({
      callsign: 'EA1ABC',
      removed: true,
      queue_size: 2,
    });
    expect((await queueStatus(operator)).queue).toMatchObject([
      { callsign: 'DL1ABC', position: 1 },
      { callsign: 'G0ABC', position: 2 },
    ]);
  });

  it('answers INVALID_REQUEST for a station not in the queue', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC');
    expectError(await operator.adminRaw('admin_remove_callsign', { callsign: 'EA1ABC' }), 'INVALID_REQUEST');
    expect(await queueCalls(operator)).toEqual(['DL1ABC']);
  });
});

describe('admin_get_status and admin_get_queue', () => {
  it.each(['admin_get_status', 'admin_get_queue'])('%s answers the full state, as get_queue_status does', async (type) => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    await operator.admin('admin_set_frequency', { frequency: '14.205' });
    const full = dataOf(await operator.admin(type));
    expect(full).toMatchObject(await queueStatus(operator));
    expect(full).toMatchObject({
      system_active: true,
      queue_size: 1,
      max_queue_size: 4,
      current_qso: { callsign: 'DL1ABC' },
      queue: [{ callsign: 'EA1ABC', position: 1 }],
      frequency: '14.205',
    });
  });
});

describe('admin_set_frequency and admin_clear_frequency', () => {
  it.each([
    ['frequency', { frequency: '14.205' }],
    ['frequency_mhz', { frequency_mhz: '14.205' }],
    ['a numeric frequency_mhz', { frequency_mhz: 14.205 }],
  ])('sets the frequency from %s', async (_case, fields) => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_set_frequency', fields))).toMatchObject({ frequency: '14.205' });
    expect((await queueStatus(operator)).frequency).toBe('14.205');
  });

  it('rejects a request with neither frequency nor frequency_mhz as INVALID_REQUEST', async () => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_set_frequency', {}), 'INVALID_REQUEST');
  });

  it('rejects a frequency that is not a number of MHz as INVALID_REQUEST', async () => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_set_frequency', { frequency: '20m' }), 'INVALID_REQUEST');
    expect((await queueStatus(operator)).frequency).toBeNull();
  });

  it('clears the frequency', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_frequency', { frequency: '14.205' });
    expect(dataOf(await operator.admin('admin_clear_frequency'))).toMatchObject({ frequency: null });
    expect((await queueStatus(operator)).frequency).toBeNull();
  });
});

describe('admin_set_split and admin_clear_split', () => {
  it('sets and clears the split', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_set_split', { split: 'up 5' }))).toMatchObject({ split: 'up 5' });
    expect((await operator.admin('admin_get_status')).data).toMatchObject({ split: 'up 5' });
    expect(dataOf(await operator.admin('admin_clear_split'))).toMatchObject({ split: null });
    expect((await operator.admin('admin_get_status')).data).toMatchObject({ split: null });
  });

  it('rejects a missing split with INVALID_REQUEST', async () => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_set_split', {}), 'INVALID_REQUEST');
  });
});

describe('admin_set_max_queue_size', () => {
  it('changes the capacity that registration enforces', async () => {
    const operator = await fx.activeOperator();
    expect(dataOf(await operator.admin('admin_set_max_queue_size', { max_queue_size: 2 }))).toMatchObject({
      max_queue_size: 2,
    });
    await register(operator, 'DL1ABC', 'EA1ABC');
    const reply = await operator.request('register_callsign', { callsign: 'G0ABC' });
    expectError(reply, 'QUEUE_FULL');
    expect(reply.details).toMatchObject({ current_size: 2, max_size: 2 });
    expect((await queueStatus(operator)).max_queue_size).toBe(2);
  });

  it('lets stations already waiting beyond a lowered capacity keep their place', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC', 'G0ABC');
    await operator.admin('admin_set_max_queue_size', { max_queue_size: 1 });
    expect(await queueCalls(operator)).toEqual(['DL1ABC', 'EA1ABC', 'G0ABC']);
  });

  it('survives a restart', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_max_queue_size', { max_queue_size: 7 });
    await fx.restart();
    expect((await queueStatus(await fx.connect())).max_queue_size).toBe(7);
  });

  it.each([0, 1001, 2.5, '4'])('rejects %j with INVALID_REQUEST', async (value) => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_set_max_queue_size', { max_queue_size: value }), 'INVALID_REQUEST');
    expect((await queueStatus(operator)).max_queue_size).toBe(4);
  });
});

describe('admin_get_listen and admin_set_listen', () => {
  const active = () => ({ active_host: '127.0.0.1', active_port: fx.server.address.port });

  it('shows the address in use while nothing is stored', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_get_listen'))).toEqual({
      host: '127.0.0.1',
      port: fx.server.address.port,
      ...active(),
      applies_after_restart: true,
    });
  });

  it.each([
    ['0.0.0.0', 8001],
    ['::', 65535],
    ['localhost', 1],
    ['192.168.1.20', 8000],
    ['fe80::1', 8080],
  ])('stores %s port %d for the next start, without changing the address in use', async (host, port) => {
    const operator = await fx.operator();
    const expected = { host, port, ...active(), applies_after_restart: true };
    const reply = await operator.admin('admin_set_listen', { host, port });
    expect(reply).toMatchObject({ type: 'success', message: 'Listen address saved; it applies after a restart' });
    expect(dataOf(reply)).toEqual(expected);
    expect(dataOf(await operator.admin('admin_get_listen'))).toEqual(expected);
  });

  it('keeps the stored setting over a restart; --host/--port given at start win over it', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_listen', { host: '0.0.0.0', port: 8123 });
    // The fixture restarts with host 127.0.0.1 and port 0 given.
    await fx.restart();
    expect(dataOf(await (await fx.operator()).admin('admin_get_listen'))).toEqual({
      host: '0.0.0.0',
      port: 8123,
      ...active(),
      applies_after_restart: true,
    });
  });

  it.each([
    { host: '127.0.0.1', port: 0 },
    { host: '127.0.0.1', port: 65536 },
    { host: '127.0.0.1', port: 80.5 },
    { host: '127.0.0.1', port: '8000' },
    { host: '127.0.0.1' },
    { port: 8000 },
    { host: '', port: 8000 },
    { host: 'example.com', port: 8000 },
    { host: '999.1.1.1', port: 8000 },
    { host: '1'.repeat(256), port: 8000 },
    { host: 42, port: 8000 },
  ])('rejects %j with INVALID_REQUEST and stores nothing', async (fields) => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_set_listen', fields), 'INVALID_REQUEST');
    expect(dataOf(await operator.admin('admin_get_listen'))).toMatchObject({ host: '127.0.0.1', port: fx.server.address.port });
  });
});

describe('admin_get_log', () => {
  async function logThree(): Promise<TestClient> {
    const operator = await fx.operator();
    for (const callsign of ['DL1ABC', 'EA1ABC', 'G0ABC']) {
      clock.advance(60_000);
      await operator.admin('admin_start_qso', { callsign });
    }
    clock.advance(60_000);
    await operator.admin('admin_complete_qso');
    return operator;
  }

  it('answers an empty log on a fresh install', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_get_log'))).toEqual({ total: 0, offset: 0, entries: [] });
  });

  it('lists the log newest first, with total', async () => {
    const operator = await logThree();
    const data = dataOf(await operator.admin('admin_get_log'));
    expect(data).toMatchObject({ total: 3, offset: 0 });
    expect(data.entries).toMatchObject([
      { callsign: 'G0ABC', started_at: '2025-07-23T10:03:00.000Z', ended_at: '2025-07-23T10:04:00.000Z' },
      { callsign: 'EA1ABC', ended_at: '2025-07-23T10:03:00.000Z' },
      { callsign: 'DL1ABC', ended_at: '2025-07-23T10:02:00.000Z' },
    ]);
  });

  it('pages with offset and limit', async () => {
    const operator = await logThree();
    expect(dataOf(await operator.admin('admin_get_log', { offset: 0, limit: 2 }))).toMatchObject({
      total: 3,
      offset: 0,
      entries: [{ callsign: 'G0ABC' }, { callsign: 'EA1ABC' }],
    });
    expect(dataOf(await operator.admin('admin_get_log', { offset: 2, limit: 2 }))).toMatchObject({
      total: 3,
      offset: 2,
      entries: [{ callsign: 'DL1ABC' }],
    });
  });

  it.each([
    ['a negative offset', { offset: -1 }],
    ['a zero limit', { limit: 0 }],
    ['a string limit', { limit: '10' }],
  ])('rejects %s with INVALID_REQUEST', async (_case, fields) => {
    const operator = await fx.operator();
    expectError(await operator.adminRaw('admin_get_log', fields), 'INVALID_REQUEST');
  });
});

describe('admin_ping', () => {
  it('answers pong with session_valid true', async () => {
    const operator = await fx.operator();
    expect(await operator.admin('admin_ping')).toMatchObject({
      type: 'pong',
      request_id: expect.any(String),
      timestamp: expect.any(String),
      session_valid: true,
    });
  });
});
