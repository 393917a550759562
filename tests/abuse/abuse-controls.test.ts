/**
 * Abuse controls over the wire: pause, bans, the per-address rate limit and the "worked
 * recently" rule — each refuses with its own code, changes nothing else, is broadcast, and
 * survives a restart.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../server/config/defaults.js';
import { RegistrationRateLimiter } from '../../server/core/abuse-controls.js';
import { isLoopback } from '../../server/limits/sender-key.js';
import { PileupService } from '../../server/core/pileup-service.js';
import type { PersistedState } from '../../server/core/storage.js';
import { PileupStore } from '../../server/store/pileup-store.js';
import {
  broadcastsDuring,
  dataOf,
  expectError,
  MINUTE_MS,
  queueCalls,
  queueStatus,
  register,
  useClockedServer,
} from '../support/fixture.js';
import { makeDataDir } from '../support/harness.js';

describe('pausing registration', () => {
  const { fx } = useClockedServer();

  it('refuses registrations with REGISTRATION_PAUSED while keeping the queue and the system on', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC');
    expect(dataOf(await operator.admin('admin_pause_registration'))).toEqual({ registration_paused: true, previous_state: false });
    expectError(await operator.request('register_callsign', { callsign: 'G0ABC' }), 'REGISTRATION_PAUSED');
    const status = await queueStatus(operator);
    expect(status).toMatchObject({ system_active: true, registration_paused: true, registration_enabled: false, queue_size: 2 });
    // The operator keeps working the queue.
    expect(dataOf(await operator.admin('admin_work_next'))).toMatchObject({ callsign: 'EA1ABC' });
  });

  it('checks SYSTEM_INACTIVE before REGISTRATION_PAUSED', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_pause_registration');
    expectError(await operator.request('register_callsign', { callsign: 'G0ABC' }), 'SYSTEM_INACTIVE');
  });

  it('broadcasts pause and resume as controls_update, and is idempotent without a broadcast', async () => {
    const operator = await fx.activeOperator();
    const paused = await broadcastsDuring(operator, () => operator.admin('admin_pause_registration'));
    expect(paused).toEqual([
      expect.objectContaining({ type: 'controls_update', data: expect.objectContaining({ registration_paused: true, change_type: 'paused' }) }),
    ]);
    expect(await broadcastsDuring(operator, () => operator.admin('admin_pause_registration'))).toEqual([]);
    const resumed = await broadcastsDuring(operator, () => operator.admin('admin_resume_registration'));
    expect(resumed).toEqual([expect.objectContaining({ data: expect.objectContaining({ registration_paused: false, change_type: 'resumed' }) })]);
    await register(operator, 'G0ABC');
  });

  it('survives a restart', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_pause_registration');
    await fx.restart();
    const client = await fx.connect();
    expectError(await client.request('register_callsign', { callsign: 'G0ABC' }), 'REGISTRATION_PAUSED');
  });
});

describe('banned callsigns', () => {
  const { fx } = useClockedServer();

  it('refuses a banned call politely with CALLSIGN_BANNED, without revealing the reason', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_ban_callsign', { callsign: 'ea1abc', reason: 'jamming the frequency' });
    const reply = await (await fx.connect()).request('register_callsign', { callsign: ' ea1abc ' });
    expectError(reply, 'CALLSIGN_BANNED');
    expect(reply.message).toMatch(/^Sorry/);
    expect(JSON.stringify(reply)).not.toContain('jamming');
  });

  it('bans straight from the queue: the call leaves the queue, the others keep their order', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC');
    const broadcasts = await broadcastsDuring(operator, () => operator.admin('admin_ban_callsign', { callsign: 'DL1ABC' }));
    expect(broadcasts.map((b) => [b.type, (b.data as { change_type: string }).change_type])).toEqual([
      ['queue_update', 'removed'],
      ['controls_update', 'banned'],
    ]);
    expect(await queueCalls(operator)).toEqual(['EA1ABC', 'G0ABC']);
  });

  it('lists bans with reason and time for the operator only, and unbans', async () => {
    const operator = await fx.activeOperator();
    const banned = dataOf(await operator.admin('admin_ban_callsign', { callsign: 'W1AW', reason: 'prank' }));
    expect(banned).toMatchObject({ callsign: 'W1AW', reason: 'prank', removed_from_queue: false, banned_count: 1 });
    expect(dataOf(await operator.admin('admin_get_controls')).bans).toEqual([
      { callsign: 'W1AW', reason: 'prank', banned_at: expect.any(String), only_this_form: false },
    ]);
    expectError(await (await fx.connect()).request('admin_get_controls'), 'AUTHENTICATION_REQUIRED');
    expect(dataOf(await operator.admin('admin_unban_callsign', { callsign: 'w1aw' }))).toMatchObject({ unbanned: true, banned_count: 0 });
    await register(operator, 'W1AW');
  });

  it('answers INVALID_REQUEST when unbanning a call that is not banned, and INVALID_CALLSIGN for a bad call', async () => {
    const operator = await fx.activeOperator();
    expectError(await operator.adminRaw('admin_unban_callsign', { callsign: 'W1AW' }), 'INVALID_REQUEST');
    expectError(await operator.adminRaw('admin_ban_callsign', { callsign: 'NOT A CALL' }), 'INVALID_CALLSIGN');
    expect(dataOf(await operator.admin('admin_get_controls')).bans).toEqual([]);
  });

  it('keeps bans across a restart', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_ban_callsign', { callsign: 'W1AW' });
    await fx.restart();
    const client = await fx.connect();
    expectError(await client.request('register_callsign', { callsign: 'W1AW' }), 'CALLSIGN_BANNED');
  });
});

describe('per-address registration rate limit', () => {
  const { fx, clock } = useClockedServer();

  it('exempts the operator\u2019s own machine (loopback) by default', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_registration_rules', { rate_limit_count: 1 });
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC');
  });

  it('refuses with RATE_LIMITED and retry_after_s once the limit is reached, then admits after the window', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_registration_rules', {
      rate_limit_count: 2,
      rate_limit_window_s: 60,
      rate_limit_exempt_loopback: false,
    });
    const caller = await fx.connect();
    await register(caller, 'EA1ABC');
    // A refused attempt counts too: probing with bad calls is limited like registering.
    expectError(await caller.request('register_callsign', { callsign: 'BAD' }), 'INVALID_CALLSIGN');
    clock.advance(20_000);
    const limited = await caller.request('register_callsign', { callsign: 'DL1ABC' });
    expectError(limited, 'RATE_LIMITED');
    expect(limited.details).toEqual({ retry_after_s: 40 });
    expect(await queueCalls(operator)).toEqual(['EA1ABC']);
    clock.advance(40_000);
    await register(caller, 'DL1ABC');
  });

  it('limits per address, not per connection', () => {
    const limiter = new RegistrationRateLimiter();
    const rules = { ...DEFAULTS.registrationRules, rate_limit_count: 2 };
    expect(limiter.admit('192.0.2.1', rules, 0)).toBe(0);
    expect(limiter.admit('192.0.2.1', rules, 1000)).toBe(0);
    expect(limiter.admit('192.0.2.1', rules, 2000)).toBe(58);
    expect(limiter.admit('192.0.2.2', rules, 2000)).toBe(0);
    expect(limiter.admit('127.0.0.1', rules, 2000)).toBe(0);
  });

  it('recognises loopback and the local console as the operator\u2019s machine', () => {
    for (const address of ['local', '127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true);
    for (const address of ['192.168.1.20', '::ffff:192.168.1.20', '10.0.0.1', 'fe80::1']) expect(isLoopback(address)).toBe(false);
  });

  it('switches off with rate_limit_count 0', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_registration_rules', { rate_limit_count: 0, rate_limit_exempt_loopback: false });
    await register(operator, 'EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
  });

  it('rejects rules out of range or an empty rules request with INVALID_REQUEST', async () => {
    const operator = await fx.activeOperator();
    expectError(await operator.adminRaw('admin_set_registration_rules', { rate_limit_count: -1 }), 'INVALID_REQUEST');
    expectError(await operator.adminRaw('admin_set_registration_rules', { worked_recently_minutes: 1441 }), 'INVALID_REQUEST');
    expectError(await operator.adminRaw('admin_set_registration_rules', {}), 'INVALID_REQUEST');
  });
});

describe('worked-recently rule', () => {
  const { fx, clock } = useClockedServer();

  it('refuses a call worked within the last N minutes with WORKED_RECENTLY, and admits it after', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_registration_rules', { worked_recently_minutes: 30 });
    await register(operator, 'EA1ABC');
    await operator.admin('admin_work_next');
    await operator.admin('admin_complete_qso');
    clock.advance(10 * MINUTE_MS);
    const refused = await operator.request('register_callsign', { callsign: 'EA1ABC' });
    expectError(refused, 'WORKED_RECENTLY');
    expect(refused.details).toMatchObject({ callsign: 'EA1ABC', retry_after_s: 20 * 60 });
    clock.advance(20 * MINUTE_MS);
    await register(operator, 'EA1ABC');
  });

  it('is off by default, and a cancelled QSO does not count as worked', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', { callsign: 'DL1ABC' });
    await operator.admin('admin_complete_qso');
    await register(operator, 'DL1ABC');
    await operator.admin('admin_set_registration_rules', { worked_recently_minutes: 30 });
    await operator.admin('admin_work_next');
    await operator.admin('admin_cancel_qso');
    await operator.admin('admin_start_qso', { callsign: 'G0ABC' });
    await operator.admin('admin_cancel_qso');
    await register(operator, 'G0ABC');
  });

  it('remembers QSOs logged before a restart', async () => {
    const operator = await fx.activeOperator();
    await operator.admin('admin_set_registration_rules', { worked_recently_minutes: 60 });
    await operator.admin('admin_send_qso', { callsign: 'W1AW' });
    await operator.admin('admin_complete_qso');
    await fx.restart();
    const client = await fx.connect();
    expectError(await client.request('register_callsign', { callsign: 'W1AW' }), 'WORKED_RECENTLY');
  });
});

describe('controls in the core', () => {
  it('gives the default rules and an empty ban list to state written before controls existed', async () => {
    const store = await PileupStore.open(await makeDataDir());
    const legacy = { active: true, queue: [], current: null, frequency: null, mode: null, split: null, max_queue_size: 4 };
    await store.commit({ state: legacy as unknown as PersistedState });
    const service = await PileupService.create({ store });
    expect(service.controls()).toEqual({ ...DEFAULTS.registrationRules, registration_paused: false, bans: [] });
    expect(await service.register('EA1ABC', { address: '192.0.2.1' })).toMatchObject({ position: 1 });
    await store.close();
  });
});
