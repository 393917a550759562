/** The public view of the log: get_recent_qsos and search_log ("am I in the log?"). */
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/harness.js';
import { dataOf, expectError, register, useClockedServer } from '../support/fixture.js';

const { fx, clock } = useClockedServer();

async function workThree(operator: TestClient): Promise<void> {
  await operator.admin('admin_set_frequency', { frequency: '14.195', mode: 'USB' });
  await operator.admin('admin_send_qso', { callsign: 'EA1ABC', rst_sent: '59' });
  clock.advance(60_000);
  await operator.admin('admin_send_qso', { callsign: 'JA1XYZ' });
  clock.advance(60_000);
  await operator.admin('admin_set_frequency', { frequency: '7.074', mode: 'FT8' });
  await operator.admin('admin_send_qso', { callsign: 'EA1ABC' });
  await operator.admin('admin_complete_qso');
}

describe('get_recent_qsos', () => {
  it('lists the newest QSOs with band, mode, country and position, but no time, RST or source', async () => {
    const operator = await fx.activeOperator();
    await workThree(operator);
    const caller = await fx.connect();
    const data = dataOf(await caller.request('get_recent_qsos', { limit: 2 }));
    expect(data).toEqual({
      shown: true,
      qsos: [
        { qso_id: expect.any(String), callsign: 'EA1ABC', band: '40m', mode: 'FT8', country: 'Spain', dxcc: 281, continent: 'EU', cq_zone: 14, lat: 40.32, lon: -3.43 },
        { qso_id: expect.any(String), callsign: 'JA1XYZ', band: '20m', mode: 'USB', country: 'Japan', dxcc: 339, continent: 'AS', cq_zone: 25, lat: 36.4, lon: 138.38 },
      ],
    });
  });

  it('shows the times when the operator allows it, and always to the operator', async () => {
    const operator = await fx.activeOperator();
    await workThree(operator);
    expect((dataOf(await operator.request('get_recent_qsos', { session_token: operator.token })).qsos as object[])[0]).toHaveProperty('ended_at');
    const caller = await fx.connect();
    await operator.admin('admin_set_station', { public_worked_times: true });
    const [newest] = dataOf(await caller.request('get_recent_qsos')).qsos as { ended_at: string }[];
    expect(newest?.ended_at).toBe('2025-07-23T10:02:00.000Z');
  });

  it('is empty (shown: false) when the operator hides the list', async () => {
    const operator = await fx.activeOperator();
    await workThree(operator);
    await operator.admin('admin_set_station', { public_recent_qsos: false });
    expect(dataOf(await (await fx.connect()).request('get_recent_qsos'))).toEqual({ shown: false, qsos: [] });
  });

  it('answers at most 50 and refuses a larger limit', async () => {
    const caller = await fx.connect();
    expect(dataOf(await caller.request('get_recent_qsos'))).toEqual({ shown: true, qsos: [] });
    expectError(await caller.request('get_recent_qsos', { limit: 51 }), 'INVALID_REQUEST');
  });
});

describe('search_log', () => {
  it('answers the bands and modes a call was worked on (USB counted as SSB), newest first, without times', async () => {
    const operator = await fx.activeOperator();
    await workThree(operator);
    const caller = await fx.connect();
    const reply = await caller.request('search_log', { callsign: ' ea1abc ' });
    expect(reply).toMatchObject({ type: 'success', message: 'EA1ABC is in the log' });
    expect(reply.data).toEqual({
      callsign: 'EA1ABC',
      total_qsos: 2,
      worked: [
        { band: '40m', mode: 'FT8', qsos: 1 },
        { band: '20m', mode: 'SSB', qsos: 1 },
      ],
    });
  });

  it('answers a call not in the log with no slots', async () => {
    const caller = await fx.connect();
    const reply = await caller.request('search_log', { callsign: 'W1AW' });
    expect(reply).toMatchObject({ message: 'W1AW is not in the log', data: { callsign: 'W1AW', total_qsos: 0, worked: [] } });
  });

  it('matches the exact form only: G0ABC/P is another log entry than G0ABC', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', { callsign: 'G0ABC/P', frequency: '14.2', mode: 'CW' });
    expect(dataOf(await operator.request('search_log', { callsign: 'G0ABC' })).total_qsos).toBe(0);
  });

  it('shows when each slot was last worked once the operator allows times', async () => {
    const operator = await fx.activeOperator();
    await workThree(operator);
    await operator.admin('admin_set_station', { public_worked_times: true });
    const { worked } = dataOf(await (await fx.connect()).request('search_log', { callsign: 'EA1ABC' })) as { worked: object[] };
    expect(worked[1]).toEqual({ band: '20m', mode: 'SSB', qsos: 1, last_worked_at: '2025-07-23T10:00:00.000Z' });
  });

  it('refuses what is not a callsign with INVALID_CALLSIGN', async () => {
    const caller = await fx.connect();
    expectError(await caller.request('search_log', { callsign: 'ABC1DEF' }), 'INVALID_CALLSIGN');
    expectError(await caller.request('search_log', {}), 'INVALID_REQUEST');
  });

  it('finds callers worked from the queue too', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'VK2DEF');
    await operator.admin('admin_work_next');
    await operator.admin('admin_complete_qso');
    expect(dataOf(await operator.request('search_log', { callsign: 'VK2DEF' })).total_qsos).toBe(1);
  });
});
