/**
 * Broadcasts reach every connection — here always checked on an OTHER client than the one that
 * caused the change, which never logged in.
 */
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/harness.js';
import {
  broadcastsDuring,
  broadcastsSince,
  expectError,
  type Json,
  queueStatus,
  register,
  settle,
  useClockedServer,
} from '../support/fixture.js';

const { fx, clock } = useClockedServer();

const NOW = '2025-07-23T10:00:00.000Z';

/** Runs `action` and answers what `observer` was broadcast meanwhile. */
async function observe(observer: TestClient, action: () => Promise<unknown>): Promise<Json[]> {
  const from = await settle(observer);
  await action();
  return broadcastsSince(observer, from);
}

describe('queue_update', () => {
  it('is broadcast on registration with change_type registered, total, max_size, affected_callsign and queue', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC');
    const seen = await observe(observer, () => register(operator, 'EA1ABC'));
    expect(seen).toEqual([
      {
        type: 'queue_update',
        timestamp: NOW,
        data: {
          total: 2,
          max_size: 4,
          change_type: 'registered',
          affected_callsign: 'EA1ABC',
          queue: [
            { callsign: 'DL1ABC', position: 1, timestamp: NOW, country: 'Fed. Rep. of Germany', dxcc: 230, continent: 'EU', cq_zone: 14, lat: 51, lon: 10 },
            { callsign: 'EA1ABC', position: 2, timestamp: NOW, country: 'Spain', dxcc: 281, continent: 'EU', cq_zone: 14, lat: 40.32, lon: -3.43 },
          ],
        },
      },
    ]);
  });

  it('is broadcast with change_type user_worked when admin_work_next takes the head', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC', 'EA1ABC');
    const seen = await observe(observer, () => operator.admin('admin_work_next'));
    expect(seen.filter((m) => m.type === 'queue_update')).toMatchObject([
      {
        data: {
          total: 1,
          change_type: 'user_worked',
          affected_callsign: 'DL1ABC',
          queue: [{ callsign: 'EA1ABC', position: 1 }],
        },
      },
    ]);
  });

  it('is broadcast with change_type user_worked when admin_work_specific takes a station', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC', 'EA1ABC');
    const seen = await observe(observer, () => operator.admin('admin_work_specific', { callsign: 'EA1ABC' }));
    expect(seen.filter((m) => m.type === 'queue_update')).toMatchObject([
      { data: { total: 1, change_type: 'user_worked', affected_callsign: 'EA1ABC' } },
    ]);
  });

  it('is broadcast with change_type removed when admin_remove_callsign removes a station', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC', 'EA1ABC');
    const seen = await observe(observer, () => operator.admin('admin_remove_callsign', { callsign: 'DL1ABC' }));
    expect(seen).toMatchObject([
      {
        type: 'queue_update',
        data: { total: 1, change_type: 'removed', affected_callsign: 'DL1ABC', queue: [{ callsign: 'EA1ABC' }] },
      },
    ]);
  });

  it('is broadcast with change_type cleared and affected_callsign null on admin_clear_queue', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC', 'EA1ABC');
    const seen = await observe(observer, () => operator.admin('admin_clear_queue'));
    expect(seen).toMatchObject([
      { type: 'queue_update', data: { total: 0, max_size: 4, change_type: 'cleared', affected_callsign: null, queue: [] } },
    ]);
  });

  it('is broadcast with change_type system_deactivated when the system is switched off', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC');
    const seen = await observe(observer, () => operator.admin('admin_toggle_system'));
    expect(seen.filter((m) => m.type === 'queue_update')).toMatchObject([
      { data: { total: 0, change_type: 'system_deactivated', affected_callsign: null, queue: [] } },
    ]);
  });

  it('cuts queue to its first 100 entries while total stays the real count', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_max_queue_size', { max_queue_size: 200 });
    for (let n = 1; n <= 100; n++) await register(operator, `EA${n}ABC`);
    const observer = await fx.connect();
    const [update] = await observe(observer, () => register(operator, 'DL1ABC'));
    const data = update?.data as { total: number; queue: unknown[] };
    expect(data.total).toBe(101);
    expect(data.queue).toHaveLength(100);
  });

  it('is not broadcast for a refused registration', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC');
    const seen = await observe(observer, async () => {
      expectError(await operator.request('register_callsign', { callsign: 'DL1ABC' }), 'ALREADY_IN_QUEUE');
    });
    expect(seen).toEqual([]);
  });

  it('arrives once the change is visible to get_queue_status', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    const update = observer.nextBroadcast('queue_update');
    await register(operator, 'DL1ABC');
    await update;
    expect((await queueStatus(observer)).queue_size).toBe(1);
  });
});

