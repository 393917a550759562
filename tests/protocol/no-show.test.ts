/** admin_no_show on the wire: the reply, the broadcasts, and the order of refusals. */
import { describe, expect, it } from 'vitest';
import { broadcastsSince, dataOf, expectError, queueCalls, register, settle, useClockedServer } from '../support/fixture.js';

const { fx } = useClockedServer();

describe('admin_no_show', () => {
  it('puts the current caller back behind the next three (the default) and broadcasts the cancelled QSO and the queue', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_max_queue_size', { max_queue_size: 10 });
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW', 'JA1XYZ');
    await operator.admin('admin_work_next');
    const observer = await fx.connect();
    const from = await settle(observer);
    await operator.admin('admin_no_show');
    const seen = await broadcastsSince(observer, from);
    const reply = await observer.request('get_queue_status');
    expect(dataOf(reply).current_qso).toBeNull();
    expect(await queueCalls(observer)).toEqual(['DL1ABC', 'G0ABC', 'W1AW', 'EA1ABC', 'JA1XYZ']);
    expect(seen.map((m) => [m.type, (m.data as { change_type: string }).change_type, (m.data as { callsign?: string; affected_callsign?: string }).callsign ?? (m.data as { affected_callsign?: string }).affected_callsign])).toEqual([
      ['qso_update', 'qso_cancelled', 'EA1ABC'],
      ['queue_update', 'no_show', 'EA1ABC'],
    ]);
  });

  it('answers what happened in plain words and data', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC');
    await operator.admin('admin_work_next');
    expect(await operator.admin('admin_no_show')).toMatchObject({
      message: 'EA1ABC did not answer (1 of 3); back in the queue at position 2',
      data: { callsign: 'EA1ABC', no_shows: 1, strikes: 3, requeued: true, position: 2, queue_size: 2 },
    });
  });

  it('takes the caller out at the strike the station settings give', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_station', { no_show_strikes: 2 });
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_next');
    await operator.admin('admin_no_show');
    expect(((await operator.request('get_queue_status')).data as { queue: { no_shows?: number }[] }).queue[0]?.no_shows).toBe(1);
    await operator.admin('admin_work_next');
    expect(await operator.admin('admin_no_show')).toMatchObject({
      message: 'EA1ABC did not answer 2 times; out of the queue',
      data: { requeued: false, position: null, queue_size: 0 },
    });
  });

  it('refuses with INVALID_REQUEST when no QSO is in progress', async () => {
    const operator = await fx.activeOperator();
    const reply = await operator.adminRaw('admin_no_show');
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.message).toBe('No QSO in progress: nobody to mark as a no-show');
  });

  it('needs a session', async () => {
    expectError(await (await fx.connect()).request('admin_no_show'), 'AUTHENTICATION_REQUIRED');
  });
});
