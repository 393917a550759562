/** Bans on the wire: every form of a call by default, only one form on request, and undo within a minute. */
import { describe, expect, it } from 'vitest';
import { dataOf, expectError, queueCalls, register, useClockedServer } from '../support/fixture.js';

const { fx, clock } = useClockedServer();

describe('admin_ban_callsign and the forms of a call', () => {
  it('bans G0ABC/P and EA8/G0ABC with G0ABC, and takes them out of the queue', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'G0ABC/P', 'DL1ABC');
    const banned = await operator.admin('admin_ban_callsign', { callsign: 'G0ABC', reason: 'prank' });
    expect(banned).toMatchObject({
      message: 'Callsign G0ABC banned (every form of the call)',
      data: { only_this_form: false, removed_from_queue: true, removed_callsigns: ['G0ABC/P'] },
    });
    const caller = await fx.connect();
    for (const form of ['G0ABC', 'EA8/G0ABC', 'G0ABC/P']) {
      expectError(await caller.request('register_callsign', { callsign: form }), 'CALLSIGN_BANNED');
    }
    expect(await queueCalls(caller)).toEqual(['DL1ABC']);
  });

  it('bans only that form with only_this_form', async () => {
    const operator = await fx.activeOperator();
    expect(dataOf(await operator.admin('admin_ban_callsign', { callsign: 'EA8/G0ABC', only_this_form: true }))).toMatchObject({
      only_this_form: true,
    });
    expectError(await operator.request('register_callsign', { callsign: 'EA8/G0ABC' }), 'CALLSIGN_BANNED');
    await register(operator, 'G0ABC');
  });
});

describe('admin_unban_callsign with undo', () => {
  it('within a minute puts the callers back where they were', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'EA1ABC', 'G0ABC', 'DL1ABC');
    await operator.admin('admin_ban_callsign', { callsign: 'G0ABC', reason: 'wrong button' });
    clock.advance(30_000);
    expect(await operator.admin('admin_unban_callsign', { callsign: 'G0ABC', undo: true })).toMatchObject({
      message: 'Callsign G0ABC may register again; back in the queue: G0ABC',
      data: { unbanned: true, restored_to_queue: ['G0ABC'] },
    });
    expect(await queueCalls(operator)).toEqual(['EA1ABC', 'G0ABC', 'DL1ABC']);
  });

  it('after a minute only lifts the ban', async () => {
    const operator = await fx.activeOperator();
    await register(operator, 'G0ABC');
    await operator.admin('admin_ban_callsign', { callsign: 'G0ABC' });
    clock.advance(61_000);
    expect(dataOf(await operator.admin('admin_unban_callsign', { callsign: 'G0ABC', undo: true })).restored_to_queue).toEqual([]);
    expect(await queueCalls(operator)).toEqual([]);
  });
});