describe('qso_update', () => {
  it('is broadcast with change_type qso_started, callsign, started_at and source when a QSO starts', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    await register(operator, 'DL1ABC');
    const seen = await observe(observer, () => operator.admin('admin_work_next'));
    expect(seen.filter((m) => m.type === 'qso_update')).toMatchObject([
      { timestamp: NOW, data: { callsign: 'DL1ABC', started_at: NOW, source: 'queue', change_type: 'qso_started' } },
    ]);
  });

  it('carries source logging_software, frequency and mode for admin_send_qso', async () => {
    const operator = await fx.activeOperator();
    const observer = await fx.connect();
    const seen = await observe(observer, () =>
      operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '14.205', mode: 'USB' }),
    );
    expect(seen).toMatchObject([
      {
        type: 'qso_update',
        data: {
          callsign: 'EA1ABC',
          source: 'logging_software',
          change_type: 'qso_started',
          frequency: '14.205',
          mode: 'USB',
        },
      },
    ]);
  });

  it('is broadcast with change_type qso_completed naming the completed station', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_start_qso', { callsign: 'DL1ABC' });
    const observer = await fx.connect();
    clock.advance(30_000);
    const seen = await observe(observer, () => operator.admin('admin_complete_qso'));
    expect(seen).toMatchObject([
      {
        type: 'qso_update',
        data: { callsign: 'DL1ABC', started_at: NOW, source: 'direct', change_type: 'qso_completed' },
      },
    ]);
  });

  it('is broadcast with change_type qso_cancelled naming the cancelled station', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_start_qso', { callsign: 'DL1ABC' });
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin('admin_cancel_qso'));
    expect(seen).toMatchObject([{ type: 'qso_update', data: { callsign: 'DL1ABC', change_type: 'qso_cancelled' } }]);
  });

  it('reports the previous QSO completed before the next one starts on admin_work_next', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin('admin_work_next'));
    expect(seen).toMatchObject([
      { type: 'queue_update', data: { change_type: 'user_worked', affected_callsign: 'EA1ABC' } },
      { type: 'qso_update', data: { change_type: 'qso_completed', callsign: 'DL1ABC' } },
      { type: 'qso_update', data: { change_type: 'qso_started', callsign: 'EA1ABC' } },
    ]);
  });

  it('reports the previous QSO completed when a second QSO is sent for the same station', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '14.205' });
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '7.1' }));
    expect(seen).toMatchObject([
      { type: 'qso_update', data: { callsign: 'EA1ABC', change_type: 'qso_completed', frequency: '14.205' } },
      { type: 'qso_update', data: { callsign: 'EA1ABC', change_type: 'qso_started', frequency: '7.1' } },
    ]);
  });
});

describe('system_status_update', () => {
  it('is broadcast with active true and changed_by on activation', async () => {
    const operator = await fx.operator();
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin('admin_toggle_system'));
    expect(seen).toEqual([{ type: 'system_status_update', timestamp: NOW, data: { active: true, changed_by: 'admin' } }]);
  });

  it('is broadcast with active false on deactivation, after the QSO and queue updates', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'DL1ABC', 'EA1ABC');
    await operator.admin('admin_work_next');
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin('admin_toggle_system', { active: false }));
    expect(seen).toMatchObject([
      { type: 'qso_update', data: { callsign: 'DL1ABC', change_type: 'qso_completed' } },
      { type: 'queue_update', data: { change_type: 'system_deactivated', total: 0 } },
      { type: 'system_status_update', data: { active: false, changed_by: 'admin' } },
    ]);
  });
});

