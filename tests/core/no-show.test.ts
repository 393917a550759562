import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../server/protocol/errors.js';
import { type CoreFixture, openCore, waiting } from '../support/core.js';

describe('PileupService.noShow', () => {
  let core: CoreFixture;
  afterEach(() => core.dispose());

  async function queue(...callsigns: string[]) {
    for (const callsign of callsigns) await core.service.register(callsign);
  }

  it('puts the caller back behind the next N callers and cancels the QSO without logging it', async () => {
    core = await openCore({ no_show_requeue_after: 2 });
    await queue('EA1ABC', 'DL1ABC', 'G0ABC', 'W1AW');
    await core.service.workNext();
    core.broadcasts.length = 0;
    const result = await core.service.noShow();
    expect(result).toEqual({ callsign: 'EA1ABC', no_shows: 1, strikes: 3, requeued: true, position: 3, queue_size: 4 });
    expect(waiting(core.service)).toEqual(['DL1ABC', 'G0ABC', 'EA1ABC', 'W1AW']);
    expect(core.service.status().current_qso).toBeNull();
    expect(core.service.log.size).toBe(0);
    expect(core.broadcasts.map((m) => [m.type, (m.data as { change_type?: string }).change_type])).toEqual([
      ['qso_update', 'qso_cancelled'],
      ['queue_update', 'no_show'],
    ]);
  });

  it('keeps the registration time and shows the no-shows on the queue entry', async () => {
    core = await openCore();
    await queue('EA1ABC');
    core.clock.advance(60_000);
    await core.service.workNext();
    await core.service.noShow();
    const [entry] = core.service.status().queue;
    expect(entry).toMatchObject({ callsign: 'EA1ABC', no_shows: 1, timestamp: '2025-07-23T10:00:00.000Z' });
  });

  it('goes last when fewer than N are waiting', async () => {
    core = await openCore({ no_show_requeue_after: 5 });
    await queue('EA1ABC', 'DL1ABC');
    await core.service.workNext();
    expect((await core.service.noShow()).position).toBe(2);
    expect(waiting(core.service)).toEqual(['DL1ABC', 'EA1ABC']);
  });

  it('takes the caller out at the third no-show', async () => {
    core = await openCore({ no_show_requeue_after: 1 });
    await queue('EA1ABC');
    for (const strike of [1, 2]) {
      await core.service.workNext();
      expect(await core.service.noShow()).toMatchObject({ no_shows: strike, requeued: true, position: 1 });
    }
    await core.service.workNext();
    core.broadcasts.length = 0;
    expect(await core.service.noShow()).toEqual({ callsign: 'EA1ABC', no_shows: 3, strikes: 3, requeued: false, position: null, queue_size: 0 });
    expect(waiting(core.service)).toEqual([]);
    expect(core.broadcasts.map((m) => m.type)).toEqual(['qso_update']);
  });

  it('counts strikes against the station setting', async () => {
    core = await openCore({ no_show_strikes: 1 });
    await queue('EA1ABC');
    await core.service.workNext();
    expect(await core.service.noShow()).toMatchObject({ requeued: false, strikes: 1 });
  });

  it('refuses without a QSO, and for a QSO logging software already logged, changing nothing', async () => {
    core = await openCore();
    await expect(core.service.noShow()).rejects.toThrow(ProtocolError);
    await core.service.sendQso('W1AW', {});
    await expect(core.service.noShow()).rejects.toThrow(/already in the log/);
    expect(core.service.status().current_qso?.callsign).toBe('W1AW');
  });
});
