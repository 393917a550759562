import { afterEach, describe, expect, it } from 'vitest';
import { type CoreFixture, openCore } from '../support/core.js';

const MINUTE = 60_000;

describe('PileupService.statistics', () => {
  let core: CoreFixture;
  afterEach(() => core.dispose());

  it('is empty on an empty log', async () => {
    core = await openCore();
    const stats = core.service.statistics();
    expect(stats).toMatchObject({
      total_qsos: 0,
      unique_callsigns: 0,
      rates: { last_10: 0, last_100: 0, last_hour: 0 },
      median_wait_s: null,
      wait_sample: 0,
      by_band: {},
      by_continent: {},
    });
    expect(stats.per_10_minutes).toHaveLength(12);
    expect(stats.per_10_minutes.at(-1)?.start).toBe('2025-07-23T10:00:00.000Z');
  });

  it('gives the rate meter over the last 10, the last 100 and the last hour as QSOs per hour', async () => {
    core = await openCore();
    await core.service.setFrequency('14.195', 'SSB');
    // 20 QSOs two minutes apart (a rate of 30/h), then the clock stands 2 minutes after the last.
    for (let i = 0; i < 20; i += 1) {
      core.clock.advance(2 * MINUTE);
      await core.service.sendQso(`DL${i}ABC`, {});
    }
    core.clock.advance(2 * MINUTE);
    const { rates } = core.service.statistics();
    // The 10th newest QSO ended 20 minutes ago: 10 QSOs in 20 minutes.
    expect(rates.last_10).toBe(30);
    // All 20 in 40 minutes.
    expect(rates.last_100).toBe(30);
    expect(rates.last_hour).toBe(20);
  });

  it('looks back two hours at most, so an old QSO does not drag a fresh run’s rate down', async () => {
    core = await openCore();
    await core.service.sendQso('W1AW', { timestamp: '2025-07-22T10:00:00.000Z' });
    for (let i = 0; i < 3; i += 1) {
      core.clock.advance(5 * MINUTE);
      await core.service.sendQso(`DL${i}ABC`, {});
    }
    core.clock.advance(5 * MINUTE);
    // Three QSOs in the 15 minutes since the oldest recent one: 12 per hour.
    expect(core.service.statistics().rates).toEqual({ last_10: 12, last_100: 12, last_hour: 3 });
  });

  it('counts QSOs and registrations per 10 minutes, and the median wait of callers worked from the queue', async () => {
    core = await openCore();
    await core.service.setMaxQueueSize(10);
    await core.service.setFrequency('7.074', 'FT8');
    await core.service.register('EA1ABC');
    await core.service.register('JA1XYZ');
    await core.service.register('W1AW');
    core.clock.advance(3 * MINUTE);
    await core.service.workNext(); // waited 3 min
    core.clock.advance(12 * MINUTE);
    await core.service.workNext(); // completes EA1ABC; JA1XYZ waited 15 min
    core.clock.advance(MINUTE);
    await core.service.workNext(); // W1AW waited 16 min
    await core.service.completeQso();
    const stats = core.service.statistics();
    expect(stats.median_wait_s).toBe(15 * 60);
    expect(stats.wait_sample).toBe(3);
    const buckets = Object.fromEntries(stats.per_10_minutes.map((b) => [b.start.slice(11, 16), [b.qsos, b.registrations]]));
    expect(buckets['10:00']).toEqual([0, 3]);
    expect(buckets['10:10']).toEqual([3, 0]);
    expect(stats.by_band).toEqual({ '40m': 3 });
    expect(stats.by_continent).toEqual({ EU: 1, AS: 1, NA: 1 });
    expect(stats.unique_callsigns).toBe(3);
  });
});