describe('frequency_update', () => {
  it.each([
    ['admin_set_frequency', { frequency: '14.205' }, { frequency: '14.205', split: null }],
    ['admin_set_split', { split: 'up 5' }, { frequency: null, split: 'up 5' }],
  ])('is broadcast by %s', async (type, fields, expected) => {
    const operator = await fx.operator();
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin(type, fields));
    expect(seen).toMatchObject([{ type: 'frequency_update', timestamp: NOW, data: expected }]);
  });

  it.each([
    ['admin_clear_frequency', { frequency: null, split: 'up 5' }],
    ['admin_clear_split', { frequency: '14.205', split: null }],
  ])('is broadcast by %s', async (type, expected) => {
    const operator = await fx.operator();
    await operator.admin('admin_set_frequency', { frequency: '14.205' });
    await operator.admin('admin_set_split', { split: 'up 5' });
    const observer = await fx.connect();
    const seen = await observe(observer, () => operator.admin(type));
    expect(seen).toMatchObject([{ type: 'frequency_update', data: expected }]);
  });
});

describe('every state change broadcasts', () => {
  interface Case {
    type: string;
    fields?: Json;
    /** Brings the server into the state the command changes. */
    setup?: (operator: TestClient) => Promise<unknown>;
    expected: string[];
  }

  const withQueue = async (operator: TestClient) => {
    await operator.admin('admin_toggle_system', { active: true });
    await register(operator, 'DL1ABC', 'EA1ABC');
  };
  const withQsoAndQueue = async (operator: TestClient) => {
    await withQueue(operator);
    await operator.admin('admin_work_next');
  };

  const cases: Case[] = [
    { type: 'register_callsign', fields: { callsign: 'G0ABC' }, setup: withQueue, expected: ['queue_update'] },
    { type: 'admin_work_next', setup: withQsoAndQueue, expected: ['queue_update', 'qso_update', 'qso_update'] },
    { type: 'admin_send_qso', fields: { callsign: 'G0ABC' }, expected: ['qso_update'] },
    { type: 'admin_complete_qso', setup: withQsoAndQueue, expected: ['qso_update'] },
    { type: 'admin_toggle_system', expected: ['system_status_update'] },
    {
      type: 'admin_toggle_system',
      fields: { active: false },
      setup: withQsoAndQueue,
      expected: ['qso_update', 'queue_update', 'system_status_update'],
    },
    { type: 'admin_clear_queue', setup: withQueue, expected: ['queue_update'] },
    { type: 'admin_start_qso', fields: { callsign: 'G0ABC' }, expected: ['qso_update'] },
    {
      type: 'admin_work_specific',
      fields: { callsign: 'EA1ABC' },
      setup: withQsoAndQueue,
      expected: ['queue_update', 'qso_update', 'qso_update'],
    },
    { type: 'admin_cancel_qso', setup: withQsoAndQueue, expected: ['qso_update'] },
    { type: 'admin_remove_callsign', fields: { callsign: 'EA1ABC' }, setup: withQueue, expected: ['queue_update'] },
    { type: 'admin_set_frequency', fields: { frequency: '7.074' }, expected: ['frequency_update'] },
    { type: 'admin_clear_frequency', expected: ['frequency_update'] },
    { type: 'admin_set_split', fields: { split: '1' }, expected: ['frequency_update'] },
    { type: 'admin_clear_split', expected: ['frequency_update'] },
    { type: 'admin_set_max_queue_size', fields: { max_queue_size: 10 }, expected: ['settings_update'] },
  ];

  it.each(cases)('$type $fields broadcasts $expected to the sender and to others', async (testCase) => {
    const { type, fields, setup, expected } = testCase;
    const operator = await fx.operator();
    await setup?.(operator);
    const observer = await fx.connect();
    const from = await settle(observer);
    const toSender = await broadcastsDuring(operator, async () => {
      const reply = await operator.admin(type, fields);
      expect(reply).toMatchObject({ type: 'success' });
      return reply;
    });
    const toObserver = await broadcastsSince(observer, from);
    expect(toSender.map((m) => m.type)).toEqual(expected);
    expect(toObserver).toEqual(toSender);
  });
});
