/** The station settings on the wire: admin_get_station / admin_set_station, and what callers see of them. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATION } from '../../server/protocol/station.js';
import { broadcastsDuring, dataOf, expectError, queueStatus, register, useClockedServer } from '../support/fixture.js';

const { fx } = useClockedServer();

describe('admin_get_station', () => {
  it('answers the defaults on a fresh install, with no station id yet', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_get_station'))).toEqual({ ...DEFAULT_STATION, station_id: null });
  });

  it('is for the operator only', async () => {
    const caller = await fx.connect();
    expectError(await caller.request('admin_get_station'), 'AUTHENTICATION_REQUIRED');
    expectError(await caller.request('admin_set_station', { callsign: 'EA8/DL1ABC' }), 'AUTHENTICATION_REQUIRED');
  });
});

describe('admin_set_station', () => {
  it('stores a normalized callsign and locator; the station id follows the callsign', async () => {
    const operator = await fx.operator();
    const saved = dataOf(await operator.admin('admin_set_station', { callsign: ' ea8/dl1abc ', locator: 'il18RJ' }));
    expect(saved).toMatchObject({ callsign: 'EA8/DL1ABC', locator: 'IL18rj', station_id: 'ea8-dl1abc' });
  });

  it('changes only the fields given, sounds one by one', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_station', { distance_unit: 'mi', sounds: { queue_full: false } });
    const station = dataOf(await operator.admin('admin_get_station'));
    expect(station).toMatchObject({ distance_unit: 'mi', callsign: null, sounds: { ...DEFAULT_STATION.sounds, queue_full: false } });
  });

  it.each([
    [{ callsign: 'ABC1DEF' }, 'callsign', 'must be a valid callsign such as EA8/DL1ABC'],
    [{ locator: 'ZZ99' }, 'locator', 'must be a Maidenhead locator such as JO62 or JO62qm (4, 6 or 8 characters)'],
    [{ beam_heading: 360 }, 'beam_heading', expect.any(String)],
    [{ distance_unit: 'nm' }, 'distance_unit', expect.any(String)],
    [{ no_show_strikes: 0 }, 'no_show_strikes', expect.any(String)],
    [{}, '', expect.stringContaining('give at least one of')],
  ])('refuses %j with INVALID_REQUEST and stores nothing', async (fields, field, problem) => {
    const operator = await fx.operator();
    const reply = await operator.adminRaw('admin_set_station', fields);
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toEqual({ issues: [{ field, problem }] });
    expect(dataOf(await operator.admin('admin_get_station'))).toMatchObject({ callsign: null, locator: null, beam_heading: null });
  });

  it('survives a restart', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_station', { callsign: 'G0ABC', locator: 'IO91wm', beam_heading: 45, no_show_requeue_after: 5 });
    await fx.restart();
    const again = await fx.operator();
    expect(dataOf(await again.admin('admin_get_station'))).toMatchObject({ callsign: 'G0ABC', locator: 'IO91wm', beam_heading: 45, no_show_requeue_after: 5 });
  });

  it('broadcasts the public part to every connection as station_update', async () => {
    const operator = await fx.operator();
    const caller = await fx.connect();
    const heard = caller.nextBroadcast('station_update');
    await operator.admin('admin_set_station', { callsign: 'G0ABC', locator: 'IO91wm', beam_heading: 45 });
    expect((await heard).data).toEqual({ callsign: 'G0ABC', locator: 'IO91wm', worked_times: false, recent_qsos: true });
  });
});

describe('the station in get_queue_status', () => {
  it('shows callers the callsign and locator, and the beam heading only when the operator allows it', async () => {
    const operator = await fx.operator();
    const caller = await fx.connect();
    await operator.admin('admin_set_station', { callsign: 'G0ABC', locator: 'IO91wm', beam_heading: 45 });
    expect((await queueStatus(caller)).station).toEqual({ callsign: 'G0ABC', locator: 'IO91wm', worked_times: false, recent_qsos: true });
    await operator.admin('admin_set_station', { public_beam_heading: true });
    expect((await queueStatus(caller)).station).toMatchObject({ beam_heading: 45 });
  });

  it('never shows sounds, distance unit or the no-show rule', async () => {
    const caller = await fx.connect();
    expect(Object.keys((await queueStatus(caller)).station as object).sort()).toEqual(['callsign', 'locator', 'recent_qsos', 'worked_times']);
  });
});

describe('bearing and distance on every queue entry', () => {
  it('appear once the station has a locator, from the caller’s locator when given', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'JA1XYZ');
    expect(((await queueStatus(operator)).queue as object[])[0]).not.toHaveProperty('bearing');
    const during = await broadcastsDuring(operator, () => operator.admin('admin_set_station', { locator: 'JO62qm' }));
    expect(during.map((m) => m.type)).toEqual(['station_update']);
    expect(await operator.request('register_callsign', { callsign: 'W1AW', locator: 'FN31pr' })).toMatchObject({ type: 'success' });
    const [japan, newington] = (await queueStatus(operator)).queue as Record<string, number>[];
    expect(japan).toMatchObject({ lat: 36.4, lon: 138.38 });
    expect(japan?.bearing).toBeGreaterThan(30);
    expect(japan?.bearing).toBeLessThan(50);
    expect(newington).toMatchObject({ lat: 41.73, lon: -72.71 });
    expect(newington?.distance_km).toBeGreaterThan(6200);
    expect(newington?.distance_km).toBeLessThan(6400);
  });

  it('refuses a registration with a locator that is not one', async () => {
    const operator = await fx.activeOperator();
    expectError(await operator.request('register_callsign', { callsign: 'W1AW', locator: 'nowhere' }), 'INVALID_REQUEST');
  });
});
