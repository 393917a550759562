import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../server/protocol/errors.js';
import { type CoreFixture, openCore, waiting } from '../support/core.js';

describe('bans of every form of a call', () => {
  let core: CoreFixture;
  afterEach(() => core.dispose());

  it('keeps out the portable and visiting forms of a banned call', async () => {
    core = await openCore();
    await core.service.ban('G0ABC', 'prank');
    for (const form of ['G0ABC', 'G0ABC/P', 'EA8/G0ABC', 'EA8/G0ABC/QRP']) {
      await expect(core.service.register(form)).rejects.toMatchObject({ code: ErrorCode.CALLSIGN_BANNED });
    }
    expect((await core.service.register('G0ABD')).position).toBe(1);
  });

  it('covers the home call when a portable form is banned', async () => {
    core = await openCore();
    await core.service.ban('G0ABC/P', undefined);
    await expect(core.service.register('G0ABC')).rejects.toMatchObject({ code: ErrorCode.CALLSIGN_BANNED });
  });

  it('bans only that form when asked to', async () => {
    core = await openCore();
    const ban = await core.service.ban('EA8/G0ABC', undefined, true);
    expect(ban).toMatchObject({ callsign: 'EA8/G0ABC', only_this_form: true });
    await expect(core.service.register('EA8/G0ABC')).rejects.toMatchObject({ code: ErrorCode.CALLSIGN_BANNED });
    await core.service.register('G0ABC');
    await core.service.register('G0ABC/P');
  });

  it('takes every covered form out of the queue', async () => {
    core = await openCore();
    for (const call of ['G0ABC/P', 'DL1ABC', 'EA8/G0ABC']) await core.service.register(call);
    const ban = await core.service.ban('G0ABC', undefined);
    expect(ban).toMatchObject({ removed_from_queue: true, removed_callsigns: ['G0ABC/P', 'EA8/G0ABC'] });
    expect(waiting(core.service)).toEqual(['DL1ABC']);
  });
});

describe('undoing a ban', () => {
  let core: CoreFixture;
  afterEach(() => core.dispose());

  it('within a minute, gives the callers it took out their places back', async () => {
    core = await openCore();
    for (const call of ['EA1ABC', 'G0ABC/P', 'DL1ABC', 'G0ABC']) await core.service.register(call);
    await core.service.ban('G0ABC', 'oops');
    core.clock.advance(59_000);
    core.broadcasts.length = 0;
    const undone = await core.service.unban('G0ABC', true);
    expect(undone).toMatchObject({ unbanned: true, restored_to_queue: ['G0ABC/P', 'G0ABC'] });
    expect(waiting(core.service)).toEqual(['EA1ABC', 'G0ABC/P', 'DL1ABC', 'G0ABC']);
    expect(core.broadcasts.filter((m) => m.type === 'queue_update').map((m) => (m.data as { change_type: string }).change_type)).toEqual([
      'restored',
      'restored',
    ]);
    expect(core.service.status().queue[1]).toMatchObject({ callsign: 'G0ABC/P', timestamp: '2025-07-23T10:00:00.000Z' });
  });

  it('after a minute only lifts the ban', async () => {
    core = await openCore();
    await core.service.register('G0ABC');
    await core.service.ban('G0ABC', undefined);
    core.clock.advance(60_000);
    expect(await core.service.unban('G0ABC', true)).toMatchObject({ restored_to_queue: [] });
    expect(waiting(core.service)).toEqual([]);
  });

  it('does not put back a caller who registered again or is being worked', async () => {
    core = await openCore();
    await core.service.register('G0ABC/P');
    await core.service.ban('G0ABC/P', undefined, true);
    await core.service.startQso('G0ABC/P', {});
    expect(await core.service.unban('G0ABC/P', true)).toMatchObject({ restored_to_queue: [] });
  });

  it('restores beyond the capacity: the places were theirs', async () => {
    core = await openCore();
    for (const call of ['EA1ABC', 'G0ABC']) await core.service.register(call);
    await core.service.ban('G0ABC', undefined);
    for (const call of ['DL1ABC', 'W1AW', 'JA1XYZ']) await core.service.register(call);
    await core.service.unban('G0ABC', true);
    expect(waiting(core.service)).toEqual(['EA1ABC', 'G0ABC', 'DL1ABC', 'W1AW', 'JA1XYZ']);
  });

  it('unbanning without undo keeps the queue as it is', async () => {
    core = await openCore();
    await core.service.register('G0ABC');
    await core.service.ban('G0ABC', undefined);
    expect(await core.service.unban('G0ABC')).toMatchObject({ restored_to_queue: [] });
    expect(waiting(core.service)).toEqual([]);
  });
});
